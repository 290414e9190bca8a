import Testing
@testable import TriageKit

/// The wrong routes found when the bundled rules were tried as a new user would (issue 9),
/// each asserting the corrected behaviour.
@Suite struct BundledRouteTests {
    let engine = Bundled.engine

    @Test func aNegationKeepsThePlatformItemFromDecidingTheLead() {
        // The README's own example: a window-materials complaint, not a platform fault.
        let r = engine.classify("不是系统问题，是窗口说材料不全")
        #expect(r.category != "technical")
        #expect(r.lead?.id != "egov_center")
        #expect(!r.items.contains { $0.id == "online_platform_faults" })
        #expect(r.reasons.first { $0.code == .categoryVetoed } != nil)
        #expect(!r.evidence.contains { $0.rule == "online_platform_faults" })
    }

    @Test func aRejectedMessageIsNotRouted() {
        let r = engine.classify("专业代办各类资质，营业执照三天下证，包过，价格优惠，微信同号")
        #expect(r.screening.decision == .reject)
        #expect(r.reasons.first?.code == .screeningRejected)
        #expect(r.category == nil && r.lead == nil && r.route == nil && r.coHandlers.isEmpty && r.departments.isEmpty)
        #expect(r.deadlines.replyDue == nil && r.deadlines.reasons.contains(.replyNotDue))
        #expect(!r.reasons.contains { [.categoryFallback, .categoryRules, .routeHotline, .leadItem].contains($0.code) })
        let json = r.json
        #expect(json["route"] == .null && json["lead"] == .null)
    }

    @Test func anEscalationRuleLimitedToSuggestionsAddsNoEvidenceElsewhere() {
        let r = engine.classify("网站登录不上")
        #expect(r.category == "technical")
        #expect(!r.evidence.contains { $0.kind == .escalation && $0.rule == "woodpecker_service_improvement" })
        let s = engine.classify("建议网站增加保存草稿的功能，填到一半能存下来")
        #expect(s.category == "suggestion")
    }

    @Test(arguments: [
        "我想在张江开一家小饭馆，营业执照、食品经营许可、消防和门头招牌都要办，要跑哪些部门？",
        "我想开个小饭店，需要办哪些证？",
        "开餐饮店一件事在哪里办",
    ])
    func aCombinedMatterAndItsFlagsAgree(_ text: String) {
        let r = engine.classify(text)
        #expect(r.combined.map(\.id) == ["restaurant_opening"], "\(text)")
        #expect(r.lead?.id == "market")
        #expect(r.coHandlers.count >= 2)
        #expect(r.flags.multiDepartment)
        #expect(!r.flags.vague)
        #expect(r.reasons.contains { $0.code == .multiCombined })
    }

    @Test func multiDepartmentIsNeverRaisedByACombinedMatterWithoutCoHandlers() {
        for text in ["企业开办一窗通，填到股东信息那步就卡住，一直loading", "我想开个小饭店，需要办哪些证？"] {
            let r = engine.classify(text)
            if r.reasons.contains(where: { $0.code == .multiCombined }) { #expect(!r.coHandlers.isEmpty, "\(text)") }
        }
    }

    @Test func anIncidentalMentionDoesNotMakeTheMessageComplex() {
        let r = engine.classify("个体工商户营业执照需要哪些材料？租的房子没有产证可以吗？")
        #expect(r.lead?.id == "market")
        #expect(r.deadlines.complexity == .simple)
        #expect(!r.deadlines.reasons.contains { $0.code == .complexItem })
        // The same item as the matter itself is complex.
        #expect(engine.classify("不动产登记办房产证要多久？").deadlines.complexity == .complex)
    }
}
