import Foundation
import Testing
@testable import TriageEval
@testable import TriageKit

/// `triage fit` and `triage suggest` on small rule sets.
@Suite struct FitTests {
    /// Two departments share a word-only matter; the labels say the topic word belongs to b.
    static let files: [RuleSource.File] = [
        .init(path: "ruleset.yaml", text: """
            ruleset:
              name: fit
              decision: {min_score: 1, fallback_category: business, weights: {item: 2, department: 1, first: 0}}
              handlers: {coordinator: hall}
            categories:
              - {id: business, name: 业务咨询, route: {channel: hotline, handler: owner}}
              - {id: complaint, name: 投诉, route: {channel: hotline, handler: owner}}
            departments:
              - {id: hall, name: 大厅, role: process}
              - {id: a, name: 甲局}
              - {id: b, name: 乙局}
            items:
              - {id: ia, name: 甲事, department: a, aliases: [甲事], weight: 2}
              - {id: ib, name: 乙事, department: b, aliases: [乙事], weight: 1}
            rules:
              - {id: ask, category: business, weight: 1, patterns: [怎么办]}
            """),
    ]

    static func messages() -> [LabelledMessage] {
        (0..<30).map { n in
            var e = Expectation()
            e.hasLead = true
            e.lead = "b"
            e.hasCategory = true
            e.category = "business"
            return LabelledMessage(id: "m\(n)", text: "甲事和乙事第\(n)次，怎么办", expected: e)
        }
    }

    @Test func fittingMovesTheWeightThatDecidesTheLabelledLead() throws {
        let rs = try #require(RuleSetLoader.load(RuleSource(files: Self.files)).ruleSet)
        let engine = TriageEngine(ruleSet: rs)
        let examples = Self.messages().map { FitRun.example(engine, $0) }
        var fitter = WeightFitter()
        fitter.lambda = 0.001
        let w = fitter.fit(examples, prior: rs.fittableWeights)
        #expect((w[.item("ib")] ?? 0) > 1)
        #expect((w[.item("ia")] ?? 9) < 2)
    }

    @Test func crossValidationIsMeasuredWithTheRealEngineAndTheWeightsFileLoads() throws {
        var fitter = WeightFitter()
        fitter.lambda = 0.001
        let report = try FitRun.run(source: RuleSource(files: Self.files), messages: Self.messages(), folds: 3, fitter: fitter)
        #expect(report.before.lead == 0)
        #expect(report.after.lead == 1)
        let prior = try #require(RuleSetLoader.load(RuleSource(files: Self.files)).ruleSet).fittableWeights
        let yaml = FitRun.yaml(report.fitted, prior: prior, corpus: ["x"], method: "test")
        #expect(yaml.contains("fitted_weights:") && yaml.contains("    ib: "))
        let fitted = RuleSetLoader.load(FitRun.withWeights(RuleSource(files: Self.files), yaml))
        let rs = try #require(fitted.ruleSet)
        #expect(TriageEngine(ruleSet: rs).classify("甲事和乙事，怎么办").lead?.id == "b")
    }

    /// `explain` says which weights were fitted, and what the hand-written ones were.
    @Test func explainShowsTheFittedWeightsThatContributed() throws {
        let weights = "fitted_weights:\n  items:\n    ib: 3.5\n  rules:\n    ask: 1.75\n"
        let rs = try #require(RuleSetLoader.load(RuleSource(files: Self.files + [.init(path: FitRun.fileName, text: weights)])).ruleSet)
        let (result, x) = TriageEngine(ruleSet: rs).explain(MessageRecord(text: "乙事怎么办"))
        #expect(result.lead?.id == "b")
        let ask = try #require(x.fired.first { $0.rule == "ask" })
        #expect(ask.weight == 1.75 && ask.handWrittenWeight == 1)
        let b = try #require(x.departmentScores.first { $0.department.id == "b" })
        #expect(b.contributions.map(\.text).contains { $0.hasPrefix("事项「乙事」(ib)") && $0.hasSuffix("，拟合权重 +3.5") })
        let text = ResultRenderer(ruleSet: rs, color: false).explain(result, x, text: "乙事怎么办")
        #expect(text.contains("+1.75 ask") && text.contains("拟合权重（手写 1）"))
        let json = ResultRenderer(ruleSet: rs, color: false).explainJSON(result, x)
        #expect(json["fired"]?.array?.first?["hand_written_weight"] == .number(1))
        // Without a weights file nothing is marked.
        let plain = try #require(RuleSetLoader.load(RuleSource(files: Self.files)).ruleSet)
        let (_, y) = TriageEngine(ruleSet: plain).explain(MessageRecord(text: "乙事怎么办"))
        #expect(y.fired.allSatisfy { $0.handWrittenWeight == nil })
    }

    @Test func aFittedWeightForAnUnknownEntryIsALoadError() {
        let bad = Self.files + [.init(path: FitRun.fileName, text: "fitted_weights:\n  items:\n    ic: 1.5\n  rules:\n    ask: 2\n")]
        let loaded = RuleSetLoader.load(RuleSource(files: bad))
        #expect(loaded.ruleSet == nil)
        #expect(loaded.diagnostics.errors.contains { $0.message.contains("unknown item 'ic'") && $0.line == 3 })
    }

    @Test func suggestFindsAWordOfTheMissedLabel() throws {
        let rs = try #require(RuleSetLoader.load(RuleSource(files: Self.files)).ruleSet)
        let msgs = (0..<4).map { n -> LabelledMessage in
            var e = Expectation()
            e.hasLead = true
            e.lead = "b"
            return LabelledMessage(id: "s\(n)", text: "小区门口的路灯坏了\(n)天", expected: e)
        }
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(msgs)
        let list = Suggest.candidates(rs, messages: msgs, outcomes: outcomes)
        #expect(list.contains { $0.label == "b" && $0.text.contains("路灯") && $0.support == 4 && $0.precision == 1 })
    }
}
