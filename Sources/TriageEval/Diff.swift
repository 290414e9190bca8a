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

/// An entry of the rule set that moved a message: it fired only in head (`+`), only in base
/// (`-`), or in both with a changed definition (`~`, with what changed).
public struct Responsible: Sendable, Hashable, CustomStringConvertible {
    /// How it differs.
    public enum Sign: String, Sendable, Hashable {
        case added = "+", removed = "-", changed = "~"
    }
    /// `+`, `-` or `~`.
    public var sign: Sign
    /// The entry's id (`street_town`, `biz_materials`), or `settings`.
    public var id: String
    /// Its kind: `rule`, `cue`, `item`, `combined`, `department`, `screening`, `escalation`, `category`, `settings`.
    public var kind: String
    /// For `~`: what changed (`weight 2 → 3`, `aliases +街道`).
    public var change: String?

    /// `+street_town (department)`, `~biz_x (rule: weight 2 → 3)`.
    public var description: String {
        "\(sign.rawValue)\(id) (\(kind)\(change.map { ": " + $0 } ?? ""))"
    }
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
    /// The entries whose change moved it.
    public var responsible: [Responsible]
}

/// The impact of a rule change on a labelled corpus.
public struct RuleDiff: Sendable {
    /// Base rule set origin and version.
    public var base: (origin: String, version: String)
    /// Head rule set origin and version.
    public var head: (origin: String, version: String)
    /// Messages compared.
    public var count: Int
    /// Changed messages that may be shown, in corpus order.
    public var entries: [DiffEntry]
    /// Changed messages of held-out parts, counted by status but not listed.
    public var hidden: [ChangeStatus: Int]
    /// Metrics of the base version.
    public var oldMetrics: Metrics
    /// Metrics of the head version.
    public var newMetrics: Metrics
    /// Every metric: name, base value, head value (`nil` when a version does not have it).
    public var deltas: [(metric: String, old: Double?, new: Double?)]
    /// Settings that differ (`decision.lead_balance 0.95 → 0.9`).
    public var settingsChanges: [String]

    /// True when base and head are the same rule-set version: nothing can differ.
    public var sameVersion: Bool { base.version == head.version }

    /// Changed messages with a given status, shown and hidden.
    public func count(_ s: ChangeStatus) -> Int { entries.filter { $0.status == s }.count + (hidden[s] ?? 0) }

    /// Changed messages in all, shown and hidden.
    public var changedCount: Int { entries.count + hidden.values.reduce(0, +) }

    /// The metrics whose value moved (or that only one version has).
    public var changedDeltas: [(metric: String, old: Double?, new: Double?)] {
        deltas.filter { d in
            guard let o = d.old, let n = d.new else { return true }
            return abs(n - o) > 1e-9
        }
    }

    /// Compares two runs over the same messages (each message classified once per version).
    public static func compare(
        base: RuleSet, head: RuleSet, messages: [LabelledMessage], old: [Outcome], new: [Outcome],
        policy: HeldOutPolicy = HeldOutPolicy()
    ) -> RuleDiff {
        let before = Definitions(base), after = Definitions(head)
        let settings = Definitions.settingsChanges(base.settings, head.settings)
        var entries: [DiffEntry] = []
        var hidden: [ChangeStatus: Int] = [:]
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
            guard policy.shows(m) else {
                hidden[status, default: 0] += 1
                continue
            }
            var responsible: [Responsible] = []
            let groups: [(String, [String], [String])] = [
                ("rule", o.fired, n.fired), ("cue", o.cues, n.cues), ("item", o.items, n.items),
                ("department", o.mentions, n.mentions), ("pre-review", o.preReview, n.preReview),
            ]
            for (kind, a, b) in groups {
                let sa = Set(a), sb = Set(b)
                for id in b where !sa.contains(id) { responsible.append(Responsible(sign: .added, id: id, kind: before.kind(id, kind, after), change: nil)) }
                for id in a where !sb.contains(id) { responsible.append(Responsible(sign: .removed, id: id, kind: before.kind(id, kind, after), change: nil)) }
                for id in b where sa.contains(id) {
                    if let (k, what) = Definitions.change(id, kind, before, after) {
                        responsible.append(Responsible(sign: .changed, id: id, kind: k, change: what))
                    }
                }
            }
            for c in Set([o.result.category, n.result.category].compactMap { $0?.rawValue }).sorted() {
                if let (k, what) = Definitions.change(c, "category", before, after) {
                    responsible.append(Responsible(sign: .changed, id: c, kind: k, change: what))
                }
            }
            if responsible.isEmpty, !settings.isEmpty {
                responsible.append(Responsible(sign: .changed, id: "settings", kind: "ruleset", change: settings.joined(separator: ", ")))
            }
            entries.append(DiffEntry(message: m, old: o, new: n, changes: changes, status: status, responsible: responsible))
        }
        let order = head.categories.map(\.id.rawValue)
        let om = Metrics.compute(messages, old, categoryOrder: base.categories.map(\.id.rawValue))
        let nm = Metrics.compute(messages, new, categoryOrder: order)
        var names: [String] = []
        for (k, _) in om.named + nm.named where !names.contains(k) { names.append(k) }
        let ov = Dictionary(om.named, uniquingKeysWith: { a, _ in a }), nv = Dictionary(nm.named, uniquingKeysWith: { a, _ in a })
        return RuleDiff(base: (base.origin, base.version), head: (head.origin, head.version), count: messages.count,
                        entries: entries, hidden: hidden, oldMetrics: om, newMetrics: nm,
                        deltas: names.map { ($0, ov[$0], nv[$0]) }, settingsChanges: settings)
    }

    /// The diff as JSON (held-out changes as counts only).
    public var json: JSONValue {
        func num(_ x: Double?) -> JSONValue { x.map { .number(round6($0)) } ?? .null }
        return .object([
            ("base", .object([("origin", .string(base.origin)), ("version", .string(base.version))])),
            ("head", .object([("origin", .string(head.origin)), ("version", .string(head.version))])),
            ("same_version", .bool(sameVersion)),
            ("messages", .number(Double(count))),
            ("summary", .object(ChangeStatus.allCases.map { ($0.rawValue, .number(Double(count($0)))) } + [("total", .number(Double(changedCount)))])),
            ("held_out", .object(ChangeStatus.allCases.map { ($0.rawValue, .number(Double(hidden[$0] ?? 0))) })),
            ("changes", .array(entries.map { e in
                .object([
                    ("id", .string(e.message.id)), ("location", .string("\(e.message.path):\(e.message.line)")),
                    ("status", .string(e.status.rawValue)),
                    ("changes", .array(e.changes.map { .object([("field", .string($0.field)), ("old", .string($0.old)), ("new", .string($0.new))]) })),
                    ("responsible", .array(e.responsible.map { r in
                        .object([("sign", .string(r.sign.rawValue)), ("id", .string(r.id)), ("kind", .string(r.kind)),
                                 ("change", r.change.map(JSONValue.string) ?? .null)])
                    })),
                ])
            })),
            ("settings", .array(settingsChanges.map(JSONValue.string))),
            ("metrics", .array(deltas.map { d in
                .object([("metric", .string(d.metric)), ("old", num(d.old)), ("new", num(d.new)),
                         ("delta", d.old != nil && d.new != nil ? .number(round6(d.new! - d.old!)) : .null)])
            })),
        ])
    }
}

/// The definitions of every entry of a rule set, field by field, to say what changed.
struct Definitions {
    /// kind → id → field → value as text.
    var byKind: [String: [String: [(String, String)]]] = [:]

    init(_ rs: RuleSet) {
        func p(_ list: [RulePattern]) -> String { list.map(\.source).joined(separator: "\u{1}") }
        func put(_ kind: String, _ id: String, _ fields: [(String, String)]) { byKind[kind, default: [:]][id] = fields }
        func num(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
        for r in rs.rules {
            put("rule", r.id, [("category", r.category.rawValue), ("weight", num(r.weight)), ("veto", String(r.vetoesCategory)),
                               ("patterns", p(r.core.patterns)), ("exclude", p(r.core.exclude))])
        }
        for c in rs.cues { put("cue", c.id, [("flag", c.flag.rawValue), ("patterns", p(c.core.patterns)), ("exclude", p(c.core.exclude))]) }
        for r in rs.screening {
            put("screening", r.id, [("action", r.action.rawValue), ("reason", r.reason?.rawValue ?? "-"), ("patterns", p(r.core.patterns)), ("exclude", p(r.core.exclude))])
        }
        for r in rs.escalation {
            put("escalation", r.id, [("flag", r.flag?.rawValue ?? "-"), ("complex", String(r.complex)), ("policy_question", String(r.policyQuestion)),
                                     ("categories", r.categories.map(\.rawValue).joined(separator: ",")), ("patterns", p(r.core.patterns)), ("exclude", p(r.core.exclude))])
        }
        for i in rs.items {
            put("item", i.id, [("department", i.department.rawValue), ("co_departments", i.coDepartments.map(\.rawValue).joined(separator: ",")),
                               ("weight", num(i.weight)), ("complexity", i.complexity.rawValue), ("category", i.category?.rawValue ?? "-"),
                               ("aliases", i.aliases.map(\.normalized).joined(separator: "\u{1}")), ("patterns", p(i.patterns))])
        }
        for c in rs.combined {
            put("combined", c.id, [("lead", c.lead.rawValue), ("departments", c.departments.map(\.rawValue).joined(separator: ",")),
                                   ("complexity", c.complexity.rawValue), ("aliases", c.aliases.map(\.normalized).joined(separator: "\u{1}")),
                                   ("patterns", p(c.patterns))])
        }
        for d in rs.departments {
            put("department", d.id.rawValue, [("name", d.name), ("full_name", d.fullName), ("role", d.role.rawValue),
                                              ("aliases", RuleSet.departmentPhrases(d).joined(separator: "\u{1}"))])
        }
        for c in rs.categories {
            put("category", c.id.rawValue, [("channel", c.channel.rawValue), ("handler", c.handler?.rawValue ?? "owner"),
                                            ("co_handlers", c.coHandlers.map(\.rawValue).joined(separator: ","))])
        }
    }

    /// The kind to show for an id met in an outcome list (`item` covers items and combined matters;
    /// `pre-review` covers screening and escalation rules).
    func kind(_ id: String, _ group: String, _ other: Definitions) -> String {
        let candidates: [String]
        switch group {
        case "item": candidates = ["item", "combined"]
        case "pre-review": candidates = ["screening", "escalation"]
        default: candidates = [group]
        }
        return candidates.first { byKind[$0]?[id] != nil || other.byKind[$0]?[id] != nil } ?? group
    }

    /// What changed in the definition of `id` between `a` and `b`, when it exists in both and differs.
    static func change(_ id: String, _ group: String, _ a: Definitions, _ b: Definitions) -> (kind: String, what: String)? {
        let kind = a.kind(id, group, b)
        guard let fa = a.byKind[kind]?[id], let fb = b.byKind[kind]?[id] else { return nil }
        var parts: [String] = []
        for ((key, va), (_, vb)) in zip(fa, fb) where va != vb {
            switch key {
            case "aliases":
                let la = va.split(separator: "\u{1}").map(String.init), lb = vb.split(separator: "\u{1}").map(String.init)
                let added = lb.filter { !la.contains($0) }, removed = la.filter { !lb.contains($0) }
                var d = (added.prefix(3).map { "+" + $0 } + removed.prefix(3).map { "-" + $0 }).joined(separator: " ")
                if added.count + removed.count > 6 { d += " …" }
                parts.append("aliases " + d)
            case "patterns", "exclude":
                let ca = va.isEmpty ? 0 : va.split(separator: "\u{1}", omittingEmptySubsequences: false).count
                let cb = vb.isEmpty ? 0 : vb.split(separator: "\u{1}", omittingEmptySubsequences: false).count
                parts.append(ca == cb ? "\(key) edited" : "\(key) \(ca) → \(cb)")
            default:
                parts.append("\(key) \(va) → \(vb)")
            }
        }
        return parts.isEmpty ? nil : (kind, parts.joined(separator: ", "))
    }

    static func snake(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }

    /// Decision settings that differ, as `decision.key old → new`.
    static func settingsChanges(_ a: RuleSet.DecisionSettings, _ b: RuleSet.DecisionSettings) -> [String] {
        func flatten(_ value: Any, _ prefix: String) -> [(String, String)] {
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .struct, !mirror.children.isEmpty else { return [(prefix, "\(value)")] }
            return mirror.children.flatMap { child in flatten(child.value, prefix + "." + snake(child.label ?? "?")) }
        }
        let fa = flatten(a, "decision"), fb = flatten(b, "decision")
        return zip(fa, fb).filter { $0.0.1 != $0.1.1 }.map { "\($0.0.0) \($0.0.1) → \($0.1.1)" }
    }
}
