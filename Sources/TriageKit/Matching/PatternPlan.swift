internal import PCRE2

/// What the matcher knows about one pattern before it runs it, worked out once at load
/// time from the pattern's syntax tree (``PatternNode``) and ``RequiredLiterals``:
///
/// - which literal sets every match contains (the gate: a pattern is run only on a
///   message that holds one literal of each), and for each how far before the literal a
///   match can start (so the search starts there, not at the start of the message);
/// - whether every match starts at the start of the subject (`^`);
/// - how many decimal digits in a row every match holds (the gate of a pattern with no literal);
/// - a ``NativeProgram`` when the pattern can be run without PCRE2.
struct PatternPlan {
    /// A set of literal byte strings one of which every match contains.
    struct Anchor: Equatable {
        /// The literals, as UTF-8 (as the pattern writes them: the scan compares bytes).
        var literals: [[UInt8]]
        /// How many bytes after the match's start the literal starts: at least `minBack`, at
        /// most `maxBack` (`nil` when unbounded or unknown).
        var minBack: Int
        var maxBack: Int?
        /// How often the literals may be expected in a message, relative to one character: a
        /// literal of one scalar about once a message, of two 1/20 of that, longer ones 1/200.
        /// (No corpus statistics: length is the measure of rarity.)
        let frequency: Double

        init(literals: [[UInt8]], minBack: Int = 0, maxBack: Int?) {
            self.literals = literals
            self.minBack = minBack
            self.maxBack = maxBack
            frequency = literals.reduce(0) { total, l in
                let scalars = l.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                return total + (scalars <= 1 ? 1 : (scalars == 2 ? 0.05 : 0.005))
            }
        }

        /// Starts tried per message when searches start from this anchor: its frequency times the
        /// scalars its window spans (at least one byte in three is a scalar in Chinese text).
        var cost: Double {
            guard let maxBack else { return .infinity }
            return frequency * Double((maxBack - minBack) / 3 + 1)
        }
    }

    /// Every match holds one literal of each (conjunctive clauses).
    var clauses: [Anchor] = []
    /// The anchor searches start from: the one with the smallest bound.
    var window: Anchor?
    /// Further bounded anchors a start must fit (an occurrence at the right distance after it).
    var filters: [Anchor] = []
    /// Every match starts at offset 0.
    var startAnchored = false
    /// Every match holds at least this many decimal digits (Unicode Nd) in a row.
    var digitRun = 0
    /// The native program, when there is one.
    var native: NativeProgram?
    /// When the pattern is nothing but literals (alternatives, groups): they, in the order PCRE2
    /// tries them. A match at a position is the first of them found there.
    var literals: [[UInt8]]?
    /// When every match ends the subject (`…$`) and is at most this many bytes long.
    var endLength: Int?

    /// Most literals an anchor may expand to.
    static let maxExpansion = 64
    /// Most bounded anchors used as filters.
    static let maxFilters = 2

    init(source: String, required: [[String]]?) {
        for clause in required ?? [] {
            clauses.append(Anchor(literals: clause.map { Array($0.utf8) }, maxBack: nil))
        }
        guard let tree = PatternNode.parse(source) else { return }
        let perAlternative = tree.map(PatternPlan.anchors(of:))
        var treeAnchors: [Anchor] = []
        if tree.count == 1 {
            treeAnchors = perAlternative[0]
        } else if perAlternative.allSatisfy({ !$0.isEmpty }) {
            // Alternatives: one anchor of each, united; the rarest, and the nearest the start.
            func union(_ pick: ([Anchor]) -> Anchor) -> Anchor? {
                let picked = perAlternative.map(pick)
                var literals: [[UInt8]] = []
                for a in picked { for l in a.literals where !literals.contains(l) { literals.append(l) } }
                guard literals.count <= PatternPlan.maxExpansion else { return nil }
                let backs = picked.map(\.maxBack)
                return Anchor(literals: literals, minBack: picked.map(\.minBack).min() ?? 0,
                              maxBack: backs.contains(nil) ? nil : backs.map { $0! }.max())
            }
            let rarest = union { $0.min { $0.frequency < $1.frequency }! }
            let nearest = union { $0.min { ($0.maxBack ?? Int.max) < ($1.maxBack ?? Int.max) }! }
            treeAnchors = [rarest, nearest].compactMap { $0 }
            if treeAnchors.count == 2 && treeAnchors[0] == treeAnchors[1] { treeAnchors.removeLast() }
        }
        var distinct: [Anchor] = []
        for a in treeAnchors where !distinct.contains(a) { distinct.append(a) }
        treeAnchors = distinct
        clauses += treeAnchors
        let bounded = treeAnchors.filter { $0.maxBack != nil }
        window = bounded.min { $0.cost < $1.cost }
        if let window {
            filters = Array(bounded.filter { $0 != window }.sorted { $0.frequency < $1.frequency }.prefix(PatternPlan.maxFilters))
        }
        startAnchored = tree.allSatisfy { $0.first == .start }
        digitRun = tree.map(PatternPlan.digitRun(of:)).min() ?? 0
        let minBytes = tree.map(PatternNode.minBytes).min() ?? 0
        if minBytes > 0, window != nil || startAnchored, tree.allSatisfy({ $0.allSatisfy(\.isNative) }) {
            native = NativeProgram(tree)
        }
        if window != nil, tree.allSatisfy({ $0.allSatisfy(PatternPlan.isPureLiteral) }) {
            var all: [[UInt8]] = []
            for alternative in tree {
                guard let (strings, complete) = PatternPlan.prefixes(alternative[...]), complete else { all = []; break }
                all += strings
            }
            if !all.isEmpty, all.count <= PatternPlan.maxExpansion, !all.contains(where: \.isEmpty) { literals = all }
        }
        if tree.allSatisfy({ $0.last == .end }), let most = tree.map(PatternNode.maxBytes).reduce(Optional(0), { a, b in
            guard let a, let b else { return nil }
            return max(a, b)
        }) {
            endLength = most
        }
    }

    /// The fewest digits `node` matches when everything it matches is digits; `nil` otherwise.
    static func digitsOnly(_ node: PatternNode) -> Int? {
        switch node {
        case .literal(let s): return s.value >= 0x30 && s.value <= 0x39 ? 1 : nil
        case .set(let set): return set.isDigitsOnly ? 1 : nil
        case .repetition(let inner, let lo, _, _): return digitsOnly(inner).map { $0 * lo }
        case .group(let alternatives):
            var fewest: Int?
            for alternative in alternatives {
                var total = 0
                for item in alternative {
                    guard let d = digitsOnly(item) else { return nil }
                    total += d
                }
                fewest = min(fewest ?? total, total)
            }
            return fewest
        default: return nil
        }
    }

    /// Literals and groups of literals only.
    static func isPureLiteral(_ node: PatternNode) -> Bool {
        switch node {
        case .literal: return true
        case .group(let alternatives): return alternatives.allSatisfy { $0.allSatisfy(isPureLiteral) }
        default: return false
        }
    }

    /// The gate: the rarest clause.
    var trigger: Anchor? { clauses.min { $0.frequency < $1.frequency } }

    /// The literal sets a sequence requires, each with its offset bounds: the literal prefixes
    /// of the rest of the sequence from the start of each literal run, group or small class.
    static func anchors(of sequence: [PatternNode]) -> [Anchor] {
        var out: [Anchor] = []
        var lo = 0
        var hi: Int? = 0
        for (k, item) in sequence.enumerated() {
            let previousIsLiteral: Bool
            if k > 0, case .literal = sequence[k - 1] { previousIsLiteral = true } else { previousIsLiteral = false }
            if !previousIsLiteral, let (literals, _) = prefixes(sequence[k...]), !literals.contains(where: \.isEmpty) {
                out.append(Anchor(literals: literals, minBack: lo, maxBack: hi))
            }
            lo += item.minBytes
            hi = hi.flatMap { h in item.maxBytes.map { h + $0 } }
        }
        return out
    }

    /// The literal strings one of which every match of `items` starts with, and whether they are
    /// the whole of what `items` match; `nil` when some match starts with no literal.
    static func prefixes(_ items: ArraySlice<PatternNode>) -> (strings: [[UInt8]], complete: Bool)? {
        var strings: [[UInt8]] = [[]]
        func append(_ parts: [[UInt8]]) -> Bool {
            guard strings.count * parts.count <= maxExpansion else { return false }
            var product: [[UInt8]] = []
            for a in strings { for b in parts { product.append(a + b) } }
            strings = product
            return true
        }
        for item in items {
            switch item {
            case .literal(let s):
                let bytes = Array(String(s).utf8)
                for k in strings.indices { strings[k] += bytes }
            case .opaque(_, .some(0)), .start, .end:
                continue  // zero width: the literals around it are adjacent
            case .group(let alternatives):
                var parts: [[UInt8]] = []
                var complete = true
                for alternative in alternatives {
                    guard let (p, c) = prefixes(alternative[...]) else { return stop(strings) }
                    parts += p
                    complete = complete && c
                }
                guard parts.count <= maxExpansion, append(parts) else { return stop(strings) }
                if !complete { return stop(strings) }
            case .set(let set):
                guard let scalars = set.smallLiteralSet, append(scalars) else { return stop(strings) }
            case .repetition(let inner, let lo, _, _) where lo >= 1:
                // The first copy; more may follow.
                guard let (p, _) = prefixes([inner][...]), append(p) else { return stop(strings) }
                return stop(strings)
            default:
                return stop(strings)
            }
        }
        return (strings, true)
    }

    /// The prefixes gathered so far, as an incomplete answer (or none when one of them is empty).
    private static func stop(_ strings: [[UInt8]]) -> (strings: [[UInt8]], complete: Bool)? {
        strings.contains(where: \.isEmpty) ? nil : (strings, false)
    }

    /// The most decimal digits in a row every match of `sequence` holds (a lower bound).
    static func digitRun(of sequence: [PatternNode]) -> Int {
        var best = 0, run = 0
        for item in sequence {
            if let digits = digitsOnly(item) {
                run += digits  // a group of digits only, e.g. `(\d{2,4}){2}`
                continue
            }
            switch item {
            case .literal(let s) where s.value >= 0x30 && s.value <= 0x39:
                run += 1
            case .set(let set) where set.isDigitsOnly:
                run += 1
            case .repetition(.set(let set), let lo, _, _) where set.isDigitsOnly:
                run += lo  // zero copies leave its neighbours adjacent
            case .repetition(.literal(let s), let lo, _, _) where s.value >= 0x30 && s.value <= 0x39:
                run += lo
            case .start, .end, .opaque(_, .some(0)):
                break  // zero width
            default:
                best = max(best, run)
                run = 0
            }
        }
        return max(best, run)
    }
}

/// What a pattern costs the matcher, for `triage check`.
package enum PatternCost {
    /// True when the matcher cannot skip the pattern on any message: no literal every match
    /// needs, no run of digits every match needs, and not anchored at the start.
    /// (A pattern that does not compile, or that can match the empty string, is another problem: not reported here.)
    package static func runsOnEveryMessage(_ pattern: String) -> Bool {
        guard (try? Pattern(pattern)) != nil else { return false }
        if let tree = PatternNode.parse(pattern), tree.map(PatternNode.minBytes).min() ?? 0 == 0 { return false }
        let plan = PatternPlan(source: pattern, required: RequiredLiterals.clauses(of: pattern))
        return plan.trigger == nil && plan.digitRun == 0 && !plan.startAnchored
    }
}
