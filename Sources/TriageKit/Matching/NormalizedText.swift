internal import Foundation
internal import ChineseVariants
internal import Synchronization

/// Text prepared for matching: NFKC, Latin lower-cased, white space collapsed,
/// traditional Chinese characters simplified one for one, held as UTF-8 bytes
/// with a map back to Unicode-scalar offsets of the original.
package struct NormalizedText: Sendable {
    /// The normalised text as UTF-8.
    package let bytes: [UInt8]
    /// For each normalised byte, the index of the original scalar it came from;
    /// one extra entry at the end holds the original scalar count.
    let origin: [Int32]
    /// The original text as UTF-8.
    let originalUTF8: [UInt8]
    /// Byte offset in `originalUTF8` of each original scalar, plus the total length at the end.
    let scalarOffsets: [Int32]
    /// Number of Unicode scalars in the original text.
    package var scalarCount: Int { scalarOffsets.count - 1 }
    /// Letters and digits in the text, the measure of how much it says.
    package let meaningfulCount: Int

    /// Normalises `text`.
    package init(_ text: String) {
        let utf8 = Array(text.utf8)
        let variants = TraditionalToSimplified.shared
        let n = utf8.count
        var out = Output(capacity: n + 16)
        defer { out.free() }
        var offsets = [Int32](repeating: 0, count: n + 1)
        var scalars = 0
        utf8.withUnsafeBufferPointer { u in
            offsets.withUnsafeMutableBufferPointer { offsets in
                var i = 0
                var index = 0
                while i < n {
                    offsets[index] = Int32(i)
                    let lead = u[i]
                    if lead < 0x80 {
                        // ASCII: lower case; white space and controls collapse to one space.
                        if lead <= 0x20 || lead == 0x7F {
                            if out.count > 0 { out.pendingSpace = true }
                        } else {
                            let b = lead >= 0x41 && lead <= 0x5A ? lead + 0x20 : lead
                            let meaningful = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                            out.byte(b, meaningful: meaningful, from: index)
                        }
                        i += 1
                        index += 1
                        continue
                    }
                    // A CJK ideograph (U+4000..U+9FFF, lead bytes E4..E9) is unchanged by NFKC;
                    // a traditional one becomes its simplified form, also three bytes.
                    if lead >= 0xE4 && lead <= 0xE9 && i + 2 < n {
                        let (c0, c1, c2) = variants.simplifiedUTF8(lead, u[i + 1], u[i + 2])
                        out.cjk(c0, c1, c2, from: index)
                        i += 3
                        index += 1
                        continue
                    }
                    let length = lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4)
                    var v = UInt32(lead) & (length == 2 ? 0x1F : (length == 3 ? 0x0F : 0x07))
                    for k in 1..<length { v = v << 6 | (UInt32(u[i + k]) & 0x3F) }
                    i += length
                    if v == 0x3001 || v == 0x3002 {
                        out.scalar(v, space: false, meaningful: false, from: index)  // 、。 are unchanged by NFKC.
                    } else if v >= 0xFF01 && v <= 0xFF5E {
                        // Full-width ASCII.
                        var w = UInt8(v - 0xFEE0)
                        if w >= 0x41 && w <= 0x5A { w += 0x20 }
                        let meaningful = (w >= 0x61 && w <= 0x7A) || (w >= 0x30 && w <= 0x39)
                        out.byte(w, meaningful: meaningful, from: index)
                    } else {
                        for m in NormalizedText.mapping(v, variants) {
                            out.scalar(m.value, space: m.space, meaningful: m.meaningful, from: index)
                        }
                    }
                    index += 1
                }
                scalars = index
            }
        }
        offsets[scalars] = Int32(n)
        offsets.removeLast(n - scalars)
        out.originAppend(Int32(scalars))
        self.bytes = out.bytesArray()
        self.origin = out.originArray()
        self.originalUTF8 = utf8
        self.scalarOffsets = offsets
        self.meaningfulCount = out.meaningful
    }

    /// One scalar of what a character normalises to, with how the normaliser counts it.
    struct Mapped: Sendable {
        var value: UInt32
        var space: Bool
        var meaningful: Bool
    }

    /// What the characters outside the fast paths normalise to (NFKC, lower case, simplified),
    /// worked out once per character and kept.
    private static let mappings = Mutex<[UInt32: [Mapped]]>([:])

    static func mapping(_ v: UInt32, _ variants: TraditionalToSimplified) -> [Mapped] {
        if let known = mappings.withLock({ $0[v] }) { return known }
        let s = Unicode.Scalar(v) ?? "\u{FFFD}"
        let mapped = String(s).precomposedStringWithCompatibilityMapping.lowercased()
        let result = mapped.unicodeScalars.map { m -> Mapped in
            let t = variants.simplified(m)
            let meaningful = (t.value >= 0x4E00 && t.value <= 0x9FFF) || t.properties.isAlphabetic || t.properties.numericType != nil
            return Mapped(value: t.value, space: NormalizedText.isSpace(t), meaningful: meaningful)
        }
        mappings.withLock { $0[v] = result }
        return result
    }

    /// The normalised bytes and their origins, written without bounds or uniqueness checks.
    private struct Output {
        var bytes: UnsafeMutablePointer<UInt8>
        var origin: UnsafeMutablePointer<Int32>
        var count = 0
        var capacity: Int
        var meaningful = 0
        var pendingSpace = false

        init(capacity: Int) {
            self.capacity = capacity
            bytes = .allocate(capacity: capacity)
            origin = .allocate(capacity: capacity + 1)
        }

        func free() {
            bytes.deallocate()
            origin.deallocate()
        }

        @inline(__always) mutating func reserve(_ k: Int) {
            guard count + k > capacity else { return }
            let grown = max(capacity * 2, count + k)
            let b = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            b.update(from: bytes, count: count)
            bytes.deallocate()
            bytes = b
            let o = UnsafeMutablePointer<Int32>.allocate(capacity: grown + 1)
            o.update(from: origin, count: count)
            origin.deallocate()
            origin = o
            capacity = grown
        }

        @inline(__always) mutating func flushSpace(from i: Int) {
            if pendingSpace {
                pendingSpace = false
                reserve(1)
                bytes[count] = 0x20
                origin[count] = Int32(i)
                count += 1
            }
        }

        /// An ASCII byte that is not a space.
        @inline(__always) mutating func byte(_ b: UInt8, meaningful isMeaningful: Bool, from i: Int) {
            flushSpace(from: i)
            reserve(1)
            bytes[count] = b
            origin[count] = Int32(i)
            count += 1
            if isMeaningful { meaningful += 1 }
        }

        /// A CJK ideograph as its three bytes.
        @inline(__always) mutating func cjk(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, from i: Int) {
            flushSpace(from: i)
            reserve(3)
            bytes[count] = b0
            bytes[count + 1] = b1
            bytes[count + 2] = b2
            let o = Int32(i)
            origin[count] = o
            origin[count + 1] = o
            origin[count + 2] = o
            count += 3
            meaningful += 1
        }

        /// Any scalar.
        mutating func scalar(_ v: UInt32, space: Bool, meaningful isMeaningful: Bool, from i: Int) {
            if space {
                if count > 0 { pendingSpace = true }
                return
            }
            flushSpace(from: i)
            if isMeaningful { meaningful += 1 }
            reserve(4)
            let o = Int32(i)
            if v < 0x80 {
                bytes[count] = UInt8(v)
                origin[count] = o
                count += 1
            } else if v < 0x800 {
                bytes[count] = UInt8(0xC0 | (v >> 6))
                bytes[count + 1] = UInt8(0x80 | (v & 0x3F))
                origin[count] = o
                origin[count + 1] = o
                count += 2
            } else if v < 0x10000 {
                bytes[count] = UInt8(0xE0 | (v >> 12))
                bytes[count + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                bytes[count + 2] = UInt8(0x80 | (v & 0x3F))
                origin[count] = o
                origin[count + 1] = o
                origin[count + 2] = o
                count += 3
            } else {
                bytes[count] = UInt8(0xF0 | (v >> 18))
                bytes[count + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                bytes[count + 2] = UInt8(0x80 | ((v >> 6) & 0x3F))
                bytes[count + 3] = UInt8(0x80 | (v & 0x3F))
                for k in 0..<4 { origin[count + k] = o }
                count += 4
            }
        }

        mutating func originAppend(_ o: Int32) {
            origin[count] = o
        }

        func bytesArray() -> [UInt8] { Array(UnsafeBufferPointer(start: bytes, count: count)) }
        func originArray() -> [Int32] { Array(UnsafeBufferPointer(start: origin, count: count + 1)) }
    }

    /// White space and control characters: both become one space.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v <= 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
        if v < 0x7F || (v >= 0x3001 && v <= 0xFEFE) { return false }
        if v == 0x3000 || v == 0xFEFF || v == 0x200B { return true }
        return s.properties.isWhitespace
    }

    /// The byte offset in `bytes` where the normalised scalar number `n` starts (`bytes.count`
    /// when the text is shorter).
    package func byteOffset(ofScalar n: Int) -> Int {
        var seen = 0
        for (i, b) in bytes.enumerated() where b & 0xC0 != 0x80 {
            if seen == n { return i }
            seen += 1
        }
        return bytes.count
    }

    /// The number of normalised scalars in a byte range of `bytes`.
    package func scalarCount(in range: Range<Int>) -> Int {
        let r = range.clamped(to: 0..<bytes.count)
        var n = 0
        for i in r where bytes[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// The normalised text as a string.
    package var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Converts a byte range of the normalised text into a scalar range of the
    /// original text (end exclusive), covering every original scalar involved.
    package func originalRange(_ byteRange: Range<Int>) -> Range<Int> {
        guard !bytes.isEmpty else { return 0..<0 }
        let lower = Int(origin[min(byteRange.lowerBound, bytes.count)])
        if byteRange.isEmpty { return lower..<lower }
        let upper = Int(origin[min(byteRange.upperBound - 1, bytes.count - 1)]) + 1
        return lower..<max(upper, lower)
    }

    /// The original text of a scalar range.
    package func originalText(_ range: Range<Int>) -> String {
        let r = range.clamped(to: 0..<scalarCount)
        let from = Int(scalarOffsets[r.lowerBound]), to = Int(scalarOffsets[r.upperBound])
        return originalUTF8.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[from..<to]), as: UTF8.self) }
    }
}

/// Normalises a phrase from the rule set (an alias) the way messages are normalised.
package func normalizePhrase(_ s: String) -> String {
    NormalizedText(s).string
}
