/// Renders diagnostics with the offending source line and a caret aligned by
/// display width (CJK characters take two terminal columns).
public struct DiagnosticRenderer: Sendable {
    /// Source text per path, to quote lines from.
    public var sources: [String: String] {
        didSet { lines = Self.split(sources) }
    }
    /// The lines of each source, split once: splitting per diagnostic made rendering
    /// thousands of findings in one large file quadratic.
    private var lines: [String: [Substring]]

    /// Creates a renderer over the given sources.
    public init(sources: [String: String]) {
        self.sources = sources
        self.lines = Self.split(sources)
    }

    private static func split(_ sources: [String: String]) -> [String: [Substring]] {
        sources.mapValues { $0.split(separator: "\n", omittingEmptySubsequences: false) }
    }

    /// The diagnostic line, then the source line and a caret when the location is known.
    public func render(_ d: Diagnostic) -> String {
        var out = d.description
        if let line = d.line, let column = d.column, let lines = lines[d.path], line >= 1, line <= lines.count {
            let src = lines[line - 1].replacingTabs()
            let prefix = String(String.UnicodeScalarView(src.unicodeScalars.prefix(max(column - 1, 0))))
            out += "\n    " + src + "\n    " + String(repeating: " ", count: DisplayWidth.of(prefix)) + "^"
        }
        if let hint = d.hint { out += "\n    hint: " + hint }
        return out
    }
}

extension Substring {
    fileprivate func replacingTabs() -> String {
        String(self).split(separator: "\t", omittingEmptySubsequences: false).joined(separator: " ")
    }
}

