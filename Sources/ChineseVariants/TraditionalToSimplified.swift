internal import COpenCC

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Why the traditional-to-simplified table could not be built.
package enum ChineseVariantsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The OpenCC configuration file does not exist or cannot be read.
    case configNotFound(path: String)
    /// OpenCC could not load the configuration or its dictionaries.
    case openFailed(path: String, message: String)
    /// OpenCC failed while converting the candidate characters.
    case conversionFailed(message: String)
    /// OpenCC returned a different number of lines than it was given.
    case unexpectedOutput(expectedLines: Int, lines: Int)
    /// iconv has no GB2312 converter, so ordinary simplified characters cannot be told apart.
    case gb2312Unavailable

    package var description: String {
        switch self {
        case .configNotFound(let path):
            return "OpenCC configuration \(path) not found (install libopencc-data)"
        case .openFailed(let path, let message):
            return "OpenCC cannot open \(path): \(message)"
        case .conversionFailed(let message):
            return "OpenCC conversion failed: \(message)"
        case .unexpectedOutput(let expected, let lines):
            return "OpenCC returned \(lines) lines for \(expected) characters"
        case .gb2312Unavailable:
            return "iconv cannot convert to GB2312"
        }
    }
}

/// A one-to-one map from traditional Chinese characters to simplified ones,
/// taken character by character from OpenCC's `t2s.json` conversion.
///
/// Only characters outside GB2312 are mapped: traditional-only characters are
/// not in GB2312, while characters such as 著, 乾, 於 or 後 that OpenCC would
/// change are also ordinary simplified text (著名, 乾坤, 於 as a surname) and
/// stay as they are. Every mapped character and its replacement are in the BMP
/// and take three bytes in UTF-8, so replacing one never moves an offset.
///
/// The type and its lookups are `public` only so that they inline into the
/// normaliser's per-character loop: members of a `package` type are not
/// inlined across modules, which made each lookup a call. Building the
/// table stays `package`.
public struct TraditionalToSimplified: Sendable {
    /// Where Debian's libopencc-data puts the traditional-to-simplified configuration.
    package static let defaultConfigPath = "/usr/share/opencc/t2s.json"

    /// The characters offered to OpenCC: CJK Extension A, the Unified
    /// Ideographs and the compatibility ideographs.
    package static let candidateRanges: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF]

    /// The process-wide table, built from ``defaultConfigPath`` on first use
    /// (thread-safe). When OpenCC fails it maps nothing and ``error`` says why.
    package static let shared = TraditionalToSimplified(configPath: defaultConfigPath)

    @inlinable static var base: UInt32 { 0x3400 }
    /// Indexed by scalar − ``base`` up to U+FAFF: the simplified scalar, or 0 for none.
    @usableFromInline let table: [UInt16]
    /// Number of characters mapped.
    package let count: Int
    /// Why the table is empty, or nil when it was built.
    package let error: ChineseVariantsError?

    /// Builds the table from an OpenCC configuration; on failure the table is
    /// empty and ``error`` holds the reason.
    package init(configPath: String) {
        do {
            self = try Self.build(configPath: configPath)
        } catch {
            self.init(table: [], error: error)
        }
    }

    private init(table: [UInt16], error: ChineseVariantsError?) {
        self.table = table
        self.count = table.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
        self.error = error
    }

    /// The simplified form of `v`, or `v` itself when it has none.
    @inlinable @inline(__always)
    public func simplified(_ v: UInt32) -> UInt32 {
        let d = v &- Self.base
        guard d < UInt32(truncatingIfNeeded: table.count) else { return v }
        let t = table[Int(d)]
        return t == 0 ? v : UInt32(t)
    }

    /// The simplified form of `s`, or `s` itself when it has none.
    @inlinable @inline(__always)
    public func simplified(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = simplified(s.value)
        return v == s.value ? s : Unicode.Scalar(v).unsafelyUnwrapped
    }

    /// The simplified form of a three-byte UTF-8 character, as three bytes.
    @inlinable @inline(__always)
    public func simplifiedUTF8(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> (UInt8, UInt8, UInt8) {
        let v = UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
        let d = v &- Self.base
        guard d < UInt32(truncatingIfNeeded: table.count) else { return (b0, b1, b2) }
        let t = UInt32(table[Int(d)])
        guard t != 0 else { return (b0, b1, b2) }
        return (UInt8(0xE0 | t >> 12), UInt8(0x80 | (t >> 6) & 0x3F), UInt8(0x80 | t & 0x3F))
    }

    /// Every mapping, in scalar order.
    package var mappings: [(traditional: Unicode.Scalar, simplified: Unicode.Scalar)] {
        table.indices.compactMap { i in
            let t = table[i]
            guard t != 0 else { return nil }
            return (Unicode.Scalar(Self.base + UInt32(i))!, Unicode.Scalar(UInt32(t))!)
        }
    }

    /// Builds the table, throwing when OpenCC or iconv fails.
    package static func build(configPath: String) throws(ChineseVariantsError) -> TraditionalToSimplified {
        guard access(configPath, R_OK) == 0 else { throw .configNotFound(path: configPath) }
        let gb2312 = try GB2312()

        // One character per line: OpenCC segments within a line only, so each
        // character is converted on its own, without phrase context.
        var sources: [UInt32] = []
        var input: [UInt8] = []
        for range in candidateRanges {
            for v in range {
                sources.append(v)
                appendUTF8(v, to: &input)
                input.append(0x0A)
            }
        }
        let converted = try convert(input, configPath: configPath)
        let lines = converted.split(separator: 0x0A, omittingEmptySubsequences: false)
        // The final newline leaves one empty line after the last character.
        guard lines.count == sources.count + 1 else {
            throw .unexpectedOutput(expectedLines: sources.count, lines: lines.count - 1)
        }

        var table = [UInt16](repeating: 0, count: Int(0xFAFF - base + 1))
        for (v, line) in zip(sources, lines) {
            var scalars = String(decoding: line, as: UTF8.self).unicodeScalars.makeIterator()
            guard let w = scalars.next()?.value, scalars.next() == nil,
                  w != v, (0x800...0xFFFF).contains(w), !gb2312.contains(v)
            else { continue }
            table[Int(v - base)] = UInt16(w)
        }
        return TraditionalToSimplified(table: table, error: nil)
    }

    private static func convert(_ input: [UInt8], configPath: String) throws(ChineseVariantsError) -> [UInt8] {
        guard let handle = opencc_open(configPath), copencc_is_error(handle) == 0 else {
            throw .openFailed(path: configPath, message: lastOpenCCError())
        }
        defer { opencc_close(handle) }
        let output = input.withUnsafeBytes { raw in
            opencc_convert_utf8(handle, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
        }
        guard let output else { throw .conversionFailed(message: lastOpenCCError()) }
        defer { opencc_convert_utf8_free(output) }
        return Array(UnsafeRawBufferPointer(start: output, count: strlen(output)))
    }

    private static func lastOpenCCError() -> String {
        guard let message = opencc_error() else { return "unknown error" }
        return String(cString: message)
    }

    private static func appendUTF8(_ v: UInt32, to bytes: inout [UInt8]) {
        for unit in UTF8.encode(Unicode.Scalar(v)!)! { bytes.append(unit) }
    }
}

/// Whether a character is encodable in GB2312, asked of iconv.
package struct GB2312: ~Copyable {
    private let converter: iconv_t

    /// Opens an iconv converter from UTF-8 to GB2312.
    package init() throws(ChineseVariantsError) {
        guard let converter = iconv_open("GB2312", "UTF-8"), Int(bitPattern: converter) != -1 else {
            throw .gb2312Unavailable
        }
        self.converter = converter
    }

    deinit { iconv_close(converter) }

    /// True when GB2312 can encode `v`.
    package func contains(_ v: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(v) else { return false }
        var input = Array(String(scalar).utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: 8)
        iconv(converter, nil, nil, nil, nil)
        return input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var outPointer = outBuffer.baseAddress
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return result == 0 && inLeft == 0
            }
        }
    }
}
