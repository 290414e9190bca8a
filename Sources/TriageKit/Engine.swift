/// Everything that fired for one message, for `triage explain`: why this route and not another.
public struct Explanation: Sendable {
    /// A rule that fired, with its contribution.
    public struct FiredRule: Sendable {
        /// Rule id.
        public var rule: String
        /// Category it scores.
        public var category: String
        /// Weight added.
        public var weight: Double
        /// Matched texts.
        public var matches: [String]
        /// Where the rule is defined.
        public var location: SourceLocation
    }
    /// A rule whose patterns matched but an exclusion vetoed it.
    public struct VetoedRule: Sendable {
        /// Rule or cue id.
        public var rule: String
        /// The text the exclusion matched.
        public var by: String
        /// Where the rule is defined.
        public var location: SourceLocation
    }
    /// A department's evidence score and where it came from.
    public struct DepartmentScore: Sendable {
        /// Department.
        public var department: DepartmentRef
        /// Total score.
        public var score: Double
        /// One line per contribution.
        public var contributions: [String]
    }

    /// Rules that fired.
    public var fired: [FiredRule] = []
    /// Rules and cues vetoed by an exclusion.
    public var vetoed: [VetoedRule] = []
    /// Cues that fired: id, flag, matched texts.
    public var cues: [(id: String, flag: CueFlag, matches: [String])] = []
    /// Department scores, highest first.
    public var departmentScores: [DepartmentScore] = []
    /// Patterns that failed (e.g. hit the backtracking bound).
    public var failures: [String] = []
    /// Screening and escalation rules that fired: id and matched texts.
    public var preReview: [(id: String, matches: [String])] = []
    /// How many PCRE2 patterns ran for this message.
    public var patternsRun = 0
    /// Matcher entries in the rule set.
    public var patternsTotal = 0
}

/// The triage engine: classifies messages with a rule set. Immutable and thread-safe;
/// share one engine across threads.
public struct TriageEngine: Sendable {
    /// The rule set in use.
    public let ruleSet: RuleSet

    /// The clock used when a message carries no `received_at`.
    public let now: @Sendable () -> Timestamp

    /// Creates an engine over a loaded rule set. `now` is the clock for messages
    /// without `received_at` (default: the system clock, in Asia/Shanghai).
    public init(ruleSet: RuleSet, now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }) {
        self.ruleSet = ruleSet
        self.now = now
    }

    /// Classifies one message received now.
    public func classify(_ text: String, id: JSONValue = .null) -> TriageResult {
        decide(MessageContext(text: text, id: id), explain: false).result
    }

    /// Classifies one message with its received and dispatched times: category, lead,
    /// flags, screening, deadlines and escalation.
    public func classify(_ message: MessageContext) -> TriageResult {
        decide(message, explain: false).result
    }

    /// Classifies one message received now and returns the full explanation too.
    public func classifyExplained(_ text: String, id: JSONValue = .null) -> (result: TriageResult, explanation: Explanation) {
        classifyExplained(MessageContext(text: text, id: id))
    }

    /// Classifies one message and returns the full explanation too.
    public func classifyExplained(_ message: MessageContext) -> (result: TriageResult, explanation: Explanation) {
        decide(message, explain: true)
    }

    /// The decision; with `explain` false, the explanation's texts are not built (the result is the same).
    func decide(_ message: MessageContext, explain: Bool) -> (result: TriageResult, explanation: Explanation) {
        let text = message.text
        let id = message.id
        let rs = ruleSet
        let norm = NormalizedText(text)
        let scan = rs.matcher.scan(norm)
        var explanation = Explanation()
        explanation.patternsRun = scan.patternsRun
        explanation.patternsTotal = rs.owners.count
        var reasons: [Reason] = []

        // Group hits by owner.
        var ruleHits: [Int: [Range<Int>]] = [:]
        var ruleVeto: [Int: Range<Int>] = [:]
        var cueHits: [Int: [Range<Int>]] = [:]
        var cueVeto: [Int: Range<Int>] = [:]
        var entityHits: [(owner: Entity, range: Range<Int>)] = []
        var screenHits: [Int: [Range<Int>]] = [:]
        var screenVeto: [Int: Range<Int>] = [:]
        var escHits: [Int: [Range<Int>]] = [:]
        var escVeto: [Int: Range<Int>] = [:]
        for hit in scan.hits {
            switch rs.owners[hit.entry] {
            case .rule(let r, let exclude, _):
                if exclude { ruleVeto[r] = ruleVeto[r] ?? hit.range } else { ruleHits[r, default: []].append(hit.range) }
            case .cue(let c, let exclude, _):
                if exclude { cueVeto[c] = cueVeto[c] ?? hit.range } else { cueHits[c, default: []].append(hit.range) }
            case .itemAlias(let i, _), .itemPattern(let i, _):
                entityHits.append((.item(i), hit.range))
            case .department(let d, _):
                entityHits.append((.department(d), hit.range))
            case .combinedAlias(let c, _), .combinedPattern(let c, _):
                entityHits.append((.combined(c), hit.range))
            case .screening(let r, let exclude, _):
                if exclude { screenVeto[r] = screenVeto[r] ?? hit.range } else { screenHits[r, default: []].append(hit.range) }
            case .escalation(let r, let exclude, _):
                if exclude { escVeto[r] = escVeto[r] ?? hit.range } else { escHits[r, default: []].append(hit.range) }
            }
        }
        for f in scan.failures {
            let owner = rs.owners[f.entry]
            let message = "pattern of \(owner.describe(rs)) failed: \(f.error.message); treated as not matching"
            explanation.failures.append(message)
            reasons.append(Reason(code: "pattern_failed", message: message))
        }

        var evidence: [Evidence] = []
        func addEvidence(_ rule: String, _ kind: Evidence.Kind, _ range: Range<Int>) {
            let span = norm.originalRange(range)
            evidence.append(Evidence(rule: rule, kind: kind, start: span.lowerBound, end: span.upperBound, text: norm.originalText(span)))
        }
        func texts(_ ranges: [Range<Int>]) -> [String] {
            explain ? ranges.map { norm.originalText(norm.originalRange($0)) } : []
        }

        // Category scores.
        var scores = [Double](repeating: 0, count: rs.categories.count)
        for r in ruleHits.keys.sorted() {
            let rule = rs.rules[r]
            if let veto = ruleVeto[r] {
                explanation.vetoed.append(.init(rule: rule.id, by: texts([veto]).first ?? "", location: rule.location))
                continue
            }
            guard let c = rs.categoryIndex[rule.category] else { continue }
            scores[c] += rule.weight
            let ranges = ruleHits[r]!
            explanation.fired.append(.init(rule: rule.id, category: rule.category, weight: rule.weight, matches: texts(ranges), location: rule.location))
            for range in ranges { addEvidence(rule.id, .category, range) }
        }
        var cueFired: Set<CueFlag> = []
        var cueIDs: [CueFlag: [String]] = [:]
        for c in cueHits.keys.sorted() {
            let cue = rs.cues[c]
            if let veto = cueVeto[c] {
                explanation.vetoed.append(.init(rule: cue.id, by: texts([veto]).first ?? "", location: cue.location))
                continue
            }
            cueFired.insert(cue.flag)
            cueIDs[cue.flag, default: []].append(cue.id)
            explanation.cues.append((cue.id, cue.flag, texts(cueHits[c]!)))
            for range in cueHits[c]! { addEvidence(cue.id, .cue, range) }
        }

        // Entities: drop a hit strictly inside a longer hit ("营业执照" inside "营业执照注销").
        entityHits.sort { ($0.range.lowerBound, -$0.range.upperBound) < ($1.range.lowerBound, -$1.range.upperBound) }
        var kept: [(owner: Entity, range: Range<Int>)] = []
        var maxEnd = -1
        var maxEndStart = -1
        for h in entityHits {
            let inside = maxEnd > h.range.upperBound || (maxEnd == h.range.upperBound && maxEndStart < h.range.lowerBound)
            if !inside { kept.append(h) }
            if h.range.upperBound > maxEnd {
                maxEnd = h.range.upperBound
                maxEndStart = h.range.lowerBound
            }
        }
        var itemOrder: [Int] = []
        var itemCount: [Int: Int] = [:]
        var deptMentions: [Int] = []
        var combinedOrder: [Int] = []
        for h in kept {
            switch h.owner {
            case .item(let i):
                if !itemOrder.contains(i) { itemOrder.append(i) }
                itemCount[i, default: 0] += 1
                addEvidence(rs.items[i].id, .item, h.range)
            case .department(let d):
                if !deptMentions.contains(d) { deptMentions.append(d) }
                addEvidence(rs.departments[d].id, .department, h.range)
            case .combined(let c):
                if !combinedOrder.contains(c) { combinedOrder.append(c) }
                addEvidence(rs.combined[c].id, .item, h.range)
            }
        }

        // Department evidence.
        let w = rs.settings.weights
        var deptScore: [String: Double] = [:]
        var contributions: [String: [Contribution]] = [:]
        var firstSeen: [String: Int] = [:]
        func credit(_ dept: String, _ why: Contribution, order: Int) {
            deptScore[dept, default: 0] += why.amount
            contributions[dept, default: []].append(why)
            if firstSeen[dept] == nil { firstSeen[dept] = order }
        }
        func because(_ dept: String) -> String { contributions[dept]!.map { $0.text(rs) }.joined(separator: "；") }
        for (n, i) in itemOrder.enumerated() {
            let item = rs.items[i]
            let repeats = Double(min(itemCount[i]! - 1, 2))
            credit(item.department, .item(i, item.weight * (1 + w.repeated * repeats), times: itemCount[i]!), order: n)
        }
        for (n, d) in deptMentions.enumerated() {
            credit(rs.departments[d].id, .department(d, w.department), order: 1000 + n)
        }
        for (n, c) in combinedOrder.enumerated() {
            credit(rs.combined[c].lead, .combined(c, w.combined), order: 500 + n)
        }
        func role(_ id: String) -> DepartmentRole { rs.department(id)?.role ?? .department }
        // The matter named first (usually the subject line) gets a small bonus.
        if w.first > 0, let first = kept.lazy.compactMap({ h -> String? in
            switch h.owner {
            case .item(let i): return rs.items[i].department
            case .combined(let c): return rs.combined[c].lead
            case .department(let d): return role(rs.departments[d].id) == .process ? nil : rs.departments[d].id
            }
        }).first {
            credit(first, .first(w.first), order: -1)
        }
        let ranked = deptScore.keys.sorted { a, b in
            let (sa, sb) = (deptScore[a]!, deptScore[b]!)
            if sa != sb { return sa > sb }
            return firstSeen[a]! < firstSeen[b]!
        }
        if explain {
            explanation.departmentScores = ranked.map {
                .init(department: ref(rs, $0), score: deptScore[$0]!, contributions: contributions[$0]!.map { $0.text(rs) })
            }
        }
        let substantive = ranked.filter { role($0) != .process }
        let hasMatter = !itemOrder.isEmpty || !combinedOrder.isEmpty || !substantive.isEmpty

        // Category decision.
        var category: String?
        let best = scores.max() ?? 0
        if best >= rs.settings.minScore {
            let tied = rs.categories.indices.filter { scores[$0] == best }.map { rs.categories[$0].id }
            category = tied.min { precedence($0) < precedence($1) }
            let firedFor = explanation.fired.filter { $0.category == category }.map(\.rule)
            reasons.append(Reason(code: "category_rules", message: "「\(rs.category(category!)!.name)」得分 \(JSONValue.format(best)) 最高（规则：\(firedFor.joined(separator: ", "))）"
                + (tied.count > 1 ? "；与 \(tied.filter { $0 != category }.joined(separator: ", ")) 同分，按优先顺序取之" : "")))
        } else if hasMatter, let fallback = rs.settings.fallbackCategory {
            category = fallback
            reasons.append(Reason(code: "category_fallback", message: "没有类别达到最低分 \(JSONValue.format(rs.settings.minScore))，但识别到具体事项或部门，按「\(rs.category(fallback)?.name ?? fallback)」处理"))
        } else {
            reasons.append(Reason(code: "category_undecided", message: "没有类别达到最低分 \(JSONValue.format(rs.settings.minScore))，也没有识别到具体事项"))
        }

        // Lead and co-handlers.
        let coordinator = rs.handlers.coordinator
        var lead: String?
        var co: [String] = []
        let cat = category.flatMap { rs.category($0) }
        if let cat, let fixed = cat.handler {
            lead = fixed
            co = cat.coHandlers
            reasons.append(Reason(code: "lead_category_handler", message: "「\(cat.name)」由\(name(rs, fixed))直接处理"))
        } else if let c = combinedOrder.first {
            let matter = rs.combined[c]
            lead = matter.lead
            co = matter.departments.filter { $0 != matter.lead }
            for d in substantive where d != lead && !co.contains(d) { co.append(d) }
            reasons.append(Reason(code: "lead_combined", message: "涉及一件事「\(matter.name)」，由声明的牵头部门\(name(rs, matter.lead))牵头"))
        } else if let unit = ranked.first(where: { role($0) == .process }),
            deptScore[unit]! >= (substantive.first.map { deptScore[$0]! } ?? 0) * rs.settings.processLeadRatio,
            !substantive.isEmpty
        {
            // The matter is about the process itself (the platform, the service hall): that unit leads.
            lead = unit
            co = substantive.filter { deptScore[$0]! >= deptScore[unit]! * rs.settings.multiRatio }
            reasons.append(Reason(code: "lead_process_unit", message: "\(name(rs, unit))证据远强于其他部门：\(because(unit))"))
        } else if let top = substantive.first ?? ranked.first {
            let runnerUp = substantive.dropFirst().first
            if let runnerUp, cueFired.contains(.passedBetween),
                deptScore[runnerUp]! >= deptScore[top]! * rs.settings.passedBalance {
                // Departments pass the matter between them: the coordinator leads.
                lead = coordinator
                co = substantive
                reasons.append(Reason(code: "lead_passed_between", message: "\(name(rs, top))、\(name(rs, runnerUp))等部门之间推诿或职责不清（\(cueIDs[.passedBetween]!.joined(separator: ", "))），由\(name(rs, coordinator))协调"))
            } else if let runnerUp, deptScore[runnerUp]! >= deptScore[top]! * rs.settings.leadBalance {
                lead = coordinator
                co = substantive
                reasons.append(Reason(code: "lead_balanced", message: "\(name(rs, top))与\(name(rs, runnerUp))证据相当（\(JSONValue.format(deptScore[top]!)) 对 \(JSONValue.format(deptScore[runnerUp]!))），由\(name(rs, coordinator))协调"))
            } else {
                lead = top
                co = substantive.filter { $0 != top && deptScore[$0]! >= deptScore[top]! * rs.settings.multiRatio }
                let why = because(top)
                reasons.append(Reason(code: itemOrder.isEmpty ? "lead_department_mentioned" : "lead_item", message: "\(name(rs, top))证据最强：\(why)"))
            }
        } else {
            lead = coordinator
            reasons.append(Reason(code: "lead_unclear", message: "没有识别到责任部门，由\(name(rs, coordinator))协调"))
        }
        co.removeAll { $0 == lead }

        // Flags.
        var vague = false
        if norm.bytes.isEmpty {
            vague = true
            reasons.append(Reason(code: "vague_empty", message: "内容为空"))
        } else if norm.meaningfulCount < rs.settings.vagueMinChars {
            vague = true
            reasons.append(Reason(code: "vague_too_short", message: "内容过短（\(norm.meaningfulCount) 个字，少于 \(rs.settings.vagueMinChars)）"))
        }
        if !hasMatter && cat?.handler == nil && norm.meaningfulCount < rs.settings.vagueNoMatterBelow {
            vague = true
            reasons.append(Reason(code: "vague_no_matter", message: "没有识别到具体事项或部门"))
        }
        if cueFired.contains(.vague) {
            vague = true
            reasons.append(Reason(code: "vague_cue", message: "指代不明或只有情绪（\(cueIDs[.vague]!.joined(separator: ", "))）"))
        }
        var multi = false
        let involved = substantive.filter { deptScore[$0]! >= (deptScore[substantive[0]] ?? 0) * rs.settings.multiRatio }
        if involved.count >= 2 {
            multi = true
            reasons.append(Reason(code: "multi_departments", message: "多个部门证据相当：\(involved.map { "\(name(rs, $0)) \(JSONValue.format(deptScore[$0]!))" }.joined(separator: "、"))"))
        }
        if cueFired.contains(.multiDepartment) || cueFired.contains(.passedBetween) {
            multi = true
            let ids = (cueIDs[.passedBetween] ?? []) + (cueIDs[.multiDepartment] ?? [])
            reasons.append(Reason(code: "multi_cue", message: "跨部门推诿或多部门线索（\(ids.joined(separator: ", "))）"))
        }

        // Pre-review: screening, escalation, complexity and deadlines.
        func firedRules(
            _ hits: [Int: [Range<Int>]], _ veto: [Int: Range<Int>], kind: Evidence.Kind, id: (Int) -> String, at: (Int) -> SourceLocation
        ) -> [Int] {
            var out: [Int] = []
            for r in hits.keys.sorted() {
                if let v = veto[r] {
                    explanation.vetoed.append(.init(rule: id(r), by: texts([v]).first ?? "", location: at(r)))
                } else {
                    out.append(r)
                    explanation.preReview.append((id(r), texts(hits[r]!)))
                    for range in hits[r]! { addEvidence(id(r), kind, range) }
                }
            }
            return out
        }
        let facts = PreReviewFacts(
            category: category, bestScore: best, hasMatter: hasMatter, vague: vague,
            vagueCodes: reasons.map(\.code).filter { $0.hasPrefix("vague_") }, meaningfulChars: norm.meaningfulCount,
            multiDepartment: multi, multiDepartmentCue: cueFired.contains(.multiDepartment) || cueFired.contains(.passedBetween), lead: lead,
            items: itemOrder.map { rs.items[$0] }, combined: combinedOrder.map { rs.combined[$0] },
            screening: firedRules(screenHits, screenVeto, kind: .screening, id: { rs.screening[$0].id }, at: { rs.screening[$0].location }),
            screeningSpans: screenHits,
            categorySpans: ruleHits.filter { ruleVeto[$0.key] == nil && rs.rules[$0.key].weight > 0 }.flatMap(\.value),
            escalation: firedRules(escHits, escVeto, kind: .escalation, id: { rs.escalation[$0].id }, at: { rs.escalation[$0].location }))
        let screening = screen(facts)
        if screening.decision == .reject {
            category = nil
            lead = nil
            co = []
            reasons.append(Reason(code: "screening_rejected", message: "预审拒收（\(Self.rejectName(screening.reason!))），不分派牵头部门"))
            // A rejected message is spam, abuse, gibberish or off-topic, not a vague request.
            vague = false
            reasons.removeAll { $0.code.hasPrefix("vague_") }
        }
        let escalation = escalate(facts, screening: screening)
        let (complexity, complexityReasons) = self.complexity(facts)
        let deadlines = DeadlineRules.compute(
            calendar: rs.calendar, receivedAt: message.receivedAt ?? now(), defaulted: message.receivedAt == nil,
            dispatchedAt: message.dispatchedAt, complexity: complexity, complexityReasons: complexityReasons)

        // Route.
        let channel = cat?.channel ?? .hotline
        let handler = lead ?? coordinator
        reasons.append(Reason(code: channel == .direct ? "route_direct" : "route_hotline",
                              message: channel == .direct ? "直接由\(name(rs, handler))处理，不派单" : "经12345派单至\(name(rs, handler))"))

        evidence.sort { ($0.start, $0.end, $0.rule) < ($1.start, $1.end, $1.rule) }
        let result = TriageResult(
            id: id, category: category,
            scores: rs.categories.indices.map { (rs.categories[$0].id, scores[$0]) },
            lead: lead.map { ref(rs, $0) }, coHandlers: co.map { ref(rs, $0) },
            channel: channel, handler: ref(rs, handler),
            items: itemOrder.map { let it = rs.items[$0]; return ItemRef(id: it.id, name: it.name, department: it.department, complexity: it.complexity) },
            combined: combinedOrder.map { let c = rs.combined[$0]; return CombinedRef(id: c.id, name: c.name, lead: c.lead) },
            vague: vague, multiDepartment: multi,
            departments: substantive.map { DepartmentScore(department: ref(rs, $0), score: deptScore[$0]!) },
            reasons: reasons, evidence: evidence, rulesetVersion: rs.version,
            screening: screening, deadlines: deadlines, escalation: escalation)
        return (result, explanation)

        func precedence(_ id: String) -> Int {
            if let p = rs.settings.precedence.firstIndex(of: id) { return p }
            return rs.settings.precedence.count + (rs.categoryIndex[id] ?? 0)
        }
    }
}

/// One piece of department evidence; its text is built only when a reason or explanation needs it.
enum Contribution {
    case item(Int, Double, times: Int)
    case department(Int, Double)
    case combined(Int, Double)
    case first(Double)

    var amount: Double {
        switch self {
        case .item(_, let a, _), .department(_, let a), .combined(_, let a), .first(let a): return a
        }
    }

    func text(_ rs: RuleSet) -> String {
        switch self {
        case .item(let i, let a, let times):
            let item = rs.items[i]
            return "事项「\(item.name)」(\(item.id))\(times > 1 ? "，出现 \(times) 次" : "") +\(JSONValue.format(a))"
        case .department(let d, let a): return "提及「\(rs.departments[d].name)」+\(JSONValue.format(a))"
        case .combined(let c, let a): return "一件事「\(rs.combined[c].name)」牵头 +\(JSONValue.format(a))"
        case .first(let a): return "最先提及 +\(JSONValue.format(a))"
        }
    }
}

enum Entity: Equatable {
    case item(Int), department(Int), combined(Int)
}

func ref(_ rs: RuleSet, _ id: String) -> DepartmentRef {
    DepartmentRef(id: id, name: rs.department(id)?.name ?? id)
}

func name(_ rs: RuleSet, _ id: String) -> String { rs.department(id)?.name ?? id }

extension EntryOwner {
    func describe(_ rs: RuleSet) -> String {
        switch self {
        case .rule(let r, _, _): return "rule '\(rs.rules[r].id)'"
        case .cue(let c, _, _): return "cue '\(rs.cues[c].id)'"
        case .itemAlias(let i, _), .itemPattern(let i, _): return "item '\(rs.items[i].id)'"
        case .department(let d, _): return "department '\(rs.departments[d].id)'"
        case .combinedAlias(let c, _), .combinedPattern(let c, _): return "combined matter '\(rs.combined[c].id)'"
        case .screening(let r, _, _): return "screening rule '\(rs.screening[r].id)'"
        case .escalation(let r, _, _): return "escalation rule '\(rs.escalation[r].id)'"
        }
    }
}
