/// Where a JSON document goes, value by value: written as bytes (``JSONWriter``) or built
/// as a ``JSONValue`` tree (``JSONTreeBuilder``). The output contract is written once, against
/// this protocol (ResultJSON.swift), so the bytes and the tree cannot disagree.
///
/// Keys and values are given in document order; the emitter places the commas and colons.
package protocol JSONEmitter {
    mutating func objectStart()
    mutating func objectEnd()
    mutating func arrayStart()
    mutating func arrayEnd()
    /// An object key; the next call gives its value.
    mutating func key(_ key: StaticString)
    /// A key known only at run time (a category id as a key of `scores`).
    mutating func key(_ key: String)
    mutating func string(_ s: String)
    mutating func number(_ n: Double)
    mutating func integer(_ n: Int)
    /// A number written exactly as it was read (an id).
    mutating func lexeme(_ s: String)
    mutating func bool(_ b: Bool)
    mutating func null()
}

extension JSONEmitter {
    /// A string, or `null`.
    mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// `key: value` for a string.
    mutating func field(_ k: StaticString, _ s: String) {
        key(k)
        string(s)
    }

    /// `key: value` for a boolean.
    mutating func field(_ k: StaticString, _ b: Bool) {
        key(k)
        bool(b)
    }
}

/// Compact JSON (no spaces) as UTF-8 bytes, appended to a byte buffer: the same text
/// ``JSONValue/serialized`` gives for the same document, without building a tree or a `String`.
package struct JSONWriter: JSONEmitter {
    /// The bytes written so far (and whatever the buffer held before).
    package var bytes: [UInt8]
    private var needsComma = false

    /// A writer that appends to `bytes`.
    package init(appendingTo bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    @inline(__always) private mutating func separate() {
        if needsComma { bytes.append(0x2C) }
    }

    package mutating func objectStart() {
        separate()
        bytes.append(0x7B)
        needsComma = false
    }

    package mutating func objectEnd() {
        bytes.append(0x7D)
        needsComma = true
    }

    package mutating func arrayStart() {
        separate()
        bytes.append(0x5B)
        needsComma = false
    }

    package mutating func arrayEnd() {
        bytes.append(0x5D)
        needsComma = true
    }

    package mutating func key(_ key: StaticString) {
        separate()
        bytes.append(0x22)
        // Keys of the contract are ASCII identifiers: nothing to escape.
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(0x22)
        bytes.append(0x3A)
        needsComma = false
    }

    package mutating func key(_ key: String) {
        separate()
        JSONWriter.quote(key, into: &bytes)
        bytes.append(0x3A)
        needsComma = false
    }

    package mutating func string(_ s: String) {
        separate()
        JSONWriter.quote(s, into: &bytes)
        needsComma = true
    }

    package mutating func number(_ n: Double) {
        separate()
        JSONWriter.format(n, into: &bytes)
        needsComma = true
    }

    package mutating func integer(_ n: Int) {
        separate()
        JSONWriter.digits(n, into: &bytes)
        needsComma = true
    }

    package mutating func lexeme(_ s: String) {
        separate()
        bytes.append(contentsOf: s.utf8)
        needsComma = true
    }

    package mutating func bool(_ b: Bool) {
        separate()
        if b {
            bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        } else {
            bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        }
        needsComma = true
    }

    package mutating func null() {
        separate()
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        needsComma = true
    }

    /// Appends a value tree.
    package mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): number(n)
        case .numberLexeme(let s): lexeme(s)
        case .string(let s): string(s)
        case .array(let items):
            arrayStart()
            for item in items { value(item) }
            arrayEnd()
        case .object(let pairs):
            objectStart()
            for (k, item) in pairs {
                key(k)
                value(item)
            }
            objectEnd()
        }
    }

    /// The decimal digits of `n`.
    package static func digits(_ n: Int, into out: inout [UInt8]) {
        if n < 0 {
            out.append(0x2D)
            if n == Int.min {
                out.append(contentsOf: String(n).utf8.dropFirst())
                return
            }
        }
        var v = n < 0 ? -n : n
        if v < 10 {
            out.append(UInt8(0x30 + v))
            return
        }
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let length = withUnsafeMutableBytes(of: &buffer) { raw -> Int in
            var k = raw.count
            while v > 0 {
                k -= 1
                raw[k] = UInt8(0x30 + v % 10)
                v /= 10
            }
            out.append(contentsOf: raw[k...])
            return raw.count - k
        }
        _ = length
    }

    /// A number as ``JSONValue/format(_:)`` writes it: integers without a point, others to at
    /// most six decimals where that is what they are, otherwise as Swift prints them.
    package static func format(_ n: Double, into out: inout [UInt8]) {
        if n == n.rounded(), abs(n) < 1e15 {
            digits(Int(n), into: &out)
            return
        }
        // Six decimals or fewer, between 0.001 and 10^9: digit by digit (what `String` would print).
        let scaled = (n * 1e6).rounded()
        if abs(n) >= 0.001, abs(n) < 1e9, abs(scaled / 1e6 - n) < 1e-9 {
            let m = Int(scaled)
            if m < 0 { out.append(0x2D) }
            let a = abs(m)
            digits(a / 1_000_000, into: &out)
            var fraction = a % 1_000_000
            var places = 6
            while fraction % 10 == 0 && places > 0 {
                fraction /= 10
                places -= 1
            }
            if places == 0 {
                // A near-integer rounds to a whole Double, which Swift prints with ".0".
                out.append(contentsOf: [0x2E, 0x30])
            } else {
                out.append(0x2E)
                var divisor = 1
                for _ in 1..<places { divisor *= 10 }
                while divisor > 0 {
                    out.append(UInt8(0x30 + fraction / divisor % 10))
                    divisor /= 10
                }
            }
            return
        }
        out.append(contentsOf: JSONValue.format(n).utf8)
    }

    /// `s` as a JSON string: quote, backslash, controls, DEL, U+2028 and U+2029 escaped; the rest as UTF-8.
    package static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { u in
            var run = 0  // start of the bytes not yet copied
            var i = 0
            let n = u.count
            while i < n {
                let b = u[i]
                var escape: StaticString?
                var code: UInt32 = 0
                switch b {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x00..<0x20, 0x7F: code = UInt32(b)
                case 0xE2 where i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9):
                    code = u[i + 2] == 0xA8 ? 0x2028 : 0x2029
                default:
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<i]))
                if let escape {
                    escape.withUTF8Buffer { out.append(contentsOf: $0) }
                    i += 1
                } else {
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, 0x75, hex[Int(code >> 12 & 0xF)], hex[Int(code >> 8 & 0xF)],
                                            hex[Int(code >> 4 & 0xF)], hex[Int(code & 0xF)]])
                    i += code >= 0x2028 ? 3 : 1
                }
                run = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<n]))
        }
        out.append(0x22)
    }
}

/// Builds a ``JSONValue`` tree from emitted values.
package struct JSONTreeBuilder: JSONEmitter {
    /// An open object or array, and the key it will have in its parent.
    private struct Open {
        var isObject: Bool
        var pairs: [(String, JSONValue)] = []
        var items: [JSONValue] = []
        var key: String?
    }

    private var stack: [Open] = []
    private var pendingKey: String?
    /// The finished document.
    package private(set) var result: JSONValue = .null

    package init() {}

    private mutating func add(_ v: JSONValue) {
        guard !stack.isEmpty else {
            result = v
            return
        }
        if stack[stack.count - 1].isObject {
            stack[stack.count - 1].pairs.append((pendingKey ?? "", v))
            pendingKey = nil
        } else {
            stack[stack.count - 1].items.append(v)
        }
    }

    package mutating func objectStart() {
        stack.append(Open(isObject: true, key: pendingKey))
        pendingKey = nil
    }

    package mutating func objectEnd() {
        let open = stack.removeLast()
        pendingKey = open.key
        add(.object(open.pairs))
    }

    package mutating func arrayStart() {
        stack.append(Open(isObject: false, key: pendingKey))
        pendingKey = nil
    }

    package mutating func arrayEnd() {
        let open = stack.removeLast()
        pendingKey = open.key
        add(.array(open.items))
    }

    package mutating func key(_ key: StaticString) { pendingKey = key.description }
    package mutating func key(_ key: String) { pendingKey = key }
    package mutating func string(_ s: String) { add(.string(s)) }
    package mutating func number(_ n: Double) { add(.number(n)) }
    package mutating func integer(_ n: Int) { add(.number(Double(n))) }
    package mutating func lexeme(_ s: String) { add(.numberLexeme(s)) }
    package mutating func bool(_ b: Bool) { add(.bool(b)) }
    package mutating func null() { add(.null) }
}
