internal import Foundation
internal import ChineseVariants

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
        var offsets: [Int32] = []
        offsets.reserveCapacity(utf8.count + 1)
        var b = Builder()
        b.bytes.reserveCapacity(utf8.count)
        b.origin.reserveCapacity(utf8.count)
        var i = 0
        var index = 0
        let n = utf8.count
        while i < n {
            offsets.append(Int32(i))
            let lead = utf8[i]
            // Fast path: a CJK ideograph (U+4E00..U+9FFF, lead bytes E4..E9) is unchanged by NFKC;
            // a traditional one becomes its simplified form, also three bytes.
            if lead >= 0xE4 && lead <= 0xE9 && i + 2 < n {
                let (c0, c1, c2) = variants.simplifiedUTF8(utf8[i], utf8[i + 1], utf8[i + 2])
                b.pushCJK(c0, c1, c2, from: index)
                i += 3
                index += 1
                continue
            }
            let length = lead < 0x80 ? 1 : (lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4))
            var v = UInt32(lead)
            if length > 1 {
                v = UInt32(lead) & (length == 2 ? 0x1F : (length == 3 ? 0x0F : 0x07))
                for k in 1..<length { v = v << 6 | (UInt32(utf8[i + k]) & 0x3F) }
            }
            i += length
            // A String is valid UTF-8, so every decoded value is a scalar.
            let s = Unicode.Scalar(v) ?? "\u{FFFD}"
            if v < 0x80 {
                b.push(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(UInt8(v + 0x20)) : s, from: index)
            } else if (0x3001...0x3002).contains(v) {
                b.push(s, from: index)  // 、。 are unchanged by NFKC.
            } else if (0xFF01...0xFF5E).contains(v) {
                // Full-width ASCII.
                var w = v - 0xFEE0
                if w >= 0x41 && w <= 0x5A { w += 0x20 }
                b.push(Unicode.Scalar(UInt8(w)), from: index)
            } else {
                let mapped = String(s).precomposedStringWithCompatibilityMapping.lowercased()
                for m in mapped.unicodeScalars { b.push(variants.simplified(m), from: index) }
            }
            index += 1
        }
        let offset = Int32(n)
        b.origin.append(Int32(offsets.count))
        offsets.append(offset)
        self.bytes = b.bytes
        self.origin = b.origin
        self.originalUTF8 = utf8
        self.scalarOffsets = offsets
        self.meaningfulCount = b.meaningful
    }

    private struct Builder {
        var bytes: [UInt8] = []
        var origin: [Int32] = []
        var meaningful = 0
        var pendingSpace = false

        mutating func push(_ s: Unicode.Scalar, from i: Int) {
            if NormalizedText.isSpace(s) {
                if !bytes.isEmpty { pendingSpace = true }
                return
            }
            if pendingSpace {
                emit(0x20, from: i)
                pendingSpace = false
            }
            if s.value >= 0x4E00 && s.value <= 0x9FFF {
                meaningful += 1
            } else if s.properties.isAlphabetic || s.properties.numericType != nil {
                meaningful += 1
            }
            emit(s.value, from: i)
        }

        /// A CJK ideograph given as its three UTF-8 bytes.
        @inline(__always) mutating func pushCJK(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, from i: Int) {
            if pendingSpace {
                emit(0x20, from: i)
                pendingSpace = false
            }
            meaningful += 1
            let o = Int32(i)
            bytes.append(b0); bytes.append(b1); bytes.append(b2)
            origin.append(o); origin.append(o); origin.append(o)
        }

        mutating func emit(_ v: UInt32, from i: Int) {
            let o = Int32(i)
            if v < 0x80 {
                bytes.append(UInt8(v))
                origin.append(o)
            } else if v < 0x800 {
                bytes.append(UInt8(0xC0 | (v >> 6)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
                origin.append(o); origin.append(o)
            } else if v < 0x10000 {
                bytes.append(UInt8(0xE0 | (v >> 12)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
                origin.append(o); origin.append(o); origin.append(o)
            } else {
                bytes.append(UInt8(0xF0 | (v >> 18)))
                bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
                origin.append(o); origin.append(o); origin.append(o); origin.append(o)
            }
        }
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
        return String(decoding: originalUTF8[Int(scalarOffsets[r.lowerBound])..<Int(scalarOffsets[r.upperBound])], as: UTF8.self)
    }
}

/// Normalises a phrase from the rule set (an alias) the way messages are normalised.
package func normalizePhrase(_ s: String) -> String {
    NormalizedText(s).string
}
