public import TriageKit
import YAML

/// Warnings about a rule set that loads but is likely wrong. The linter reads the loader's
/// compiled model (every pattern of every section: rules, cues, screening, escalation, items,
/// combined matters, fragments) and its one parse of the files; it parses nothing itself.
///
/// - `word-boundary-cjk`: `\b` next to Chinese text (every CJK character is a word character).
/// - `case-flag-cjk`: `(?i)` on a pattern with no Latin letters (text is lower-cased anyway).
/// - `traditional-cjk`: traditional characters in a pattern (the text is simplified first, so they never match).
/// - `nested-quantifier`: a repeated group that itself contains a repetition, e.g. `(a+)+`.
/// - `costly-pattern`: nothing the matcher can wait for (no literal, no run of digits, no `^`): it runs on every message.
/// - `no-examples`: a rule, cue, screening or escalation rule with no examples.
/// - `unused-department`: a department (not a process unit) that no item, combined matter, category or handler references.
/// - `line-too-long`: a line of a rule file longer than ``Options/maxLineWidth`` characters.
///
/// Items with no alias or pattern are reported by the loader (`no-alias`).
public enum RuleLinter {
    /// What to check.
    public struct Options: Sendable {
        /// Lines longer than this many characters are reported; 0 turns the check off.
        public var maxLineWidth: Int
        /// Creates options.
        public init(maxLineWidth: Int = 120) { self.maxLineWidth = maxLineWidth }
    }

    /// Loads `source` and lints it (for tests and tools that have no load result yet).
    public static func lint(_ source: RuleSource, options: Options = Options()) -> [Diagnostic] {
        lint(RuleSetLoader.load(source), options: options)
    }

    /// Lints a load result: its compiled model (as far as it compiled) and its parsed files.
    public static func lint(_ loaded: LoadResult, options: Options = Options()) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func warn(_ l: SourceLocation, _ m: String, _ entry: String?, _ code: String, hint: String? = nil) {
            out.append(Diagnostic(.warning, path: l.path, line: l.line, column: l.column, message: m, entry: entry, code: code, hint: hint))
        }
        let texts = loaded.sources
        if let rs = loaded.model {
            for (owner, p) in rs.allPatterns {
                for f in PatternLint.findings(p.source) {
                    let (loc, fragment) = p.text.location(ofExpanded: f.offset, in: texts[p.text.origin.path])
                    // Findings inside a fragment's expansion are reported once, at the fragment.
                    guard fragment == nil else { continue }
                    warn(loc, f.message, owner.id, f.code)
                }
            }
            for id in rs.fragments.order {
                guard let f = rs.fragments.fragments[id], let p = f.pattern else { continue }
                for finding in PatternLint.findings(p.expanded) {
                    let (loc, inner) = p.location(ofExpanded: finding.offset, in: texts[p.origin.path])
                    guard inner == nil else { continue }
                    warn(loc, finding.message, id, finding.code)
                }
            }
            for r in rs.allRules where r.core.examples.isEmpty {
                warn(r.core.location, "\(r.kind.rawValue) '\(r.core.id)' has no examples; add examples.match so the loader can test it", r.core.id, "no-examples")
            }
            var referenced = Set<DepartmentID>([rs.handlers.coordinator])
            for i in rs.items { referenced.insert(i.department); referenced.formUnion(i.coDepartments) }
            for c in rs.combined { referenced.insert(c.lead); referenced.formUnion(c.departments) }
            for c in rs.categories {
                if let h = c.handler { referenced.insert(h) }
                referenced.formUnion(c.coHandlers)
            }
            // A unit of the process itself (12345, the service hall) is evidence when named; it needs no items.
            for d in rs.departments where d.role != .process && !referenced.contains(d.id) {
                warn(d.location, "department '\(d.id)' is referenced by no item, combined matter, category or handler", d.id.rawValue, "unused-department")
            }
        }
        if options.maxLineWidth > 0 {
            for (path, lines) in loaded.document.lines {
                for (n, line) in lines.enumerated() {
                    let width = line.unicodeScalars.count - (line.hasSuffix("\r") ? 1 : 0)
                    guard width > options.maxLineWidth else { continue }
                    warn(SourceLocation(path: path, line: n + 1, column: options.maxLineWidth + 1),
                         "line is \(width) characters long, more than \(options.maxLineWidth)", nil, "line-too-long",
                         hint: "write a long list one entry a line (block list), split a long pattern over lines as a literal block (|-), or name a repeated alternation as a fragment — 长列表请每行一项；长正则可写成 |- 多行块，或用 fragments 片段")
                }
            }
        }
        return out
    }
}

/// Checks on one pattern's text.
public enum PatternLint {
    /// A finding at a scalar offset into the pattern.
    public struct Finding: Sendable, Equatable {
        /// Offset in Unicode scalars from the start of the pattern.
        public var offset: Int
        /// What is wrong.
        public var message: String
        /// Diagnostic code.
        public var code: String
    }

    static func isHan(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2FA1F).contains(v)
            || (0xF900...0xFAFF).contains(v)
    }

    /// Every warning for `pattern`.
    public static func findings(_ pattern: String) -> [Finding] {
        let s = Array(pattern.unicodeScalars)
        var out: [Finding] = []

        // Tokens: escapes, classes, groups, quantifiers. `atoms` marks the scalars that are literal text.
        var latinLiteral = false
        var hasHan = false
        var caseFlagAt: Int?
        struct Group { var start: Int; var innerRepeat: Bool }
        var stack: [Group] = []
        var lastGroup: (start: Int, innerRepeat: Bool)?  // the group that just closed
        var i = 0
        func previousIsHan(_ at: Int) -> Bool { at > 0 && isHan(s[at - 1]) }
        // A quantifier at j: its length and whether it repeats a variable number of times
        // (`*`, `+`, `{n,}`, `{n,m}` with m >= 2); `?` and `{n}` do not count.
        func quantifier(at j: Int) -> (length: Int, repeats: Bool)? {
            guard j < s.count else { return nil }
            switch s[j] {
            case "*", "+": return (1, true)
            case "?": return (1, false)
            case "{":
                var k = j + 1
                var text = ""
                while k < s.count, s[k] != "}" { text.unicodeScalars.append(s[k]); k += 1 }
                guard k < s.count else { return nil }
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                guard parts.count <= 2, let lo = Int(parts[0]) else { return nil }
                if parts.count == 1 { return (k - j + 1, false) }
                if parts[1].isEmpty { return (k - j + 1, true) }
                guard let hi = Int(parts[1]) else { return nil }
                return (k - j + 1, hi > lo && hi >= 2)
            default: return nil
            }
        }
        while i < s.count {
            let c = s[i]
            var closed: (start: Int, innerRepeat: Bool)?
            var atomEnd = i + 1
            switch c {
            case "\\":
                guard i + 1 < s.count else { i += 1; continue }
                let n = s[i + 1]
                if n == "b" || n == "B" {
                    let after = i + 2 < s.count && isHan(s[i + 2])
                    if previousIsHan(i) || after {
                        out.append(Finding(offset: i, message: "'\\\(n)' next to Chinese text never matches as intended: every CJK character is a word character", code: "word-boundary-cjk"))
                    }
                }
                if n == "p" || n == "P", i + 2 < s.count, s[i + 2] == "{" {
                    var k = i + 3
                    while k < s.count, s[k] != "}" { k += 1 }
                    atomEnd = min(k + 1, s.count)
                } else {
                    atomEnd = i + 2
                }
            case "[":
                var k = i + 1
                if k < s.count, s[k] == "^" { k += 1 }
                if k < s.count, s[k] == "]" { k += 1 }
                while k < s.count, s[k] != "]" {
                    if s[k] == "\\" { k += 1 } else if isHan(s[k]) { hasHan = true } else if s[k].properties.isASCIIHexDigit || ("a"..."z").contains(s[k]) || ("A"..."Z").contains(s[k]) { latinLiteral = true }
                    k += 1
                }
                atomEnd = min(k + 1, s.count)
            case "(":
                if i + 1 < s.count, s[i + 1] == "?" {
                    // Inline flags: (?i) or (?i:...
                    var k = i + 2
                    var flags = ""
                    while k < s.count, ("a"..."z").contains(s[k]) || s[k] == "-" || ("A"..."Z").contains(s[k]) { flags.unicodeScalars.append(s[k]); k += 1 }
                    if k < s.count, s[k] == ")" || s[k] == ":" {
                        let on = flags.split(separator: "-", maxSplits: 1).first.map(String.init) ?? ""
                        if on.contains("i"), caseFlagAt == nil { caseFlagAt = i }
                        if s[k] == ")" { i = k + 1; continue }
                    }
                }
                stack.append(Group(start: i, innerRepeat: false))
                i += 1
                continue
            case ")":
                if let g = stack.popLast() {
                    closed = (g.start, g.innerRepeat)
                    if g.innerRepeat, !stack.isEmpty { stack[stack.count - 1].innerRepeat = true }
                }
            default:
                if isHan(c) { hasHan = true }
                if ("a"..."z").contains(c) || ("A"..."Z").contains(c) { latinLiteral = true }
            }
            lastGroup = closed
            if let q = quantifier(at: atomEnd) {
                if let g = lastGroup, g.innerRepeat, q.repeats {
                    out.append(Finding(offset: g.start, message: "nested quantifiers: a repeated group that itself repeats can backtrack catastrophically; the engine bounds it and the pattern then silently fails", code: "nested-quantifier"))
                }
                if q.repeats, !stack.isEmpty { stack[stack.count - 1].innerRepeat = true }
                var end = atomEnd + q.length
                if end < s.count, s[end] == "?" || s[end] == "+" { end += 1 }
                i = end
            } else {
                if let g = lastGroup, g.innerRepeat, !stack.isEmpty { stack[stack.count - 1].innerRepeat = true }
                i = atomEnd
            }
        }
        if let at = caseFlagAt, hasHan, !latinLiteral {
            out.append(Finding(offset: at, message: "case-insensitive flag on a pattern with no Latin letters does nothing; the text is lower-cased before matching anyway", code: "case-flag-cjk"))
        }
        // The normaliser simplifies traditional characters, so a pattern must spell the simplified form.
        let changed = s.indices.filter { isHan(s[$0]) && normalizePhrase(String(s[$0])) != String(s[$0]) }
        if let first = changed.first {
            var seen = Set<Unicode.Scalar>()
            let written = String(String.UnicodeScalarView(changed.map { s[$0] }.filter { seen.insert($0).inserted }))
            out.append(Finding(offset: first, message: "traditional \(written) in a pattern never matches: the normalised text has \(normalizePhrase(written)) instead; write simplified characters", code: "traditional-cjk"))
        }
        if PatternCost.runsOnEveryMessage(pattern) {
            out.append(Finding(offset: 0, message: "the matcher has nothing to wait for in this pattern (no literal text, no run of digits every match needs, no '^'), so it runs on every message; add a literal or anchor it", code: "costly-pattern"))
        }
        return out.sorted { $0.offset < $1.offset }
    }
}
