import Foundation

/// Where staff overrode the engine most: a starting point for maintainers.
///
/// Over decided cases: how often each field was changed; which lead changes (proposed → decided
/// department), co-handler additions and removals, and category and screening changes happened most;
/// and for each id in the proposals' evidence (classification rules, items, cues, departments,
/// screening and escalation rules), in how many decided cases it appeared and in how many of those
/// staff changed the route: the category, lead, co-handlers or screening.
public struct OverridesReport: Sendable {
    /// A count of one change.
    public struct Pair: Sendable, Hashable {
        /// Proposed value (`none` for null).
        public var from: String
        /// Decided value.
        public var to: String
        /// How many cases.
        public var count: Int

        /// Creates a pair.
        public init(from: String, to: String, count: Int) {
            self.from = from
            self.to = to
            self.count = count
        }
    }

    /// A field and how often it was changed.
    public struct Field: Sendable, Hashable {
        /// Corpus name (`category`, `lead`, …).
        public var name: String
        /// Cases where staff changed it.
        public var changed: Int
    }

    /// An evidence id and how often proposals that cited it were overridden.
    public struct Rule: Sendable, Hashable {
        /// `kind:id`, e.g. `category:biz_time_limit`.
        public var rule: String
        /// Decided cases whose proposal had it in its evidence.
        public var cases: Int
        /// Of those, how many had the category, lead, co-handlers or screening changed.
        public var overridden: Int
        /// overridden / cases.
        public var rate: Double { cases == 0 ? 0 : Double(overridden) / Double(cases) }
    }

    /// Decided cases read.
    public var decided = 0
    /// Of which accepted unchanged.
    public var accepted = 0
    /// Of which corrected.
    public var corrected = 0
    /// Per field, in corpus order.
    public var fields: [Field] = []
    /// Lead changes, most frequent first.
    public var leads: [Pair] = []
    /// Co-handlers staff added (`from` is `+`) or removed (`to` is `-`), most frequent first.
    public var coHandlers: [Pair] = []
    /// Category changes.
    public var categories: [Pair] = []
    /// Screening changes.
    public var screening: [Pair] = []
    /// Evidence ids, most overridden first.
    public var rules: [Rule] = []
    /// Department id → name, for the text rendering.
    public var departmentNames: [String: String] = [:]

    static let fieldOrder = ["category", "lead", "co_handlers", "screening", "vague", "multi_department",
                             "leader_report", "coordination", "woodpecker_candidate"]
    /// The fields whose change counts as overriding the route.
    static let routeFields: Set<String> = ["category", "lead", "co_handlers", "screening"]

    /// Builds the report from decided cases.
    public init(cases: [CaseRecord], departmentNames: [String: String] = [:]) {
        self.departmentNames = departmentNames
        var fieldCounts: [String: Int] = [:]
        var leadPairs: [[String]: Int] = [:], coPairs: [[String]: Int] = [:], categoryPairs: [[String]: Int] = [:], screeningPairs: [[String]: Int] = [:]
        var ruleCases: [String: Int] = [:], ruleOverrides: [String: Int] = [:]
        for c in cases where c.isDecided {
            decided += 1
            let p = c.proposal.labels, d = c.labels
            let changed = d.changedFields(from: p)
            if changed.isEmpty { accepted += 1 } else { corrected += 1 }
            for f in changed { fieldCounts[f, default: 0] += 1 }
            if p.lead != d.lead { leadPairs[[p.lead ?? "none", d.lead ?? "none"], default: 0] += 1 }
            for added in Set(d.coHandlers).subtracting(p.coHandlers) { coPairs[["+", added], default: 0] += 1 }
            for removed in Set(p.coHandlers).subtracting(d.coHandlers) { coPairs[[removed, "-"], default: 0] += 1 }
            if p.category != d.category { categoryPairs[[p.category ?? "none", d.category ?? "none"], default: 0] += 1 }
            if p.screening != d.screening { screeningPairs[[p.screening.description, d.screening.description], default: 0] += 1 }
            let overridden = !Self.routeFields.isDisjoint(with: changed)
            for r in c.proposal.evidenceRules {
                ruleCases[r, default: 0] += 1
                if overridden { ruleOverrides[r, default: 0] += 1 }
            }
        }
        fields = Self.fieldOrder.map { Field(name: $0, changed: fieldCounts[$0] ?? 0) }
        func pairs(_ d: [[String]: Int]) -> [Pair] {
            d.map { Pair(from: $0.key[0], to: $0.key[1], count: $0.value) }
                .sorted { ($0.count, $1.from, $1.to) > ($1.count, $0.from, $0.to) }
        }
        leads = pairs(leadPairs)
        coHandlers = pairs(coPairs)
        categories = pairs(categoryPairs)
        screening = pairs(screeningPairs)
        rules = ruleCases.map { Rule(rule: $0.key, cases: $0.value, overridden: ruleOverrides[$0.key] ?? 0) }
            .filter { $0.overridden > 0 }
            .sorted { a, b in
                if a.overridden != b.overridden { return a.overridden > b.overridden }
                if a.rate != b.rate { return a.rate > b.rate }
                return a.rule < b.rule
            }
    }

    func name(_ id: String) -> String {
        guard let n = departmentNames[id] else { return id }
        return "\(n) (\(id))"
    }

    /// The report as text, at most `top` rows per table.
    public func text(top: Int = 20) -> String {
        var out: [String] = []
        out.append("decided cases: \(decided)  accepted unchanged: \(accepted)  corrected: \(corrected)")
        guard decided > 0 else { return out.joined(separator: "\n") }
        func pct(_ n: Int) -> String { String(format: "%.1f%%", Double(n) * 100 / Double(decided)) }
        out.append("")
        out.append("changed, by field:")
        out.append(TextTable.render([["field", "cases", "share"]] + fields.map { [$0.name, String($0.changed), pct($0.changed)] }, indent: 2))
        for (title, list, named) in [("lead: proposed → decided", leads, true),
                                     ("co-handlers added (+) and removed (-)", coHandlers, true), ("category: proposed → decided", categories, false),
                                     ("screening: proposed → decided", screening, false)] where !list.isEmpty {
            out.append("")
            out.append("\(title):")
            out.append(TextTable.render([["proposed", "decided", "cases"]] + list.prefix(top).map {
                [named && $0.from != "+" ? name($0.from) : $0.from, named && $0.to != "-" ? name($0.to) : $0.to, String($0.count)]
            }, indent: 2, left: 2))
        }
        if !rules.isEmpty {
            out.append("")
            out.append("evidence in overridden proposals (category, lead, co-handlers or screening changed):")
            out.append(TextTable.render([["rule", "overridden", "of cases", "rate"]] + rules.prefix(top).map {
                [$0.rule, String($0.overridden), String($0.cases), String(format: "%.2f", $0.rate)]
            }, indent: 2))
        }
        return out.joined(separator: "\n")
    }

    /// The report as JSON.
    public var json: OrderedJSON {
        func pairs(_ list: [Pair]) -> OrderedJSON {
            .array(list.map { .object([("from", .string($0.from)), ("to", .string($0.to)), ("count", .int(Int64($0.count)))]) })
        }
        return .object([
            ("decided", .int(Int64(decided))), ("accepted", .int(Int64(accepted))), ("corrected", .int(Int64(corrected))),
            ("fields", .object(fields.map { ($0.name, .int(Int64($0.changed))) })),
            ("leads", pairs(leads)), ("co_handlers", pairs(coHandlers)), ("categories", pairs(categories)), ("screening", pairs(screening)),
            ("rules", .array(rules.map {
                .object([("rule", .string($0.rule)), ("cases", .int(Int64($0.cases))), ("overridden", .int(Int64($0.overridden))),
                         ("rate", .double(($0.rate * 1000).rounded() / 1000))])
            })),
        ])
    }
}

/// Plain-text tables with East Asian wide characters counted as two columns.
public enum TextTable {
    /// Display width: 2 for East Asian wide characters, 1 otherwise.
    public static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, c in
            let v = c.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return w + (wide ? 2 : 1)
        }
    }

    /// The first `left` columns left-aligned, the others right-aligned.
    public static func render(_ rows: [[String]], indent: Int = 0, left: Int = 1) -> String {
        guard let first = rows.first else { return "" }
        let widths = first.indices.map { c in rows.map { c < $0.count ? width($0[c]) : 0 }.max() ?? 0 }
        let pad = String(repeating: " ", count: indent)
        return rows.map { row in
            pad + row.enumerated().map { c, cell in
                let fill = String(repeating: " ", count: max(0, widths[c] - width(cell)))
                return c < left ? cell + fill : fill + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }
}
