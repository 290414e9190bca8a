/// UTF-8 validation at the speed of the bytes: eight ASCII bytes at a time, and the
/// multi-byte rules of RFC 3629 (no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    /// The offset of the first byte that starts an invalid sequence (or a sequence cut short
    /// by the end), or `nil` when every byte is valid UTF-8.
    static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        var i = 0
        @inline(__always) func continuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        while i < n {
            if i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b = base[i]
            if b < 0x80 {
                i += 1
            } else if b < 0xC2 {
                return i
            } else if b < 0xE0 {
                guard i + 1 < n, continuation(base[i + 1]) else { return i }
                i += 2
            } else if b < 0xF0 {
                guard i + 2 < n else { return i }
                let b1 = base[i + 1]
                let second: ClosedRange<UInt8> = b == 0xE0 ? 0xA0...0xBF : (b == 0xED ? 0x80...0x9F : 0x80...0xBF)
                guard second.contains(b1), continuation(base[i + 2]) else { return i }
                i += 3
            } else if b < 0xF5 {
                guard i + 3 < n else { return i }
                let b1 = base[i + 1]
                let second: ClosedRange<UInt8> = b == 0xF0 ? 0x90...0xBF : (b == 0xF4 ? 0x80...0x8F : 0x80...0xBF)
                guard second.contains(b1), continuation(base[i + 2]), continuation(base[i + 3]) else { return i }
                i += 4
            } else {
                return i
            }
        }
        return nil
    }
}
