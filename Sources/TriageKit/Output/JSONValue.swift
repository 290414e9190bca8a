/// A JSON value with object keys kept in order, so output is stable and readable.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    /// A number as written in parsed JSON, kept as its lexeme so that it is echoed
    /// digit for digit (a 19-digit work-order number must not become a `Double`).
    case numberLexeme(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.numberLexeme(let x), .numberLexeme(let y)): return x == y
        case (.number(let x), .numberLexeme(let y)), (.numberLexeme(let y), .number(let x)): return Double(y) == x
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value for `key` in an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// The string, or `nil` when this is not a string.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, or `nil`.
    public var number: Double? {
        switch self {
        case .number(let n): return n
        case .numberLexeme(let s): return Double(s)
        default: return nil
        }
    }

    /// The boolean, or `nil`.
    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, or `nil`.
    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// True for `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A name of the value's type for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number, .numberLexeme: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Compact JSON text (no spaces), non-ASCII written as UTF-8.
    public var serialized: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the value as compact JSON (UTF-8) to `bytes`.
    public func write(to bytes: inout [UInt8]) {
        var w = JSONWriter(capacity: 1024)
        w.value(self)
        w.finish(appendingTo: &bytes)
    }

    /// Pretty JSON text with two-space indentation.
    public var pretty: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += JSONValue.format(n)
        case .numberLexeme(let lexeme): out += lexeme
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent, level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent, level + 1)
                JSONValue.quote(key, into: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out += "}"
        }
    }

    private func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    package static func format(_ n: Double) -> String {
        if n.isNaN || n.isInfinite { return "null" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        var s = String(n)
        if s.contains("e") { return s }
        // Trim binary noise such as 0.30000000000000004 to a readable figure.
        let rounded = (n * 1e6).rounded() / 1e6
        if abs(rounded - n) < 1e-9 { s = String(rounded) }
        return s
    }

    /// Appends `s` as a JSON string (control characters, U+2028/2029 and DEL escaped).
    package static func quote(_ s: String, into out: inout String) {
        out += "\""
        // Fast path: most strings need no escape and are appended whole.
        if !needsEscape(s) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Whether `quote` must escape anything: control characters, quote, backslash, DEL, U+2028, U+2029.
    private static func needsEscape(_ s: String) -> Bool {
        var utf8 = s.utf8.makeIterator()
        while let b = utf8.next() {
            if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F { return true }
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
            if b == 0xE2, utf8.next() == 0x80, let c = utf8.next(), c == 0xA8 || c == 0xA9 { return true }
        }
        return false
    }
}

