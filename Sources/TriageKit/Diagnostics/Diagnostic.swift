/// A finding about a rule set, a corpus or an input: `path:line:col: error: message [id]`.
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    /// How bad a finding is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning, note
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        private var rank: Int {
            switch self {
            case .error: return 0
            case .warning: return 1
            case .note: return 2
            }
        }
    }

    /// Error, warning or note.
    public var severity: Severity
    /// The file, relative to the rule-set folder where possible.
    public var path: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column in Unicode scalars, when known.
    public var column: Int?
    /// What is wrong, in one line.
    public var message: String
    /// The rule or entry the finding is about (`tech_login_failure`), when there is one.
    public var entry: String?
    /// A stable machine-readable kind, e.g. `yaml-syntax`, `unknown-key`, `pattern-compile`.
    public var code: String
    /// How to fix it, in plain language (English and Chinese), when the message alone needs
    /// expertise to act on; shown under the caret.
    public var hint: String?

    /// Creates a diagnostic.
    public init(
        _ severity: Severity, path: String, line: Int? = nil, column: Int? = nil,
        message: String, entry: String? = nil, code: String, hint: String? = nil
    ) {
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.entry = entry
        self.code = code
        self.hint = hint
    }

    /// `path:line:col: severity: message [entry-or-code]`.
    public var description: String {
        var s = path
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        }
        s += ": \(severity.rawValue): \(message) [\(entry ?? code)]"
        return s
    }

    /// The diagnostic as a JSON object.
    public var json: JSONValue {
        .object([
            ("severity", .string(severity.rawValue)),
            ("path", .string(path)),
            ("line", line.map { .number(Double($0)) } ?? .null),
            ("column", column.map { .number(Double($0)) } ?? .null),
            ("message", .string(message)),
            ("entry", entry.map(JSONValue.string) ?? .null),
            ("code", .string(code)),
        ] + (hint.map { [("hint", JSONValue.string($0))] } ?? []))
    }
}

/// A list of diagnostics collected in one run; loading goes on after an error so
/// that every problem is reported at once.
public struct Diagnostics: Sendable, Error, CustomStringConvertible {
    /// All findings, in the order found.
    public var all: [Diagnostic] = []

    /// Creates an empty list.
    public init() {}

    /// Creates a list from findings.
    public init(_ all: [Diagnostic]) { self.all = all }

    /// Appends a finding.
    public mutating func append(_ d: Diagnostic) { all.append(d) }

    /// Findings of severity error.
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    /// Findings of severity warning.
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }
    /// True when any finding is an error.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// Sorted by path, line, column.
    public var sorted: [Diagnostic] {
        all.sorted { a, b in
            (a.path, a.line ?? 0, a.column ?? 0, a.severity) < (b.path, b.line ?? 0, b.column ?? 0, b.severity)
        }
    }

    public var description: String { sorted.map(\.description).joined(separator: "\n") }
}

