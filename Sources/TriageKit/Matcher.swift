import PCRE2

/// One thing the matcher looks for: a literal phrase or a PCRE2 pattern.
public enum MatcherEntry: Sendable {
    /// A literal, already normalised.
    case literal(String)
    /// A compiled pattern, with the literals every match must contain (see ``RequiredLiterals``), or `nil`.
    case pattern(Pattern, required: [String]?)
}

/// A match of one entry: its index in the entry list and the byte range in the normalised text.
public struct MatcherHit: Sendable, Hashable {
    /// Index of the entry in the list the matcher was built from.
    public var entry: Int
    /// UTF-8 byte range in the normalised text.
    public var range: Range<Int>
}

/// A pattern that failed while matching (for example it hit the backtracking bound).
public struct MatcherFailure: Sendable {
    /// Index of the entry.
    public var entry: Int
    /// What PCRE2 reported.
    public var error: PCRE2Error
}

/// What a scan found.
public struct MatcherScan: Sendable {
    /// Every match of every entry.
    public var hits: [MatcherHit] = []
    /// Patterns that failed; they count as not matching.
    public var failures: [MatcherFailure] = []
    /// How many PCRE2 patterns actually ran (the rest were skipped by the literal prefilter).
    public var patternsRun = 0
}

/// The single component that finds all matches of a set of literals and patterns
/// in a text. The engine talks only to this protocol, so a different
/// multi-pattern strategy can replace the default one without other changes.
public protocol PatternMatcher: Sendable {
    /// Finds every match of every entry in `text`.
    func scan(_ text: NormalizedText) -> MatcherScan
}

/// The default matcher: a literal index over every alias and every required
/// literal of every pattern, scanned once per message; then PCRE2 runs only the
/// patterns whose required literals occur (and those with none).
public final class PrefilterMatcher: PatternMatcher, @unchecked Sendable {
    private let entries: [MatcherEntry]
    /// Distinct literal byte strings.
    private let literals: [[UInt8]]
    /// Literal id → entries of kind `.literal` that are exactly this literal.
    private let literalEntries: [[Int32]]
    /// Index on the first two scalars of each literal (UTF-8 bytes packed into a UInt64).
    private let index2: [UInt64: [Int32]]
    /// Literals of a single scalar, by that scalar's bytes.
    private let index1: [UInt64: [Int32]]
    /// Patterns with a prefilter: entry index and literal ids.
    private let gated: [(entry: Int, literals: [Int32])]
    /// Patterns that always run.
    private let ungated: [Int]

    /// Builds the matcher.
    public init(entries: [MatcherEntry]) {
        self.entries = entries
        var ids: [[UInt8]: Int32] = [:]
        var literals: [[UInt8]] = []
        var literalEntries: [[Int32]] = []
        func intern(_ s: String) -> Int32 {
            let b = Array(s.utf8)
            if let id = ids[b] { return id }
            let id = Int32(literals.count)
            ids[b] = id
            literals.append(b)
            literalEntries.append([])
            return id
        }
        var gated: [(Int, [Int32])] = []
        var ungated: [Int] = []
        for (n, e) in entries.enumerated() {
            switch e {
            case .literal(let s):
                guard !s.isEmpty else { continue }
                literalEntries[Int(intern(s))].append(Int32(n))
            case .pattern(_, let required):
                if let required, !required.isEmpty {
                    gated.append((n, required.map(intern)))
                } else {
                    ungated.append(n)
                }
            }
        }
        var index2: [UInt64: [Int32]] = [:]
        var index1: [UInt64: [Int32]] = [:]
        for (id, b) in literals.enumerated() {
            let first = PrefilterMatcher.scalarLength(b[0])
            if first >= b.count {
                index1[PrefilterMatcher.pack(b, 0, b.count), default: []].append(Int32(id))
            } else {
                let second = PrefilterMatcher.scalarLength(b[first])
                index2[PrefilterMatcher.pack(b, 0, min(first + second, b.count)), default: []].append(Int32(id))
            }
        }
        self.literals = literals
        self.literalEntries = literalEntries
        self.index2 = index2
        self.index1 = index1
        self.gated = gated
        self.ungated = ungated
    }

    @inline(__always) static func scalarLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }

    @inline(__always) static func pack(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> UInt64 {
        var k: UInt64 = 0
        for j in from..<to { k = k << 8 | UInt64(b[j]) }
        return k | UInt64(to - from) << 60
    }

    static func pack(_ b: [UInt8], _ from: Int, _ to: Int) -> UInt64 {
        b.withUnsafeBufferPointer { pack($0, from, to) }
    }

    public func scan(_ text: NormalizedText) -> MatcherScan {
        var result = MatcherScan()
        var found = [Bool](repeating: false, count: literals.count)
        text.bytes.withUnsafeBufferPointer { buf in
            let n = buf.count
            var i = 0
            while i < n {
                let l1 = PrefilterMatcher.scalarLength(buf[i])
                if i + l1 > n { break }
                if !index1.isEmpty, let ids = index1[PrefilterMatcher.pack(buf, i, i + l1)] {
                    for id in ids { record(id, at: i, &found, &result) }
                }
                if i + l1 < n {
                    let l2 = PrefilterMatcher.scalarLength(buf[i + l1])
                    if i + l1 + l2 <= n, let ids = index2[PrefilterMatcher.pack(buf, i, i + l1 + l2)] {
                        for id in ids {
                            let lit = literals[Int(id)]
                            if i + lit.count <= n && PrefilterMatcher.equal(buf, i, lit) {
                                record(id, at: i, &found, &result)
                            }
                        }
                    }
                }
                i += l1
            }
            let scratch = MatchScratch()
            func run(_ entry: Int) {
                guard case .pattern(let pattern, _) = entries[entry] else { return }
                result.patternsRun += 1
                do throws(PCRE2Error) {
                    try pattern.forEachMatch(in: buf, scratch: scratch) { range in
                        result.hits.append(MatcherHit(entry: entry, range: range))
                    }
                } catch {
                    result.failures.append(MatcherFailure(entry: entry, error: error))
                }
            }
            for entry in ungated { run(entry) }
            for g in gated where g.literals.contains(where: { found[Int($0)] }) { run(g.entry) }
        }
        return result
    }

    @inline(__always) private func record(_ id: Int32, at i: Int, _ found: inout [Bool], _ result: inout MatcherScan) {
        found[Int(id)] = true
        let count = literals[Int(id)].count
        for e in literalEntries[Int(id)] {
            result.hits.append(MatcherHit(entry: Int(e), range: i..<(i + count)))
        }
    }

    @inline(__always) private static func equal(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int, _ lit: [UInt8]) -> Bool {
        for j in 0..<lit.count where buf[at + j] != lit[j] { return false }
        return true
    }
}

/// The plain strategy: every literal and every pattern through PCRE2, no prefilter.
/// Kept as a reference to check the prefilter against and to measure what it saves.
public final class PlainMatcher: PatternMatcher, @unchecked Sendable {
    private let patterns: [(Int, Pattern)]

    /// Builds the matcher; literals are compiled as PCRE2 literal patterns.
    public init(entries: [MatcherEntry]) {
        var patterns: [(Int, Pattern)] = []
        for (n, e) in entries.enumerated() {
            switch e {
            case .literal(let s):
                if !s.isEmpty, let p = try? Pattern(s, options: .literal) { patterns.append((n, p)) }
            case .pattern(let p, _):
                patterns.append((n, p))
            }
        }
        self.patterns = patterns
    }

    public func scan(_ text: NormalizedText) -> MatcherScan {
        var result = MatcherScan()
        text.bytes.withUnsafeBufferPointer { buf in
            let scratch = MatchScratch()
            for (entry, pattern) in patterns {
                result.patternsRun += 1
                do throws(PCRE2Error) {
                    try pattern.forEachMatch(in: buf, scratch: scratch) { range in
                        result.hits.append(MatcherHit(entry: entry, range: range))
                    }
                } catch {
                    result.failures.append(MatcherFailure(entry: entry, error: error))
                }
            }
        }
        return result
    }
}
