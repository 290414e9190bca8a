import Foundation

/// CSV for Excel and the 12345 platform: UTF-8 with a byte-order mark (so that Excel on Chinese
/// Windows reads UTF-8, not GBK), CRLF line ends, RFC 4180 quoting, and cells that a spreadsheet
/// would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
/// prefixed with `'` against formula injection.
public struct CSVWriter: Sendable {
    /// The text so far, starting with the byte-order mark.
    public private(set) var text = "\u{FEFF}"

    /// Starts a document with a header row.
    public init(header: [String]) { row(header) }

    /// Appends one row.
    public mutating func row(_ cells: [String]) {
        text += cells.map(Self.cell).joined(separator: ",") + "\r\n"
    }

    /// One cell: neutralised against formulas, then quoted when it holds a comma, quote or line break.
    public static func cell(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { v = "'" + v }
        if v.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
