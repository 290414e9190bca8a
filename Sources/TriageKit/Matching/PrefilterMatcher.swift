internal import PCRE2

/// The default matcher: a literal index over every alias and every required
/// literal of every pattern, scanned once per message; then PCRE2 runs only the
/// patterns whose required literals occur (and those with none).
final class PrefilterMatcher: PatternMatcher {
    private let entries: [MatcherEntry]
    /// Distinct literal byte strings.
    private let literals: [[UInt8]]
    /// Literal id → entries of kind `.literal` that are exactly this literal.
    private let literalEntries: [[Int32]]
    /// Index on the first two scalars of each literal (UTF-8 bytes packed into a UInt64).
    private let index2: LiteralTable
    /// Literals of a single scalar, by that scalar's bytes.
    private let index1: LiteralTable
    /// Patterns with a prefilter: entry index and literal-id clauses (all must be satisfied).
    private let gated: [(entry: Int, clauses: [[Int32]])]
    /// Entry index → prefix literal ids and the anchored pattern, for patterns that have one.
    private let prefixes: [(ids: [Int32], anchored: Pattern)?]
    /// Literal id → true when it is some pattern's prefix (its positions are kept during a scan).
    private let isPrefixLiteral: [Bool]
    /// Literal id → true when two of its occurrences can overlap ("哈哈" in "哈哈哈"): its entry
    /// hits then skip an occurrence that starts inside the previous hit, as PCRE2's scan does.
    private let selfOverlaps: [Bool]
    /// Literal id → gated patterns whose first clause contains it (the trigger).
    private let triggers: [[Int32]]
    /// Patterns that always run.
    private let ungated: [Int]

    /// Builds the matcher.
    init(entries: [MatcherEntry]) {
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
        var gated: [(Int, [[Int32]])] = []
        var ungated: [Int] = []
        var prefixes = [(ids: [Int32], anchored: Pattern)?](repeating: nil, count: entries.count)
        for (n, e) in entries.enumerated() {
            switch e {
            case .literal(let s):
                guard !s.isEmpty else { continue }
                literalEntries[Int(intern(s))].append(Int32(n))
            case .pattern(let p):
                if let prefix = p.prefix {
                    prefixes[n] = (prefix.literals.map(intern), prefix.anchored)
                }
                if let required = p.required, !required.isEmpty {
                    gated.append((n, required.map { $0.map(intern) }))
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
        self.selfOverlaps = literals.map { b in (1..<b.count).contains { k in b[k...].elementsEqual(b[..<(b.count - k)]) } }
        self.index2 = LiteralTable(index2)
        self.index1 = LiteralTable(index1)
        var triggers = [[Int32]](repeating: [], count: literals.count)
        for (g, entry) in gated.enumerated() {
            for id in entry.1[0] { triggers[Int(id)].append(Int32(g)) }
        }
        var isPrefixLiteral = [Bool](repeating: false, count: literals.count)
        for p in prefixes { for id in p?.ids ?? [] { isPrefixLiteral[Int(id)] = true } }
        self.prefixes = prefixes
        self.isPrefixLiteral = isPrefixLiteral
        self.gated = gated
        self.triggers = triggers
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

    func scan(_ text: NormalizedText) -> MatcherScan {
        text.bytes.withUnsafeBufferPointer { buf in
            var state = ScanState(words: (literals.count + 63) / 64)
            findLiterals(buf, &state)
            let scratch = MatchScratch()
            for entry in ungated { run(entry, buf, scratch, &state) }
            var candidates: [Int32] = []
            for id in state.foundIDs { candidates.append(contentsOf: triggers[Int(id)]) }
            candidates.sort()
            var previous: Int32 = -1
            for g in candidates where g != previous {
                previous = g
                let entry = gated[Int(g)]
                var satisfied = true
                for clause in entry.clauses where !clause.contains(where: { state.isFound($0) }) {
                    satisfied = false
                    break
                }
                if satisfied { run(entry.entry, buf, scratch, &state) }
            }
            return state.result
        }
    }

    /// Per-scan state, passed explicitly (no captured mutable locals on the hot path).
    private struct ScanState {
        var result = MatcherScan()
        /// Bitset of literal ids found.
        var found: [UInt64]
        var foundIDs: [Int32] = []
        /// (literal id, byte offset) of every prefix-literal occurrence; sorted by id then offset before use.
        var occurrences: [(id: Int32, at: Int32)] = []
        /// End of the last entry hit of each self-overlapping literal seen.
        var lastEnd: [Int32: Int] = [:]

        init(words: Int) { found = [UInt64](repeating: 0, count: words) }

        @inline(__always) func isFound(_ id: Int32) -> Bool {
            found[Int(id) >> 6] & (1 << UInt64(id & 63)) != 0
        }

        /// Offsets where literal `id` occurs, in order (after `occurrences` is sorted).
        func offsets(of id: Int32) -> ArraySlice<(id: Int32, at: Int32)> {
            var lo = 0, hi = occurrences.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if occurrences[mid].id < id { lo = mid + 1 } else { hi = mid }
            }
            var end = lo
            while end < occurrences.count && occurrences[end].id == id { end += 1 }
            return occurrences[lo..<end]
        }
    }

    private func findLiterals(_ buf: UnsafeBufferPointer<UInt8>, _ state: inout ScanState) {
        let n = buf.count
        var i = 0
        while i < n {
            let l1 = PrefilterMatcher.scalarLength(buf[i])
            if i + l1 > n { break }
            if !index1.isEmpty, let ids = index1.lookup(PrefilterMatcher.pack(buf, i, i + l1)) {
                for id in index1.values[ids] { record(id, at: i, &state) }
            }
            if i + l1 < n {
                let l2 = PrefilterMatcher.scalarLength(buf[i + l1])
                if i + l1 + l2 <= n, let ids = index2.lookup(PrefilterMatcher.pack(buf, i, i + l1 + l2)) {
                    for id in index2.values[ids] {
                        let lit = literals[Int(id)]
                        if i + lit.count <= n && PrefilterMatcher.equal(buf, i, lit) { record(id, at: i, &state) }
                    }
                }
            }
            i += l1
        }
        if state.occurrences.count > 1 {
            state.occurrences.sort { ($0.id, $0.at) < ($1.id, $1.at) }
        }
    }

    private func run(_ entry: Int, _ buf: UnsafeBufferPointer<UInt8>, _ scratch: MatchScratch, _ state: inout ScanState) {
        guard case .pattern(let rulePattern) = entries[entry] else { return }
        let pattern = rulePattern.compiled
        state.result.patternsRun += 1
        if let prefix = prefixes[entry] {
            // Every match starts at an occurrence of a prefix literal: try only there, anchored.
            var starts: [Int] = []
            for id in prefix.ids where state.isFound(id) {
                for o in state.offsets(of: id) { starts.append(Int(o.at)) }
            }
            if prefix.ids.count > 1 { starts.sort() }
            var cursor = 0
            for at in starts where at >= cursor {
                do throws(PCRE2Error) {
                    if let range = try prefix.anchored.firstMatch(in: buf, from: at, scratch: scratch) {
                        state.result.hits.append(MatcherHit(entry: entry, range: range))
                        cursor = max(range.upperBound, at + 1)
                    }
                } catch {
                    state.result.failures.append(MatcherFailure(entry: entry, message: error.message))
                    return
                }
            }
            return
        }
        var position = 0
        while position <= buf.count {
            do throws(PCRE2Error) {
                guard let range = try pattern.firstMatch(in: buf, from: position, scratch: scratch) else { return }
                state.result.hits.append(MatcherHit(entry: entry, range: range))
                position = range.isEmpty ? Pattern.nextScalar(after: range.upperBound, in: buf) : range.upperBound
            } catch {
                state.result.failures.append(MatcherFailure(entry: entry, message: error.message))
                return
            }
        }
    }

    @inline(__always) private func record(_ id: Int32, at i: Int, _ state: inout ScanState) {
        let word = Int(id) >> 6, bit: UInt64 = 1 << UInt64(id & 63)
        if state.found[word] & bit == 0 {
            state.found[word] |= bit
            state.foundIDs.append(id)
        }
        if isPrefixLiteral[Int(id)] { state.occurrences.append((id, Int32(i))) }
        let count = literals[Int(id)].count
        guard !literalEntries[Int(id)].isEmpty else { return }
        if selfOverlaps[Int(id)] {
            // Non-overlapping, left to right, like the plain matcher's PCRE2 scan.
            if let end = state.lastEnd[id], i < end { return }
            state.lastEnd[id] = i + count
        }
        for e in literalEntries[Int(id)] {
            state.result.hits.append(MatcherHit(entry: Int(e), range: i..<(i + count)))
        }
    }

    @inline(__always) private static func equal(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int, _ lit: [UInt8]) -> Bool {
        for j in 0..<lit.count where buf[at + j] != lit[j] { return false }
        return true
    }
}

