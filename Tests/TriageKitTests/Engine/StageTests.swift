import Testing
@testable import TriageKit

/// Each stage of the decision on small inputs (the end-to-end behaviour is in EngineTests).
@Suite struct StageTests {
    static let rules: RuleSet = {
        let loaded = Fixture.load([
            "ruleset.yaml": """
                ruleset:
                  name: stages
                  decision: {min_score: 1, precedence: [technical, complaint, business], fallback_category: business,
                             lead_balance: 0.8, multi_ratio: 0.5, second_category_min: 3, subject_chars: 4,
                             addressee: {words: [请], window: 2},
                             weights: {item: 2, department: 1, combined: 3, first: 0.5, context: 0.5, subject: 1, addressee: 1,
                                       topic: 1, topic_cap: 4, topic_min: 3, topic_min_alone: 1, category_topic: 1}}
                  handlers: {coordinator: hall}
                categories:
                  - {id: technical, name: 技术问题, route: {channel: direct, handler: egov, co_handlers: [office]}}
                  - {id: business, name: 业务咨询, route: {channel: hotline, handler: owner}}
                  - {id: complaint, name: 投诉, route: {channel: hotline, handler: owner}, combined_co_handlers: evidence,
                     never_escalate: [coordination]}
                departments:
                  - {id: hall, name: 大厅, role: process}
                  - {id: egov, name: 电子政务, role: process}
                  - {id: office, name: 政务办, role: process}
                  - {id: a, name: 甲局, aliases: [甲局]}
                  - {id: b, name: 乙局, aliases: [乙局]}
                  - {id: c, name: 丙局, aliases: [丙局]}
                items:
                  - {id: ia, name: 甲事项, department: a, aliases: [甲事]}
                  - {id: ia_long, name: 甲事项注销, department: a, aliases: [甲事注销]}
                  - {id: ib, name: 乙事项, department: b, complexity: complex, aliases: [乙事]}
                  - {id: platform, name: 平台, department: egov, category: technical, aliases: [平台故障]}
                  - {id: hall_place, name: 某医院, department: c, context: true, aliases: [某医院]}
                  - {id: women, name: 妇女事务, department: c, aliases: [巾帼], exclude: ['巾帼(大)?酒店']}
                combined:
                  - {id: abc, name: 甲乙丙一件事, aliases: [一件事], lead: a, departments: [a, b, c], complexity: complex}
                rules:
                  - {id: tech, category: technical, weight: 3, patterns: [登不上]}
                  - {id: no_tech, category: technical, weight: -4, veto: true, patterns: [不是系统问题]}
                  - {id: ask, category: business, weight: 2, patterns: [怎么办], exclude: [不用问]}
                  - {id: angry, category: complaint, weight: 2, patterns: [太慢]}
                cues:
                  - {id: passed, flag: passed_between, patterns: [踢皮球]}
                  - {id: that, flag: vague, patterns: [那个事]}
                escalation:
                  - {id: only_complaints, flag: leader_report, categories: [complaint], patterns: [第三次]}
                  - {id: coord, flag: coordination, patterns: [协调一下]}
                topics:
                  - id: wages
                    name: 工资
                    departments: {b: 1.0}
                    words: {工资: 1, 欠薪: 2, 加班: 1}
                  - id: grievance
                    name: 不满
                    categories: {complaint: 1.0}
                    words: {至今: 1.5}
                """,
        ])
        guard let rs = loaded.ruleSet else { fatalError("\(loaded.diagnostics)") }
        return rs
    }()
    let engine = TriageEngine(ruleSet: StageTests.rules, now: { Timestamp.parse("2026-09-30T10:00:00+08:00")! })

    func decide(_ text: String) -> Decision { engine.decide(MessageRecord(text: text)) }
    func dept(_ id: String) -> Int { StageTests.rules.departmentIndex[DepartmentID(id)]! }

    @Test func hitsApplyExclusionsAndDropNestedEntities() {
        let d = decide("甲事注销怎么办，不用问")
        #expect(d.hits.classification.fired.isEmpty)
        #expect(d.hits.classification.vetoed.map(\.index) == [2])
        // 甲事 inside 甲事注销 is dropped.
        #expect(d.hits.entities.count == 1)
        // An exclusion alone vetoes nothing.
        #expect(decide("不用问").hits.classification.vetoed.isEmpty)
    }

    @Test func categoryScoresSumWeightsAndRecordVetoes() {
        let d = decide("不是系统问题，登不上，怎么办")
        #expect(d.categories.scores == [-1, 2, 0])
        #expect(d.categories.isVetoed(0))
        #expect(!d.categories.isVetoed(1))
    }

    @Test func aVetoedCategoryCannotWinAndItsItemsGiveNoEvidence() {
        let d = decide("不是系统问题，平台故障，登不上登不上")
        #expect(d.categories.scores[0] == -1)  // one technical rule (3) and the veto rule (-4)
        // Technical is ruled out and the platform item left out, so nothing is found: undecided.
        #expect(d.category.category == nil)
        #expect(d.matter.items.isEmpty)
        #expect(!d.departments.ranked.contains { $0.department == dept("egov") })
    }

    @Test func categoryDecisionFollowsPrecedenceOnTies() {
        let d = decide("登不上太慢")  // technical 3, complaint 2
        #expect(d.category.category == 0)
        let tie = decide("太慢，怎么办")  // complaint 2, business 2: complaint comes first
        #expect(tie.category.category == 2)
        if case .rules(_, let tied) = tie.category.basis { #expect(tied == [1]) } else { Issue.record("basis") }
        #expect(decide("甲事").category.category == 1)  // fallback: a matter, no rule
        #expect(decide("今天天气").category.category == nil)
    }

    @Test func departmentScoresCountRepeatsAndTheFirstMention() {
        let d = decide("甲事甲事，还有乙事")
        let a = d.departments.ranked[0]
        #expect(a.department == dept("a"))
        #expect(a.score == 2 * 1.5 * 2 + 0.5)  // one repeat adds half, in the subject twice, plus the first-mention bonus
        #expect(d.departments.score(of: dept("b")) == 2)
    }

    @Test func routingTakesTheCombinedMatterWithAllItsDepartmentsForAQuestion() {
        let d = decide("一件事怎么办")
        #expect(d.route?.lead == dept("a"))
        #expect(d.route?.coHandlers == [dept("b"), dept("c")])
        #expect(d.flags.isMulti && !d.flags.isVague)
    }

    @Test func aComplaintAboutACombinedMatterGoesToItsLeadAlone() {
        let d = decide("一件事太慢")
        #expect(d.route?.lead == dept("a"))
        #expect(d.route?.coHandlers == [])
        #expect(!d.flags.isMulti)
    }

    @Test func routingBalancedGoesToTheTopAndPassedBetweenToTheCoordinator() {
        let balanced = decide("有个问题：甲事和乙事，怎么办")  // 2.5 against 2: within lead_balance 0.8: the top one leads
        #expect(balanced.route?.lead == dept("a"))
        #expect(balanced.route?.coHandlers == [dept("b")])
        #expect(balanced.escalation.has(.coordination))
        if case .topOfBalanced? = balanced.route?.basis {} else { Issue.record("\(String(describing: balanced.route?.basis))") }
        let passed = decide("有个问题：甲事的事，乙事踢皮球，怎么办")  // past the subject: 2.5 against 2
        if case .passedBetween? = passed.route?.basis {} else { Issue.record("\(String(describing: passed.route?.basis))") }
        #expect(decide("怎么办").route?.lead == dept("hall"))
    }

    @Test func flagsNamingACombinedMatterIsNotVague() {
        #expect(decide("那个事，怎么办呢呢呢呢").flags.isVague)
        #expect(!decide("那个事一件事怎么办").flags.isVague)
    }

    @Test func escalationRulesLimitedToCategoriesApplyOnlyThere() {
        let question = decide("第三次问，甲事怎么办")
        #expect(question.escalationRules.isEmpty)
        #expect(!question.escalation.has(.leaderReport))
        let complaint = decide("第三次了，甲事太慢")
        #expect(complaint.escalation.has(.leaderReport))
        // never_escalate: [coordination] on complaint stops the rule-less coordination flag, not the rule.
        #expect(decide("甲事太慢，协调一下").escalation.has(.coordination))
    }

    @Test func complexityComesFromTheMatterNotAPassingMention() {
        // 乙事 (complex, department b) beside a much stronger 甲 matter is incidental.
        let incidental = decide("甲事甲事甲事怎么办，甲局说还要乙事")
        #expect(incidental.complexity == .simple)
        #expect(decide("乙事怎么办").complexity == .complex)
    }

    @Test func screeningRejectClearsTheRoute() {
        let rs = miniRuleSet([("s.yaml", """
            screening:
              - {id: ad, action: reject, reason: spam, description: 广告, patterns: [包过]}
            """)]).ruleSet!
        let d = TriageEngine(ruleSet: rs).decide(MessageRecord(text: "包过包过"))
        #expect(d.rejected && d.route == nil && d.deadlines.replyDue == nil)
        #expect(d.deadlines.reasons.contains(.replyNotDue) || d.deadlines.missingYear != nil)
    }

    @Test func topicsAddDistinctWordsWithRepeatsAndACap() {
        let d = decide("今天说说欠薪，欠薪，还有加班")
        let t = try! #require(d.topics.topics.first)
        #expect(t.score == 2 * 1.5 + 1)  // 欠薪 twice (a repeat adds half), 加班 once
        #expect(decide("欠薪欠薪欠薪工资加班").topics.topics.first?.score == 4)  // capped at topic_cap
    }

    @Test func aTopicNeedsTopicMinUnlessNothingElseSpeaks() {
        // 工资 alone (1) with no other evidence: topic_min_alone 1 lets it name the department.
        #expect(decide("工资的事情").departments.ranked.first?.department == dept("b"))
        // Beside an item, the same weak topic gives nothing (topic_min 3).
        #expect(decide("甲事，还有工资的事情").departments.score(of: dept("b")) == 0)
    }

    @Test func topicsAlsoArgueForCategories() {
        let d = decide("这个问题至今没有结果")
        #expect(d.categories.scores[2] == 1.5)
        #expect(d.categories.topicEvidence.count == 1)
    }

    @Test func aContextItemWeighsLessAndAnExclusionLeavesAnItemOut() {
        let d = decide("在某医院看到的")
        #expect(d.departments.score(of: dept("c")) == 0.5 * 2 + 0.5)  // context weight, in the subject; first mention
        #expect(decide("巾帼大酒店门口").matter.items.isEmpty)
        #expect(decide("巾帼维权").matter.items.count == 1)
    }

    @Test func theSubjectAndTheAddresseeCountMore() {
        // 甲局 in the first 4 characters, right after 请: (1 + subject) × (1 + addressee).
        let d = decide("请甲局管一管")
        #expect(d.departments.score(of: dept("a")) == 1 * 2 * 2 + 0.5)
        #expect(decide("这件事情要甲局来管").departments.score(of: dept("a")) == 1 + 0.5)
    }

    @Test func aLostTechnicalScoreAddsItsHandlerAsACoHandler() {
        // 怎么办 (business 2) + 太慢 (complaint 2) tie and complaint wins; technical 3 from 登不上 ties too.
        let d = decide("甲事怎么办怎么办，登不上")
        #expect(d.route?.lead == dept("egov") || d.route?.coHandlers.contains(dept("egov")) == true)
    }

    @Test func departmentsPassingAMatterOnLeaveTheOwnerLeadingWhenItStandsOut() {
        let d = decide("甲事甲事甲事，乙局踢皮球，怎么办")
        if case .ownerOfPassed? = d.route?.basis {} else { Issue.record("\(String(describing: d.route?.basis))") }
        #expect(d.route?.lead == dept("a"))
        #expect(d.escalation.has(.coordination))
    }
}
