/// Where something was written in a rule-set file: 1-based line and column, the
/// column counted in Unicode scalars (as an author counts characters).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// File path relative to the rule-set folder.
    public var path: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int
    /// Creates a location.
    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }
    /// `path:line:column`.
    public var description: String { "\(path):\(line):\(column)" }
}
