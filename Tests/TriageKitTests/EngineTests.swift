import Testing
@testable import TriageKit

@Suite struct EngineTests {
    let engine: TriageEngine
    init() throws { engine = TriageEngine(ruleSet: try Fixture.minimal()) }

    @Test func technicalGoesDirectToTheEGovernmentCentre() {
        let r = engine.classify("网上办营业执照，验证码收不到")
        #expect(r.category == "technical")
        #expect(r.lead?.id == "egov_center")
        #expect(r.coHandlers.map(\.id) == ["egov_office"])
        #expect(r.route?.channel == .direct)
        #expect(r.route?.handler.id == "egov_center")
        #expect(r.reasons.contains { $0.code.rawValue == "lead_category_handler" })
    }

    @Test func negationVetoesTheTechnicalRule() {
        let r = engine.classify("不是系统问题，营业执照登录不上是因为要什么材料不清楚")
        #expect(r.category == "business")
        #expect(r.scores.first { $0.category == "technical" }?.score == 0)
    }

    @Test func businessGoesToTheItemsDepartmentViaTheHotline() {
        let r = engine.classify("请问开具发票需要什么材料？")
        #expect(r.category == "business")
        #expect(r.lead?.id == "tax")
        #expect(r.route?.channel == .hotline)
        #expect(r.route?.handler.id == "tax")
        #expect(r.items.map(\.id) == ["invoice"])
        #expect(!r.flags.vague && !r.flags.multiDepartment)
    }

    @Test func longerItemWinsOverTheItemInsideIt() {
        let r = engine.classify("营业执照注销怎么办理")
        #expect(r.items.map(\.id) == ["license_cancel"])
        #expect(r.lead?.id == "market")
    }

    @Test func combinedMatterUsesItsDeclaredLead() {
        let r = engine.classify("想开公司，需要哪些材料")
        #expect(r.combined.map(\.id) == ["open_company"])
        #expect(r.lead?.id == "market")
        #expect(r.coHandlers.map(\.id) == ["tax"])
        #expect(r.reasons.contains { $0.code.rawValue == "lead_combined" })
    }

    @Test func balancedDepartmentsGoToTheTopOneWithCoordination() {
        let r = engine.classify("发票的事和拖欠工资的事都没人管，跑了好几趟")
        #expect(r.category == "complaint")
        #expect(r.lead?.id == "tax")  // named first
        #expect(r.coHandlers.map(\.id) == ["hrss"])
        #expect(r.flags.multiDepartment)
        #expect(r.reasons.contains { $0.code == .leadTopOfBalanced })
        #expect(r.escalation.has(.coordination))
    }

    @Test func balancedDepartmentsGoToTheCoordinatorWhenTheRuleSetSaysSo() throws {
        var files = try Fixture.minimalFiles()
        files["ruleset.yaml"] = files["ruleset.yaml"]!.replacingOccurrences(of: "lead_balance: 0.8", with: "lead_balance: 0.8\n    balanced_lead: coordinator")
        let rs = try #require(Fixture.load(files).ruleSet)
        let r = TriageEngine(ruleSet: rs).classify("发票的事和拖欠工资的事都没人管，跑了好几趟")
        #expect(r.lead?.id == "service_center")
        #expect(Set(r.coHandlers.map(\.id)) == ["tax", "hrss"])
        #expect(r.reasons.contains { $0.code == .leadBalanced })
    }

    @Test func strongerEvidenceLeadsWhenUnbalanced() {
        // 人社 3.5 (欠薪 twice + first mention) against 税务 2: above multi_ratio 0.5, below lead_balance 0.8.
        let r = engine.classify("拖欠工资，欠薪好几个月，还有发票的事")
        #expect(r.lead?.id == "hrss")
        #expect(r.coHandlers.map(\.id) == ["tax"])
        #expect(r.flags.multiDepartment)
        #expect(r.departments.map(\.score) == [3.5, 2])
    }

    @Test func weakSecondDepartmentIsNotInvolved() {
        // A passing mention of 税务局 (1) is under half of 人社 (3.5): not a co-handler, not multi-department.
        let r = engine.classify("公司欠薪三个月了，老板说拖欠工资是因为税务局查账")
        #expect(r.lead?.id == "hrss")
        #expect(r.coHandlers.isEmpty)
        #expect(!r.flags.multiDepartment)
        #expect(r.departments.map(\.department.id) == ["hrss", "tax"])
    }

    @Test func noDepartmentMeansCoordinatorAndVague() {
        let r = engine.classify("窗口工作人员态度太差了")
        #expect(r.category == "complaint")
        #expect(r.lead?.id == "service_center")
        #expect(r.flags.vague)
        #expect(r.reasons.contains { $0.code.rawValue == "vague_no_matter" })
    }

    @Test func multiDepartmentCue() {
        let r = engine.classify("营业执照的事情，几个部门一直踢皮球")
        #expect(r.flags.multiDepartment)
        #expect(r.reasons.contains { $0.code.rawValue == "multi_cue" })
        #expect(r.evidence.contains { $0.kind == .cue && $0.text == "踢皮球" })
    }

    @Test func vagueCueAndShortText() {
        #expect(engine.classify("那个事情营业执照怎么说").reasons.contains { $0.code.rawValue == "vague_cue" })
        let short = engine.classify("啊？")
        #expect(short.flags.vague && short.reasons.contains { $0.code.rawValue == "vague_too_short" })
    }

    @Test(arguments: ["", "   ", "\n\t  \u{3000}"])
    func emptyOrBlankIsVague(_ text: String) {
        let r = engine.classify(text)
        #expect(r.flags.vague)
        #expect(r.reasons.contains { $0.code.rawValue == "vague_empty" })
        #expect(r.category == nil)
        #expect(r.evidence.isEmpty)
    }

    @Test func fallbackCategoryWhenOnlyAMatterIsFound() {
        let r = engine.classify("关于营业执照")
        #expect(r.category == "business")
        #expect(r.reasons.contains { $0.code.rawValue == "category_fallback" })
    }

    @Test func undecidedWithoutRulesOrMatters() {
        let r = engine.classify("今天天气不错，出去走走")
        #expect(r.category == nil)
        #expect(r.reasons.contains { $0.code.rawValue == "category_undecided" })
    }

    @Test func tiesFollowPrecedence() {
        // complaint_runaround (3) and tech_login (3) tie; technical comes first.
        let r = engine.classify("跑了好几趟，网站还是登录不上")
        #expect(r.category == "technical")
    }

    @Test func evidenceSpansSliceTheOriginalText() {
        let texts = [
            "ＡＰＰ上登陆不上！！营业执照（注销）怎么办理？😡",
            "第一行\r\n  第二行：开 具 发票\t需要什么材料",
            "emoji 👨‍👩‍👧 then 拖欠工资 and 税务局",
        ]
        for text in texts {
            let r = engine.classify(text)
            #expect(!r.evidence.isEmpty)
            #expect(r.spansSlice(text), "\(text): \(r.evidence)")
        }
    }

    @Test func fullWidthAndCaseAreNormalised() {
        let r = engine.classify("网站登录失败，营业执照ＡＢＣ")
        #expect(r.category == "technical")
        #expect(r.evidence.contains { $0.text == "登录失败" })
    }

    @Test func controlCharactersAreTolerated() {
        let text = "营业\u{0}执照\u{7}需要\u{1B}[31m什么材料"
        let r = engine.classify(text)
        #expect(r.category == "business")
        #expect(r.spansSlice(text))
    }

    @Test func oneMegabyteOfTextIsHandled() {
        let unit = "我想问营业执照需要什么材料，网站登录不上，跑了好几趟。"
        let text = String(repeating: unit, count: 1_048_576 / unit.utf8.count + 1)
        #expect(text.utf8.count > 1_000_000)
        let r = engine.classify(text)
        #expect(r.category != nil)
        #expect(r.spansSlice(text))
    }

    @Test func jsonCarriesTheContractFields() throws {
        let r = engine.classify(MessageRecord(text: "请问开具发票需要什么材料？", id: .string("m1")))
        let json = try JSONValue.parse(r.json.serialized)
        for key in ["id", "category", "scores", "lead", "co_handlers", "route", "items", "flags", "reasons", "evidence", "ruleset"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["id"] == .string("m1"))
        #expect(json["route"]?["channel"] == .string("hotline"))
        #expect(json["route"]?["handler"]?["name"] == .string("区税务局"))
        #expect(json["ruleset"]?["version"]?.string?.count == 16)
    }

    @Test func prefilterAndPlainMatchersAgree() throws {
        let rs = try Fixture.minimal()
        let plain = TriageEngine(ruleSet: rs.using(.plain))
        for text in ["请问开具发票需要什么材料？", "网站登录不上", "营业执照注销，几个部门踢皮球", "那个事情", "建议增加窗口"] {
            let a = engine.classify(text), b = plain.classify(text)
            #expect(a.category == b.category && a.lead == b.lead && a.flags.vague == b.flags.vague && a.flags.multiDepartment == b.flags.multiDepartment)
            #expect(Set(a.evidence.map(\.rule)) == Set(b.evidence.map(\.rule)))
        }
    }
}
