/// Simple or complex (stage 11): the reply gets 5 working days or 15.
///
/// Complexity comes from *the matter*: the items of the lead and the co-handlers, of any
/// department whose evidence is at least `decision.complexity_ratio` of the lead's, and a
/// combined matter. An item of any other department (named in passing, as context, with
/// little evidence beside the lead's) does not make the message complex.
enum ComplexityStage {
    static func decide(matter: Matter, route: RouteDecision?, departments: DepartmentScores, multiDepartment: Bool,
                       applicable: [Hits.Fired], _ rs: RuleSet) -> (Complexity, [Reason]) {
        var reasons: [Reason] = []
        let handlers = route.map { [$0.lead] + $0.coHandlers } ?? []
        let floor = route.map { departments.score(of: $0.lead) * rs.settings.complexityRatio } ?? 0
        for mention in matter.items where rs.items[mention.index].complexity == .complex {
            let d = rs.index.itemDepartment[mention.index]
            guard handlers.contains(d) || departments.score(of: d) >= floor else { continue }
            let item = rs.items[mention.index]
            reasons.append(.complexItem(item: Reason.Named(id: item.id, name: item.name)))
        }
        for c in matter.combined where rs.combined[c].complexity == .complex {
            reasons.append(.complexCombined(matter: Reason.Named(id: rs.combined[c].id, name: rs.combined[c].name)))
        }
        if multiDepartment { reasons.append(.complexMultiDepartment) }
        for f in applicable {
            let rule = rs.escalation[f.index]
            if rule.policyQuestion {
                reasons.append(.complexPolicyQuestion(rule: rule.id))
            } else if rule.complex {
                reasons.append(.complexRule(rule: ScreeningStage.named(rule.core)))
            }
        }
        if reasons.isEmpty { return (.simple, [.simple]) }
        return (.complex, reasons)
    }
}
