public import TriageKit

/// `triage try 'PATTERN'`: which corpus messages a pattern would match, grouped by their labels,
/// before a maintainer writes it into a rule. The pattern is compiled like a rule's (fragments
/// expanded, UTF + UCP) and matched against the normalised text, as the engine would.
public struct PatternTrial: Sendable {
    /// One matching message that may be shown.
    public struct Match: Sendable {
        /// The message.
        public var message: LabelledMessage
        /// Match spans in Unicode scalars of its text.
        public var spans: [Range<Int>]
    }
    /// How many messages of one label value matched, of how many with that value.
    public struct Group: Sendable {
        /// The label value (`technical`, `market`, `none`).
        public var label: String
        /// Messages with this label that match.
        public var matched: Int
        /// Messages with this label.
        public var total: Int
    }

    /// The pattern as typed.
    public var pattern: String
    /// As compiled (fragments expanded).
    public var expanded: String
    /// Messages searched.
    public var searched: Int
    /// Matches that may be shown, in corpus order.
    public var matches: [Match]
    /// Matches in held-out parts, by part: counted, never shown.
    public var hidden: [(part: String, count: Int)]
    /// Matches per labelled category, most first.
    public var byCategory: [Group]
    /// Matches per labelled lead department, most first.
    public var byLead: [Group]
    /// Messages on which the pattern failed (backtracking bound).
    public var failures: Int

    /// All matches, shown and hidden.
    public var matchCount: Int { matches.count + hidden.reduce(0) { $0 + $1.count } }

    /// Runs `pattern` over `messages`. A pattern that does not compile returns its diagnostics.
    public static func run(_ pattern: String, ruleSet: RuleSet, messages: [LabelledMessage],
                           policy: HeldOutPolicy = HeldOutPolicy()) -> Result<PatternTrial, Diagnostics> {
        let (compiled, diagnostics) = ruleSet.trialPattern(pattern)
        guard let p = compiled else { return .failure(diagnostics) }
        var shown: [Match] = []
        var hiddenOrder: [String] = []
        var hidden: [String: Int] = [:]
        var failures = 0
        var catMatched: [String: Int] = [:], catTotal: [String: Int] = [:]
        var leadMatched: [String: Int] = [:], leadTotal: [String: Int] = [:]
        for m in messages {
            let category = m.expected.hasCategory ? (m.expected.category?.rawValue ?? "none") : nil
            let lead = m.expected.hasLead ? (m.expected.lead?.rawValue ?? "none") : nil
            if let category { catTotal[category, default: 0] += 1 }
            if let lead { leadTotal[lead, default: 0] += 1 }
            let spans: [Range<Int>]
            do throws(PatternFailure) {
                spans = try p.matches(in: NormalizedText(m.text))
            } catch {
                failures += 1
                continue
            }
            guard !spans.isEmpty else { continue }
            if let category { catMatched[category, default: 0] += 1 }
            if let lead { leadMatched[lead, default: 0] += 1 }
            if policy.shows(m) {
                shown.append(Match(message: m, spans: spans))
            } else {
                let part = m.part ?? "?"
                if hidden[part] == nil { hiddenOrder.append(part) }
                hidden[part, default: 0] += 1
            }
        }
        func groups(_ matched: [String: Int], _ total: [String: Int]) -> [Group] {
            matched.map { Group(label: $0.key, matched: $0.value, total: total[$0.key] ?? 0) }
                .sorted { ($1.matched, $0.label) < ($0.matched, $1.label) }
        }
        return .success(PatternTrial(
            pattern: pattern, expanded: p.source, searched: messages.count, matches: shown,
            hidden: hiddenOrder.map { ($0, hidden[$0]!) }, byCategory: groups(catMatched, catTotal),
            byLead: groups(leadMatched, leadTotal), failures: failures))
    }

    /// The report: counts by label, then the visible matches with the span marked ⟦…⟧.
    public func text(ruleSet: RuleSet, maxCases: Int = 50) -> String {
        var out: [String] = []
        out.append("triage try '\(pattern)': \(matchCount) of \(searched) messages match")
        if expanded != pattern { out.append("  compiled as: \(expanded.count > 200 ? String(expanded.prefix(200)) + "…" : expanded)") }
        if failures > 0 { out.append("  the pattern failed (backtracking bound) on \(failures) message(s)") }
        func name(_ label: String, lead: Bool) -> String {
            if label == "none" { return "none" }
            if lead, let d = ruleSet.department(DepartmentID(label)) { return "\(label) \(d.name)" }
            if !lead, let c = ruleSet.category(CategoryID(label)) { return "\(label) \(c.name)" }
            return label
        }
        for (title, list, lead) in [("by labelled category", byCategory, false), ("by labelled lead", byLead, true)] where !list.isEmpty {
            out.append("")
            out.append("\(title):")
            var rows = [["", "matched", "of", "share"]]
            for g in list.prefix(15) {
                rows.append([name(g.label, lead: lead), String(g.matched), String(g.total), g.total == 0 ? "-" : fmt(Double(g.matched) / Double(g.total))])
            }
            out.append(TextReport.indent(TextReport.table(rows)))
            if list.count > 15 { out.append("  … \(list.count - 15) more") }
        }
        if !matches.isEmpty {
            out.append("")
            out.append("matches:")
            for m in matches.prefix(maxCases) {
                let label = [m.message.expected.category?.rawValue ?? (m.message.expected.hasCategory ? "none" : nil),
                             m.message.expected.lead?.rawValue].compactMap { $0 }.joined(separator: " → ")
                out.append("  \(m.message.path):\(m.message.line): \(m.message.id) [\(label)]  \(Self.mark(m.message.text, m.spans))")
            }
            if matches.count > maxCases { out.append("  … \(matches.count - maxCases) more (--max-cases N)") }
        }
        if !hidden.isEmpty {
            out.append("")
            out.append("held-out parts: \(hidden.map { "\($0.part) \($0.count)" }.joined(separator: ", ")) matching message(s), counted above but not shown (--reveal-held-out shows them)")
        }
        return out.joined(separator: "\n")
    }

    static func mark(_ text: String, _ spans: [Range<Int>]) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for i in 0...s.count {
            if spans.contains(where: { $0.upperBound == i && !$0.isEmpty }) { out.append("⟧") }
            if spans.contains(where: { $0.lowerBound == i && !$0.isEmpty }) { out.append("⟦") }
            if i < s.count { out.append(s[i]) }
        }
        return String(out)
    }
}
