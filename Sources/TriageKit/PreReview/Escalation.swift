/// Escalation signals (stage 10): 专报, coordination and 啄木鸟 candidates.
enum EscalationStage {
    /// The escalation rules that apply to the message: fired, not vetoed, and limited
    /// to categories (`categories:`) that include the message's category. Only these
    /// raise flags, make a matter complex, or add evidence.
    static func applicable(_ hits: Hits.RuleHits, category: Int?, _ rs: RuleSet) -> [Hits.Fired] {
        hits.fired.filter { f in
            let only = rs.index.escalationCategories[f.index]
            return only.isEmpty || category.map(only.contains) == true
        }
    }

    /// Flags from the applicable rules, plus coordination when departments pass the matter
    /// on and the coordinator leads, or when one department leads a balanced or passed-on
    /// matter (unless the category says `never_escalate: [coordination]`).
    static func decide(applicable: [Hits.Fired], rejected: Bool, route: RouteDecision, multiDepartmentCue: Bool,
                       category: Int?, _ rs: RuleSet) -> TriageResult.Escalation {
        if rejected { return TriageResult.Escalation(flags: [], reasons: [.escalationRejected]) }
        var flags: Set<EscalationFlag> = []
        var reasons: [Reason] = []
        for f in applicable {
            let rule = rs.escalation[f.index]
            guard let flag = rule.flag else { continue }
            flags.insert(flag)
            reasons.append(.escalationRule(flag: flag, rule: ScreeningStage.named(rule.core)))
        }
        let never = category.map { rs.categories[$0].neverEscalate } ?? []
        if !flags.contains(.coordination), !never.contains(.coordination) {
            switch route.basis {
            case .ownerOfPassed, .topOfBalanced:
                flags.insert(.coordination)
                reasons.append(.coordinationShared(lead: rs.ref(route.lead), coordinator: rs.ref(rs.coordinatorIndex)))
            default:
                if route.lead == rs.coordinatorIndex && multiDepartmentCue {
                    flags.insert(.coordination)
                    reasons.append(.coordinationLead(coordinator: rs.ref(rs.coordinatorIndex)))
                }
            }
        }
        return TriageResult.Escalation(flags: flags, reasons: reasons)
    }
}
