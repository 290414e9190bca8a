internal import CPCRE2

/// An error from PCRE2: a compile error with its offset into the pattern, or a
/// match-time failure such as hitting the backtracking limit.
public struct PCRE2Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// PCRE2's numeric error code (negative for match errors, positive for compile errors).
    public let code: Int32
    /// PCRE2's own message for `code`.
    public let message: String
    /// For compile errors, the byte offset into the pattern where PCRE2 stopped; `nil` otherwise.
    public let offset: Int?

    /// Creates an error from a PCRE2 code, looking up PCRE2's message.
    public init(code: Int32, offset: Int? = nil) {
        self.code = code
        self.offset = offset
        self.message = PCRE2Error.message(for: code)
    }

    /// True when the error means a resource bound (match limit, depth limit, JIT stack) was hit.
    public var isLimit: Bool {
        code == PCRE2_ERROR_MATCHLIMIT || code == PCRE2_ERROR_DEPTHLIMIT
            || code == PCRE2_ERROR_JIT_STACKLIMIT || code == PCRE2_ERROR_HEAPLIMIT
    }

    public var description: String {
        if let offset { return "\(message) at pattern offset \(offset)" }
        return message
    }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(code, $0.baseAddress, 256) }
        guard n > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(n)], as: UTF8.self)
    }
}

/// A compiled PCRE2 pattern (UTF + UCP, JIT-compiled when possible).
///
/// Compiled code is immutable once JIT compilation is done, so one `Pattern`
/// may be used from many threads at once. Each match needs its own
/// ``MatchScratch``.
public final class Pattern: @unchecked Sendable {
    /// The pattern as written.
    public let source: String
    /// True when JIT compilation succeeded; otherwise matching uses the interpreter.
    public let isJITCompiled: Bool
    private let code: OpaquePointer
    private let context: OpaquePointer?

    /// Compile-time options beyond UTF and UCP, which are always on.
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Case-insensitive matching (`(?i)`).
        public static let caseless = Options(rawValue: PCRE2_CASELESS)
        /// Treat the pattern as a literal string.
        public static let literal = Options(rawValue: PCRE2_LITERAL)
        /// Match only at the start offset (compiled in, so the JIT applies).
        public static let anchored = Options(rawValue: PCRE2_ANCHORED)
    }

    /// Default bound on backtracking steps for one match attempt.
    public static let defaultMatchLimit: UInt32 = 200_000
    /// Default bound on backtracking depth (interpreter only; the JIT ignores it).
    public static let defaultDepthLimit: UInt32 = 5_000

    /// Compiles `pattern` with `PCRE2_UTF | PCRE2_UCP` plus `options`, then JIT-compiles it.
    /// - Throws: ``PCRE2Error`` with PCRE2's message and the byte offset of the error.
    public init(
        _ pattern: String, options: Options = [],
        matchLimit: UInt32 = Pattern.defaultMatchLimit, depthLimit: UInt32 = Pattern.defaultDepthLimit
    ) throws(PCRE2Error) {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        // PCRE2_LITERAL does not combine with UCP; a literal needs no character classes anyway.
        let flags = PCRE2_UTF | options.rawValue | (options.contains(.literal) ? 0 : PCRE2_UCP)
        let compiled: OpaquePointer? = pattern.utf8.withContiguousStorageIfAvailable { bytes in
            pcre2_compile_8(bytes.baseAddress, bytes.count, flags, &errorCode, &errorOffset, nil)
        } ?? {
            var copy = Array(pattern.utf8)
            return copy.withUnsafeMutableBufferPointer {
                pcre2_compile_8($0.baseAddress, $0.count, flags, &errorCode, &errorOffset, nil)
            }
        }()
        guard let compiled else { throw PCRE2Error(code: errorCode, offset: errorOffset) }
        self.source = pattern
        self.code = compiled
        self.isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
        let ctx = pcre2_match_context_create_8(nil)
        if let ctx {
            pcre2_set_match_limit_8(ctx, matchLimit)
            pcre2_set_depth_limit_8(ctx, depthLimit)
        }
        self.context = ctx
    }

    deinit {
        pcre2_code_free_8(code)
        if let context { pcre2_match_context_free_8(context) }
    }

    /// Finds the first match at or after byte `start` of `subject` (valid UTF-8).
    /// - Returns: the matched byte range, or `nil` when there is no match.
    /// - Throws: ``PCRE2Error`` when matching fails, e.g. the backtracking limit is hit.
    /// With `jit` false, PCRE2's interpreter runs even when the pattern is JIT-compiled: it is
    /// the reference where the JIT has a bug (Debian 12's 10.42 finds no match of
    /// `(aa|a)(\w\d*?)aa` in `aaaa`; the interpreter does).
    public func firstMatch(
        in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0, scratch: MatchScratch, jit: Bool = true
    ) throws(PCRE2Error) -> Range<Int>? {
        // The JIT entry point skips pcre2_match's argument checks (the subject is valid UTF-8
        // and the options are fixed); the result is the same.
        let rc = jit && isJITCompiled && subject.baseAddress != nil
            ? pcre2_jit_match_8(code, subject.baseAddress, subject.count, start, 0, scratch.data, context)
            : pcre2_match_8(code, subject.baseAddress, subject.count, start,
                            PCRE2_NO_UTF_CHECK | (jit ? 0 : PCRE2_NO_JIT), scratch.data, context)
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 { throw PCRE2Error(code: rc) }
        let ovector = pcre2_get_ovector_pointer_8(scratch.data)!
        return Int(ovector[0])..<Int(ovector[1])
    }

    /// Calls `body` with every non-overlapping match in `subject`, left to right, as byte ranges.
    /// - Throws: ``PCRE2Error`` when matching fails; matches already reported stay reported.
    public func forEachMatch(
        in subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, jit: Bool = true, _ body: (Range<Int>) -> Void
    ) throws(PCRE2Error) {
        var position = 0
        while position <= subject.count {
            guard let range = try firstMatch(in: subject, from: position, scratch: scratch, jit: jit) else { return }
            body(range)
            position = range.isEmpty ? Pattern.nextScalar(after: range.upperBound, in: subject) : range.upperBound
        }
    }

    /// The offset of the scalar after the one starting at `offset` (for stepping past an empty match).
    @inline(__always) public static func nextScalar(after offset: Int, in subject: UnsafeBufferPointer<UInt8>) -> Int {
        var position = offset + 1
        while position < subject.count, subject[position] & 0xC0 == 0x80 { position += 1 }
        return position
    }

    /// All non-overlapping matches in `text`, as UTF-8 byte ranges.
    public func matches(in text: String) throws(PCRE2Error) -> [Range<Int>] {
        let scratch = MatchScratch()
        var result: [Range<Int>] = []
        var copy = text
        let outcome: Result<Void, PCRE2Error> = copy.withUTF8 { buffer in
            do throws(PCRE2Error) {
                try forEachMatch(in: buffer, scratch: scratch) { result.append($0) }
                return .success(())
            } catch { return .failure(error) }
        }
        try outcome.get()
        return result
    }

    /// True when `text` contains a match.
    public func isMatch(_ text: String) throws(PCRE2Error) -> Bool {
        let scratch = MatchScratch()
        var copy = text
        let outcome: Result<Bool, PCRE2Error> = copy.withUTF8 { buffer in
            do throws(PCRE2Error) {
                return .success(try firstMatch(in: buffer, scratch: scratch) != nil)
            } catch { return .failure(error) }
        }
        return try outcome.get()
    }
}

/// Per-call (or per-thread) match data. Never share one between threads.
public final class MatchScratch {
    let data: OpaquePointer

    /// Creates match data with room for the overall match.
    public init() {
        data = pcre2_match_data_create_8(1, nil)!
    }

    deinit { pcre2_match_data_free_8(data) }
}
