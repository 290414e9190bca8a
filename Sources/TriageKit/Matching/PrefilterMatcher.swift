internal import PCRE2

/// The default matcher. One pass over the message's UTF-8 finds every occurrence of every
/// *atom* (an alias, or a literal some pattern's matches must contain); patterns are then
/// verified only where their atoms occur, most of them by the matcher's own backtracking
/// machine (``NativeProgram``), the rest by PCRE2.
///
/// The pass: at every scalar, the bytes of that scalar and of the first two scalars are
/// looked up in a bitset (a few bits per atom, L1/L2-resident); only on a hit is the exact
/// atom table probed and the atom compared. Marks set during a scan carry the scan's
/// generation (``ScanScratch``), so nothing is cleared between messages and the work per
/// message does not grow with the number of rules, only with what the message contains.
///
/// Per pattern (identical pattern texts are run once for all their entries), from its
/// ``PatternPlan``:
/// - the *trigger*: its rarest required literal set; the pattern becomes a candidate when one
///   of those atoms occurs, and runs only when every other required set occurs too;
/// - the *window*: a required literal set with a bound on how far before it a match can
///   start; the pattern is tried only from there (anchored at the literal when the bound is 0),
///   and no further once no occurrence of the set is left;
/// - a pattern with no literal runs when the message holds as many digits in a row as every
///   match needs, or on every message (these are few: `triage-bench` with `BENCH_GATES=1` lists them).
///
/// Matches are exactly PCRE2's: for every entry, the leftmost match, then the leftmost
/// starting where it ended (non-overlapping, as ``PlainMatcher`` finds them). An alias is an
/// entry like any other: 「滴滴」 occurs once in 「滴滴滴」, not twice.
final class PrefilterMatcher: PatternMatcher {
    /// One atom.
    struct Atom: BitwiseCopyable {
        var offset: Int32
        var length: Int32
        /// Bytes the table key covers (the first one or two scalars), and with the scalar after
        /// the key (the bucket is sorted on it); the rest are compared.
        var keyLength: Int32
        var compareFrom: Int32
        var entries: Int32
        var entryCount: Int32
        var triggers: Int32
        var triggerCount: Int32
        /// Its occurrences are kept (it is some program's window).
        var keepsPositions: Bool
    }

    /// How a program is verified.
    enum Verification: UInt8, BitwiseCopyable {
        /// The pattern's literals compared, in order, at the starts the window allows.
        case literals
        /// The native machine, tried at the starts the window allows.
        case native
        /// PCRE2, anchored at each occurrence of the window (bound 0).
        case anchored
        /// PCRE2, searching from the window's bound before the next occurrence.
        case window
        /// PCRE2 once, from offset 0 (every match starts there).
        case atStart
        /// PCRE2 over the whole message.
        case everywhere
    }

    /// One distinct pattern text and everything the scan needs to verify it.
    struct Program: BitwiseCopyable {
        var entries: Int32
        var entryCount: Int32
        /// Clauses: ranges of `clauseAtoms` (in `clauseRanges`); every one must have an atom found.
        var clauses: Int32
        var clauseCount: Int32
        /// Window atoms (in `windowAtoms`): a match starts `minBack` to `maxBack` bytes before one
        /// (`maxBack` −1: no bound known).
        var window: Int32
        var windowCount: Int32
        var minBack: Int32
        var maxBack: Int32
        /// Up to two filters (atoms in `windowAtoms`): a start needs an occurrence `lo...hi` bytes after it.
        var filter0: Int32
        var filter0Count: Int32
        var filter0Low: Int32
        var filter0High: Int32
        var filter1: Int32
        var filter1Count: Int32
        var filter1Low: Int32
        var filter1High: Int32
        var digitRun: Int32
        var verification: Verification
        /// Fallback from `native`, when the machine cannot decide.
        var fallback: Verification
        var native: Int32
        var pattern: Int32
        var anchoredPattern: Int32
        /// The literals of a `.literals` program (in `literalAtoms` and `literalLengths`).
        var literals: Int32
        var literalCount: Int32
        /// Matches end the subject and are at most this long, plus the longest final newline (−1: no such bound).
        var endWindow: Int32
    }

    // The atom scan.
    private let bitset: FixedTable<UInt64>
    private let bitShift: UInt64
    private let slotKeys: FixedTable<UInt64>
    private let slotAtoms: FixedTable<Int32>
    private let slotCounts: FixedTable<Int32>
    private let slotMask: Int
    private let bucketAtoms: FixedTable<Int32>
    /// Per bucket entry: the scalar after the key, plus one (0: the atom is just the key).
    private let bucketNext: FixedTable<UInt32>
    private let atoms: FixedTable<Atom>
    private let atomBytes: FixedTable<UInt8>
    private let atomEntries: FixedTable<Int32>
    private let atomTriggers: FixedTable<Int32>
    private let hasSingleScalarAtoms: Bool

    // Programs.
    private let programs: FixedTable<Program>
    private let programEntries: FixedTable<Int32>
    private let clauseRanges: FixedTable<Int32>
    private let clauseAtoms: FixedTable<Int32>
    private let windowAtoms: FixedTable<Int32>
    /// Programs with no trigger: run on every message (digit gate permitting), in order.
    private let untriggered: [Int32]
    private let natives: [NativeProgram]
    /// The literals of `.literals` programs, in PCRE2's order: their atoms and lengths.
    private let literalAtoms: FixedTable<Int32>
    private let literalLengths: FixedTable<Int32>
    private let patterns: [Pattern]
    private let pool: ScratchPool

    /// Counts of how programs are verified, for `triage-bench` (`BENCH_GATES=1`).
    package let summary: [(String, Int)]
    /// Pattern text and verification of each program, for `triage-bench`.
    private let descriptions: [(source: String, verification: String)]

    init(entries: [MatcherEntry]) {
        var builder = Builder()
        for (n, e) in entries.enumerated() {
            switch e {
            case .literal(let s):
                guard !s.isEmpty else { continue }
                let a = builder.intern(Array(s.utf8))
                builder.atomEntryLists[a].append(Int32(n))
            case .pattern(let p):
                builder.add(p, entry: n)
            }
        }
        let b = builder.finish()
        bitset = b.bitset
        bitShift = b.bitShift
        slotKeys = b.slotKeys
        slotAtoms = b.slotAtoms
        slotCounts = b.slotCounts
        slotMask = b.slotMask
        bucketAtoms = b.bucketAtoms
        bucketNext = b.bucketNext
        atoms = b.atoms
        atomBytes = b.atomBytes
        atomEntries = b.atomEntries
        atomTriggers = b.atomTriggers
        hasSingleScalarAtoms = b.hasSingleScalarAtoms
        programs = b.programs
        programEntries = b.programEntries
        clauseRanges = b.clauseRanges
        clauseAtoms = b.clauseAtoms
        windowAtoms = b.windowAtoms
        untriggered = b.untriggered
        natives = builder.natives
        literalAtoms = FixedTable(builder.literalAtoms)
        literalLengths = FixedTable(builder.literalLengths)
        patterns = builder.patterns
        summary = builder.summary
        descriptions = builder.descriptions
        pool = ScratchPool(atoms: atoms.count, programs: programs.count)
    }

    // MARK: - Scan

    /// One scan's working state: the scratch's marks and lists, the result so far.
    struct ScanState {
        let generation: UInt32
        let atomFound: UnsafeMutablePointer<UInt32>
        let atomEnd: UnsafeMutablePointer<Int32>
        let atomFirst: UnsafeMutablePointer<Int32>
        let atomLast: UnsafeMutablePointer<Int32>
        let programMark: UnsafeMutablePointer<UInt32>
        let match: MatchScratch
        var lists: ScanLists
        var result = MatcherScan()

        init(_ scratch: ScanScratch) {
            generation = scratch.nextGeneration()
            atomFound = scratch.atomFound
            atomEnd = scratch.atomEnd
            atomFirst = scratch.atomFirst
            atomLast = scratch.atomLast
            programMark = scratch.programMark
            match = scratch.match
            lists = ScanLists()
            swap(&lists, &scratch.lists)
            lists.clear()
        }

        @inline(__always) func isFound(_ a: Int32) -> Bool { atomFound[Int(a)] == generation }
    }

    func scan(_ text: NormalizedText) -> MatcherScan {
        pool.with { scratch in
            var state = ScanState(scratch)
            text.bytes.withUnsafeBufferPointer { buf in
                findAtoms(buf, &state)
                collectCandidates(buf, &state)
                for k in state.lists.candidates.indices { verify(Int(state.lists.candidates[k]), buf, &state) }
            }
            swap(&state.lists, &scratch.lists)
            return state.result
        }
    }

    @inline(__always) private static func scalarLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : (lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4))
    }

    /// Up to 8 bytes at `i`, little-endian, zero beyond the end.
    @inline(__always) private static func load(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> UInt64 {
        if i + 8 <= n { return UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) }
        var w: UInt64 = 0
        var k = 0
        while i + k < n && k < 8 {
            w |= UInt64(p[i + k]) << (8 * UInt64(k))
            k += 1
        }
        return w
    }

    @inline(__always) private static func mask(_ bytes: Int) -> UInt64 {
        bytes >= 8 ? ~0 : (1 << (8 * UInt64(bytes))) &- 1
    }

    @inline(__always) static func bitHash(_ key: UInt64) -> UInt64 { key &* 0x9E37_79B9_7F4A_7C15 }
    @inline(__always) static func slotHash(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0xC2B2_AE3D_27D4_EB4F) >> 29) }

    /// The pass over the message: every occurrence of every atom.
    private func findAtoms(_ buf: UnsafeBufferPointer<UInt8>, _ state: inout ScanState) {
        guard let p = buf.baseAddress else { return }
        let n = buf.count
        let bits = bitset.base, shift = bitShift
        var i = 0
        while i < n {
            let l1 = PrefilterMatcher.scalarLength(p[i])
            let w = PrefilterMatcher.load(p, i, n)
            if i + l1 < n {
                let l2 = PrefilterMatcher.scalarLength(p[i + l1])
                let key = w & PrefilterMatcher.mask(l1 + l2)
                let h = PrefilterMatcher.bitHash(key) >> shift
                if bits[Int(h >> 6)] & (1 << (h & 63)) != 0 { probe(key, at: i, buf, &state) }
            }
            if hasSingleScalarAtoms {
                let key = w & PrefilterMatcher.mask(l1)
                let h = PrefilterMatcher.bitHash(key) >> shift
                if bits[Int(h >> 6)] & (1 << (h & 63)) != 0 { probe(key, at: i, buf, &state) }
            }
            i += l1
        }
    }

    /// The atoms whose key is `key`, compared in full at `i`.
    @inline(__always) private func probe(_ key: UInt64, at i: Int, _ buf: UnsafeBufferPointer<UInt8>, _ state: inout ScanState) {
        var slot = PrefilterMatcher.slotHash(key) & slotMask
        while true {
            let k = slotKeys[slot]
            if k == key { break }
            if k == 0 { return }
            slot = (slot + 1) & slotMask
        }
        var j = Int(slotAtoms[slot])
        let end = j + Int(slotCounts[slot])
        // The atoms that are just the key come first.
        while j < end && bucketNext[j] == 0 {
            let a = Int(bucketAtoms[j])
            found(a, atoms[a], at: i, &state)
            j += 1
        }
        guard j < end else { return }
        // The others, sorted on the scalar after the key: only those with the text's next scalar are compared.
        let n = buf.count
        let at = i + Int(atoms[Int(bucketAtoms[j])].keyLength)
        guard at < n else { return }
        let next = NativeProgram.decode(buf, at).0 + 1
        var lo = j, hi = end
        while lo < hi {
            let mid = (lo + hi) >> 1
            if bucketNext[mid] < next { lo = mid + 1 } else { hi = mid }
        }
        while lo < end && bucketNext[lo] == next {
            let a = Int(bucketAtoms[lo])
            let atom = atoms[a]
            let length = Int(atom.length)
            lo += 1
            guard i + length <= n else { continue }
            var k = Int(atom.compareFrom)
            let bytes = atomBytes.base + Int(atom.offset)
            while k < length && buf[i + k] == bytes[k] { k += 1 }
            if k == length { found(a, atom, at: i, &state) }
        }
    }

    @inline(__always) private func found(_ a: Int, _ atom: Atom, at i: Int, _ state: inout ScanState) {
        if state.atomFound[a] != state.generation {
            state.atomFound[a] = state.generation
            state.atomEnd[a] = 0
            state.atomFirst[a] = -1
            state.lists.found.append(Int32(a))
        }
        // Alias entries: non-overlapping occurrences, as a PCRE2 search finds them.
        if atom.entryCount > 0 && Int32(i) >= state.atomEnd[a] {
            let end = i + Int(atom.length)
            state.atomEnd[a] = Int32(end)
            for k in Int(atom.entries)..<Int(atom.entries + atom.entryCount) {
                state.result.hits.append(MatcherHit(entry: Int(atomEntries[k]), range: i..<end))
            }
        }
        if atom.keepsPositions {
            let o = Int32(state.lists.occurrencePosition.count)
            state.lists.occurrencePosition.append(Int32(i))
            state.lists.occurrenceNext.append(-1)
            if state.atomFirst[a] < 0 { state.atomFirst[a] = o } else { state.lists.occurrenceNext[Int(state.atomLast[a])] = o }
            state.atomLast[a] = o
        }
    }

    /// Programs triggered by the atoms found, and the untriggered ones the digit gate lets through; in program order.
    private func collectCandidates(_ buf: UnsafeBufferPointer<UInt8>, _ state: inout ScanState) {
        for a in state.lists.found {
            let atom = atoms[Int(a)]
            for k in Int(atom.triggers)..<Int(atom.triggers + atom.triggerCount) {
                let p = Int(atomTriggers[k])
                if state.programMark[p] != state.generation {
                    state.programMark[p] = state.generation
                    state.lists.candidates.append(Int32(p))
                }
            }
        }
        if !untriggered.isEmpty {
            var digits = -1
            for p in untriggered {
                let need = Int(programs[Int(p)].digitRun)
                if need > 0 {
                    if digits < 0 { digits = PrefilterMatcher.longestDigitRun(buf) }
                    if digits < need { continue }
                }
                state.lists.candidates.append(p)
            }
        }
        state.lists.candidates.sort()
    }

    /// The longest run of scalars that may be decimal digits (any scalar whose status is not certain counts).
    static func longestDigitRun(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
        var best = 0, run = 0, i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b < 0x80 {
                if b >= 0x30 && b <= 0x39 { run += 1; best = max(best, run) } else { run = 0 }
                i += 1
                continue
            }
            let (v, width) = NativeProgram.decode(buf, i)
            if NativeProgram.isDecimalDigit(v) ?? true { run += 1; best = max(best, run) } else { run = 0 }
            i += width
        }
        return best
    }

    /// What each program costs over `texts`: CPU nanoseconds spent verifying it (the clock
    /// read around each verification), and on how many texts it ran. For `triage-bench`.
    package func programCosts(_ texts: [NormalizedText], clock: () -> UInt64)
        -> [(source: String, verification: String, nanoseconds: UInt64, runs: Int)] {
        var costs = [UInt64](repeating: 0, count: programs.count)
        var runs = [Int](repeating: 0, count: programs.count)
        pool.with { scratch in
            for text in texts {
                var state = ScanState(scratch)
                text.bytes.withUnsafeBufferPointer { buf in
                    findAtoms(buf, &state)
                    collectCandidates(buf, &state)
                    for k in state.lists.candidates.indices {
                        let p = Int(state.lists.candidates[k])
                        let start = clock()
                        verify(p, buf, &state)
                        costs[p] += clock() - start
                        runs[p] += 1
                    }
                }
                swap(&state.lists, &scratch.lists)
            }
        }
        return programs.count == 0 ? [] : (0..<programs.count).map {
            (descriptions[$0].source, descriptions[$0].verification, costs[$0], runs[$0])
        }
    }

    // MARK: - Verification

    private func verify(_ p: Int, _ buf: UnsafeBufferPointer<UInt8>, _ state: inout ScanState) {
        let program = programs[p]
        // Every clause must have an atom in the message.
        for c in Int(program.clauses)..<Int(program.clauses + program.clauseCount) {
            var any = false
            for k in Int(clauseRanges[c])..<Int(clauseRanges[c + 1]) where state.isFound(clauseAtoms[k]) {
                any = true
                break
            }
            if !any { return }
        }
        state.result.patternsRun += 1
        if program.verification == .literals {
            runLiterals(program, buf, &state)
        } else if program.verification == .native {
            let before = state.result.hits.count
            if runNative(program, buf, &state) { return }
            state.result.hits.removeSubrange(before...)  // the machine could not decide: PCRE2 does it all
            runPCRE2(program, program.fallback, buf, &state)
        } else {
            runPCRE2(program, program.verification, buf, &state)
        }
    }

    /// The occurrences of atoms `from..<from+count` of `windowAtoms`, ascending, into `out`.
    @inline(__always) private func occurrences(_ from: Int32, _ count: Int32, _ state: inout ScanState, into out: inout [Int32]) {
        out.removeAll(keepingCapacity: true)
        for k in Int(from)..<Int(from + count) {
            let a = windowAtoms[k]
            guard state.isFound(a) else { continue }
            var o = state.atomFirst[Int(a)]
            while o >= 0 {
                out.append(state.lists.occurrencePosition[Int(o)])
                o = state.lists.occurrenceNext[Int(o)]
            }
        }
        if count > 1 { out.sort() }
    }

    /// Every offset a match of `program` can start at, ascending, into `state.lists.starts`: scalar
    /// boundaries `minBack` to `maxBack` bytes before a window occurrence, with, for each filter,
    /// an occurrence at the filter's distance after them.
    private func candidateStarts(_ program: Program, _ buf: UnsafeBufferPointer<UInt8>, _ state: inout ScanState) {
        // The lists are moved out while they are filled, so that each is uniquely referenced.
        var window: [Int32] = [], first: [Int32] = [], second: [Int32] = [], starts: [Int32] = []
        swap(&window, &state.lists.occurrences)
        swap(&first, &state.lists.filter0)
        swap(&second, &state.lists.filter1)
        swap(&starts, &state.lists.starts)
        defer {
            swap(&window, &state.lists.occurrences)
            swap(&first, &state.lists.filter0)
            swap(&second, &state.lists.filter1)
            swap(&starts, &state.lists.starts)
        }
        starts.removeAll(keepingCapacity: true)
        occurrences(program.window, program.windowCount, &state, into: &window)
        guard !window.isEmpty else { return }
        let filters = program.filter1Count > 0 ? 2 : (program.filter0Count > 0 ? 1 : 0)
        if filters > 0 {
            occurrences(program.filter0, program.filter0Count, &state, into: &first)
            if first.isEmpty { return }
        }
        if filters > 1 {
            occurrences(program.filter1, program.filter1Count, &state, into: &second)
            if second.isEmpty { return }
        }
        let back = Int(program.maxBack), near = Int(program.minBack)
        // A match that must end the subject starts no earlier than its longest length before the end.
        let earliest = program.endWindow < 0 ? 0 : max(0, buf.count - Int(program.endWindow))
        let low0 = Int(program.filter0Low), high0 = Int(program.filter0High)
        let low1 = Int(program.filter1Low), high1 = Int(program.filter1High)
        var last = -1
        var f0 = 0, f1 = 0
        for q in window {
            var s = max(Int(q) - back, last + 1, earliest)
            while s < buf.count && buf[s] & 0xC0 == 0x80 { s += 1 }
            let end = Int(q) - near
            while s <= end {
                last = s
                var fits = true
                if filters > 0 {
                    while f0 < first.count && Int(first[f0]) < s + low0 { f0 += 1 }
                    fits = f0 < first.count && Int(first[f0]) <= s + high0
                    if fits && filters > 1 {
                        while f1 < second.count && Int(second[f1]) < s + low1 { f1 += 1 }
                        fits = f1 < second.count && Int(second[f1]) <= s + high1
                    }
                }
                if fits { starts.append(Int32(s)) }
                s += PrefilterMatcher.scalarLength(buf[s])
            }
        }
    }

    @inline(__always) private func record(_ program: Program, _ range: Range<Int>, _ state: inout ScanState) {
        for k in Int(program.entries)..<Int(program.entries + program.entryCount) {
            state.result.hits.append(MatcherHit(entry: Int(programEntries[k]), range: range))
        }
    }

    private func fail(_ program: Program, _ error: PCRE2Error, _ state: inout ScanState) {
        for k in Int(program.entries)..<Int(program.entries + program.entryCount) {
            state.result.failures.append(MatcherFailure(entry: Int(programEntries[k]), message: error.message))
        }
    }

    /// A pattern of literals only: its matches are read off the scan's occurrences of those
    /// literals. At each position the first literal (in PCRE2's order) that occurs there is the
    /// match; then the next position at or after its end.
    private func runLiterals(_ program: Program, _ buf: UnsafeBufferPointer<UInt8>, _ state: inout ScanState) {
        var pairs: [UInt64] = []
        swap(&pairs, &state.lists.pairs)
        defer { swap(&pairs, &state.lists.pairs) }
        pairs.removeAll(keepingCapacity: true)
        var sources = 0
        for k in 0..<Int(program.literalCount) {
            let a = literalAtoms[Int(program.literals) + k]
            guard state.isFound(a) else { continue }
            sources += 1
            var o = state.atomFirst[Int(a)]
            while o >= 0 {
                pairs.append(UInt64(state.lists.occurrencePosition[Int(o)]) << 8 | UInt64(k))
                o = state.lists.occurrenceNext[Int(o)]
            }
        }
        if sources > 1 { pairs.sort() }
        var cursor = 0
        var last = -1
        for p in pairs {
            let position = Int(p >> 8)
            guard position >= cursor, position != last else { continue }
            last = position
            let length = Int(literalLengths[Int(program.literals) + Int(p & 0xFF)])
            record(program, position..<(position + length), &state)
            cursor = position + length
        }
    }

    /// Runs the native machine at the starts the window allows. False when it could not decide.
    private func runNative(_ program: Program, _ buf: UnsafeBufferPointer<UInt8>, _ state: inout ScanState) -> Bool {
        let machine = natives[Int(program.native)]
        if program.windowCount == 0 {
            // Anchored at the start of the subject.
            switch machine.run(buf, at: 0, stack: &state.lists.frames) {
            case .match(let end): record(program, 0..<end, &state)
            case .noMatch: break
            case .unknown: return false
            }
            return true
        }
        candidateStarts(program, buf, &state)
        var cursor = 0
        for k in state.lists.starts.indices {
            let s = Int(state.lists.starts[k])
            guard s >= cursor else { continue }
            switch machine.run(buf, at: s, stack: &state.lists.frames) {
            case .match(let end):
                record(program, s..<end, &state)
                cursor = end
            case .noMatch:
                continue
            case .unknown:
                return false
            }
        }
        return true
    }

    private func runPCRE2(_ program: Program, _ how: Verification, _ buf: UnsafeBufferPointer<UInt8>, _ state: inout ScanState) {
        state.result.pcre2Runs += 1
        let match = state.match
        do throws(PCRE2Error) {
            switch how {
            case .anchored:
                let anchored = patterns[Int(program.anchoredPattern)]
                candidateStarts(program, buf, &state)
                var cursor = 0
                for k in state.lists.starts.indices {
                    let s = Int(state.lists.starts[k])
                    guard s >= cursor else { continue }
                    if let range = try anchored.firstMatch(in: buf, from: s, scratch: match) {
                        record(program, range, &state)
                        cursor = max(range.upperBound, s + 1)
                    }
                }
            case .window, .native, .literals:
                let pattern = patterns[Int(program.pattern)]
                if program.maxBack >= 0 {
                    candidateStarts(program, buf, &state)
                } else {
                    // No bound: the occurrences only say where the matches cannot be any more.
                    var starts: [Int32] = []
                    swap(&starts, &state.lists.starts)
                    occurrences(program.window, program.windowCount, &state, into: &starts)
                    swap(&starts, &state.lists.starts)
                }
                let bounded = program.maxBack >= 0
                var cursor = 0
                var next = 0
                while true {
                    while next < state.lists.starts.count && Int(state.lists.starts[next]) < cursor { next += 1 }
                    guard next < state.lists.starts.count else { return }  // every further match would need one
                    var from = bounded ? Int(state.lists.starts[next]) : cursor
                    while from < buf.count && buf[from] & 0xC0 == 0x80 { from += 1 }
                    guard let range = try pattern.firstMatch(in: buf, from: from, scratch: match) else { return }
                    record(program, range, &state)
                    cursor = range.isEmpty ? Pattern.nextScalar(after: range.upperBound, in: buf) : range.upperBound
                }
            case .atStart:
                if let range = try patterns[Int(program.pattern)].firstMatch(in: buf, from: 0, scratch: match) {
                    record(program, range, &state)
                }
            case .everywhere:
                var cursor = 0
                let pattern = patterns[Int(program.pattern)]
                while cursor <= buf.count {
                    guard let range = try pattern.firstMatch(in: buf, from: cursor, scratch: match) else { return }
                    record(program, range, &state)
                    cursor = range.isEmpty ? Pattern.nextScalar(after: range.upperBound, in: buf) : range.upperBound
                }
            }
        } catch {
            fail(program, error, &state)
        }
    }
}

extension PrefilterMatcher {
    /// Builds the tables: atoms, their key index, programs.
    struct Builder {
        var atomIDs: [[UInt8]: Int] = [:]
        var atomBytes: [[UInt8]] = []
        var atomEntryLists: [[Int32]] = []
        var atomTriggerLists: [[Int32]] = []
        var keepsPositions: [Bool] = []

        var programIDs: [String: Int] = [:]
        var programEntryLists: [[Int32]] = []
        var programInfo: [Program] = []
        var programClauses: [[[Int32]]] = []
        var programWindows: [[Int32]] = []
        var programFilters: [[[Int32]]] = []
        var untriggered: [Int32] = []
        var natives: [NativeProgram] = []
        var literalAtoms: [Int32] = []
        var literalLengths: [Int32] = []
        var patterns: [Pattern] = []
        var counts: [String: Int] = [:]
        var descriptions: [(source: String, verification: String)] = []

        var summary: [(String, Int)] {
            ["literals", "native", "pcre2 anchored", "pcre2 window", "pcre2 window (no bound)", "pcre2 at start",
             "pcre2 everywhere, digit gate", "pcre2 everywhere", "shared by several entries"].map { ($0, counts[$0] ?? 0) }
        }

        mutating func intern(_ bytes: [UInt8]) -> Int {
            if let a = atomIDs[bytes] { return a }
            let a = atomBytes.count
            atomIDs[bytes] = a
            atomBytes.append(bytes)
            atomEntryLists.append([])
            atomTriggerLists.append([])
            keepsPositions.append(false)
            return a
        }

        mutating func add(_ p: RulePattern, entry: Int) {
            if let existing = programIDs[p.source] {
                programEntryLists[existing].append(Int32(entry))
                counts["shared by several entries", default: 0] += 1
                return
            }
            let id = programInfo.count
            programIDs[p.source] = id
            programEntryLists.append([Int32(entry)])
            let plan = PatternPlan(source: p.source, required: p.required)

            let clauses = plan.clauses.map { $0.literals.map { Int32(intern($0)) } }
            programClauses.append(clauses)
            if let trigger = plan.trigger {
                for l in trigger.literals { atomTriggerLists[intern(l)].append(Int32(id)) }
            } else {
                untriggered.append(Int32(id))
            }

            var info = Program(entries: 0, entryCount: 0, clauses: 0, clauseCount: 0, window: 0, windowCount: 0, minBack: 0,
                               maxBack: -1, filter0: 0, filter0Count: 0, filter0Low: 0, filter0High: 0, filter1: 0,
                               filter1Count: 0, filter1Low: 0, filter1High: 0, digitRun: Int32(plan.digitRun),
                               verification: .everywhere, fallback: .everywhere, native: -1,
                               pattern: Int32(patterns.count), anchoredPattern: -1, literals: 0, literalCount: 0,
                               endWindow: plan.endLength.map { Int32($0 + 3) } ?? -1)
            patterns.append(p.compiled)
            var window: [Int32] = []
            var filters: [[Int32]] = []
            func useWindow(_ anchor: PatternPlan.Anchor) {
                window = anchor.literals.map { Int32(intern($0)) }
                info.minBack = Int32(anchor.minBack)
                info.maxBack = Int32(anchor.maxBack ?? -1)
                guard anchor.maxBack != nil else { return }
                for (k, f) in plan.filters.enumerated() {
                    filters.append(f.literals.map { Int32(intern($0)) })
                    if k == 0 {
                        info.filter0Low = Int32(f.minBack)
                        info.filter0High = Int32(f.maxBack!)
                    } else {
                        info.filter1Low = Int32(f.minBack)
                        info.filter1High = Int32(f.maxBack!)
                    }
                }
            }
            // PCRE2's way: from the start only, anchored at the window, from the window's bound, or everywhere.
            var pcre: Verification = .everywhere
            if plan.startAnchored {
                pcre = .atStart
            } else if let w = plan.window {
                useWindow(w)
                pcre = .window
                if w.maxBack == 0, let anchored = p.prefix?.anchored ?? (try? Pattern(p.source, options: .anchored)) {
                    info.anchoredPattern = Int32(patterns.count)
                    patterns.append(anchored)
                    pcre = .anchored
                }
            } else if let trigger = plan.trigger, !trigger.literals.isEmpty {
                // No bound on where a match starts, but no match without an occurrence.
                useWindow(PatternPlan.Anchor(literals: trigger.literals, maxBack: nil))
                pcre = .window
            }
            if let literals = plan.literals, literals.count < 256 {
                info.verification = .literals
                info.literals = Int32(literalAtoms.count)
                info.literalCount = Int32(literals.count)
                for l in literals {
                    let a = intern(l)
                    keepsPositions[a] = true
                    literalAtoms.append(Int32(a))
                    literalLengths.append(Int32(l.count))
                }
            } else if let native = plan.native {
                info.native = Int32(natives.count)
                natives.append(native)
                info.verification = .native
                if plan.startAnchored { window = [] }  // the machine runs once, at 0
            } else {
                info.verification = pcre
            }
            info.fallback = pcre
            if window.isEmpty { filters = [] }
            for a in window + filters.flatMap({ $0 }) { keepsPositions[Int(a)] = true }
            programWindows.append(window)
            programFilters.append(filters)
            programInfo.append(info)
            let name: String
            switch info.verification {
            case .literals: name = "literals"
            case .native: name = "native"
            case .anchored: name = "pcre2 anchored"
            case .window: name = info.maxBack < 0 ? "pcre2 window (no bound)" : "pcre2 window"
            case .atStart: name = "pcre2 at start"
            case .everywhere: name = plan.digitRun > 0 ? "pcre2 everywhere, digit gate" : "pcre2 everywhere"
            }
            counts[name, default: 0] += 1
            descriptions.append((p.source, name))
        }

        struct Tables {
            var bitset: FixedTable<UInt64>
            var bitShift: UInt64
            var slotKeys: FixedTable<UInt64>
            var slotAtoms: FixedTable<Int32>
            var slotCounts: FixedTable<Int32>
            var slotMask: Int
            var bucketAtoms: FixedTable<Int32>
            var bucketNext: FixedTable<UInt32>
            var atoms: FixedTable<Atom>
            var atomBytes: FixedTable<UInt8>
            var atomEntries: FixedTable<Int32>
            var atomTriggers: FixedTable<Int32>
            var hasSingleScalarAtoms: Bool
            var programs: FixedTable<Program>
            var programEntries: FixedTable<Int32>
            var clauseRanges: FixedTable<Int32>
            var clauseAtoms: FixedTable<Int32>
            var windowAtoms: FixedTable<Int32>
            var untriggered: [Int32]
        }

        /// The key of an atom: its first two scalars (or its only one), little-endian.
        static func key(_ bytes: [UInt8]) -> (key: UInt64, length: Int) {
            let l1 = PrefilterMatcher.scalarLength(bytes[0])
            var length = l1
            if l1 < bytes.count { length += PrefilterMatcher.scalarLength(bytes[l1]) }
            length = min(length, bytes.count)
            var k: UInt64 = 0
            for j in 0..<min(length, 8) { k |= UInt64(bytes[j]) << (8 * UInt64(j)) }
            return (k, length)
        }

        func finish() -> Tables {
            // Atoms, grouped by key.
            var buckets: [UInt64: [Int32]] = [:]
            var keyLengths = [Int32](repeating: 0, count: atomBytes.count)
            var single = false
            for (a, bytes) in atomBytes.enumerated() {
                let (k, length) = Builder.key(bytes)
                keyLengths[a] = Int32(length)
                if length == bytes.count && PrefilterMatcher.scalarLength(bytes[0]) == bytes.count { single = true }
                buckets[k, default: []].append(Int32(a))
            }
            var bitCount = 1 << 12
            while bitCount < buckets.count * 16 && bitCount < 1 << 23 { bitCount <<= 1 }
            let shift = UInt64(64 - bitCount.trailingZeroBitCount)
            var bits = [UInt64](repeating: 0, count: bitCount / 64)
            var slots = 16
            while slots < buckets.count * 2 { slots <<= 1 }
            var slotKeys = [UInt64](repeating: 0, count: slots)
            var slotAtoms = [Int32](repeating: 0, count: slots)
            var slotCounts = [Int32](repeating: 0, count: slots)
            var bucketAtoms: [Int32] = []
            var bucketNext: [UInt32] = []
            /// The scalar after the key, plus one (0 when the atom is the key).
            func next(_ a: Int32) -> UInt32 {
                let bytes = atomBytes[Int(a)], from = Int(keyLengths[Int(a)])
                guard from < bytes.count else { return 0 }
                return bytes.withUnsafeBufferPointer { NativeProgram.decode($0, from).0 } + 1
            }
            for (k, unsorted) in buckets.sorted(by: { $0.key < $1.key }) {
                let ids = unsorted.sorted { (next($0), $0) < (next($1), $1) }
                let h = PrefilterMatcher.bitHash(k) >> shift
                bits[Int(h >> 6)] |= 1 << (h & 63)
                var slot = PrefilterMatcher.slotHash(k) & (slots - 1)
                while slotKeys[slot] != 0 { slot = (slot + 1) & (slots - 1) }
                slotKeys[slot] = k
                slotAtoms[slot] = Int32(bucketAtoms.count)
                slotCounts[slot] = Int32(ids.count)
                bucketAtoms += ids
                bucketNext += ids.map(next)
            }
            var atoms: [Atom] = []
            var pool: [UInt8] = []
            var entries: [Int32] = []
            var triggers: [Int32] = []
            for (a, bytes) in atomBytes.enumerated() {
                let key = Int(keyLengths[a])
                let compareFrom = key < bytes.count ? key + PrefilterMatcher.scalarLength(bytes[key]) : key
                atoms.append(Atom(offset: Int32(pool.count), length: Int32(bytes.count), keyLength: keyLengths[a],
                                  compareFrom: Int32(compareFrom),
                                  entries: Int32(entries.count), entryCount: Int32(atomEntryLists[a].count),
                                  triggers: Int32(triggers.count), triggerCount: Int32(atomTriggerLists[a].count),
                                  keepsPositions: keepsPositions[a]))
                pool += bytes
                entries += atomEntryLists[a]
                triggers += atomTriggerLists[a]
            }
            // Programs.
            var infos = programInfo
            var programEntries: [Int32] = []
            var clauseRanges: [Int32] = []
            var clauseAtoms: [Int32] = []
            var windowAtoms: [Int32] = []
            for p in infos.indices {
                infos[p].entries = Int32(programEntries.count)
                infos[p].entryCount = Int32(programEntryLists[p].count)
                programEntries += programEntryLists[p]
                infos[p].clauses = Int32(clauseRanges.count)
                infos[p].clauseCount = Int32(programClauses[p].count)
                for clause in programClauses[p] {
                    clauseRanges.append(Int32(clauseAtoms.count))
                    clauseAtoms += clause
                }
                infos[p].window = Int32(windowAtoms.count)
                infos[p].windowCount = Int32(programWindows[p].count)
                windowAtoms += programWindows[p]
                for (k, f) in programFilters[p].enumerated() {
                    if k == 0 {
                        infos[p].filter0 = Int32(windowAtoms.count)
                        infos[p].filter0Count = Int32(f.count)
                    } else {
                        infos[p].filter1 = Int32(windowAtoms.count)
                        infos[p].filter1Count = Int32(f.count)
                    }
                    windowAtoms += f
                }
            }
            clauseRanges.append(Int32(clauseAtoms.count))
            return Tables(
                bitset: FixedTable(bits), bitShift: shift, slotKeys: FixedTable(slotKeys), slotAtoms: FixedTable(slotAtoms),
                slotCounts: FixedTable(slotCounts), slotMask: slots - 1, bucketAtoms: FixedTable(bucketAtoms), bucketNext: FixedTable(bucketNext),
                atoms: FixedTable(atoms), atomBytes: FixedTable(pool), atomEntries: FixedTable(entries),
                atomTriggers: FixedTable(triggers), hasSingleScalarAtoms: single, programs: FixedTable(infos),
                programEntries: FixedTable(programEntries), clauseRanges: FixedTable(clauseRanges),
                clauseAtoms: FixedTable(clauseAtoms), windowAtoms: FixedTable(windowAtoms), untriggered: untriggered)
        }
    }
}
