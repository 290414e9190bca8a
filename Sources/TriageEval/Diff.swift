public import TriageKit

/// How a message's outcome moved between two rule-set versions.
public enum ChangeStatus: String, Sendable, CaseIterable {
    /// Now agrees with its labels; did not before.
    case fixed
    /// Agreed with its labels before; no longer does.
    case broken
    /// Changed, and neither version (or both) agree with the labels.
    case changed
}

/// One message whose category, lead, co-handlers or flags changed.
public struct DiffEntry: Sendable {
    /// The message.
    public var message: LabelledMessage
    /// Base outcome.
    public var old: Outcome
    /// Head outcome.
    public var new: Outcome
    /// What changed: field, old value, new value.
    public var changes: [(field: String, old: String, new: String)]
    /// Fixed, broken or changed.
    public var status: ChangeStatus
    /// The entries responsible: `+id` fired only in head, `-id` only in base, `~id` fired in both
    /// but its definition changed (weight, category, patterns, department, aliases).
    public var responsible: [String]
}

/// The impact of a rule change on a labelled corpus.
public struct RuleDiff: Sendable {
    /// Base rule set origin and version.
    public var base: (origin: String, version: String)
    /// Head rule set origin and version.
    public var head: (origin: String, version: String)
    /// Messages compared.
    public var count: Int
    /// Changed messages, in corpus order.
    public var entries: [DiffEntry]
    /// Metrics of both versions.
    public var oldMetrics: Metrics
    /// Metrics of the head version.
    public var newMetrics: Metrics
    /// Every metric: name, base value, head value (`nil` when a version does not have it).
    public var deltas: [(metric: String, old: Double?, new: Double?)]

    /// Entries with a given status.
    public func count(_ s: ChangeStatus) -> Int { entries.filter { $0.status == s }.count }

    /// Compares two runs over the same messages (each message classified once per version).
    public static func compare(
        base: RuleSet, head: RuleSet, messages: [LabelledMessage], old: [Outcome], new: [Outcome]
    ) -> RuleDiff {
        let redefined = changedDefinitions(base, head)
        var entries: [DiffEntry] = []
        for (m, (o, n)) in zip(messages, zip(old, new)) {
            var changes: [(String, String, String)] = []
            func cmp(_ f: String, _ a: String, _ b: String) { if a != b { changes.append((f, a, b)) } }
            cmp("category", o.result.category?.rawValue ?? "null", n.result.category?.rawValue ?? "null")
            cmp("lead", o.result.lead?.id.rawValue ?? "null", n.result.lead?.id.rawValue ?? "null")
            cmp("co_handlers", "[" + o.result.coHandlers.map(\.id.rawValue).sorted().joined(separator: ", ") + "]",
                "[" + n.result.coHandlers.map(\.id.rawValue).sorted().joined(separator: ", ") + "]")
            cmp("vague", String(o.result.flags.vague), String(n.result.flags.vague))
            cmp("multi_department", String(o.result.flags.multiDepartment), String(n.result.flags.multiDepartment))
            guard !changes.isEmpty else { continue }
            let okOld = Verdict.mismatches(m.expected, o.result).isEmpty
            let okNew = Verdict.mismatches(m.expected, n.result).isEmpty
            let status: ChangeStatus = okNew && !okOld ? .fixed : (okOld && !okNew ? .broken : .changed)
            let before = Set(o.entries), after = Set(n.entries)
            let responsible = n.entries.filter { !before.contains($0) }.map { "+" + $0 } + o.entries.filter { !after.contains($0) }.map { "-" + $0 }
                + n.entries.filter { before.contains($0) && redefined.contains($0) }.map { "~" + $0 }
            entries.append(DiffEntry(message: m, old: o, new: n, changes: changes, status: status, responsible: responsible))
        }
        let order = head.categories.map(\.id.rawValue)
        let om = Metrics.compute(messages, old, categoryOrder: base.categories.map(\.id.rawValue))
        let nm = Metrics.compute(messages, new, categoryOrder: order)
        var names: [String] = []
        for (k, _) in om.named + nm.named where !names.contains(k) { names.append(k) }
        let ov = Dictionary(om.named, uniquingKeysWith: { a, _ in a }), nv = Dictionary(nm.named, uniquingKeysWith: { a, _ in a })
        return RuleDiff(base: (base.origin, base.version), head: (head.origin, head.version), count: messages.count,
                        entries: entries, oldMetrics: om, newMetrics: nm, deltas: names.map { ($0, ov[$0], nv[$0]) })
    }

    /// Ids of rules, cues, items and combined matters defined in both versions but differently.
    static func changedDefinitions(_ a: RuleSet, _ b: RuleSet) -> Set<String> {
        func signatures(_ rs: RuleSet) -> [String: String] {
            var out: [String: String] = [:]
            func p(_ list: [RulePattern]) -> String { list.map(\.source).joined(separator: "\u{1}") }
            for r in rs.rules { out[r.id] = "\(r.category)|\(r.weight)|\(r.vetoesCategory)|\(p(r.core.patterns))|\(p(r.core.exclude))" }
            for c in rs.cues { out[c.id] = "\(c.flag.rawValue)|\(p(c.core.patterns))|\(p(c.core.exclude))" }
            for i in rs.items {
                out[i.id] = "\(i.department)|\(i.coDepartments)|\(i.weight)|\(i.aliases.map(\.normalized))|\(p(i.patterns))"
            }
            for c in rs.combined { out[c.id] = "\(c.lead)|\(c.departments)|\(c.aliases.map(\.normalized))|\(p(c.patterns))" }
            return out
        }
        let sa = signatures(a), sb = signatures(b)
        return Set(sa.keys.filter { sb[$0] != nil && sb[$0] != sa[$0] })
    }

    /// The diff as JSON.
    public var json: JSONValue {
        func num(_ x: Double?) -> JSONValue { x.map { .number(round6($0)) } ?? .null }
        return .object([
            ("base", .object([("origin", .string(base.origin)), ("version", .string(base.version))])),
            ("head", .object([("origin", .string(head.origin)), ("version", .string(head.version))])),
            ("messages", .number(Double(count))),
            ("summary", .object(ChangeStatus.allCases.map { ($0.rawValue, .number(Double(count($0)))) } + [("total", .number(Double(entries.count)))])),
            ("changes", .array(entries.map { e in
                .object([
                    ("id", .string(e.message.id)), ("location", .string("\(e.message.path):\(e.message.line)")),
                    ("status", .string(e.status.rawValue)),
                    ("changes", .array(e.changes.map { .object([("field", .string($0.field)), ("old", .string($0.old)), ("new", .string($0.new))]) })),
                    ("responsible", .array(e.responsible.map(JSONValue.string))),
                ])
            })),
            ("metrics", .array(deltas.map { d in
                .object([("metric", .string(d.metric)), ("old", num(d.old)), ("new", num(d.new)),
                         ("delta", d.old != nil && d.new != nil ? .number(round6(d.new! - d.old!)) : .null)])
            })),
        ])
    }
}
