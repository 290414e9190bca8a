/// Finds literal text that every match of a PCRE2 pattern must contain, so that
/// the matcher can skip a pattern whose literals are absent from a message.
///
/// The analysis is conservative: it returns `nil` ("always run the pattern")
/// for any construct it does not fully understand. A non-`nil` result is a set
/// of alternatives: every match contains at least one of them.
package enum RequiredLiterals {
    struct GiveUp: Error {}

    /// The best single set of literal alternatives every match of `pattern`
    /// contains (normalised like message text), or `nil` when none can be proven.
    package static func of(_ pattern: String) -> [String]? {
        clauses(of: pattern)?.first
    }

    /// Every proven requirement, best first: each clause is a set of
    /// alternatives, and every match contains at least one literal of every clause.
    /// `nil` when nothing can be proven.
    package static func clauses(of pattern: String, limit: Int = 4) -> [[String]]? {
        var p = Parser(Array(pattern.unicodeScalars))
        guard let raw = try? p.alternation(), p.i == p.s.count else { return nil }
        var seen = Set<[String]>()
        var out: [[String]] = []
        for clause in raw {
            let normalised = Array(Set(clause.map(normalizePhrase))).sorted()
            if normalised.isEmpty || normalised.contains(where: \.isEmpty) { continue }
            if seen.insert(normalised).inserted { out.append(normalised) }
        }
        out.sort { Parser.score($0) > Parser.score($1) }
        return out.isEmpty ? nil : Array(out.prefix(limit))
    }

    /// The literals one of which every match of `pattern` starts with (normalised),
    /// or `nil` when that cannot be proven. The matcher then tries the pattern,
    /// anchored, only where one of them occurs.
    package static func prefix(of pattern: String) -> [String]? {
        var p = Parser(Array(pattern.unicodeScalars))
        guard let raw = try? p.prefixAlternation(), p.i == p.s.count, let literals = raw else { return nil }
        // \K moves the reported start past the literal: the match would not start where it occurs.
        if p.resetsStart { return nil }
        // Anchoring needs the literal to sit exactly where the match starts in the
        // normalised text, so only literals that normalise to their lower-case selves qualify.
        for l in literals where l.isEmpty || normalizePhrase(l) != l.lowercased() { return nil }
        return Array(Set(literals.map { $0.lowercased() })).sorted()
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        /// True once a `\K` was read: it is zero-width and requires nothing, but the match then
        /// starts later than the text it needs.
        var resetsStart = false
        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }
        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

        /// alternatives separated by `|`, up to `)` or the end. Returns CNF clauses.
        mutating func alternation() throws -> [[String]]? {
            var alternatives: [[[String]]] = []
            while true {
                alternatives.append(try sequence())
                if peek() == "|" { i += 1; continue }
                break
            }
            if alternatives.count == 1 { return alternatives[0].isEmpty ? nil : alternatives[0] }
            var union: [String] = []
            for clauses in alternatives {
                guard let best = clauses.max(by: { Parser.score($0) < Parser.score($1) }) else { return nil }
                union += best
            }
            return [union]
        }

        /// Alternatives up to `)` or the end; returns the union of their prefixes.
        mutating func prefixAlternation() throws -> [String]?? {
            var union: [String] = []
            var known = true
            while true {
                let p = try prefixSequence()
                if let p { union += p } else { known = false }
                if peek() == "|" { i += 1; continue }
                break
            }
            return .some(known ? union : nil)
        }

        /// The prefix of one alternative; consumes the whole alternative.
        mutating func prefixSequence() throws -> [String]? {
            var result: [String]? = nil
            // Skip zero-width items at the start: lookarounds, inline options, \b.
            while true {
                if peek() == "(", peek(1) == "?", let k = peek(2), k == "=" || k == "!" || (k == "<" && (peek(3) == "=" || peek(3) == "!")) {
                    _ = try group()
                    continue
                }
                if peek() == "(", peek(1) == "?", let k = peek(2), k.properties.isAlphabetic || k == "-" {
                    var j = i + 2
                    while j < s.count, s[j].properties.isAlphabetic || s[j] == "-" { j += 1 }
                    if j < s.count, s[j] == ")" {
                        if s[(i + 2)..<j].contains("x") { throw GiveUp() }
                        i = j + 1
                        continue
                    }
                }
                if peek() == "\\", let k = peek(1), k == "b" || k == "B" { i += 2; continue }
                break
            }
            guard let c = peek() else { return nil }
            if c == "(" {
                if peek(1) == "*" { throw GiveUp() }
                let start = i
                i += 1
                var isGroup = true
                if peek() == "?" {
                    if let k = peek(1), k == ":" || k == ">" {
                        i += 2
                    } else if let k = peek(1), k == "<" || k == "P" || k == "'" {
                        let close: Unicode.Scalar = k == "'" ? "'" : ">"
                        i += k == "P" ? 3 : 2
                        while let d = peek(), d != close { i += 1 }
                        i += 1
                    } else {
                        isGroup = false
                    }
                }
                if isGroup {
                    let inner = try prefixAlternation()
                    try close()
                    let required = try quantifier()
                    if required, let inner, let literals = inner { result = literals }
                } else {
                    i = start
                }
            } else if !"\\[.^$|)*+?{".unicodeScalars.contains(c) {
                var run = ""
                while let d = peek(), !"\\[.^$|()*+?{".unicodeScalars.contains(d) {
                    run.unicodeScalars.append(d)
                    i += 1
                }
                if let q = peek(), q == "?" || q == "*" || (q == "{" && looksLikeQuantifier()) {
                    // The last character is optional: the prefix is what comes before it.
                    let required = try quantifier()
                    if required {
                        result = [run]
                    } else {
                        run.unicodeScalars.removeLast()
                        result = run.isEmpty ? nil : [run]
                    }
                } else {
                    result = [run]
                }
            }
            _ = try sequence()  // consume the rest of the alternative
            return result
        }

        static func score(_ c: [String]) -> (Int, Int) {
            (c.map { $0.utf8.count }.min() ?? 0, -c.count)
        }

        mutating func sequence() throws -> [[String]] {
            var best: [[String]] = []
            var run = ""
            func consider(_ c: [String]) {
                guard !c.isEmpty, !c.contains(where: \.isEmpty) else { return }
                best.append(c)
            }
            func endRun() {
                if !run.isEmpty { consider([run]) }
                run = ""
            }
            while let c = peek(), c != "|", c != ")" {
                switch c {
                case "(":
                    endRun()
                    let inner = try group()
                    let required = try quantifier()
                    if required, let inner { for clause in inner { consider(clause) } }
                case "[":
                    endRun()
                    try characterClass()
                    _ = try quantifier()
                case "\\":
                    i += 1
                    guard let e = peek() else { throw GiveUp() }
                    if e.properties.isAlphabetic || ("0"..."9").contains(e) {
                        endRun()
                        try escape()
                        _ = try quantifier()
                    } else {
                        i += 1
                        try literal(e, &run, &best)
                    }
                case ".", "^", "$":
                    endRun()
                    i += 1
                    _ = try quantifier()
                case "*", "+", "?", "{":
                    if c == "{", !looksLikeQuantifier() {
                        i += 1
                        try literal(c, &run, &best)
                    } else {
                        throw GiveUp()  // a quantifier with nothing before it
                    }
                case "#":
                    i += 1
                    try literal(c, &run, &best)
                default:
                    i += 1
                    try literal(c, &run, &best)
                }
            }
            endRun()
            return best
        }

        /// Adds a literal character to the run, honouring a following quantifier.
        mutating func literal(_ c: Unicode.Scalar, _ run: inout String, _ best: inout [[String]]) throws {
            if let q = peek(), q == "?" || q == "*" || q == "+" || (q == "{" && looksLikeQuantifier()) {
                let required = try quantifier()
                if required { run.unicodeScalars.append(c) }
                if !run.isEmpty { best.append([run]) }
                run = ""
            } else {
                run.unicodeScalars.append(c)
            }
        }

        func looksLikeQuantifier() -> Bool {
            guard peek() == "{" else { return false }
            var k = i + 1
            var digits = 0
            while k < s.count, ("0"..."9").contains(s[k]) { k += 1; digits += 1 }
            if k < s.count, s[k] == "," {
                k += 1
                while k < s.count, ("0"..."9").contains(s[k]) { k += 1 }
            } else if digits == 0 {
                return false
            }
            return k < s.count && s[k] == "}"
        }

        /// Consumes a quantifier if present. Returns true when the preceding atom is required (min >= 1).
        mutating func quantifier() throws -> Bool {
            guard let q = peek() else { return true }
            var required = true
            switch q {
            case "?", "*": required = false; i += 1
            case "+": i += 1
            case "{":
                guard looksLikeQuantifier() else { return true }
                i += 1
                var minText = ""
                while let d = peek(), ("0"..."9").contains(d) { minText.unicodeScalars.append(d); i += 1 }
                while let d = peek(), d != "}" { i += 1; _ = d }
                i += 1
                required = (Int(minText) ?? 0) >= 1
            default:
                return true
            }
            if let m = peek(), m == "?" || m == "+" { i += 1 }  // lazy or possessive
            return required
        }

        mutating func characterClass() throws {
            i += 1  // [
            if peek() == "^" { i += 1 }
            if peek() == "]" { i += 1 }
            while let c = peek() {
                if c == "\\" { i += 2; continue }
                if c == "[", peek(1) == ":" {
                    i += 2
                    while let d = peek(), d != "]" { i += 1; _ = d }
                    i += 1
                    continue
                }
                i += 1
                if c == "]" { return }
            }
            throw GiveUp()
        }

        mutating func escape() throws {
            guard let e = peek() else { throw GiveUp() }
            i += 1
            switch e {
            case "K":
                resetsStart = true
            case "Q", "E", "R", "X":
                throw GiveUp()
            case "x", "p", "P", "N", "g", "k", "o", "u":
                if peek() == "{" || peek() == "<" || peek() == "'" {
                    let close: Unicode.Scalar = peek() == "{" ? "}" : (peek() == "<" ? ">" : "'")
                    while let d = peek(), d != close { i += 1; _ = d }
                    i += 1
                } else if e == "x" {
                    var n = 0
                    while n < 2, let d = peek(), d.properties.isASCIIHexDigit { i += 1; n += 1 }
                } else if e == "p" || e == "P" {
                    i += 1
                }
            case "c":
                i += 1
            default:
                break
            }
        }

        /// A group. Returns its requirements, or `nil` when it proves nothing.
        mutating func group() throws -> [[String]]? {
            i += 1  // (
            var capture = true
            if peek() == "*" { throw GiveUp() }
            if peek() == "?" {
                i += 1
                guard let k = peek() else { throw GiveUp() }
                switch k {
                case ":", "|", ">":
                    i += 1
                    capture = k != "|"
                case "=", "!":
                    i += 1
                    _ = try alternation()
                    try close()
                    return nil
                case "<":
                    if peek(1) == "=" || peek(1) == "!" {
                        i += 2
                        _ = try alternation()
                        try close()
                        return nil
                    }
                    while let d = peek(), d != ">" { i += 1; _ = d }
                    i += 1
                case "P":
                    guard peek(1) == "<" else { throw GiveUp() }
                    while let d = peek(), d != ">" { i += 1; _ = d }
                    i += 1
                case "'":
                    i += 1
                    while let d = peek(), d != "'" { i += 1; _ = d }
                    i += 1
                case "#":
                    while let d = peek(), d != ")" { i += 1; _ = d }
                    i += 1
                    return nil
                default:
                    // Inline options: (?i) or (?i: ... ).
                    var flags = ""
                    while let d = peek(), d.properties.isAlphabetic || d == "-" || d == "^" {
                        flags.unicodeScalars.append(d)
                        i += 1
                    }
                    if flags.isEmpty || flags.contains("x") { throw GiveUp() }
                    if peek() == ")" { i += 1; return nil }
                    guard peek() == ":" else { throw GiveUp() }
                    i += 1
                }
            }
            _ = capture
            let inner = try alternation()
            try close()
            return inner
        }

        mutating func close() throws {
            guard peek() == ")" else { throw GiveUp() }
            i += 1
        }
    }
}
