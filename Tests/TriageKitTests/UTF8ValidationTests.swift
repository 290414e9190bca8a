import Testing
@testable import TriageKit

/// The fast validator reports the same first bad byte as the sequence-by-sequence check it replaced.
@Suite struct UTF8ValidationTests {
    /// The previous implementation: each sequence checked with `String(validating:)`.
    static func reference(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let n: Int
            if b < 0x80 { n = 1 } else if b >= 0xC2 && b < 0xE0 { n = 2 } else if b >= 0xE0 && b < 0xF0 { n = 3 } else if b >= 0xF0 && b < 0xF5 { n = 4 } else { return i }
            if i + n > bytes.count { return i }
            if n > 1, String(validating: bytes[i..<i + n], as: UTF8.self) == nil { return i }
            i += n
        }
        return nil
    }

    @Test func agreesWithTheReferenceOnRandomBytes() {
        var g = SeededGenerator(seed: 3)
        let pieces: [[UInt8]] = [Array("营业执照 abc".utf8), [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
                                 [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
                                 [0xC0, 0x80], [0xC2, 0x80], [0x80], [0xFF], [0xE4, 0xBD], Array("12345678".utf8), [0xF5, 0x80, 0x80, 0x80]]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(g.below(6)) { bytes += pieces[g.below(pieces.count)] }
            if g.below(4) == 0 { bytes.append(UInt8(g.below(256))) }
            #expect(MessageRecord.firstInvalidUTF8(bytes) == UTF8ValidationTests.reference(bytes), "\(bytes)")
        }
    }
}
