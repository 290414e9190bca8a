/// Everything the engine decided about one message, stage by stage. A plain value:
/// the result and the explanation are both rendered from it, on request.
struct Decision {
    var message: MessageRecord
    var text: NormalizedText
    var hits: Hits
    var categories: CategoryScores
    var matter: Matter
    var topics: TopicScores
    var departments: DepartmentScores
    var category: CategoryDecision
    /// The route; `nil` when screening rejected the message.
    var route: RouteDecision?
    var flags: FlagDecision
    var screening: TriageResult.Screening
    /// Escalation rules that apply (fired, not vetoed, category gate passed).
    var escalationRules: [Hits.Fired]
    var escalation: TriageResult.Escalation
    var complexity: Complexity
    var deadlines: TriageResult.Deadlines

    var rejected: Bool { screening.decision == .reject }
}

extension TriageEngine {
    /// The decision, as a composition of stages: normalise → match → group hits → score
    /// categories → find the matter → score departments → decide the category → route →
    /// flags → screening → escalation → complexity → deadlines.
    func decide(_ message: MessageRecord) -> Decision {
        let rs = ruleSet
        let text = NormalizedText(message.text)
        let hits = Hits(scan: rs.matcher.scan(text), owners: rs.owners)
        let topics = TopicScores(hits.topicWords, rs)
        let categories = CategoryScores(hits.classification, topics: topics, rs)
        let matter = Matter(hits.entities, addresseeEnds: hits.addresseeEnds, text: text, categories: categories, rs)
        let departments = DepartmentScores(matter, topics: topics, rs)
        let hasMatter = !matter.items.isEmpty || !matter.combined.isEmpty || !departments.substantive.isEmpty
        let category = CategoryDecision.decide(categories, hasMatter: hasMatter, rs)
        let passedBetween = hits.cues.fired.contains { rs.cues[$0.index].flag == .passedBetween }
        var route = RouteDecision.decide(category: category.category, matter: matter, departments: departments,
                                         passedBetween: passedBetween, rs)
        route.addSecondCategoryHandlers(categories, chosen: category.category, rs)
        var flags = FlagDecision.decide(text: text, matter: matter, departments: departments, cues: hits.cues, route: route,
                                        fixedHandler: category.category.flatMap { rs.index.categoryHandler[$0] } != nil, rs)
        let screening = ScreeningStage.decide(ScreeningStage.Facts(
            fired: hits.screening.fired, failed: hits.failedRules[.screening] ?? [],
            bestScore: categories.scores.max() ?? 0, hasMatter: hasMatter, vague: flags.vague,
            meaningfulChars: text.meaningfulCount,
            categorySpans: categories.fired.filter { rs.rules[$0.index].weight > 0 }.flatMap(\.matches)), rs)
        let rejected = screening.decision == .reject
        if rejected { flags.clearForRejection() }
        let applicable = rejected ? [] : EscalationStage.applicable(hits.escalation, category: category.category, rs)
        let escalation = EscalationStage.decide(
            applicable: applicable, rejected: rejected, route: route,
            multiDepartmentCue: !flags.multiCues.isEmpty, category: category.category, rs)
        let (complexity, complexityReasons) = ComplexityStage.decide(
            matter: matter, route: route, departments: departments, multiDepartment: flags.isMulti, applicable: applicable, rs)
        let deadlines = DeadlineRules.compute(
            calendar: rs.calendar, receivedAt: message.receivedAt ?? now(), defaulted: message.receivedAt == nil,
            dispatchedAt: message.dispatchedAt, complexity: complexity, complexityReasons: complexityReasons,
            rejected: rejected)
        return Decision(
            message: message, text: text, hits: hits, categories: categories, matter: matter, topics: topics, departments: departments,
            category: rejected ? CategoryDecision(category: nil, basis: .undecided) : category,
            route: rejected ? nil : route, flags: flags, screening: screening, escalationRules: applicable,
            escalation: escalation, complexity: complexity, deadlines: deadlines)
    }
}

extension RuleSet {
    /// Department `d` as results name it.
    func ref(_ d: Int) -> TriageResult.DepartmentRef {
        TriageResult.DepartmentRef(id: departments[d].id, name: departments[d].name)
    }

    /// Category `c` as reasons name it.
    func named(category c: Int) -> Reason.Named {
        Reason.Named(id: categories[c].id.rawValue, name: categories[c].name)
    }
}
