public import TriageKit
import YAML

/// Warnings about a rule set that loads but is likely wrong: read straight from the
/// YAML, so they are found even when the rule set also has errors.
///
/// - `word-boundary-cjk`: `\b` next to Chinese text (every CJK character is a word character).
/// - `case-flag-cjk`: `(?i)` on a pattern with no Latin letters (text is lower-cased anyway).
/// - `traditional-cjk`: traditional characters in a pattern (the text is simplified first, so they never match).
/// - `nested-quantifier`: a repeated group that itself contains a repetition, e.g. `(a+)+`.
/// - `costly-pattern`: nothing the matcher can wait for (no literal, no run of digits, no `^`): it runs on every message.
/// - `no-examples`: a rule or cue with no examples.
/// - `unused-department`: a department (not a process unit) that no item, combined matter, category or handler references.
///
/// Items with no alias or pattern are reported by the loader (`no-alias`).
public enum RuleLinter {
    /// Lints every file of `source`.
    public static func lint(_ source: RuleSource) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var departments: [(id: String, loc: SourceLocation)] = []
        var referenced = Set<String>()
        for file in source.files {
            let doc = YAMLDocument.parse(file.contents)
            guard let root = doc.root, root.pairs != nil else { continue }
            func loc(_ n: Node) -> SourceLocation { SourceLocation(path: file.path, line: n.mark.line, column: n.mark.column) }
            func warn(_ l: SourceLocation, _ m: String, _ entry: String?, _ code: String) {
                out.append(Diagnostic(.warning, path: l.path, line: l.line, column: l.column, message: m, entry: entry, code: code))
            }
            func strings(_ n: Node?) -> [Node] {
                guard let n else { return [] }
                if n.scalar != nil { return [n] }
                return (n.elements ?? []).filter { $0.scalar != nil }
            }
            for section in ["rules", "cues", "items", "combined"] {
                for entry in root[section]?.elements ?? [] where entry.pairs != nil {
                    let id = entry["id"]?.scalar
                    for key in ["patterns", "exclude"] {
                        for p in strings(entry[key]) {
                            for f in PatternLint.findings(p.scalar!) {
                                var l = loc(p)
                                let quoted = p.style == .singleQuoted || p.style == .doubleQuoted
                                l.column += (quoted ? 1 : 0) + f.offset
                                warn(l, f.message, id, f.code)
                            }
                        }
                    }
                    if section == "rules" || section == "cues" {
                        let ex = entry["examples"]
                        if strings(ex?["match"]).isEmpty && strings(ex?["no_match"]).isEmpty {
                            let what = section == "rules" ? "rule" : "cue"
                            warn(loc(entry), "\(what) '\(id ?? "?")' has no examples; add examples.match so the loader can test it", id, "no-examples")
                        }
                    }
                    if section == "items" {
                        for n in strings(entry["department"]) + strings(entry["co_departments"]) { referenced.insert(n.scalar!) }
                    }
                    if section == "combined" {
                        for n in strings(entry["lead"]) + strings(entry["departments"]) { referenced.insert(n.scalar!) }
                    }
                }
            }
            for c in root["categories"]?.elements ?? [] {
                for n in strings(c["route"]?["handler"]) + strings(c["route"]?["co_handlers"]) { referenced.insert(n.scalar!) }
            }
            for pair in root["ruleset"]?["handlers"]?.pairs ?? [] {
                if let s = pair.value.scalar { referenced.insert(s) }
            }
            for d in root["departments"]?.elements ?? [] {
                // A unit of the process itself (12345, the service hall) is evidence when named; it needs no items.
                if let id = d["id"]?.scalar, d["role"]?.scalar != "process" { departments.append((id, loc(d))) }
            }
        }
        for d in departments where !referenced.contains(d.id) {
            out.append(Diagnostic(.warning, path: d.loc.path, line: d.loc.line, column: d.loc.column,
                                  message: "department '\(d.id)' is referenced by no item, combined matter, category or handler",
                                  entry: d.id, code: "unused-department"))
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
