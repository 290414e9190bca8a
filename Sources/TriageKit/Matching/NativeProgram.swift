/// A pattern compiled for the matcher's own backtracking machine, for the patterns whose
/// every construct it runs exactly as PCRE2 does: literals, classes of code points and
/// ranges, `.`, `\d`, groups, alternation, greedy and lazy quantifiers, `^` and `$`.
///
/// It tries alternatives and quantifier counts in PCRE2's order, so from a given start it
/// finds the match PCRE2 finds. Where its answer could depend on what it does not know (is
/// this scalar a Unicode decimal digit? is it a newline for `.` and `$`?) or where it takes
/// too many steps, it says ``Outcome/unknown`` and the matcher asks PCRE2 instead.
struct NativeProgram: Sendable {
    enum Op: UInt8 {
        /// Bytes `a..<a+b` of `literals` at the position.
        case literal
        /// One scalar of set `a`.
        case set
        /// Between `b` and `c` (−1: no bound) scalars of set `a`; greedy when `d` is 1.
        case repeatSet
        /// Go on at `a`; on failure at `b`. When `d` > 0, `a` starts with the `d` bytes packed in `c`
        /// (little-endian): where they are not, go straight to `b`.
        case split
        /// Alternatives dispatched on the scalar at the position: table `a` lists, for that scalar,
        /// the alternatives that can start with it, in order (the first is tried, the others on failure).
        case dispatch
        /// Go on at `a`.
        case jump
        /// The position is 0.
        case start
        /// The position is the end.
        case end
        /// A match ends here.
        case match
    }

    struct Instruction: Sendable {
        var op: Op
        var a: Int32 = 0
        var b: Int32 = 0
        var c: Int32 = 0
        var d: Int32 = 0
    }

    /// What one anchored run found.
    enum Outcome: Equatable {
        case match(end: Int)
        case noMatch
        /// The machine cannot decide exactly; PCRE2 must.
        case unknown
    }

    /// A set as the machine reads it: ranges `ranges..<ranges+rangeCount` of `setRanges`, and flags.
    struct SetInfo: BitwiseCopyable {
        var ranges: Int32
        var rangeCount: Int32
        var digits: Bool
        var negated: Bool
        var dot: Bool
    }

    let code: FixedTable<Instruction>
    let literals: FixedTable<UInt8>
    let sets: FixedTable<SetInfo>
    /// Lower and upper bound of each range, in pairs.
    let setRanges: FixedTable<UInt32>

    /// A dispatch table: `keyCount` sorted first scalars from `keys`, each with a list of
    /// targets (`listStart`/`listCount` in `lists`, pairs per key), and the list for any other scalar.
    struct DispatchInfo: BitwiseCopyable {
        var keys: Int32
        var keyCount: Int32
        var otherStart: Int32
        var otherCount: Int32
    }

    let dispatches: FixedTable<DispatchInfo>
    let dispatchKeys: FixedTable<UInt32>
    /// Per key: start and count in `dispatchTargets`.
    let dispatchLists: FixedTable<Int32>
    let dispatchTargets: FixedTable<Int32>

    /// Steps one anchored run may take before it gives the question to PCRE2.
    static let stepBudget = 20_000
    /// Most instructions a program may have (bounded repeats of groups are unrolled).
    static let maxInstructions = 4_000

    /// Compiles the alternatives of a parsed pattern; `nil` when a construct is not native or
    /// the program would be too large.
    init?(_ alternatives: [[PatternNode]]) {
        var b = Builder()
        guard (try? b.alternatives(alternatives)) != nil else { return nil }
        b.emit(Instruction(op: .match))
        guard b.code.count <= NativeProgram.maxInstructions else { return nil }
        code = FixedTable(b.code)
        literals = FixedTable(b.literals)
        var infos: [SetInfo] = []
        var ranges: [UInt32] = []
        for set in b.sets {
            infos.append(SetInfo(ranges: Int32(ranges.count / 2), rangeCount: Int32(set.ranges.count), digits: set.digits,
                                 negated: set.negated, dot: set.dot))
            for r in set.ranges { ranges += [r.lowerBound, r.upperBound] }
        }
        sets = FixedTable(infos)
        setRanges = FixedTable(ranges)
        dispatches = FixedTable(b.dispatches)
        dispatchKeys = FixedTable(b.dispatchKeys)
        dispatchLists = FixedTable(b.dispatchLists)
        dispatchTargets = FixedTable(b.dispatchTargets)
    }

    private struct Builder {
        struct TooLarge: Error {}
        var code: [Instruction] = []
        var literals: [UInt8] = []
        var sets: [ScalarSet] = []
        var dispatches: [DispatchInfo] = []
        var dispatchKeys: [UInt32] = []
        var dispatchLists: [Int32] = []
        var dispatchTargets: [Int32] = []

        /// The scalar an alternative must start with, or `nil` when it can start with anything (or nothing).
        static func firstScalar(_ alternative: [PatternNode]) -> UInt32? {
            if case .literal(let s) = alternative.first { return s.value }
            return nil
        }

        /// Three or more alternatives: a dispatch on the first scalar.
        mutating func dispatch(_ alternatives: [[PatternNode]]) throws(TooLarge) {
            let at = code.count
            emit(Instruction(op: .dispatch, a: Int32(dispatches.count)))
            dispatches.append(DispatchInfo(keys: 0, keyCount: 0, otherStart: 0, otherCount: 0))
            var starts: [Int32] = []
            var jumps: [Int] = []
            for (k, alternative) in alternatives.enumerated() {
                starts.append(Int32(code.count))
                try sequence(alternative)
                if k < alternatives.count - 1 {
                    jumps.append(code.count)
                    emit(Instruction(op: .jump))
                }
            }
            for j in jumps { code[j].a = Int32(code.count) }
            let firsts = alternatives.map(Builder.firstScalar)
            let keys = Array(Set(firsts.compactMap { $0 })).sorted()
            var info = DispatchInfo(keys: Int32(dispatchKeys.count), keyCount: Int32(keys.count), otherStart: 0, otherCount: 0)
            for key in keys {
                dispatchKeys.append(key)
                let list = starts.indices.filter { firsts[$0] == key || firsts[$0] == nil }.map { starts[$0] }
                dispatchLists += [Int32(dispatchTargets.count), Int32(list.count)]
                dispatchTargets += list
            }
            let other = starts.indices.filter { firsts[$0] == nil }.map { starts[$0] }
            info.otherStart = Int32(dispatchTargets.count)
            info.otherCount = Int32(other.count)
            dispatchTargets += other
            dispatches[Int(code[at].a)] = info
        }

        mutating func emit(_ i: Instruction) { code.append(i) }

        mutating func alternatives(_ alternatives: [[PatternNode]]) throws(TooLarge) {
            guard code.count <= NativeProgram.maxInstructions else { throw TooLarge() }
            if alternatives.count == 1 { try sequence(alternatives[0]); return }
            if alternatives.count >= 3 { try dispatch(alternatives); return }
            var jumps: [Int] = []
            for (k, alternative) in alternatives.enumerated() {
                if k < alternatives.count - 1 {
                    let split = code.count
                    emit(Instruction(op: .split))
                    code[split].a = Int32(code.count)
                    try sequence(alternative)
                    // An alternative that starts with a literal is tried only where its first bytes are.
                    if split + 1 < code.count, code[split + 1].op == .literal, code[split + 1].b > 0 {
                        let first = code[split + 1]
                        let count = min(Int(first.b), 4)
                        var packed: UInt32 = 0
                        for j in 0..<count { packed |= UInt32(literals[Int(first.a) + j]) << (8 * UInt32(j)) }
                        code[split].c = Int32(bitPattern: packed)
                        code[split].d = Int32(count)
                    }
                    jumps.append(code.count)
                    emit(Instruction(op: .jump))
                    code[split].b = Int32(code.count)
                } else {
                    try sequence(alternative)
                }
            }
            for j in jumps { code[j].a = Int32(code.count) }
        }

        mutating func sequence(_ items: [PatternNode]) throws(TooLarge) {
            var k = 0
            while k < items.count {
                if case .literal = items[k] {
                    // A run of literal scalars is one instruction.
                    let start = literals.count
                    while k < items.count, case .literal(let s) = items[k] {
                        literals.append(contentsOf: Array(String(s).utf8))
                        k += 1
                    }
                    emit(Instruction(op: .literal, a: Int32(start), b: Int32(literals.count - start)))
                    continue
                }
                try node(items[k])
                k += 1
            }
        }

        mutating func set(_ s: ScalarSet) -> Int32 {
            if let k = sets.firstIndex(of: s) { return Int32(k) }
            sets.append(s)
            return Int32(sets.count - 1)
        }

        mutating func node(_ n: PatternNode) throws(TooLarge) {
            switch n {
            case .literal(let s):
                let start = literals.count
                literals.append(contentsOf: Array(String(s).utf8))
                emit(Instruction(op: .literal, a: Int32(start), b: Int32(literals.count - start)))
            case .set(let s):
                emit(Instruction(op: .set, a: set(s)))
            case .start: emit(Instruction(op: .start))
            case .end: emit(Instruction(op: .end))
            case .opaque: throw TooLarge()
            case .group(let alternatives): try self.alternatives(alternatives)
            case .repetition(let inner, let lo, let hi, let greedy):
                let single: ScalarSet?
                switch inner {
                case .set(let s): single = s
                case .literal(let s): single = ScalarSet(ranges: [s.value...s.value])
                default: single = nil
                }
                if let single {
                    emit(Instruction(op: .repeatSet, a: set(single), b: Int32(lo), c: Int32(hi ?? -1), d: greedy ? 1 : 0))
                    return
                }
                try repetition(inner, lo, hi, greedy)
            }
        }

        /// A quantified group, unrolled: `min` copies, then the optional ones nested
        /// (`x{1,3}` is `x(x(x)?)?`, as PCRE2 runs it), or a loop when unbounded.
        mutating func repetition(_ inner: PatternNode, _ lo: Int, _ hi: Int?, _ greedy: Bool) throws(TooLarge) {
            guard lo <= 64, (hi ?? lo) <= 64 else { throw TooLarge() }
            for _ in 0..<lo { try node(inner) }
            if let hi {
                var splits: [Int] = []
                for _ in lo..<hi {
                    splits.append(code.count)
                    emit(Instruction(op: .split))
                    let body = Int32(code.count)
                    try node(inner)
                    // Filled in below: the body, or (lazy) the body second.
                    code[splits.last!].a = body
                }
                let exit = Int32(code.count)
                for s in splits {
                    if greedy {
                        code[s].b = exit
                    } else {
                        code[s].b = code[s].a
                        code[s].a = exit
                    }
                }
            } else {
                // An unbounded loop: its body must consume something, or it could loop forever
                // (PCRE2 stops a repeat that matched empty; this machine does not need to).
                guard inner.minBytes > 0 else { throw TooLarge() }
                let loop = code.count
                emit(Instruction(op: .split))
                let body = Int32(code.count)
                try node(inner)
                emit(Instruction(op: .jump, a: Int32(loop)))
                let exit = Int32(code.count)
                code[loop].a = greedy ? body : exit
                code[loop].b = greedy ? exit : body
            }
            guard code.count <= NativeProgram.maxInstructions else { throw TooLarge() }
        }
    }
}

extension NativeProgram {
    /// A frame to go back to.
    struct Frame {
        /// 0: resume at `pc` and `position`; 1: a greedy repeat gives back a scalar; 2: a lazy repeat takes one more.
        var kind: Int32
        var pc: Int32
        var position: Int32
        var count: Int32
    }

    /// The match PCRE2 would find starting exactly at `start` (a scalar boundary) in `text`.
    /// `stack` is scratch space.
    func run(_ text: UnsafeBufferPointer<UInt8>, at start: Int, stack: inout [Frame]) -> Outcome {
        stack.removeAll(keepingCapacity: true)
        let n = text.count
        var pc = 0
        var position = start
        var steps = 0
        while true {
            steps += 1
            if steps > NativeProgram.stepBudget { return .unknown }
            let instruction = code[pc]
            var failed = false
            switch instruction.op {
            case .literal:
                let from = Int(instruction.a), length = Int(instruction.b)
                if position + length <= n && equal(text, position, from, length) {
                    position += length
                    pc += 1
                } else {
                    failed = true
                }
            case .set:
                guard position < n else { failed = true; break }
                let (scalar, width) = NativeProgram.decode(text, position)
                switch contains(Int(instruction.a), scalar) {
                case .some(true): position += width; pc += 1
                case .some(false): failed = true
                case .none: return .unknown
                }
            case .repeatSet:
                let set = Int(instruction.a)
                let lo = Int(instruction.b), hi = instruction.c < 0 ? Int.max : Int(instruction.c)
                let greedy = instruction.d == 1
                var count = 0
                var p = position
                let want = greedy ? hi : lo
                if sets[set].dot {
                    // `.`: every scalar but a newline, read off the lead bytes.
                    while count < want && p < n {
                        let b = text[p]
                        if b < 0x80 {
                            if b >= 0x0A && b <= 0x0D { return .unknown }
                            p += 1
                        } else {
                            if b == 0xC2 && text[p + 1] == 0x85 { return .unknown }
                            if b == 0xE2 && text[p + 1] == 0x80 && (text[p + 2] == 0xA8 || text[p + 2] == 0xA9) { return .unknown }
                            p += b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4)
                        }
                        count += 1
                    }
                } else {
                    while count < want && p < n {
                        let (scalar, width) = NativeProgram.decode(text, p)
                        guard let inSet = contains(set, scalar) else { return .unknown }
                        if !inSet { break }
                        p += width
                        count += 1
                    }
                }
                if count < lo { failed = true; break }
                if greedy {
                    if count > lo { stack.append(Frame(kind: 1, pc: Int32(pc), position: Int32(p), count: Int32(count))) }
                } else if count < hi {
                    stack.append(Frame(kind: 2, pc: Int32(pc), position: Int32(p), count: Int32(count)))
                }
                position = p
                pc += 1
            case .split:
                if instruction.d > 0 && !startsWith(text, position, UInt32(bitPattern: instruction.c), Int(instruction.d)) {
                    pc = Int(instruction.b)  // the first alternative cannot match here
                } else {
                    stack.append(Frame(kind: 0, pc: instruction.b, position: Int32(position), count: 0))
                    pc = Int(instruction.a)
                }
            case .dispatch:
                let table = dispatches[Int(instruction.a)]
                var from = Int(table.otherStart), count = Int(table.otherCount)
                if position < n {
                    let (scalar, _) = NativeProgram.decode(text, position)
                    var lo = Int(table.keys), hi = lo + Int(table.keyCount)
                    while lo < hi {
                        let mid = (lo + hi) >> 1
                        if dispatchKeys[mid] < scalar { lo = mid + 1 } else { hi = mid }
                    }
                    if lo < Int(table.keys + table.keyCount) && dispatchKeys[lo] == scalar {
                        from = Int(dispatchLists[2 * lo])
                        count = Int(dispatchLists[2 * lo + 1])
                    }
                }
                if count == 0 { failed = true; break }
                var k = from + count - 1
                while k > from {
                    stack.append(Frame(kind: 0, pc: dispatchTargets[k], position: Int32(position), count: 0))
                    k -= 1
                }
                pc = Int(dispatchTargets[from])
            case .jump:
                pc = Int(instruction.a)
            case .start:
                if position == 0 { pc += 1 } else { failed = true }
            case .end:
                if position == n {
                    pc += 1
                } else {
                    // `$` also matches before a final newline (CR LF for some builds); which
                    // characters are newlines is PCRE2's build setting, so a text ending in
                    // one is PCRE2's question.
                    if n - position <= 2 && NativeProgram.onlyNewlines(text, from: position) { return .unknown }
                    failed = true
                }
            case .match:
                return .match(end: position)
            }
            guard failed else { continue }
            // Backtrack.
            var resumed = false
            while !resumed {
                guard var frame = stack.popLast() else { return .noMatch }
                switch frame.kind {
                case 0:
                    pc = Int(frame.pc)
                    position = Int(frame.position)
                    resumed = true
                case 1:
                    // Give back one scalar.
                    var p = Int(frame.position) - 1
                    while p > 0 && text[p] & 0xC0 == 0x80 { p -= 1 }
                    frame.count -= 1
                    frame.position = Int32(p)
                    if Int(frame.count) > Int(code[Int(frame.pc)].b) { stack.append(frame) }
                    pc = Int(frame.pc) + 1
                    position = p
                    resumed = true
                default:
                    // Take one more scalar, if the set allows.
                    let p = Int(frame.position)
                    guard p < n else { continue }
                    let instruction = code[Int(frame.pc)]
                    let (scalar, width) = NativeProgram.decode(text, p)
                    guard let inSet = contains(Int(instruction.a), scalar) else { return .unknown }
                    guard inSet else { continue }
                    frame.count += 1
                    frame.position = Int32(p + width)
                    if instruction.c < 0 || frame.count < instruction.c { stack.append(frame) }
                    pc = Int(frame.pc) + 1
                    position = p + width
                    resumed = true
                }
            }
        }
    }

    @inline(__always) func equal(_ text: UnsafeBufferPointer<UInt8>, _ at: Int, _ from: Int, _ length: Int) -> Bool {
        let l = literals.base + from
        var k = 0
        while k < length {
            if text[at + k] != l[k] { return false }
            k += 1
        }
        return true
    }

    /// Whether the `count` bytes packed in `packed` are at `at`.
    @inline(__always) func startsWith(_ text: UnsafeBufferPointer<UInt8>, _ at: Int, _ packed: UInt32, _ count: Int) -> Bool {
        guard at + count <= text.count else { return false }
        var k = 0
        while k < count {
            if text[at + k] != UInt8(truncatingIfNeeded: packed >> (8 * UInt32(k))) { return false }
            k += 1
        }
        return true
    }

    /// Whether set `k` accepts scalar `v`; `nil` when that depends on tables this machine does not share with PCRE2.
    @inline(__always) func contains(_ k: Int, _ v: UInt32) -> Bool? {
        let set = sets[k]
        if set.dot { return NativeProgram.mayBeNewline(v) ? nil : true }
        var inside = false
        var r = Int(set.ranges) * 2
        let end = r + Int(set.rangeCount) * 2
        while r < end {
            if v >= setRanges[r] && v <= setRanges[r + 1] { inside = true; break }
            r += 2
        }
        if !inside && set.digits {
            guard let digit = NativeProgram.isDecimalDigit(v) else { return nil }
            inside = digit
        }
        return inside != set.negated
    }

    /// The scalar at `i` of valid UTF-8 and its width.
    @inline(__always) static func decode(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(t[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(t[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | UInt32(t[i + 1] & 0x3F) << 6 | UInt32(t[i + 2] & 0x3F), 3) }
        return ((b0 & 0x07) << 18 | UInt32(t[i + 1] & 0x3F) << 12 | UInt32(t[i + 2] & 0x3F) << 6 | UInt32(t[i + 3] & 0x3F), 4)
    }

    /// Whether `v` is a Unicode decimal digit (`\d` under UCP), where that is certain without
    /// Unicode tables: ASCII, and the blocks with no digits that Chinese text is made of.
    @inline(__always) static func isDecimalDigit(_ v: UInt32) -> Bool? {
        if v < 0x80 { return v >= 0x30 && v <= 0x39 }
        if v < 0x660 { return false }  // the first decimal digit after ASCII is U+0660
        if v >= 0x2000 && v <= 0x2BFF { return false }  // punctuation, symbols, arrows, shapes
        if v >= 0x3000 && v <= 0x9FFF { return false }  // CJK punctuation, kana, ideographs
        if v >= 0xAC00 && v <= 0xD7A3 { return false }  // Hangul syllables
        if v >= 0xFF00 && v <= 0xFFEF { return v >= 0xFF10 && v <= 0xFF19 }
        return nil
    }

    /// True when every scalar from `from` to the end may be a newline.
    static func onlyNewlines(_ t: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        var p = from
        while p < t.count {
            let (v, width) = decode(t, p)
            if !mayBeNewline(v) { return false }
            p += width
        }
        return true
    }

    /// A character some PCRE2 newline setting treats as a newline (LF, VT, FF, CR, NEL, LS, PS).
    @inline(__always) static func mayBeNewline(_ v: UInt32) -> Bool {
        (v >= 0x0A && v <= 0x0D) || v == 0x85 || v == 0x2028 || v == 0x2029
    }
}
