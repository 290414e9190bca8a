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
    mutating func dynamicKey(_ key: String)
    mutating func string(_ s: String)
    mutating func number(_ n: Double)
    mutating func integer(_ n: Int)
    /// A number written exactly as it was read (an id).
    mutating func lexeme(_ s: String)
    mutating func bool(_ b: Bool)
    mutating func null()
    /// A date as `YYYY-MM-DD`, a string.
    mutating func date(_ d: LocalDate)
    /// A time as ISO 8601 in its own offset, a string.
    mutating func timestamp(_ t: Timestamp)
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

/// Compact JSON (no spaces) as UTF-8 bytes: the same text ``JSONValue/serialized`` gives for
/// the same document, without building a tree or a `String`. The bytes go into a buffer of
/// the writer's own (no per-append checks); ``finish(appendingTo:)`` hands them over in one copy.
package struct JSONWriter: JSONEmitter {
    private let buffer: ByteStore
    private var needsComma = false

    /// A writer with room for `capacity` bytes to begin with.
    package init(capacity: Int = 4096) {
        buffer = ByteStore(capacity: capacity)
    }

    /// Appends what was written to `bytes`.
    package func finish(appendingTo bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: buffer.base, count: buffer.count))
    }

    /// What was written.
    package var bytes: [UInt8] { Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count)) }

    @inline(__always) private mutating func separate() {
        if needsComma { buffer.byte(0x2C) }
    }

    package mutating func objectStart() {
        separate()
        buffer.byte(0x7B)
        needsComma = false
    }

    package mutating func objectEnd() {
        buffer.byte(0x7D)
        needsComma = true
    }

    package mutating func arrayStart() {
        separate()
        buffer.byte(0x5B)
        needsComma = false
    }

    package mutating func arrayEnd() {
        buffer.byte(0x5D)
        needsComma = true
    }

    package mutating func key(_ key: StaticString) {
        separate()
        // Keys of the contract are ASCII identifiers: nothing to escape.
        buffer.reserve(key.utf8CodeUnitCount + 3)
        buffer.byte(0x22)
        buffer.bytes(key.utf8Start, key.utf8CodeUnitCount)
        buffer.byte(0x22)
        buffer.byte(0x3A)
        needsComma = false
    }

    package mutating func dynamicKey(_ key: String) {
        separate()
        JSONWriter.quote(key, into: buffer)
        buffer.byte(0x3A)
        needsComma = false
    }

    package mutating func string(_ s: String) {
        separate()
        JSONWriter.quote(s, into: buffer)
        needsComma = true
    }

    package mutating func number(_ n: Double) {
        separate()
        JSONWriter.format(n, into: buffer)
        needsComma = true
    }

    package mutating func integer(_ n: Int) {
        separate()
        buffer.digits(n)
        needsComma = true
    }

    package mutating func lexeme(_ s: String) {
        separate()
        buffer.utf8(s)
        needsComma = true
    }

    package mutating func bool(_ b: Bool) {
        separate()
        buffer.ascii(b ? "true" : "false")
        needsComma = true
    }

    package mutating func null() {
        separate()
        buffer.ascii("null")
        needsComma = true
    }

    package mutating func date(_ d: LocalDate) {
        guard (0...9999).contains(d.year) else { return string(d.description) }
        separate()
        buffer.byte(0x22)
        buffer.date(d)
        buffer.byte(0x22)
        needsComma = true
    }

    package mutating func timestamp(_ t: Timestamp) {
        let local = t.epochSeconds + t.offsetSeconds
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let date = LocalDate(daysSinceEpoch: days)
        guard (0...9999).contains(date.year), abs(t.offsetSeconds) < 100 * 3600 else { return string(t.description) }
        separate()
        let rest = local - days * 86400
        buffer.byte(0x22)
        buffer.date(date)
        buffer.byte(0x54)  // T
        buffer.two(rest / 3600)
        buffer.byte(0x3A)
        buffer.two(rest % 3600 / 60)
        buffer.byte(0x3A)
        buffer.two(rest % 60)
        if t.offsetSeconds == 0 {
            buffer.byte(0x5A)  // Z
        } else {
            let a = abs(t.offsetSeconds)
            buffer.byte(t.offsetSeconds < 0 ? 0x2D : 0x2B)
            buffer.two(a / 3600)
            buffer.byte(0x3A)
            buffer.two(a % 3600 / 60)
        }
        buffer.byte(0x22)
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
                dynamicKey(k)
                value(item)
            }
            objectEnd()
        }
    }

    /// A number as ``JSONValue/format(_:)`` writes it (`into` a byte array).
    package static func format(_ n: Double, into out: inout [UInt8]) {
        let store = ByteStore(capacity: 32)
        format(n, into: store)
        out.append(contentsOf: UnsafeBufferPointer(start: store.base, count: store.count))
    }

    /// A number as ``JSONValue/format(_:)`` writes it: integers without a point, others to at
    /// most six decimals where that is what they are, otherwise as Swift prints them.
    static func format(_ n: Double, into out: ByteStore) {
        if n == n.rounded(), abs(n) < 1e15 {
            out.digits(Int(n))
            return
        }
        // Six decimals or fewer, between 0.001 and 10^9: digit by digit (what `String` would print).
        let scaled = (n * 1e6).rounded()
        if abs(n) >= 0.001, abs(n) < 1e9, abs(scaled / 1e6 - n) < 1e-9 {
            let m = Int(scaled)
            if m < 0 { out.byte(0x2D) }
            let a = abs(m)
            out.digits(a / 1_000_000)
            var fraction = a % 1_000_000
            var places = 6
            while fraction % 10 == 0 && places > 0 {
                fraction /= 10
                places -= 1
            }
            if places == 0 {
                // A near-integer rounds to a whole Double, which Swift prints with ".0".
                out.byte(0x2E)
                out.byte(0x30)
            } else {
                out.byte(0x2E)
                var divisor = 1
                for _ in 1..<places { divisor *= 10 }
                while divisor > 0 {
                    out.byte(UInt8(0x30 + fraction / divisor % 10))
                    divisor /= 10
                }
            }
            return
        }
        out.utf8(JSONValue.format(n))
    }

    /// `s` as a JSON string: quote, backslash, controls, DEL, U+2028 and U+2029 escaped; the rest as UTF-8.
    static func quote(_ s: String, into out: ByteStore) {
        var s = s
        s.withUTF8 { u in
            guard let base = u.baseAddress else {
                out.byte(0x22)
                out.byte(0x22)
                return
            }
            let n = u.count
            out.reserve(n + 2)
            out.byte(0x22)
            var run = 0  // start of the bytes not yet copied
            var i = 0
            while i < n {
                // Eight bytes at a time while none of them can need an escape: no control
                // character, no quote, backslash or DEL, no E2 (the lead byte of U+2028/9).
                if i + 8 <= n {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if !ByteStore.mayNeedEscape(w) {
                        i += 8
                        continue
                    }
                }
                let b = base[i]
                var code: UInt32 = 0
                var escape: UInt8 = 0
                switch b {
                case 0x22: escape = 0x22
                case 0x5C: escape = 0x5C
                case 0x0A: escape = 0x6E
                case 0x0D: escape = 0x72
                case 0x09: escape = 0x74
                case 0x00..<0x20, 0x7F: code = UInt32(b)
                case 0xE2 where i + 2 < n && base[i + 1] == 0x80 && (base[i + 2] == 0xA8 || base[i + 2] == 0xA9):
                    code = base[i + 2] == 0xA8 ? 0x2028 : 0x2029
                default:
                    i += 1
                    continue
                }
                out.bytes(base + run, i - run)
                if escape != 0 {
                    out.byte(0x5C)
                    out.byte(escape)
                    i += 1
                } else {
                    let hex: StaticString = "0123456789abcdef"
                    let h = hex.utf8Start
                    out.byte(0x5C)
                    out.byte(0x75)
                    out.byte(h[Int(code >> 12 & 0xF)])
                    out.byte(h[Int(code >> 8 & 0xF)])
                    out.byte(h[Int(code >> 4 & 0xF)])
                    out.byte(h[Int(code & 0xF)])
                    i += code >= 0x2028 ? 3 : 1
                }
                run = i
            }
            out.bytes(base + run, n - run)
            out.byte(0x22)
        }
    }
}

/// A growable block of bytes written without bounds or uniqueness checks.
final class ByteStore {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Room for `k` more bytes.
    @inline(__always) func reserve(_ k: Int) {
        if count + k > capacity { grow(count + k) }
    }

    private func grow(_ needed: Int) {
        let grown = max(capacity * 2, needed)
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = grown
    }

    @inline(__always) func byte(_ b: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = b
        count += 1
    }

    @inline(__always) func bytes(_ p: UnsafePointer<UInt8>, _ k: Int) {
        guard k > 0 else { return }
        reserve(k)
        (base + count).update(from: p, count: k)
        count += k
    }

    func ascii(_ s: StaticString) { bytes(s.utf8Start, s.utf8CodeUnitCount) }

    func utf8(_ s: String) {
        var s = s
        s.withUTF8 { u in if let p = u.baseAddress { bytes(p, u.count) } }
    }

    /// The decimal digits of `n`.
    func digits(_ n: Int) {
        if n < 0 {
            if n == Int.min { return utf8(String(n)) }
            byte(0x2D)
            return digits(-n)
        }
        if n < 10 { return byte(UInt8(0x30 + n)) }
        var v = n, width = 0
        while v > 0 { v /= 10; width += 1 }
        reserve(width)
        v = n
        var k = count + width
        while v > 0 {
            k -= 1
            base[k] = UInt8(0x30 + v % 10)
            v /= 10
        }
        count += width
    }

    /// Two digits (a number below 100).
    @inline(__always) func two(_ n: Int) {
        if n >= 100 { return digits(n) }
        byte(UInt8(0x30 + n / 10))
        byte(UInt8(0x30 + n % 10))
    }

    /// `YYYY-MM-DD` for a year 0...9999 (as `LocalDate.description` writes it).
    func date(_ d: LocalDate) {
        let y = d.year
        byte(UInt8(0x30 + y / 1000))
        byte(UInt8(0x30 + y / 100 % 10))
        byte(UInt8(0x30 + y / 10 % 10))
        byte(UInt8(0x30 + y % 10))
        byte(0x2D)
        two(d.month)
        byte(0x2D)
        two(d.day)
    }

    /// Whether any of the eight bytes of `w` is below 0x20, or 0x22, 0x5C, 0x7F or 0xE2.
    @inline(__always) static func mayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        // Bytes below 0x20: (x - 0x20…) borrows into the high bit only for bytes under 0x20
        // (bytes of 0x80 and more are excluded by `& ~w`).
        let below = (w &- 0x2020_2020_2020_2020) & ~w & highs
        return below != 0 || hasZero(w ^ 0x2222_2222_2222_2222) || hasZero(w ^ 0x5C5C_5C5C_5C5C_5C5C)
            || hasZero(w ^ 0x7F7F_7F7F_7F7F_7F7F) || hasZero(w ^ 0xE2E2_E2E2_E2E2_E2E2)
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
    package mutating func dynamicKey(_ key: String) { pendingKey = key }
    package mutating func string(_ s: String) { add(.string(s)) }
    package mutating func number(_ n: Double) { add(.number(n)) }
    package mutating func integer(_ n: Int) { add(.number(Double(n))) }
    package mutating func lexeme(_ s: String) { add(.numberLexeme(s)) }
    package mutating func bool(_ b: Bool) { add(.bool(b)) }
    package mutating func null() { add(.null) }
    package mutating func date(_ d: LocalDate) { add(.string(d.description)) }
    package mutating func timestamp(_ t: Timestamp) { add(.string(t.description)) }
}
