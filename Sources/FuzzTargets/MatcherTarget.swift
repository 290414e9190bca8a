import Foundation
import TriageKit

/// The prefilter against the plain loop. The input chooses up to eight patterns (from a
/// grammar of the PCRE2 subset the rules use, or one of the bundled rules' own patterns),
/// exclusions, item aliases and a Chinese-heavy text; the rule set is loaded once with each
/// matcher, and the two results must be identical (same scores, evidence, vetoes, failures).
///
/// It goes through the package-level API only (`RuleSet.using(.plain)` and
/// `TriageEngine.classify`), so it keeps working while the matcher's insides change.
enum MatcherTarget {
    static func run(_ data: [UInt8]) throws(FuzzFailure) {
        var s = ByteStream(data)
        var g = PatternGrammar()
        var rules = ""
        let count = 1 + s.below(8)
        for n in 0..<count {
            let pattern = s.chance(25) ? s.pick(BundledPatterns.all) : g.pattern(&s)
            rules += "  - id: r\(n)\n    category: \(s.pick(["business", "complaint"]))\n    weight: \(1 + s.below(3))\n"
                + "    description: 规则\n    patterns: [\(quote(pattern))]\n"
            if s.chance(30) { rules += "    exclude: [\(quote(g.pattern(&s)))]\n" }
        }
        var items = ""
        for n in 0..<s.below(4) {
            items += "  - {id: i\(n), name: 事项\(n), department: \(s.pick(["a", "b"])), aliases: [\(quote(g.literal(&s, max: 4)))]}\n"
        }
        let yaml = """
            ruleset:
              name: fuzz
              handlers: {coordinator: coord}
            categories:
              - {id: business, name: 业务咨询, route: {channel: hotline, handler: a}}
              - {id: complaint, name: 投诉, route: {channel: hotline, handler: b}}
            departments:
              - {id: coord, name: 区行政服务中心, role: process}
              - {id: a, name: 区市场监管局, aliases: [市场监管局]}
              - {id: b, name: 区税务局, aliases: [税务局]}
            rules:
            \(rules)
            """ + (items.isEmpty ? "" : "items:\n" + items)
        let loaded = RuleSetLoader.load(RuleSource(files: [RuleSource.File(path: "fuzz.yaml", text: yaml)]))
        guard let prefilter = loaded.ruleSet else {
            // The grammar writes patterns that compile; a bundled pattern always does. Anything
            // else failing to load is a finding about the grammar or the loader.
            if loaded.diagnostics.errors.contains(where: { $0.code != "pattern-compile" }) {
                throw FuzzFailure("the generated rule set does not load:\n\(loaded.diagnostics)\n\(yaml)")
            }
            return
        }
        let plain = prefilter.using(.plain)
        let now: @Sendable () -> Timestamp = { Timestamp(epochSeconds: 1_790_000_000) }
        let text = g.text(&s)
        for candidate in [text, String(text.reversed()), text + text] {
            let a = TriageEngine(ruleSet: prefilter, now: now, maxEvidence: 10_000).classify(candidate)
            let b = TriageEngine(ruleSet: plain, now: now, maxEvidence: 10_000).classify(candidate)
            // The plain loop runs every pattern and so can hit the backtracking limit where the
            // prefilter knows a pattern cannot match (a required literal is missing) and skips it.
            // Then results may differ; the prefilter must still fail no pattern the plain loop did not.
            let failedA = Set(a.reasons.filter { $0.code == .patternFailed }), failedB = Set(b.reasons.filter { $0.code == .patternFailed })
            if !failedB.isEmpty {
                guard failedA.isSubset(of: failedB) else {
                    throw FuzzFailure("the prefilter failed a pattern the plain loop did not: \(failedA.subtracting(failedB))\n\(yaml)")
                }
                continue
            }
            guard a == b else {
                // PCRE2's JIT has bugs its interpreter has not (10.42: `(aa|a)(\w\d*?)aa` finds
                // nothing in `aaaa`). When the interpreter agrees with the prefilter, the plain
                // loop's JIT was wrong: not a difference of ours.
                let c = TriageEngine(ruleSet: prefilter.using(.interpreted), now: now, maxEvidence: 10_000).classify(candidate)
                if a == c { continue }
                throw FuzzFailure("prefilter and plain differ on \(candidate.debugDescription)\nprefilter: \(a.evidence)\nplain: \(b.evidence)\ninterpreter: \(c.evidence)\n\(yaml)")
            }
        }
    }

    /// A YAML single-quoted scalar.
    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}

/// The bundled rules' own patterns, for the matcher target to mix in.
enum BundledPatterns {
    static let all: [String] = {
        let rs = BundledRules.loaded
        var out: [String] = []
        for (_, _, core) in rs.allRules { out += core.patterns.map(\.source) + core.exclude.map(\.source) }
        return out.isEmpty ? ["营业执照"] : out
    }()
}

/// Random patterns from the PCRE2 subset the rules use: literals (Chinese, Latin, digits,
/// full-width forms), classes and negated classes (with `\d`, `\s`, `\p{Han}`), groups,
/// alternation, `? * + {m,n}` and their lazy forms, `.{0,n}` gaps, look-ahead and
/// look-behind, anchors and back-references. Every pattern compiles.
struct PatternGrammar {
    /// Few characters, so that patterns and texts meet often.
    static let han = Array("营业执照办理注销发票税务局社保卡补办公积金提取居住证登录网站不上投诉推诿")
    static let latin = Array("abcAB12")
    static let punctuation = Array("，。！？、 ")
    static let classes = ["\\d", "\\s", "\\p{Han}", "[^\\p{Han}]", "[0-9]", "[^，。！？]", "[,，]", "[a-z]"]

    private var groups = 0

    mutating func pattern(_ s: inout ByteStream) -> String {
        groups = 0
        var p = s.chance(10) ? "^" : ""
        p += sequence(&s, depth: 0)
        if s.chance(10) { p += "$" }
        return p.isEmpty ? "办理" : p
    }

    private mutating func sequence(_ s: inout ByteStream, depth: Int) -> String {
        var out = ""
        for _ in 0..<(1 + s.below(depth == 0 ? 5 : 3)) { out += term(&s, depth: depth) }
        return out
    }

    private mutating func term(_ s: inout ByteStream, depth: Int) -> String {
        var atom: String
        switch s.below(depth >= 2 ? 3 : 8) {
        case 0, 1: atom = literal(&s, max: 3)
        case 2: atom = s.pick(Self.classes)
        case 3: return ".{0,\(s.below(12))}"
        // Groups take at most `?`: a repeated group of gaps is the nested quantifier the linter
        // warns about, and the rules avoid it; every input would only hit the backtracking limit.
        case 4:
            groups += 1
            return "(" + alternatives(&s, depth: depth) + ")" + (s.chance(20) ? "?" : "")
        case 5: return "(?:" + alternatives(&s, depth: depth) + ")" + (s.chance(20) ? "?" : "")
        case 6:
            // Look-around over a fixed-length literal (look-behind must be of bounded length).
            let look = s.pick(["(?!", "(?=", "(?<!", "(?<="])
            atom = look + literal(&s, max: 2) + ")"
            return atom
        default:
            if groups > 0 && s.chance(50) { return "(?!\\g{\(1 + s.below(groups))})" }
            atom = literal(&s, max: 2)
        }
        if s.chance(35) {
            atom += s.pick(["?", "*", "+", "{1,3}", "{0,2}", "{2}"])
            if s.chance(20) { atom += "?" }
        }
        return atom
    }

    private mutating func alternatives(_ s: inout ByteStream, depth: Int) -> String {
        (0..<(1 + s.below(3))).map { _ in sequence(&s, depth: depth + 1) }.joined(separator: "|")
    }

    /// A run of plain characters; none is special to PCRE2.
    mutating func literal(_ s: inout ByteStream, max: Int) -> String {
        var out = ""
        for _ in 0..<(1 + s.below(max)) {
            out.append(s.chance(80) ? s.pick(Self.han) : s.pick(Self.latin))
        }
        return out
    }

    /// A Chinese-heavy text: the pattern alphabet, punctuation, full-width and traditional
    /// forms, emoji, white space.
    mutating func text(_ s: inout ByteStream) -> String {
        var out = ""
        for _ in 0..<(s.below(120)) {
            switch s.below(20) {
            case 0: out += s.pick(["Ａ", "１", "２", "ｂ", "　"])  // full width
            case 1: out += s.pick(["營業執照", "辦理", "稅務局", "發票"])  // traditional
            case 2: out += s.pick(["😀", "👍🏽", "\u{200B}", "\t", "\n"])
            case 3, 4: out.append(s.pick(Self.punctuation))
            case 5, 6: out.append(s.pick(Self.latin))
            default: out.append(s.pick(Self.han))
            }
        }
        return out
    }
}
