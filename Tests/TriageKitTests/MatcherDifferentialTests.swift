import Foundation
import Testing
import PCRE2
@testable import TriageKit

/// The default matcher against the naive one: every literal and pattern through PCRE2 on
/// every text (``PlainMatcher``). Their hits must be equal, always: on the bundled rules over
/// the whole corpus, on synthetic rule sets shaped like the benchmark's, and on random
/// patterns and texts made to hit the native machine's edges (alternatives sharing prefixes,
/// nested and lazy quantifiers, classes, `\d` beside digits PCRE2 knows and the machine does
/// not, `^`, `$`, lookarounds and backreferences that only PCRE2 runs). The random parts are
/// seeded, so a failure names the seed and the case and is reproducible.
///
/// One thing may differ: a pattern that hits PCRE2's backtracking bound fails (and counts as
/// not matching) only where a matcher runs it, and the default matcher runs it in fewer places.
@Suite struct MatcherDifferentialTests {
    /// Hits and failures as sets of comparable values.
    static func outcome(_ scan: MatcherScan) -> (hits: Set<MatcherHit>, failures: Set<MatcherFailure>) {
        (Set(scan.hits), Set(scan.failures))
    }

    static func entries(_ patterns: [String], literals: [String] = []) -> [MatcherEntry] {
        var out: [MatcherEntry] = literals.map { .literal(normalizePhrase($0)) }
        for p in patterns {
            guard let compiled = try? Pattern(p) else { continue }
            var prefix: (literals: [String], anchored: Pattern)?
            if let l = RequiredLiterals.prefix(of: p), let anchored = try? Pattern(p, options: .anchored) { prefix = (l, anchored) }
            out.append(.pattern(RulePattern(source: p, compiled: compiled, required: RequiredLiterals.clauses(of: p), prefix: prefix,
                                            location: SourceLocation(path: "test", line: 1, column: 1),
                                            text: PatternText(written: p, origin: ScalarOrigin(path: "test", line: 1, column: 1, style: .plain)))))
        }
        return out
    }

    /// Compares the two matchers on every text; returns the first disagreement, described.
    static func disagreement(_ entries: [MatcherEntry], _ texts: [String]) -> String? {
        let fast = PrefilterMatcher(entries: entries), plain = PlainMatcher(entries: entries)
        for text in texts {
            let t = NormalizedText(text)
            var a = outcome(fast.scan(t)), b = outcome(plain.scan(t))
            // A pattern that hits PCRE2's backtracking bound fails where it is run and counts as not
            // matching; the default matcher runs it in fewer places (never where its literals are
            // absent), so it may fail less often. Such a pattern's hits are not compared.
            let failed = Set(a.failures.map(\.entry)).union(b.failures.map(\.entry))
            a.hits = a.hits.filter { !failed.contains($0.entry) }
            b.hits = b.hits.filter { !failed.contains($0.entry) }
            if a.hits != b.hits {
                func describe(_ hits: Set<MatcherHit>) -> String {
                    hits.sorted { ($0.entry, $0.range.lowerBound) < ($1.entry, $1.range.lowerBound) }
                        .map { h -> String in
                            let source: String
                            switch entries[h.entry] {
                            case .literal(let s): source = "alias \(s)"
                            case .pattern(let p): source = p.source
                            }
                            return "\(source) @ \(h.range)"
                        }.joined(separator: "; ")
                }
                return "text \(t.string.debugDescription): prefilter only [\(describe(a.hits.subtracting(b.hits)))], "
                    + "plain only [\(describe(b.hits.subtracting(a.hits)))]"
            }
        }
        return nil
    }

    // MARK: - Semantics

    /// An alias occurs where a PCRE2 search finds it: left to right, not overlapping. 「滴滴」
    /// is once in 「滴滴滴」, twice in 「滴滴滴滴」.
    @Test func aliasOccurrencesDoNotOverlap() {
        let entries = [MatcherEntry.literal("滴滴"), .literal("aa")]
        for matcher in [PrefilterMatcher(entries: entries) as any PatternMatcher, PlainMatcher(entries: entries)] {
            #expect(matcher.scan(NormalizedText("打滴滴滴")).hits.map(\.range) == [3..<9])
            #expect(matcher.scan(NormalizedText("滴滴滴滴")).hits.map(\.range) == [0..<6, 6..<12])
            #expect(matcher.scan(NormalizedText("aaa")).hits.map(\.range) == [0..<2])
        }
    }

    // MARK: - Bundled rules, whole corpus

    @Test func bundledRulesOverTheCorpus() throws {
        let rs = Bundled.ruleSet
        var texts: [String] = []
        let corpus = Fixture.packageRoot.appendingPathComponent("corpus").path
        let files = (FileManager.default.enumerator(atPath: corpus)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: corpus + "/" + file))
            for line in data.split(separator: 0x0A) {
                if case .success(let m) = MessageRecord.parse(bytes: Array(line)) { texts.append(m.text) }
            }
        }
        #expect(texts.count > 1_000)
        // The corpus joined into long messages too: more patterns meet in one text.
        var long: [String] = []
        for k in stride(from: 0, to: texts.count - 6, by: 6) { long.append(texts[k..<(k + 6)].joined(separator: "。")) }
        let failure = MatcherDifferentialTests.disagreement(rs.entries, texts + long)
        #expect(failure == nil, "\(failure ?? "")")
    }

    // MARK: - Synthetic rule sets

    /// Rule sets shaped like bench/gen_rules.py's: literal alternations, two alternations in a
    /// row, gaps (`.` and a negated class), words beside numbers, patterns with no literal,
    /// anchored words; over words taken from the corpus and words that do not occur.
    @Test(arguments: [14, 15, 16]) func syntheticRuleSets(seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        let words = Vocabulary.words
        func word() -> String { words[g.below(words.count)] }
        func absent() -> String { word() + String(Vocabulary.rare[g.below(Vocabulary.rare.count)]) }
        var patterns: [String] = []
        for _ in 0..<400 {
            let w1 = g.below(2) == 0 ? word() : absent(), w2 = word(), w3 = word()
            switch g.below(20) {
            case 0..<7: patterns.append("(\(w1)|\(w2)|\(w3))")
            case 7..<9: patterns.append("(\(w1)|\(w2))(\(w3)|\(word()))")
            case 9..<14: patterns.append("\(w1).{0,\([3, 5, 10, 20][g.below(4)])}\(w2)")
            case 14..<17: patterns.append("\(w1)[^。!?]{0,\([4, 8, 12][g.below(3)])}\(w2)")
            case 17: patterns.append(["\(w1)\\d{1,4}", "\\d+\(w2)", "\\d{2}\(w2)", "\(w1)\\d{2,}\(w3)"][g.below(4)])
            case 18: patterns.append(["\\d{3,}", "1[3-9]\\d{9}", "[a-z]{2,}\\d{4,6}", "\\d{2}[.:/]\\d{2,3}"][g.below(4)])
            default: patterns.append(g.below(2) == 0 ? "^\(w1)" : "\(w2)$")
            }
        }
        let aliases = (0..<200).map { _ in g.below(3) == 0 ? absent() : word() }
        let texts = (0..<300).map { _ in Vocabulary.text(&g, length: 20 + g.below(180)) }
        let failure = MatcherDifferentialTests.disagreement(MatcherDifferentialTests.entries(patterns, literals: aliases), texts)
        #expect(failure == nil, "seed \(seed): \(failure ?? "")")
    }

    // MARK: - Random patterns and texts

    /// Random patterns over a small alphabet, and random texts over the same alphabet, so
    /// that most patterns match somewhere and backtrack a lot.
    @Test(arguments: Array(UInt64(1)...8)) func randomPatternsAndTexts(seed: UInt64) {
        var g = SeededGenerator(seed: seed * 7919)
        var patterns: [String] = []
        while patterns.count < 250 {
            let p = RandomPattern.make(&g, depth: 0)
            if (try? Pattern(p)) != nil { patterns.append(p) }
        }
        let texts = (0..<120).map { _ in RandomPattern.text(&g) }
        // Each pattern on its own (so the shared tables hold one pattern), then all together.
        for p in patterns.prefix(60) {
            let failure = MatcherDifferentialTests.disagreement(MatcherDifferentialTests.entries([p]), texts)
            #expect(failure == nil, "seed \(seed), pattern \(p): \(failure ?? "")")
            if failure != nil { return }
        }
        let failure = MatcherDifferentialTests.disagreement(
            MatcherDifferentialTests.entries(patterns, literals: RandomPattern.aliases(&g)), texts)
        #expect(failure == nil, "seed \(seed): \(failure ?? "")")
    }

    /// More seeds on demand: `TRIAGE_DIFFERENTIAL_SEEDS=500 swift test --filter manySeeds`.
    @Test func manySeeds() {
        let n = Int(ProcessInfo.processInfo.environment["TRIAGE_DIFFERENTIAL_SEEDS"] ?? "") ?? 0
        for seed in UInt64(1000)..<UInt64(1000 + n) {
            var g = SeededGenerator(seed: seed)
            var patterns: [String] = []
            while patterns.count < 40 {
                let p = RandomPattern.make(&g, depth: 0)
                if (try? Pattern(p)) != nil { patterns.append(p) }
            }
            let texts = (0..<80).map { _ in RandomPattern.text(&g) }
            for p in patterns {
                let failure = MatcherDifferentialTests.disagreement(MatcherDifferentialTests.entries([p]), texts)
                #expect(failure == nil, "seed \(seed), pattern \(p): \(failure ?? "")")
                if failure != nil { return }
            }
        }
    }

    /// Constructs the native machine must hand to PCRE2 (a digit it cannot classify, a text
    /// ending in a newline) give PCRE2's answer, and the machine's own answers agree with PCRE2.
    @Test func edgesOfTheNativeMachine() {
        let patterns = ["甲\\d+", "甲[\\d乙]{2}", "\\d甲", "甲.乙", "甲$", "(甲|甲乙)丙", "(甲|甲乙)+?丙", "甲(乙|丙)*?丁",
                        "(甲乙|甲)(乙丙|丙)", "^.{3,}", "甲[^乙]{0,3}丙", "(?:甲|乙){2,3}丙", "甲(?=乙)", "甲\\b", "(甲)乙\\1",
                        "[a-c]{2,}1", "a{0,2}?b", "x(ab|a)(bc|c)y", "甲(乙)?乙丙", "(a|ab)(c|bcd)(d*)"]
        let texts = ["甲١٢三", "甲٣乙", "甲12", "٣甲", "甲\n乙", "甲\n", "甲乙丙", "甲乙乙丙", "甲丙", "甲乙丙丁", "甲乙甲丙",
                     "abc1", "aab", "xabcdy", "xabcy", "abcd", "甲乙甲乙", "甲 乙", "a\u{0660}甲", "甲\u{FF11}"]
        let failure = MatcherDifferentialTests.disagreement(MatcherDifferentialTests.entries(patterns), texts)
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// PCRE2's interpreter is the reference where its JIT is wrong: libpcre2 10.42 (Debian 12)
    /// finds no match of `(照照|照)(\p{Han}\d*?)照照` in 照照照照 with the JIT, its interpreter
    /// and the native machine find 照照照照 (found by the matcher fuzz target). The prefilter
    /// must agree with the interpreter; what the JIT says is not asserted (a fixed PCRE2 agrees).
    @Test func theInterpreterDecidesWhereTheJITIsWrong() throws {
        let entries = MatcherDifferentialTests.entries(["(照照|照)(\\p{Han}\\d*?)照照", "((照照|照)(\\p{Han}\\d*?|\\s?局照)|照)照照", "(aa|a)(\\w\\d*?)aa"])
        let fast = PrefilterMatcher(entries: entries), interpreted = PlainMatcher(entries: entries, jit: false)
        for text in ["照照照照", "照照照照a", "a照照照照a", String(repeating: "照", count: 29) + "a照照照照", "aaaa"] {
            let t = NormalizedText(text)
            let a = MatcherDifferentialTests.outcome(fast.scan(t)), b = MatcherDifferentialTests.outcome(interpreted.scan(t))
            #expect(a.hits == b.hits && a.failures == b.failures, "\(text)")
        }
        let t = NormalizedText("照照照照")
        #expect(MatcherDifferentialTests.outcome(interpreted.scan(t)).hits.contains(MatcherHit(entry: 0, range: 0..<12)))
    }

    /// `\K` requires nothing and is not skipped blindly: the literals around it gate the pattern,
    /// but it is never anchored at them (the match starts after `\K`); both matchers agree.
    @Test func resetMatchStart() {
        #expect(RequiredLiterals.clauses(of: "(城管|街道)\\K说(?=.{0,9}归)")?.contains(["城管", "街道"]) == true)
        #expect(RequiredLiterals.prefix(of: "(城管|街道)\\K说") == nil)
        #expect(RequiredLiterals.prefix(of: "(城管|街道)说") == ["城管", "街道"])
        let patterns = ["(城管|街道)\\K说(?=[^。]{0,9}归)", "甲\\K乙+", "(?:甲|乙)\\K(?:丙|甲)"]
        let texts = ["城管说这归街道，街道说归城管", "甲乙乙甲乙", "甲甲乙丙", "街道说", "乙甲甲丙"]
        let failure = MatcherDifferentialTests.disagreement(MatcherDifferentialTests.entries(patterns), texts)
        #expect(failure == nil, "\(failure ?? "")")
    }
}

/// SplitMix64: small, fast and the same on every platform.
struct SeededGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n`.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Words for the synthetic rule sets: two- and three-character words of the kind the
/// corpus is made of, and characters that make a word absent.
enum Vocabulary {
    static let words: [String] = """
        营业执照 办理 材料 窗口 登录 验证码 社保 医保 公积金 居住证 户口 落户 投诉 举报 建议 希望 物业 小区 停车 \
        噪音 垃圾 街道 居委 城管 派出所 税务 发票 退休 养老 入学 学校 一网通办 随申办 系统 页面 上传 失败 \
        工作日 没人 回复 处理 说是 归属 不归 找我 踢皮球 多次 电话 打不通 审批 备案 注销 变更 申请 预约
        """.split(separator: " ").map(String.init)
    static let rare: [Character] = Array("龘靐齉爨麤鱻")
    static let noise: [String] = ["，", "。", "？", "！", " ", "1", "23", "2026", "13812345678", "ab", "APP", "：", "、", "\u{0663}", "\u{0967}"]

    static func text(_ g: inout SeededGenerator, length: Int) -> String {
        var s = ""
        while s.count < length {
            s += g.below(3) == 0 ? noise[g.below(noise.count)] : words[g.below(words.count)]
        }
        return s
    }
}

/// Random patterns in the PCRE2 syntax the parser reads, and some it does not.
enum RandomPattern {
    static let alphabet: [String] = ["甲", "乙", "丙", "丁", "a", "b", "1", "。"]

    static func atom(_ g: inout SeededGenerator, depth: Int) -> String {
        switch g.below(depth < 2 ? 14 : 10) {
        case 0..<4: return alphabet[g.below(alphabet.count)]
        case 4: return alphabet[g.below(4)] + alphabet[g.below(4)]
        case 5: return "."
        case 6: return ["\\d", "[甲乙]", "[^甲]", "[a-b1]", "[\\d甲]", "[^。乙\\d]"][g.below(6)]
        case 7: return ["\\b", "(?=乙)", "(?!甲)", "(?<=甲)", "\\p{Han}", "\\s"][g.below(6)]  // only PCRE2 runs these
        case 8: return "甲"
        case 9: return "乙"
        default:
            let n = 1 + g.below(3)
            let alternatives = (0..<n).map { _ in sequence(&g, depth: depth + 1) }
            return (g.below(3) == 0 ? "(?:" : "(") + alternatives.joined(separator: "|") + ")"
        }
    }

    static func quantifier(_ g: inout SeededGenerator) -> String {
        let q = ["", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,3}", "{2,}"][g.below(10)]
        return q.isEmpty ? q : q + (g.below(4) == 0 ? "?" : "")
    }

    static func sequence(_ g: inout SeededGenerator, depth: Int) -> String {
        (0..<(1 + g.below(3))).map { _ in atom(&g, depth: depth) + quantifier(&g) }.joined()
    }

    static func make(_ g: inout SeededGenerator, depth: Int) -> String {
        var p = sequence(&g, depth: depth)
        if g.below(8) == 0 { p = "^" + p }
        if g.below(8) == 0 { p += "$" }
        if g.below(6) == 0 { p += "|" + sequence(&g, depth: depth) }
        return p
    }

    static func text(_ g: inout SeededGenerator) -> String {
        let extra = ["\u{0661}", "\u{FF12}", "\n", " ", "A"]
        return (0..<(1 + g.below(24))).map { _ in g.below(10) == 0 ? extra[g.below(extra.count)] : alphabet[g.below(alphabet.count)] }.joined()
    }

    static func aliases(_ g: inout SeededGenerator) -> [String] {
        (0..<20).map { _ in (0..<(1 + g.below(3))).map { _ in alphabet[g.below(4)] }.joined() }
    }
}
