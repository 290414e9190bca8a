public import TriageKit
import YAML

/// The ids of a whole labelled corpus, to check the registers' message ids against.
public struct CorpusIndex: Sendable {
    /// Id → whether its part is held out.
    public var heldOut: [String: Bool]
    /// Creates an index of `messages`.
    public init(_ messages: [LabelledMessage]) {
        heldOut = Dictionary(messages.map { ($0.id, $0.isHeldOut) }, uniquingKeysWith: { a, _ in a })
    }

    /// Errors for register ids that are not in the corpus, or in a held-out part (nobody may
    /// have read a held-out failing case to register it).
    func check(_ id: String, at loc: SourceLocation, register: String, sink: DiagnosticSink, entry: String?) {
        guard let held = heldOut[id] else {
            var message = "\(register) names '\(id)', which is not a message of the corpus"
            if let hint = EditDistance.suggestion(for: id, among: Array(heldOut.keys)) { message += " (did you mean '\(hint)'?)" }
            sink.error(loc, message, entry: entry, code: "unknown-reference")
            return
        }
        if held {
            sink.error(loc, "\(register) names a message of a held-out part; held-out failing cases are never read, so they cannot be registered", entry: entry, code: "held-out")
        }
    }
}

/// The register of known false positives, versioned with the rules in a
/// `known_false_positives` section (by convention `rules/known_false_positives.yaml`):
///
/// ```yaml
/// known_false_positives:
///   - rule: tech_page_error          # a rule, cue, item, combined-matter or department id
///     messages: [tune-0113, tune-0231]
///     note: 说的是纸质页码，不是网页
/// ```
///
/// The engine ignores the section. `triage test` and `triage stats` report a failing
/// message as a known false positive when an entry that fired on it lists its id.
public struct KnownFalsePositives: Sendable {
    /// One register entry.
    public struct Entry: Sendable {
        /// Rule, cue, item, combined-matter or department id.
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

    /// Reads the `known_false_positives` sections from the loader's parse of the rule files.
    /// Entries that name no rule, cue, item, combined matter or department of the rule set are
    /// errors; with `corpus`, so are message ids it does not have or that are held out.
    public static func read(_ loaded: LoadResult, corpus: CorpusIndex? = nil) -> (KnownFalsePositives, [Diagnostic]) {
        let sink = DiagnosticSink()
        var entries: [Entry] = []
        let ids = loaded.model.map(RuleRegisterIDs.all) ?? []
        let known = Set(ids)
        loaded.document.forEach(.knownFalsePositives, sink: sink) { r in
            guard let rule = r.string("rule"), !rule.isEmpty else { return }
            let messages = r.strings("messages")
            if messages.isEmpty, r.value("messages") != nil {
                r.sink.error(r.location, "known false positive of '\(rule)' lists no messages", entry: rule, code: "missing-key")
            }
            if loaded.model != nil, !known.contains(rule), let node = r.value("rule") {
                var m = "known false positive names unknown rule '\(rule)'"
                if let hint = EditDistance.suggestion(for: rule, among: ids) { m += " (did you mean '\(hint)'?)" }
                r.sink.error(r.loc(node), m, entry: rule, code: "unknown-reference")
            }
            for (id, node) in messages {
                corpus?.check(id, at: r.loc(node), register: "known false positive of '\(rule)'", sink: r.sink, entry: rule)
            }
            entries.append(Entry(rule: rule, messages: messages.map(\.0), note: r.string("note") ?? "", location: r.location))
        }
        return (KnownFalsePositives(entries: entries), sink.diagnostics.all)
    }
}

/// Every id a register may name.
enum RuleRegisterIDs {
    static func all(_ rs: RuleSet) -> [String] {
        rs.allRules.map(\.core.id) + rs.items.map(\.id) + rs.combined.map(\.id) + rs.departments.map(\.id.rawValue)
    }
}
