/// The syntax tree of a PCRE2 pattern (UTF + UCP, no options), as far as the matcher
/// needs it: literals, classes, groups, alternation, quantifiers and anchors exactly;
/// lookarounds, `\b`, `\p{…}`, `\s`, `\w` and the like only as their length.
///
/// The parser is strict: anything it does not read exactly as PCRE2 10.42 does (inline
/// options, backreferences, `\Q…\E`, possessive quantifiers, verbs, a `{` that is not a
/// quantifier …) makes ``parse(_:)`` return `nil`, and the matcher then treats the pattern
/// as opaque. A tree is only ever used to skip work PCRE2 would do with the same outcome,
/// so a construct missing here costs speed, never a match.
package indirect enum PatternNode: Sendable, Equatable {
    /// One scalar, matched exactly (no options, so case-sensitive).
    case literal(Unicode.Scalar)
    /// One scalar of a set: a bracket class, `.` or `\d`.
    case set(ScalarSet)
    /// A construct PCRE2 runs and the matcher does not (a lookaround, `\b`, `\p{Han}`, `\s` …),
    /// with the bytes it can consume.
    case opaque(minBytes: Int, maxBytes: Int?)
    /// `^` (start of the subject: no multiline option).
    case start
    /// `$` (end of the subject, or before a newline that ends it).
    case end
    /// A group: alternatives, each a sequence, tried in order.
    case group([[PatternNode]])
    /// A quantified item.
    case repetition(PatternNode, min: Int, max: Int?, greedy: Bool)

    /// Fewest bytes of subject the node consumes.
    var minBytes: Int {
        switch self {
        case .literal(let s): return UTF8.width(s)
        case .set: return 1
        case .opaque(let lo, _): return lo
        case .start, .end: return 0
        case .group(let alternatives): return alternatives.map(PatternNode.minBytes).min() ?? 0
        case .repetition(let node, let lo, _, _): return node.minBytes * lo
        }
    }

    /// Most bytes of subject the node consumes; `nil` when unbounded.
    var maxBytes: Int? {
        switch self {
        case .literal(let s): return UTF8.width(s)
        case .set(let set): return set.maxBytes
        case .opaque(_, let hi): return hi
        case .start, .end: return 0
        case .group(let alternatives):
            var most = 0
            for a in alternatives {
                guard let m = PatternNode.maxBytes(a) else { return nil }
                most = max(most, m)
            }
            return most
        case .repetition(let node, _, let hi, _):
            guard let hi, let m = node.maxBytes else { return nil }
            return hi * m
        }
    }

    static func minBytes(_ sequence: [PatternNode]) -> Int { sequence.reduce(0) { $0 + $1.minBytes } }

    static func maxBytes(_ sequence: [PatternNode]) -> Int? {
        var total = 0
        for n in sequence {
            guard let m = n.maxBytes else { return nil }
            total += m
        }
        return total
    }

    /// True when every part can be run by ``NativeProgram`` (no opaque construct, no opaque class).
    var isNative: Bool {
        switch self {
        case .literal, .start, .end: return true
        case .set(let s): return !s.isOpaque
        case .opaque: return false
        case .group(let alternatives): return alternatives.allSatisfy { $0.allSatisfy(\.isNative) }
        case .repetition(let node, _, _, _): return node.isNative
        }
    }
}

/// The scalars one position of a pattern accepts: ranges of code points, Unicode decimal
/// digits (`\d` under UCP), or `.`; possibly negated.
package struct ScalarSet: Sendable, Equatable {
    /// Code-point ranges, as written.
    var ranges: [ClosedRange<UInt32>] = []
    /// `\d` is part of the set: every Unicode decimal digit (general category Nd).
    var digits = false
    /// `[^…]`.
    var negated = false
    /// `.`: any scalar but a newline.
    var dot = false
    /// The class holds something the native matcher does not evaluate (`\s`, `\w`, `\p{…}`, `[:alpha:]`).
    var isOpaque = false

    /// Most UTF-8 bytes of one accepted scalar.
    var maxBytes: Int {
        if negated || dot || digits || isOpaque { return 4 }
        return ranges.map { UTF8.width(Unicode.Scalar($0.upperBound) ?? "\u{10FFFF}") }.max() ?? 4
    }

    /// The UTF-8 of each scalar of a small set of code points (`[让叫要]`), or `nil`.
    var smallLiteralSet: [[UInt8]]? {
        guard !negated, !dot, !digits, !isOpaque else { return nil }
        var out: [[UInt8]] = []
        for r in ranges {
            guard r.upperBound - r.lowerBound < 16 else { return nil }
            for v in r {
                guard let s = Unicode.Scalar(v) else { return nil }
                let bytes = Array(String(s).utf8)
                if !out.contains(bytes) { out.append(bytes) }
                if out.count > 16 { return nil }
            }
        }
        return out.isEmpty ? nil : out
    }

    /// True when the set accepts only scalars that are decimal digits (so `K` of them in a row
    /// need `K` digits in a row in the text).
    var isDigitsOnly: Bool {
        guard !negated, !dot, !isOpaque else { return false }
        return ranges.allSatisfy { $0.lowerBound >= 0x30 && $0.upperBound <= 0x39 }
    }
}

extension UTF8 {
    /// Bytes of `s` in UTF-8.
    @inline(__always) static func width(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        return v < 0x80 ? 1 : (v < 0x800 ? 2 : (v < 0x10000 ? 3 : 4))
    }
}

extension PatternNode {
    /// The alternatives of `pattern`, or `nil` when the parser does not read it exactly.
    package static func parse(_ pattern: String) -> [[PatternNode]]? {
        var p = PatternParser(Array(pattern.unicodeScalars))
        guard let tree = try? p.alternation(depth: 0), p.atEnd else { return nil }
        return tree
    }
}

private struct PatternParser {
    struct Unsupported: Error {}

    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    var atEnd: Bool { i >= s.count }
    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    mutating func alternation(depth: Int) throws(Unsupported) -> [[PatternNode]] {
        guard depth < 64 else { throw Unsupported() }
        var alternatives: [[PatternNode]] = [try sequence(depth: depth)]
        while peek() == "|" {
            i += 1
            alternatives.append(try sequence(depth: depth))
        }
        return alternatives
    }

    mutating func sequence(depth: Int) throws(Unsupported) -> [PatternNode] {
        var items: [PatternNode] = []
        while let c = peek(), c != "|", c != ")" {
            var atom = try self.atom(depth: depth)
            if let q = try quantifier() {
                // A quantifier on an assertion or a zero-width construct is legal PCRE2 but pointless: not read.
                switch atom {
                case .start, .end: throw Unsupported()
                case .opaque(_, let hi) where hi == 0: throw Unsupported()
                default: break
                }
                atom = .repetition(atom, min: q.min, max: q.max, greedy: q.greedy)
            }
            items.append(atom)
        }
        return items
    }

    /// A quantifier, if one follows: `?`, `*`, `+`, `{m}`, `{m,}`, `{m,n}`, then `?` (lazy).
    mutating func quantifier() throws(Unsupported) -> (min: Int, max: Int?, greedy: Bool)? {
        guard let c = peek() else { return nil }
        var lo = 0, hi: Int? = nil
        switch c {
        case "?": hi = 1; i += 1
        case "*": i += 1
        case "+": lo = 1; i += 1
        case "{":
            guard let (a, b, length) = countedQuantifier(at: i) else { throw Unsupported() }  // a literal `{`
            lo = a
            hi = b
            i += length
        default: return nil
        }
        var greedy = true
        if peek() == "?" { greedy = false; i += 1 } else if peek() == "+" { throw Unsupported() }  // possessive
        if let n = peek(), n == "?" || n == "*" || n == "+" || n == "{" { throw Unsupported() }
        if let hi, hi < lo { throw Unsupported() }
        return (lo, hi, greedy)
    }

    /// `{m}`, `{m,}` or `{m,n}` at `k`: the counts and the length of the quantifier.
    func countedQuantifier(at k: Int) -> (Int, Int?, Int)? {
        var j = k + 1
        func number() -> Int? {
            var v = 0, digits = 0
            while j < s.count, s[j].value >= 0x30, s[j].value <= 0x39 {
                v = v * 10 + Int(s[j].value - 0x30)
                digits += 1
                j += 1
                if v > 65_535 { return nil }
            }
            return digits > 0 ? v : nil
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if j < s.count, s[j] == "," {
            j += 1
            hi = number()
        }
        guard j < s.count, s[j] == "}" else { return nil }
        return (lo, hi, j + 1 - k)
    }

    mutating func atom(depth: Int) throws(Unsupported) -> PatternNode {
        guard let c = peek() else { throw Unsupported() }
        switch c {
        case "(": return try group(depth: depth)
        case "[": return .set(try bracketClass())
        case "\\": return try escape()
        case ".": i += 1; return .set(ScalarSet(dot: true))
        case "^": i += 1; return .start
        case "$": i += 1; return .end
        case "*", "+", "?", "{": throw Unsupported()
        default: i += 1; return .literal(c)
        }
    }

    mutating func group(depth: Int) throws(Unsupported) -> PatternNode {
        i += 1  // (
        var lookaround = false
        if peek() == "*" { throw Unsupported() }  // verbs
        if peek() == "?", peek(1) == "P", peek(2) == "=" {
            // (?P=name): a backreference.
            while let d = peek(), d != ")" { i += 1; _ = d }
            guard peek() == ")" else { throw Unsupported() }
            i += 1
            return .opaque(minBytes: 0, maxBytes: nil)
        }
        if peek() == "?" {
            switch (peek(1), peek(2)) {
            case (":", _): i += 2
            case ("=", _), ("!", _): i += 2; lookaround = true
            case ("<", "="), ("<", "!"): i += 3; lookaround = true
            case ("<", _), ("P", "<"), ("'", _):
                // A named capturing group.
                i += peek(1) == "P" ? 3 : 2
                let close: Unicode.Scalar = s[i - 1] == "'" ? "'" : ">"
                var length = 0
                while let d = peek(), d != close {
                    guard d.properties.isAlphabetic || d == "_" || ("0"..."9").contains(d), d.isASCII else { throw Unsupported() }
                    i += 1
                    length += 1
                }
                guard peek() == close, length > 0 else { throw Unsupported() }
                i += 1
            default: throw Unsupported()  // inline options, atomic groups, branch reset, comments, conditionals …
            }
        }
        let alternatives = try alternation(depth: depth + 1)
        guard peek() == ")" else { throw Unsupported() }
        i += 1
        return lookaround ? .opaque(minBytes: 0, maxBytes: 0) : .group(alternatives)
    }

    /// An escape outside a class.
    mutating func escape() throws(Unsupported) -> PatternNode {
        i += 1
        guard let e = peek() else { throw Unsupported() }
        i += 1
        if !e.isASCII { return .literal(e) }
        switch e {
        case "d": return .set(ScalarSet(digits: true))
        case "D": return .set(ScalarSet(digits: true, negated: true))
        case "s", "S", "w", "W", "h", "H", "v", "V", "N": return .opaque(minBytes: 1, maxBytes: 4)
        case "p", "P":
            try skipProperty()
            return .opaque(minBytes: 1, maxBytes: 4)
        case "b", "B", "G", "z", "Z": return .opaque(minBytes: 0, maxBytes: 0)
        case "A": return .start
        case "g", "k":
            // A backreference: it matches what a group captured, of any length.
            try skipReference()
            return .opaque(minBytes: 0, maxBytes: nil)
        case "1", "2", "3", "4", "5", "6", "7", "8", "9":
            while let d = peek(), d.value >= 0x30 && d.value <= 0x39 { i += 1 }
            return .opaque(minBytes: 0, maxBytes: nil)
        case "x": return .literal(try hexScalar())
        case "n": return .literal("\n")
        case "t": return .literal("\t")
        case "r": return .literal("\r")
        case "f": return .literal("\u{0C}")
        case "e": return .literal("\u{1B}")
        case "a": return .literal("\u{07}")
        default:
            if e.properties.isAlphabetic || ("0"..."9").contains(e) { throw Unsupported() }  // backreferences, \Q, \K, \R, \X …
            return .literal(e)
        }
    }

    /// The group a `\g` or `\k` reference names: `{…}`, `<…>`, `'…'`, or (`\g`) a number.
    mutating func skipReference() throws(Unsupported) {
        guard let open = peek() else { throw Unsupported() }
        let close: Unicode.Scalar
        switch open {
        case "{": close = "}"
        case "<": close = ">"
        case "'": close = "'"
        default:
            var digits = 0
            if peek() == "-" || peek() == "+" { i += 1 }
            while let d = peek(), d.value >= 0x30 && d.value <= 0x39 { i += 1; digits += 1 }
            guard digits > 0 else { throw Unsupported() }
            return
        }
        i += 1
        while let d = peek(), d != close { i += 1; _ = d }
        guard peek() == close else { throw Unsupported() }
        i += 1
    }

    /// `{Name}` or a single letter after `\p` / `\P`.
    mutating func skipProperty() throws(Unsupported) {
        if peek() == "{" {
            while let d = peek(), d != "}" { i += 1; _ = d }
            guard peek() == "}" else { throw Unsupported() }
            i += 1
        } else {
            guard let d = peek(), d.isASCII, d.properties.isAlphabetic else { throw Unsupported() }
            i += 1
        }
    }

    /// `\x{hhh}` or `\xhh` (the `x` already read).
    mutating func hexScalar() throws(Unsupported) -> Unicode.Scalar {
        var v: UInt32 = 0
        if peek() == "{" {
            i += 1
            var digits = 0
            while let d = peek(), let h = d.hexValue {
                v = v * 16 + h
                digits += 1
                i += 1
                guard digits <= 6 else { throw Unsupported() }
            }
            guard peek() == "}", digits > 0 else { throw Unsupported() }
            i += 1
        } else {
            var digits = 0
            while digits < 2, let d = peek(), let h = d.hexValue {
                v = v * 16 + h
                digits += 1
                i += 1
            }
        }
        guard let scalar = Unicode.Scalar(v) else { throw Unsupported() }
        return scalar
    }

    mutating func bracketClass() throws(Unsupported) -> ScalarSet {
        i += 1  // [
        var set = ScalarSet()
        if peek() == "^" { set.negated = true; i += 1 }
        var first = true
        while true {
            guard let c = peek() else { throw Unsupported() }
            if c == "]" && !first { i += 1; break }
            first = false
            if c == "[", peek(1) == ":" || peek(1) == "." || peek(1) == "=" {
                // A POSIX class: one scalar, not evaluated natively.
                i += 2
                while let d = peek(), !(d == ":" && peek(1) == "]") && !(d == "." && peek(1) == "]") && !(d == "=" && peek(1) == "]") {
                    i += 1
                }
                guard peek(1) == "]" else { throw Unsupported() }
                i += 2
                set.isOpaque = true
                continue
            }
            guard let low = try classMember(&set) else { continue }
            // A range `a-z`, unless the `-` ends the class.
            if peek() == "-", let next = peek(1), next != "]" {
                i += 1
                guard let high = try classMember(&set) else { throw Unsupported() }  // `a-\d`
                guard low.value <= high.value else { throw Unsupported() }
                set.ranges.append(low.value...high.value)
            } else {
                set.ranges.append(low.value...low.value)
            }
        }
        return set
    }

    /// One member of a class: a scalar (returned), or a class escape added to `set` (`nil`).
    mutating func classMember(_ set: inout ScalarSet) throws(Unsupported) -> Unicode.Scalar? {
        guard let c = peek() else { throw Unsupported() }
        i += 1
        guard c == "\\" else { return c }
        guard let e = peek() else { throw Unsupported() }
        i += 1
        if !e.isASCII { return e }
        switch e {
        case "d": set.digits = true; return nil
        case "D", "s", "S", "w", "W", "h", "H", "v", "V": set.isOpaque = true; return nil
        case "p", "P": try skipProperty(); set.isOpaque = true; return nil
        case "x": return try hexScalar()
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "f": return "\u{0C}"
        case "e": return "\u{1B}"
        case "a": return "\u{07}"
        case "b": return "\u{08}"
        default:
            if e.properties.isAlphabetic || ("0"..."9").contains(e) { throw Unsupported() }
            return e
        }
    }
}

private extension Unicode.Scalar {
    var hexValue: UInt32? {
        switch value {
        case 0x30...0x39: return value - 0x30
        case 0x41...0x46: return value - 0x41 + 10
        case 0x61...0x66: return value - 0x61 + 10
        default: return nil
        }
    }
}
