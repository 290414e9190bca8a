import Testing
import TriageKit
@testable import TriageEval

@Suite struct MetricsTests {
    @Test func precisionRecallAndConfusionByHand() {
        // expected → actual: a→a, a→a, a→b, b→b, b→a, c→none
        let pairs = [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b"), ("b", "a"), ("c", "none")]
        let f = FieldMetrics.compute(name: "category", binary: false, pairs: pairs, order: ["a", "b", "c", "none"])
        #expect(f.labels == ["a", "b", "c", "none"])
        #expect(f.confusion == [[2, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]])
        let a = f.perLabel[0]
        #expect(a.tp == 2 && a.fp == 1 && a.fn == 1)
        #expect(abs(a.precision - 2.0 / 3) < 1e-9 && abs(a.recall - 2.0 / 3) < 1e-9)
        #expect(abs(f.accuracy - 0.5) < 1e-9)
        // Macro-F1 over a (2/3), b (1/2), c (0), none (0).
        #expect(abs(f.macroF1 - (2.0 / 3 + 0.5) / 4) < 1e-9)
    }

    @Test func flagsReportThePositiveClass() {
        let f = FieldMetrics.compute(name: "vague", binary: true, pairs: [("true", "true"), ("false", "true"), ("true", "false"), ("false", "false")])
        let p = f.positive!
        #expect(p.tp == 1 && p.fp == 1 && p.fn == 1)
        #expect(p.precision == 0.5 && p.recall == 0.5)
    }

    @Test func namedMetricsOnTheFixtureRun() throws {
        let (rs, _) = try Fixture.ruleSet("rules-good")
        let corpus = Fixture.corpus()
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(corpus.messages)
        let m = Metrics.compute(corpus.messages, outcomes, categoryOrder: rs.categories.map(\.id.rawValue))
        let named = Dictionary(m.named, uniquingKeysWith: { a, _ in a })
        #expect(named["category.accuracy"] == 0.5)
        #expect(named["category.complaint.recall"] == 0.2)
        #expect(named["lead.accuracy"] == 1)
        #expect(named["vague.recall"] == 1)
        #expect(named["co_handlers.agreement"] == 1)
        // Screening is scored on every message (unlabelled means accept): 7 accepted, 1 sent to review.
        let screening = try #require(m.field("screening"))
        #expect(screening.count == 8)
        #expect(screening.labels == ["accept", "needs_review"])
        #expect(screening.confusion == [[7, 1], [0, 0]])
        #expect(m.failing == 4)
    }

    @Test func evaluatorKeepsCorpusOrderAcrossThreads() throws {
        let (rs, _) = try Fixture.ruleSet("rules-good")
        let base = Fixture.corpus().messages
        var many: [LabelledMessage] = []
        for n in 0..<300 { for var m in base { m.id = "\(m.id)-\(n)"; many.append(m) } }
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(many)
        #expect(outcomes.count == many.count)
        #expect(zip(many, outcomes).allSatisfy { MessageID.string($0.id) == $1.result.id })
    }

    @Test func thresholdsPassFailAndUnknownMetric() throws {
        let (rs, _) = try Fixture.ruleSet("rules-good")
        let names = Metrics.names(categories: rs.categories.map(\.id.rawValue))
        let (t, parseErrors) = Thresholds.parse(Array("""
            thresholds:
              category.accuracy: 0.4
              category.complaint.recall: 0.9
              category.acuracy: 0.1
              deadlines.reply_due.accuracy: 0.5
            """.utf8), path: "t.yaml", known: names)
        // A name no run could measure is a file error, with a did-you-mean, and no check.
        #expect(parseErrors.count == 1)
        #expect(parseErrors[0].description == "t.yaml:4:3: error: unknown metric 'category.acuracy' (did you mean 'category.accuracy'?) [unknown-metric]")
        let corpus = Fixture.corpus()
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(corpus.messages)
        let checks = t.check(Metrics.compute(corpus.messages, outcomes))
        // A valid metric this corpus does not label (no deadlines) is a failed floor, not a typo.
        #expect(checks.map(\.metric) == ["category.accuracy", "category.complaint.recall", "deadlines.reply_due.accuracy"])
        #expect(checks.map(\.passed) == [true, false, false])
        #expect(checks[2].value == nil)
    }

    @Test func perDateDeadlineClassesAreNotMetrics() throws {
        let names = Metrics.names(categories: ["technical"])
        #expect(names.contains("deadlines.pre_review_due.accuracy"))
        #expect(!names.contains { $0.hasPrefix("deadlines.pre_review_due.2") })
        #expect(names.contains("screening.reject:spam.recall") && names.contains("category.none.f1"))
        // A run that scores deadlines gives their accuracy, never one "class" per date.
        let (rs, _) = try Fixture.ruleSet("rules-good")
        let (messages, _) = CorpusLoader.parse(Array("""
            {"id": "d1", "text": "网站登录不上", "received_at": "2026-09-28T10:00:00+08:00", "expected": {"deadlines": {"pre_review_due": "2026-09-29"}}}
            {"id": "d2", "text": "网站登录不上", "received_at": "2026-10-09T10:00:00+08:00", "expected": {"deadlines": {"pre_review_due": "2026-10-12"}}}
            """.utf8), path: "d.jsonl")
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(messages)
        let named = Metrics.compute(messages, outcomes).named.map(\.0)
        #expect(named.contains("deadlines.pre_review_due.accuracy"))
        #expect(!named.contains { $0.contains("2026") }, "\(named)")
    }

    @Test func thresholdsFileErrors() {
        let (_, errors) = Thresholds.parse(Array("thresholds:\n  lead.accuracy: high\nlimits: {}\n".utf8), path: "t.yaml")
        #expect(errors.map(\.code).sorted() == ["thresholds", "unknown-key"])
    }
}
