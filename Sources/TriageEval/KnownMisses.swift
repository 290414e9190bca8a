public import TriageKit
import YAML

/// The register of known misses, like Semgrep's `todoruleid`: corpus messages the rules should
/// get right but do not yet, in a `todo` section (by convention `rules/todo.yaml`):
///
/// ```yaml
/// todo:
///   - messages: [tune-0114]
///     fields: [lead]                # optional: which labelled fields are wrong
///     note: 跨区迁移应由税务局牵头；缺少“跨区迁移”事项
///     owner: 区税务局
/// ```
///
/// `triage test` lists a failing message that the register names (on the named fields) as a
/// known miss, apart from new failures, and a registered message that now passes as newly fixed:
/// good news, to be removed from the register. Metrics are not adjusted.
public struct KnownMisses: Sendable {
    /// One entry.
    public struct Entry: Sendable {
        /// Message ids.
        public var messages: [String]
        /// The fields expected to be wrong; empty: any.
        public var fields: [String]
        /// What is missing.
        public var note: String
        /// Who will fix it.
        public var owner: String
        /// Where it was written.
        public var location: SourceLocation
    }

    /// Entries in file order.
    public var entries: [Entry]
    private var index: [String: Entry]

    /// Creates a register.
    public init(entries: [Entry]) {
        self.entries = entries
        var index: [String: Entry] = [:]
        for e in entries { for m in e.messages where index[m] == nil { index[m] = e } }
        self.index = index
    }

    /// The entry naming `message`, if any.
    public func entry(for message: String) -> Entry? { index[message] }

    /// True when `message` is registered and every field it fails on is one the entry names.
    public func covers(_ message: String, _ mismatches: [Mismatch]) -> Bool {
        guard let e = index[message] else { return false }
        return e.fields.isEmpty || mismatches.allSatisfy { e.fields.contains($0.field) }
    }

    /// Reads the `todo` sections from the loader's parse; with `corpus`, unknown and held-out ids are errors.
    public static func read(_ loaded: LoadResult, corpus: CorpusIndex? = nil) -> (KnownMisses, [Diagnostic]) {
        let sink = DiagnosticSink()
        var entries: [Entry] = []
        loaded.document.forEach(.todo, sink: sink) { r in
            let messages = r.strings("messages")
            if messages.isEmpty, r.value("messages") != nil {
                r.sink.error(r.location, "a known miss lists no messages", code: "missing-key")
            }
            var fields: [String] = []
            let allowed = LabelledField.allCases.map(\.rawValue)
            for (f, node) in r.strings("fields") {
                if allowed.contains(f) {
                    fields.append(f)
                } else {
                    var m = "'fields' entries must be one of \(allowed.joined(separator: ", ")), not '\(f)'"
                    if let hint = EditDistance.suggestion(for: f, among: allowed) { m += " (did you mean '\(hint)'?)" }
                    r.sink.error(r.loc(node), m, code: "type")
                }
            }
            for (id, node) in messages { corpus?.check(id, at: r.loc(node), register: "known miss", sink: r.sink, entry: nil) }
            entries.append(Entry(messages: messages.map(\.0), fields: fields, note: r.string("note") ?? "",
                                 owner: r.string("owner") ?? "", location: r.location))
        }
        return (KnownMisses(entries: entries), sink.diagnostics.all)
    }
}
