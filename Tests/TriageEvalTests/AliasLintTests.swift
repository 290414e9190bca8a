import Foundation
import Testing
@testable import TriageEval
@testable import TriageKit

/// Risky aliases (`triage check`, `triage check --aliases`) and the per-item lead figures of
/// `triage stats`, on a small rule set where 制毒 (police) also sits inside 熏制毒 (a way of
/// smoking fish the market department hears about).
@Suite struct AliasLintTests {
    static let files: [RuleSource.File] = [
        .init(path: "ruleset.yaml", text: """
            ruleset:
              name: aliases
              decision: {min_score: 1, fallback_category: business, weights: {item: 2, department: 1, first: 0}}
              handlers: {coordinator: hall}
            categories:
              - {id: business, name: 业务咨询, route: {channel: hotline, handler: owner}}
            departments:
              - {id: hall, name: 大厅, role: process}
              - {id: police, name: 公安}
              - {id: market, name: 市场局}
              - {id: water, name: 水务局}
              - {id: school, name: 教育局}
            items:
              - {id: drugs, name: 制毒贩毒, department: police, aliases: [制毒]}
              - {id: food, name: 食品作坊, department: market, aliases: [作坊, 熏鱼]}
              - {id: river, name: 河道, department: water, aliases: [溺水]}
              - {id: pupils, name: 学生安全, department: school, aliases: [溺水]}
            topics:
              - id: workshops
                name: 小作坊
                departments: {water: 1}
                words: {小作坊: 1}
            rules:
              - {id: ask, category: business, weight: 1, patterns: [怎么办]}
            """),
    ]

    static func message(_ id: String, _ text: String, lead: DepartmentID) -> LabelledMessage {
        var e = Expectation()
        e.hasLead = true
        e.lead = lead
        return LabelledMessage(id: id, text: text, expected: e)
    }

    static var messages: [LabelledMessage] {
        [
            message("a", "楼下熏制毒气很大的熏鱼作坊怎么办", lead: "market"),
            message("b", "那家熏制毒烟呛人，作坊在居民楼里", lead: "market"),
            message("c", "有人在出租屋里制毒，请公安来查", lead: "police"),
        ]
    }

    @Test func oneAliasOnTwoDepartmentsIsAWarningAtTheSecond() throws {
        let rs = try #require(RuleSetLoader.load(RuleSource(files: Self.files)).ruleSet)
        let d = AliasLint.duplicates(rs)
        #expect(d.count == 1)
        #expect(d.first?.severity == .warning && d.first?.code == "alias-duplicate")
        #expect(d.first?.entry == "pupils")
        #expect(d.first?.message.contains("also an alias of river (water") == true)
    }

    @Test func aShortAliasInsideALongerWordAndInsideAnotherDepartmentsTopicWord() throws {
        let rs = try #require(RuleSetLoader.load(RuleSource(files: Self.files)).ruleSet)
        let notes = AliasLint.notes(rs, messages: Self.messages)
        #expect(notes.allSatisfy { $0.severity == .note })
        let inside = notes.filter { $0.code == "alias-inside-word" }
        #expect(inside.count == 1, "\(inside.map(\.message))")
        #expect(inside.first?.entry == "drugs")
        #expect(inside.first?.message.contains("inside '熏制毒' in 2 tuning messages, none of them led by police") == true)
        let topic = notes.filter { $0.code == "alias-inside-alias" }
        #expect(topic.map(\.entry) == ["food"])
        #expect(topic.first?.message.contains("inside '小作坊', a word of topic workshops") == true)
    }

    @Test func heldOutMessagesAreNeverRead() throws {
        let rs = try #require(RuleSetLoader.load(RuleSource(files: Self.files)).ruleSet)
        let held = Self.messages.map { m -> LabelledMessage in
            var m = m
            m.isHeldOut = true
            return m
        }
        #expect(AliasLint.notes(rs, messages: held).filter { $0.code == "alias-inside-word" }.isEmpty)
    }

    @Test func statsCountTheItemsThatDecideWrongLeads() throws {
        let rs = try #require(RuleSetLoader.load(RuleSource(files: Self.files)).ruleSet)
        let engine = TriageEngine(ruleSet: rs)
        // 制毒 and 熏鱼 both fire; the police item is seen first in the first two messages.
        let messages = [
            Self.message("x", "熏制毒，作坊", lead: "market"),
            Self.message("y", "制毒的作坊", lead: "market"),
            Self.message("z", "制毒", lead: "police"),
        ]
        let outcomes = Evaluator(engine: engine).run(messages)
        let stats = RuleStats.compute(ruleSet: rs, messages: messages, outcomes: outcomes)
        let drugs = try #require(stats.entries.first { $0.id == "drugs" })
        #expect(drugs.leadLabelled == 3 && drugs.leadCorrect == 1)
        // A tie goes to the department seen first: police leads x and y, both labelled market.
        #expect(outcomes.map { $0.result.lead?.id.rawValue } == ["police", "police", "police"])
        #expect(drugs.wrongLeads == 2)
        #expect(drugs.leadPrecision.map { abs($0 - 1.0 / 3) < 1e-9 } == true)
        #expect(stats.wrongLeadItems.map(\.id) == ["drugs"])
        #expect(stats.entries.first { $0.id == "food" }?.wrongLeads == 0)
        #expect(stats.entries.first { $0.id == "ask" }?.json["lead_precision"] == nil)
    }
}
