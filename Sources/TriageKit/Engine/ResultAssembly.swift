/// The result rendered from a decision: ids and names resolved, reasons as typed
/// facts, evidence spans converted to Unicode-scalar offsets of the original text.
extension TriageResult {
    init(_ d: Decision, _ rs: RuleSet, maxEvidence: Int = TriageEngine.defaultMaxEvidence) {
        let route = d.route
        let (evidence, total) = TriageResult.bounded(TriageResult.evidence(d, rs), to: maxEvidence)
        var reasons = TriageResult.reasons(d, rs)
        if evidence.count < total { reasons.append(.evidenceTruncated(kept: evidence.count, total: total)) }
        self.init(
            id: d.message.id,
            category: d.category.category.map { rs.categories[$0].id },
            scores: rs.categories.indices.map { CategoryScore(category: rs.categories[$0].id, score: d.categories.scores[$0]) },
            lead: route.map { rs.ref($0.lead) },
            coHandlers: route?.coHandlers.map(rs.ref) ?? [],
            route: route.map { r in
                let channel = d.category.category.map { rs.categories[$0].channel } ?? .hotline
                return Route(channel: channel, handler: rs.ref(r.lead))
            },
            items: d.matter.items.map {
                let it = rs.items[$0.index]
                return ItemRef(id: it.id, name: it.name, department: it.department, complexity: it.complexity)
            },
            combined: d.matter.combined.map {
                let c = rs.combined[$0]
                return CombinedRef(id: c.id, name: c.name, lead: c.lead)
            },
            flags: Flags(vague: d.flags.isVague, multiDepartment: d.flags.isMulti),
            departments: d.rejected ? [] : d.departments.substantive.map {
                DepartmentEvidence(department: rs.ref($0.department), score: $0.score)
            },
            reasons: reasons,
            evidence: evidence,
            evidenceTruncated: evidence.count < total,
            rulesetVersion: rs.version,
            screening: d.screening, deadlines: d.deadlines, escalation: d.escalation)
    }

    /// At most `limit` pieces of `evidence` (in text order), and how many there were. Repeated
    /// words must not turn one message into megabytes of output, yet every rule and entry that
    /// counted keeps its first span: those come first, then the earliest of the rest.
    static func bounded(_ evidence: [Evidence], to limit: Int) -> (kept: [Evidence], total: Int) {
        guard evidence.count > limit else { return (evidence, evidence.count) }
        var firsts = Set<String>()
        var keep = [Bool](repeating: false, count: evidence.count)
        var kept = 0
        for (n, e) in evidence.enumerated() where kept < limit && firsts.insert("\(e.kind.rawValue)\u{0}\(e.rule)").inserted {
            keep[n] = true
            kept += 1
        }
        for n in evidence.indices where kept < limit && !keep[n] {
            keep[n] = true
            kept += 1
        }
        return (evidence.indices.filter { keep[$0] }.map { evidence[$0] }, evidence.count)
    }

    /// Why: pattern failures, then the category, the lead, the flags and the route. A
    /// rejected message says so first and gives no category, lead or route reasons.
    static func reasons(_ d: Decision, _ rs: RuleSet) -> [Reason] {
        var out: [Reason] = []
        if d.rejected, let reason = d.screening.reason { out.append(.screeningRejected(reason: reason)) }
        for f in d.hits.failures { out.append(.patternFailed(owner: rs.describe(rs.owners[f.entry]), message: f.message)) }
        for v in d.categories.vetoes {
            out.append(.categoryVetoed(category: rs.named(category: v.category), rule: ScreeningStage.named(rs.rules[v.rule].core)))
        }
        guard let route = d.route else { return out }
        out.append(categoryReason(d, rs))
        out.append(leadReason(route, d, rs))
        for c in route.secondCategories {
            if let h = rs.index.categoryHandler[c] { out.append(.coHandlerSecondCategory(category: rs.named(category: c), handler: rs.ref(h))) }
        }
        out += flagReasons(d.flags, rs)
        let handler = rs.ref(route.lead)
        let direct = d.category.category.map { rs.categories[$0].channel == .direct } ?? false
        out.append(direct ? .routeDirect(handler: handler) : .routeHotline(handler: handler))
        return out
    }

    static func categoryReason(_ d: Decision, _ rs: RuleSet) -> Reason {
        switch d.category.basis {
        case .rules(let best, let tied):
            let c = d.category.category ?? 0
            let rules = d.categories.fired.filter { rs.index.ruleCategory[$0.index] == c }.map { rs.rules[$0.index].id }
                + d.categories.topicEvidence.filter { $0.category == c }.map { "话题:" + rs.topics[$0.topic].id }
            return .categoryRules(category: rs.named(category: c), score: best, rules: rules, tiedWith: tied.map { rs.categories[$0].id })
        case .fallback:
            return .categoryFallback(category: rs.named(category: d.category.category ?? 0), minScore: rs.settings.minScore)
        case .undecided:
            return .categoryUndecided(minScore: rs.settings.minScore)
        }
    }

    static func leadReason(_ route: RouteDecision, _ d: Decision, _ rs: RuleSet) -> Reason {
        let coordinator = rs.ref(rs.coordinatorIndex)
        func because(_ dept: Int) -> [Reason.Contribution] { d.departments.ranked.first { $0.department == dept }?.contributions ?? [] }
        switch route.basis {
        case .categoryHandler(let c): return .leadCategoryHandler(category: rs.named(category: c), handler: rs.ref(route.lead))
        case .combined(let c, _):
            return .leadCombined(matter: Reason.Named(id: rs.combined[c].id, name: rs.combined[c].name), lead: rs.ref(route.lead))
        case .processUnit: return .leadProcessUnit(unit: rs.ref(route.lead), because: because(route.lead))
        case .passedBetween(let top, let runnerUp):
            let cues = d.flags.multiCues.filter { rs.cues[$0].flag == .passedBetween }.map { rs.cues[$0].id }
            return .leadPassedBetween(top: rs.ref(top), runnerUp: rs.ref(runnerUp), cues: cues, coordinator: coordinator)
        case .ownerOfPassed(let top, let runnerUp):
            let cues = d.flags.multiCues.filter { rs.cues[$0].flag == .passedBetween }.map { rs.cues[$0].id }
            return .leadOwnerOfPassed(top: rs.ref(top), runnerUp: rs.ref(runnerUp), cues: cues)
        case .topOfBalanced(let top, let runnerUp):
            return .leadTopOfBalanced(top: rs.ref(top), topScore: d.departments.score(of: top), runnerUp: rs.ref(runnerUp),
                                      runnerUpScore: d.departments.score(of: runnerUp))
        case .balanced(let top, let runnerUp):
            return .leadBalanced(top: rs.ref(top), topScore: d.departments.score(of: top), runnerUp: rs.ref(runnerUp),
                                 runnerUpScore: d.departments.score(of: runnerUp), coordinator: coordinator)
        case .item: return .leadItem(department: rs.ref(route.lead), because: because(route.lead))
        case .departmentMentioned: return .leadDepartmentMentioned(department: rs.ref(route.lead), because: because(route.lead))
        case .unclear: return .leadUnclear(coordinator: coordinator)
        }
    }

    static func flagReasons(_ f: FlagDecision, _ rs: RuleSet) -> [Reason] {
        var out: [Reason] = []
        for cause in f.vague {
            switch cause {
            case .empty: out.append(.vagueEmpty)
            case .tooShort(let chars): out.append(.vagueTooShort(chars: chars, minimum: rs.settings.vagueMinChars))
            case .noMatter: out.append(.vagueNoMatter)
            case .cue: out.append(.vagueCue(cues: f.vagueCues.map { rs.cues[$0].id }))
            }
        }
        for cause in f.multi {
            switch cause {
            case .departments(let ds):
                out.append(.multiDepartments(departments: ds.map { DepartmentEvidence(department: rs.ref($0.department), score: $0.score) }))
            case .cues: out.append(.multiCue(cues: f.multiCues.map { rs.cues[$0].id }))
            case .combined(let c): out.append(.multiCombined(matter: Reason.Named(id: rs.combined[c].id, name: rs.combined[c].name)))
            }
        }
        return out
    }

    /// Evidence of every rule and entry that counted, in text order (then by id). Vetoed rules,
    /// escalation rules whose category gate did not pass, and items of a vetoed category add none.
    static func evidence(_ d: Decision, _ rs: RuleSet) -> [Evidence] {
        var out: [Evidence] = []
        let names = rs.names
        func add(_ rule: String, _ kind: Evidence.Kind, _ range: Range<Int>) {
            let span = d.text.originalRange(range)
            out.append(Evidence(rule: rule, kind: kind, start: span.lowerBound, end: span.upperBound, text: d.text.originalText(span)))
        }
        for f in d.categories.fired { for r in f.matches { add(names.rules[f.index], .category, r) } }
        for f in d.hits.cues.fired { for r in f.matches { add(names.cues[f.index], .cue, r) } }
        for h in d.matter.hits {
            switch h.entity {
            case .item(let i): add(names.items[i], .item, h.range)
            case .department(let dept): add(names.departments[dept], .department, h.range)
            case .combined(let c): add(names.combined[c], .item, h.range)
            }
        }
        let scored = Set(d.topics.topics.map(\.topic))
        for w in d.hits.topicWords where scored.contains(w.topic) { add(names.topics[w.topic], .topic, w.range) }
        for f in d.hits.screening.fired { for r in f.matches { add(names.screening[f.index], .screening, r) } }
        for f in d.escalationRules { for r in f.matches { add(names.escalation[f.index], .escalation, r) } }
        // By start, end and id (compared only when the spans are equal).
        out.sort { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end < b.end }
            return a.rule < b.rule
        }
        return out
    }
}
