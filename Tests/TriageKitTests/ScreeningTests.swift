import Testing
@testable import TriageKit

@Suite struct ScreeningTests {
    let engine = Bundled.engine

    func label(_ text: String) -> String { engine.classify(text).screening.label }

    @Test(arguments: [
        ("【低价代办】营业执照，三天包过！加V：abc888", "reject:spam"),
        ("本公司承接外墙防水，价格优惠，欢迎来电", "reject:spam"),
        ("一群废物", "reject:abuse"),
        ("狗官！！！", "reject:abuse"),
        ("asdfghjkl", "reject:gibberish"),
        ("啊啊啊啊啊啊啊啊", "reject:gibberish"),
        ("的了是在不我有和就人", "reject:gibberish"),
        ("红烧肉怎么做才不腻", "reject:off_topic"),
        ("推荐几只明天会涨的股票", "reject:off_topic"),
    ])
    func eachRejectReason(_ text: String, _ expected: String) {
        #expect(label(text) == expected)
    }

    @Test func aRejectedMessageHasNoLeadAndSaysWhy() throws {
        let r = engine.classify("兼职刷单，日结200，名额有限")
        let s = try #require(r.screening)
        #expect(s.decision == .reject && s.reason == .spam)
        #expect(r.lead == nil && r.category == nil && r.coHandlers.isEmpty)
        #expect(s.reasons.contains { $0.code.rawValue == "screening_reject_spam" && $0.message.contains("spam_sales_pitch") })
        #expect(r.json["lead"] == .null)
        #expect(r.evidence.contains { $0.kind == .screening && $0.rule == "spam_sales_pitch" && $0.text == "兼职刷单" })
        #expect(r.json["screening"]?["reason"] == .string("spam"))
    }

    /// Angry but genuine complaints are never rejected.
    @Test(arguments: [
        "你们全是废物！网上办事大厅登录不上，打电话也没人接",
        "一群吃干饭的，违建举报了一年都没人处理",
        "垃圾服务，城管和街道互相踢皮球，到现在没人管",
        "傻X系统，验证码一直收不到",
        "你们这帮蛀虫，市场监管局的窗口凭什么不给我办",
        "垃圾房的湿垃圾两天没人来清运了，天热臭得不行",
        "河边的垃圾堆了半年，水务说归绿化，绿化说归水务，你们商量好了再告诉我行不行",
    ])
    func angryButGenuineIsNeverRejected(_ text: String) {
        #expect(engine.classify(text).screening.decision != .reject, "\(text)")
    }

    @Test(arguments: [
        "收到短信说能低价代办营业执照，三天包过，是真的吗？",
        "我要举报这个广告：加V：abc123 代开发票",
    ])
    func spamReportedByACitizenGoesToReview(_ text: String) {
        let s = engine.classify(text).screening
        #expect(s.decision == .needsReview)
        #expect(s.reasons.contains { $0.code.rawValue == "screening_conflict" })
    }

    @Test func vagueMessagesNeedReview() {
        #expect(label("那个事情到底怎么说") == "needs_review")
        #expect(label("太差了！") == "needs_review")
    }

    @Test func reviewRulesSendToReview() {
        #expect(label("朋友借了我五万块钱两年了不还，人也躲着我") == "needs_review")
        #expect(label("我老家在安徽，村里修路的钱被村干部贪了，你们能不能帮忙管一管") == "needs_review")
    }

    @Test func aClearRequestIsAccepted() {
        let s = engine.classify("网上办事大厅一直登录不上，验证码收不到").screening
        #expect(s.decision == .accept && s.reason == nil)
        #expect(!s.reasons.isEmpty)
    }
}

@Suite struct EscalationTests {
    let engine = Bundled.engine

    func flags(_ text: String) -> TriageResult.Escalation { engine.classify(text).escalation }

    @Test(arguments: [
        "工地上干了半年活，包工头跑了，一共有四十多个工友没拿到工钱",
        "商场的消防通道被货物堵死了，安全出口还上了锁",
        "第五次反映了！菜场门口的占道经营，每次回复都说已整改，第二天照样摆",
        "上次反映的噪音问题到现在也没有解决",
        "建议放宽随迁子女入学的居住证积分要求",
    ])
    func leaderReport(_ text: String) {
        let e = flags(text)
        #expect(e.has(.leaderReport), "\(text)")
        #expect(e.reasons.contains { $0.code.rawValue == "leader_report_rule" })
    }

    @Test(arguments: [
        "请问居住证续签需要哪些材料",
        "危险化学品经营许可证到期延续要提前多久申请",
        "建议办事大厅多放几把椅子",
    ])
    func notLeaderReport(_ text: String) {
        #expect(!flags(text).has(.leaderReport), "\(text)")
    }

    @Test(arguments: [
        "河里死鱼发臭，水务说是环保的问题，环保说水质是水务的，这鱼谁来捞？",
        "两个部门互相踢皮球，到底归谁管",
    ])
    func coordination(_ text: String) {
        #expect(flags(text).has(.coordination), "\(text)")
    }

    @Test(arguments: [
        "请问营业执照在哪里办",
        "建议各部门之间建立首问负责机制，别让老百姓传话",
    ])
    func notCoordination(_ text: String) {
        #expect(!flags(text).has(.coordination), "\(text)")
    }

    @Test func woodpeckerCandidate() {
        let e = flags("建议一网通办增加保存草稿功能，填到一半能存下来")
        #expect(e.has(.woodpeckerCandidate))
        #expect(e.reasons.contains { $0.code.rawValue == "woodpecker_candidate_rule" })
    }

    @Test(arguments: [
        "建议放宽随迁子女入学的居住证积分要求",  // policy, not one window
        "网上办事大厅一直登录不上",  // not a suggestion
        "建议改进一下",  // not specific
    ])
    func notWoodpeckerCandidate(_ text: String) {
        #expect(!flags(text).has(.woodpeckerCandidate), "\(text)")
    }

    @Test func aPolicyQuestionIsComplex() throws {
        let d = try #require(engine.classify("建议放宽随迁子女入学的居住证积分要求").deadlines)
        #expect(d.complexity == .complex)
        #expect(d.reasons.contains { $0.code.rawValue == "complex_policy_question" })
    }

    @Test func aRejectedMessageIsNeverEscalated() {
        let e = flags("你们全都是垃圾，滚！")
        #expect(e.flags.isEmpty)
    }

    @Test func jsonCarriesEveryFlag() throws {
        let j = try #require(engine.classify("请问营业执照在哪里办").json["escalation"])
        for f in EscalationFlag.allCases { #expect(j[f.rawValue] == .bool(false)) }
    }
}

@Suite struct PreReviewLoadTests {
    @Test func screeningAndEscalationMistakesAreCollectedWithLocations() {
        let r = miniRuleSet([("screening.yaml", """
            screening:
              - {id: a, action: reject, patterns: ['x']}
              - {id: b, action: rejekt, patterns: ['x']}
              - {id: c, action: reject, reason: spamm, patterns: ['x']}
              - {id: d, action: needs_review, patterns: ['y'], examples: {match: [z]}}
            escalation:
              - {id: e, flag: leader_reprot, patterns: ['x']}
              - {id: f, patterns: ['x']}
              - {id: g, flag: coordination, categories: [complaint], patterns: ['x']}
            """)])
        let e = r.diagnostics.errors
        func at(_ line: Int) -> Diagnostic? { e.first { $0.line == line } }
        #expect(r.ruleSet == nil)
        #expect(e.compactMap(\.line).sorted() == [2, 3, 4, 5, 7, 8, 9])
        #expect(at(2)?.message.contains("needs a 'reason'") == true)
        #expect(at(4)?.message.contains("did you mean 'spam'") == true)
        #expect(at(5)?.code == "example-failed")
        #expect(at(7)?.message.contains("did you mean 'leader_report'") == true)
        #expect(at(9)?.code == "unknown-reference")
    }
}
