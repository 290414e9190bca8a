import TriageKit

/// A JSON value with ordered keys, for export lines that people read (the corpus order:
/// `id`, `text`, `received_at`, `expected`, `tags`, `provenance`).
public indirect enum OrderedJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])
    /// Text that is JSON already (a stored result or history entry), written as it is.
    case raw(String)

    /// A string or `null`.
    public static func optional(_ s: String?) -> OrderedJSON { s.map(OrderedJSON.string) ?? .null }

    /// An int or `null`.
    public static func optional(_ n: Int64?) -> OrderedJSON { n.map(OrderedJSON.int) ?? .null }

    /// Compact JSON on one line; non-ASCII characters are written as they are (UTF-8).
    public var serialized: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Indented JSON (2 spaces).
    public var pretty: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .double(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { out += String(Int64(d)) } else if d.isFinite { out += String(d) } else { out += "null" }
        case .string(let s): Self.quote(s, into: &out)
        case .raw(let json): out += json
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                Self.quote(key, into: &out)
                out += ": "
                value.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        }
    }

    /// The engine's JSON string escaping (one implementation for every JSON the project writes).
    static func quote(_ s: String, into out: inout String) { JSONValue.quote(s, into: &out) }
}

// Tuples are not Hashable; compare objects pair by pair.
extension OrderedJSON {
    public static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.serialized == b.serialized }
    public func hash(into h: inout Hasher) { h.combine(serialized) }
}
