public import TriageKit
import YAML

/// The register of known false positives, versioned with the rules in a
/// `known_false_positives` section (by convention `rules/known_false_positives.yaml`):
///
/// ```yaml
/// known_false_positives:
///   - rule: tech_page_error          # a rule, cue, item or combined-matter id
///     messages: [tune-0113, tune-0231]
///     note: 说的是纸质页码，不是网页
/// ```
///
/// The engine ignores the section. `triage test` and `triage stats` report a failing
/// message as a known false positive when an entry that fired on it lists its id.
public struct KnownFalsePositives: Sendable {
    /// One register entry.
    public struct Entry: Sendable {
        /// Rule, cue, item or combined-matter id.
        public var rule: String
        /// Message ids it is known to misfire on.
        public var messages: [String]
        /// Why, for people.
        public var note: String
        /// Where it was written.
        public var location: SourceLocation
    }

    /// Entries in file order.
    public var entries: [Entry]
    private var index: [String: Set<String>]

    /// Creates a register.
    public init(entries: [Entry]) {
        self.entries = entries
        var index: [String: Set<String>] = [:]
        for e in entries { index[e.rule, default: []].formUnion(e.messages) }
        self.index = index
    }

    /// True when `rule` is registered as misfiring on `message`.
    public func contains(rule: String, message: String) -> Bool { index[rule]?.contains(message) ?? false }

    /// The registered entries among `fired` that list `message`.
    public func matching(message: String, fired: [String]) -> [String] {
        fired.filter { contains(rule: $0, message: message) }
    }

    /// Reads the `known_false_positives` sections of a rule set's files. Entries that name
    /// no rule, cue, item or combined matter of `ruleSet` are errors.
    public static func read(_ source: RuleSource, ruleSet: RuleSet?) -> (KnownFalsePositives, [Diagnostic]) {
        var entries: [Entry] = []
        var diags: [Diagnostic] = []
        for file in source.files {
            let doc = YAMLDocument.parse(file.contents)
            guard let section = doc.root?["known_false_positives"] else { continue }
            func loc(_ n: Node) -> SourceLocation { SourceLocation(path: file.path, line: n.mark.line, column: n.mark.column) }
            func error(_ n: Node, _ m: String, _ entry: String? = nil, _ code: String = "known-false-positives") {
                diags.append(Diagnostic(.error, path: file.path, line: n.mark.line, column: n.mark.column, message: m, entry: entry, code: code))
            }
            if case .null = section.kind { continue }
            guard let list = section.elements else {
                error(section, "'known_false_positives' must be a list of entries")
                continue
            }
            for e in list {
                guard let pairs = e.pairs else {
                    error(e, "each known false positive must be a mapping with 'rule' and 'messages'")
                    continue
                }
                let known = ["rule", "messages", "note"]
                for p in pairs {
                    guard let k = p.key.scalar, !known.contains(k) else { continue }
                    var m = "unknown key '\(k)' in a known false positive"
                    if let hint = EditDistance.suggestion(for: k, among: known) { m += " (did you mean '\(hint)'?)" }
                    error(p.key, m, e["rule"]?.scalar, "unknown-key")
                }
                guard let rule = e["rule"]?.scalar, !rule.isEmpty else {
                    error(e, "missing required key 'rule'", nil, "missing-key")
                    continue
                }
                var messages: [String] = []
                if let m = e["messages"] {
                    if let s = m.scalar { messages = [s] } else if let l = m.elements { messages = l.compactMap(\.scalar) }
                }
                if messages.isEmpty { error(e, "known false positive of '\(rule)' lists no messages", rule, "missing-key") }
                if let rs = ruleSet {
                    let ids = rs.rules.map(\.id) + rs.cues.map(\.id) + rs.items.map(\.id) + rs.combined.map(\.id)
                    if !ids.contains(rule) {
                        var m = "known false positive names unknown rule '\(rule)'"
                        if let hint = EditDistance.suggestion(for: rule, among: ids) { m += " (did you mean '\(hint)'?)" }
                        error(e["rule"]!, m, rule, "unknown-reference")
                    }
                }
                entries.append(Entry(rule: rule, messages: messages, note: e["note"]?.scalar ?? "", location: loc(e)))
            }
        }
        return (KnownFalsePositives(entries: entries), diags)
    }
}
