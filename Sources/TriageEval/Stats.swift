public import TriageKit

/// Per-entry figures over a corpus: how often a rule fires, how often it is right,
/// which rules it overlaps and conflicts with, and whether it ever decides anything.
public struct EntryStats: Sendable {
    /// The kinds of entry.
    public enum Kind: String, Sendable, CaseIterable {
        /// A classification rule of positive (or zero) weight.
        case rule
        /// A rule of negative weight, which argues *against* its category.
        case counterRule = "counter-rule"
        /// A cue.
        case cue
        /// An item or a combined matter.
        case item
    }
    /// What it is.
    public var kind: Kind
    /// Entry id.
    public var id: String
    /// What it argues for: a category (rule), a flag (cue), a department (item).
    public var target: String
    /// Where it is defined.
    public var location: SourceLocation
    /// Rule weight (rules only).
    public var weight: Double
    /// Messages it fired on.
    public var hits = 0
    /// Messages where its patterns matched but an exclusion vetoed it.
    public var vetoed = 0
    /// Fraction of the corpus it fired on.
    public var coverage = 0.0
    /// Hits whose label says whether it was right. For a counter-rule, right means the message is
    /// *not* of the category it pushes down.
    public var labelled = 0
    /// Labelled hits where it was right.
    public var correct = 0
    /// Wrong hits registered as known false positives (reported apart, not counted in `wrong`).
    public var knownFalsePositives = 0
    /// Wrong hits not in the register.
    public var wrong: Int { labelled - correct - knownFalsePositives }
    /// correct / labelled, or `nil` when no hit is labelled.
    public var precision: Double? { labelled == 0 ? nil : Double(correct) / Double(labelled) }
    /// Hits on which another entry of the same kind fired too.
    public var overlapping = 0
    /// The entry it most often fires with, and how often.
    public var topOverlap: (id: String, count: Int)?
    /// Hits on which an entry of the same kind with a different target fired too.
    public var conflicts = 0
    /// The conflicting entry seen most often.
    public var topConflict: (id: String, count: Int)?
    /// Hits on which the final decision went its way (rules: the category won).
    public var decided = 0
    /// Items: hits on messages with a labelled lead.
    public var leadLabelled = 0
    /// Items: of those, hits where the item's department is the labelled lead.
    public var leadCorrect = 0
    /// Items: hits where the engine made the item's department the lead and the labelled lead is
    /// another department: the item helped decide a wrong lead.
    public var wrongLeads = 0
    /// Items: leadCorrect / leadLabelled, or `nil` without a labelled lead.
    public var leadPrecision: Double? { leadLabelled == 0 ? nil : Double(leadCorrect) / Double(leadLabelled) }
    /// Never fired on the corpus.
    public var dead: Bool { hits == 0 }
    /// A positive-weight rule that fired but never won: always pre-empted by a stronger rule.
    public var shadowed: Bool { kind == .rule && weight > 0 && hits > 0 && decided == 0 }
    /// True for a rule of negative weight.
    public var isCounter: Bool { kind == .counterRule }
    /// The outcome list it is found in: counter-rules fire like rules.
    var group: Kind { isCounter ? .rule : kind }
}

/// Statistics over a corpus for every rule, cue and item of a rule set.
public struct RuleStats: Sendable {
    /// Messages in the corpus.
    public var messages: Int
    /// Every entry, rules first, then cues, then items, each in definition order.
    public var entries: [EntryStats]

    /// Computes the statistics from one run.
    public static func compute(
        ruleSet rs: RuleSet, messages: [LabelledMessage], outcomes: [Outcome], known: KnownFalsePositives = KnownFalsePositives(entries: [])
    ) -> RuleStats {
        var entries: [EntryStats] = []
        var index: [String: Int] = [:]
        func add(_ e: EntryStats) {
            index["\(e.group):\(e.id)"] = entries.count
            entries.append(e)
        }
        for r in rs.rules {
            add(EntryStats(kind: r.weight < 0 ? .counterRule : .rule, id: r.id, target: r.category.rawValue, location: r.core.location, weight: r.weight))
        }
        for c in rs.cues { add(EntryStats(kind: .cue, id: c.id, target: c.flag.rawValue, location: c.core.location, weight: 0)) }
        for i in rs.items {
            add(EntryStats(kind: .item, id: i.id, target: i.department.rawValue, location: i.location, weight: i.weight))
        }
        for c in rs.combined { add(EntryStats(kind: .item, id: c.id, target: c.lead.rawValue, location: c.location, weight: 0)) }

        var overlap = [[String: Int]](repeating: [:], count: entries.count)
        var conflict = [[String: Int]](repeating: [:], count: entries.count)
        for (m, o) in zip(messages, outcomes) {
            let groups: [(EntryStats.Kind, [String])] = [(.rule, o.fired), (.cue, o.cues), (.item, o.items)]
            for (kind, ids) in groups {
                let slots = ids.compactMap { index["\(kind):\($0)"] }
                for s in slots {
                    var e = entries[s]
                    e.hits += 1
                    if let ok = isRight(e, m.expected) {
                        if ok {
                            e.correct += 1
                            e.labelled += 1
                        } else {
                            e.labelled += 1
                            if known.contains(rule: e.id, message: m.id) { e.knownFalsePositives += 1 }
                        }
                    }
                    switch e.kind {
                    case .rule: if o.result.category?.rawValue == e.target { e.decided += 1 }
                    case .counterRule: if o.result.category?.rawValue != e.target { e.decided += 1 }
                    case .cue: if (e.target == "vague" ? o.result.flags.vague : o.result.flags.multiDepartment) { e.decided += 1 }
                    case .item:
                        if o.result.lead?.id.rawValue == e.target || o.result.coHandlers.contains(where: { $0.id.rawValue == e.target }) {
                            e.decided += 1
                        }
                        if m.expected.hasLead {
                            e.leadLabelled += 1
                            if m.expected.lead?.rawValue == e.target {
                                e.leadCorrect += 1
                            } else if o.result.lead?.id.rawValue == e.target {
                                e.wrongLeads += 1
                            }
                        }
                    }
                    var overlapped = false, conflicted = false
                    for t in slots where t != s {
                        overlapped = true
                        overlap[s][entries[t].id, default: 0] += 1
                        // A counter-rule agrees with the rules it argues against; it conflicts with none.
                        if kind != .cue, !e.isCounter, !entries[t].isCounter, entries[t].target != e.target {
                            conflicted = true
                            conflict[s][entries[t].id, default: 0] += 1
                        }
                    }
                    if overlapped { e.overlapping += 1 }
                    if conflicted { e.conflicts += 1 }
                    entries[s] = e
                }
            }
            for v in o.vetoed {
                if let s = index["rule:\(v)"] ?? index["cue:\(v)"] { entries[s].vetoed += 1 }
            }
        }
        func top(_ d: [String: Int]) -> (id: String, count: Int)? {
            d.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { ($0.key, $0.value) }
        }
        for s in entries.indices {
            entries[s].coverage = messages.isEmpty ? 0 : Double(entries[s].hits) / Double(messages.count)
            entries[s].topOverlap = top(overlap[s])
            entries[s].topConflict = top(conflict[s])
        }
        return RuleStats(messages: messages.count, entries: entries)
    }

    /// Whether a hit was right according to the labels, or `nil` when the labels do not say.
    static func isRight(_ e: EntryStats, _ x: Expectation) -> Bool? {
        switch e.kind {
        case .rule:
            guard x.hasCategory else { return nil }
            return x.category?.rawValue == e.target
        case .counterRule:
            guard x.hasCategory else { return nil }
            return x.category?.rawValue != e.target
        case .cue:
            return e.target == "vague" ? x.vague : x.multiDepartment
        case .item:
            guard x.hasLead || x.coHandlers != nil else { return nil }
            return x.lead?.rawValue == e.target || (x.coHandlers ?? []).contains(DepartmentID(e.target))
        }
    }

    /// Entries of one kind.
    public func of(_ kind: EntryStats.Kind) -> [EntryStats] { entries.filter { $0.kind == kind } }

    /// The compact summary: counts that stay readable with thousands of rules.
    public struct Summary: Sendable {
        /// Entries per kind.
        public var counts: [(kind: EntryStats.Kind, total: Int, fired: Int, dead: Int)]
        /// Positive-weight rules that never won.
        public var shadowed: Int
        /// Entries with precision below 0.5 over at least 3 labelled hits.
        public var lowPrecision: Int
        /// Rules that conflicted at least once.
        public var conflicting: Int
        /// Known false positives across all entries.
        public var knownFalsePositives: Int
    }

    /// The summary.
    public var summary: Summary {
        Summary(
            counts: EntryStats.Kind.allCases.map { k in
                let list = of(k)
                return (k, list.count, list.filter { !$0.dead }.count, list.filter(\.dead).count)
            },
            shadowed: entries.filter(\.shadowed).count,
            lowPrecision: lowPrecision.count,
            conflicting: entries.filter { $0.kind == .rule && $0.conflicts > 0 }.count,
            knownFalsePositives: entries.reduce(0) { $0 + $1.knownFalsePositives })
    }

    /// Items that most often helped decide a wrong lead (their department led, the label says
    /// another), most first.
    public var wrongLeadItems: [EntryStats] {
        of(.item).filter { $0.wrongLeads > 0 }.sorted { ($1.wrongLeads, $0.id) < ($0.wrongLeads, $1.id) }
    }

    /// Items by lead precision (how often their department was the labelled lead when they fired),
    /// over at least 3 hits with a labelled lead, lowest first.
    public var itemLeadPrecision: [EntryStats] {
        of(.item).filter { $0.leadLabelled >= 3 }.sorted { ($0.leadPrecision ?? 0, $0.id) < ($1.leadPrecision ?? 0, $1.id) }
    }

    /// Entries with precision below 0.5 over at least 3 labelled hits, worst first.
    public var lowPrecision: [EntryStats] {
        entries.filter { $0.labelled >= 3 && ($0.precision ?? 1) < 0.5 }.sorted { ($0.precision ?? 0, $0.id) < ($1.precision ?? 0, $1.id) }
    }

    /// The statistics as JSON.
    public var json: JSONValue {
        let s = summary
        return .object([
            ("messages", .number(Double(messages))),
            ("summary", .object(s.counts.map { c in
                (c.kind.rawValue, .object([("total", .number(Double(c.total))), ("fired", .number(Double(c.fired))), ("dead", .number(Double(c.dead)))]))
            } + [
                ("shadowed", .number(Double(s.shadowed))), ("low_precision", .number(Double(s.lowPrecision))),
                ("conflicting", .number(Double(s.conflicting))), ("known_false_positives", .number(Double(s.knownFalsePositives))),
            ])),
            ("entries", .array(entries.map(\.json))),
        ])
    }
}

extension EntryStats {
    /// The entry's figures as JSON.
    public var json: JSONValue {
        func pair(_ p: (id: String, count: Int)?) -> JSONValue {
            p.map { .object([("id", .string($0.id)), ("count", .number(Double($0.count)))]) } ?? .null
        }
        return .object([
            ("kind", .string(kind.rawValue)), ("id", .string(id)), ("target", .string(target)),
            ("location", .string(location.description)),
            ("hits", .number(Double(hits))), ("vetoed", .number(Double(vetoed))), ("coverage", .number(round6(coverage))),
            ("labelled", .number(Double(labelled))), ("correct", .number(Double(correct))),
            ("known_false_positives", .number(Double(knownFalsePositives))),
            ("precision", precision.map { .number(round6($0)) } ?? .null),
            ("overlapping", .number(Double(overlapping))), ("top_overlap", pair(topOverlap)),
            ("conflicts", .number(Double(conflicts))), ("top_conflict", pair(topConflict)),
            ("decided", .number(Double(decided))), ("dead", .bool(dead)), ("shadowed", .bool(shadowed)),
        ] + (kind == .item ? [
            ("lead_labelled", .number(Double(leadLabelled))), ("lead_correct", .number(Double(leadCorrect))),
            ("lead_precision", leadPrecision.map { .number(round6($0)) } ?? .null), ("wrong_leads", .number(Double(wrongLeads))),
        ] : []))
    }
}
