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

    /// Creates a diagnostic.
    public init(
        _ severity: Severity, path: String, line: Int? = nil, column: Int? = nil,
        message: String, entry: String? = nil, code: String
    ) {
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.entry = entry
        self.code = code
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
        ])
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

/// Renders diagnostics with the offending source line and a caret aligned by
/// display width (CJK characters take two terminal columns).
public struct DiagnosticRenderer: Sendable {
    /// Source text per path, to quote lines from.
    public var sources: [String: String]

    /// Creates a renderer over the given sources.
    public init(sources: [String: String]) { self.sources = sources }

    /// The diagnostic line, then the source line and a caret when the location is known.
    public func render(_ d: Diagnostic) -> String {
        var out = d.description
        guard let line = d.line, let column = d.column, let text = sources[d.path] else { return out }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return out }
        let src = lines[line - 1].replacingTabs()
        let prefix = String(String.UnicodeScalarView(src.unicodeScalars.prefix(max(column - 1, 0))))
        out += "\n    " + src + "\n    " + String(repeating: " ", count: DisplayWidth.of(prefix)) + "^"
        return out
    }
}

extension Substring {
    fileprivate func replacingTabs() -> String {
        String(self).split(separator: "\t", omittingEmptySubsequences: false).joined(separator: " ")
    }
}

/// Terminal display width: East Asian wide and full-width characters count two columns.
public enum DisplayWidth {
    /// The number of terminal columns `text` takes.
    public static func of(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    /// Columns for one scalar: 0 for combining marks and controls, 2 for wide, 1 otherwise.
    public static func width(of s: Unicode.Scalar) -> Int {
        let v = s.value
        if v == 0 || (v < 0x20) || (0x7F..<0xA0).contains(v) { return 0 }
        if s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .enclosingMark { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
        {
            return 2
        }
        return 1
    }
}

/// Edit distance, for did-you-mean hints.
public enum EditDistance {
    /// Levenshtein distance between `a` and `b`.
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// The closest candidate within a small distance, for "did you mean 'x'?".
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        return candidates.map { ($0, between(word, $0)) }.filter { $0.1 <= limit }.min { $0.1 < $1.1 }?.0
    }
}
