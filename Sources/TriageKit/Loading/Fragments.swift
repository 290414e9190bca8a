/// Named sub-patterns (`fragments:`), referenced as `{name}` inside any pattern and expanded
/// when the rule set loads, so a list such as the departments a dispute can name is written once.
///
/// A reference is `{` + a lower_snake_case name + `}`; it expands to `(?:…)`. Quantifiers
/// (`{2,4}`), escapes (`\x{4e00}`, `\p{Han}`, `\g{1}`), character classes and `\Q…\E` are left
/// alone. Write `\{name}` for a literal brace. The built-in ``FragmentTable/builtInDepartments``
/// expands to every department's name and aliases.
package struct Fragment: Sendable {
    /// Id, used as `{id}`.
    package var id: String
    /// What it stands for.
    package var description: String
    /// The literal words, when written as `words:` (normalised, in order).
    package var words: [String]?
    /// The sub-pattern, when written as `pattern:` (its own references expanded).
    package var pattern: PatternText?
    /// What a reference expands to (without the surrounding group).
    package var expansion: String
    /// Where it is defined; `nil` for a built-in fragment.
    package var location: SourceLocation?
}

extension SectionSchema {
    /// `fragments:`.
    package static let fragments = SectionSchema(
        "fragments", .list, entryName: "a fragment",
        "Named sub-patterns, referenced as {name} inside any pattern and expanded at load time. 命名片段，在模式中写作 {名称}",
        fields: [
            Field("id", .string, required: true, "The name used as {id}, lower_snake_case. 名称"),
            Field("description", .string, "What it stands for. 说明"),
            Field("words", .list(.string), "Literal words, one a line; expands to (?:w1|w2|…) in this order. 词表（按字面匹配）"),
            Field("pattern", .pattern, "A sub-pattern; expands to (?:pattern). May use other fragments. 子模式"),
        ])
}

/// Every fragment of a rule set, by id.
package struct FragmentTable: Sendable {
    /// The built-in fragment generated from the knowledge base.
    package static let builtInDepartments = "departments"

    package private(set) var fragments: [String: Fragment] = [:]
    /// User fragments in definition order, then built-ins.
    package private(set) var order: [String] = []

    /// An empty table.
    package init() {}

    /// Adds a fragment.
    package mutating func add(_ f: Fragment) {
        if fragments[f.id] == nil { order.append(f.id) }
        fragments[f.id] = f
    }

    /// Escapes `word` for use as a literal inside a pattern.
    package static func escape(_ word: String) -> String {
        var out = ""
        for s in word.unicodeScalars {
            if "\\^$.|?*+()[]{}#".unicodeScalars.contains(s) { out += "\\" }
            if s == " " { out += "\\x20" } else { out.unicodeScalars.append(s) }
        }
        return out
    }

    /// One reference found in a pattern: scalar offset of `{`, length of `{name}`, the name.
    struct Reference {
        var at: Int
        var length: Int
        var name: String
    }

    /// The `{name}` references in `pattern`, skipping escapes, classes and quantifiers.
    static func references(in pattern: String) -> [Reference] {
        let s = Array(pattern.unicodeScalars)
        var out: [Reference] = []
        var i = 0
        func isNameStart(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) }
        func isName(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" }
        while i < s.count {
            switch s[i] {
            case "\\":
                guard i + 1 < s.count else { i += 1; continue }
                let n = s[i + 1]
                if n == "Q" {
                    // \Q…\E is literal text.
                    var k = i + 2
                    while k + 1 < s.count, !(s[k] == "\\" && s[k + 1] == "E") { k += 1 }
                    i = k + 2
                } else if "xpPgkNouc".unicodeScalars.contains(n), i + 2 < s.count, s[i + 2] == "{" {
                    var k = i + 3
                    while k < s.count, s[k] != "}" { k += 1 }
                    i = k + 1
                } else {
                    i += 2
                }
            case "[":
                var k = i + 1
                if k < s.count, s[k] == "^" { k += 1 }
                if k < s.count, s[k] == "]" { k += 1 }
                while k < s.count, s[k] != "]" {
                    if s[k] == "\\" { k += 1 } else if s[k] == "[", k + 1 < s.count, s[k + 1] == ":" {
                        // [:alpha:]
                        var m = k + 2
                        while m + 1 < s.count, !(s[m] == ":" && s[m + 1] == "]") { m += 1 }
                        k = m + 1
                    }
                    k += 1
                }
                i = k + 1
            case "{":
                var k = i + 1
                if k < s.count, isNameStart(s[k]) {
                    while k < s.count, isName(s[k]) { k += 1 }
                    if k < s.count, s[k] == "}" {
                        var name = ""
                        name.unicodeScalars.append(contentsOf: s[(i + 1)..<k])
                        out.append(Reference(at: i, length: k - i + 1, name: name))
                        i = k + 1
                        continue
                    }
                }
                i += 1
            default:
                i += 1
            }
        }
        return out
    }

    /// Expands every reference of `p`. Unknown names are errors at the reference, with a did-you-mean hint.
    /// With `reportUnknown` false (a rule file did not parse, and may hold the fragment), an unknown
    /// name fails the pattern silently: the YAML error is the one to fix.
    package func expand(_ p: PatternText, in text: String?, sink: DiagnosticSink, entry: String?, reportUnknown: Bool = true) -> PatternText? {
        let refs = FragmentTable.references(in: p.written)
        guard !refs.isEmpty else { return p }
        var out = p
        var expanded = String.UnicodeScalarView()
        let s = Array(p.written.unicodeScalars)
        var cursor = 0
        var ok = true
        for r in refs {
            expanded.append(contentsOf: s[cursor..<r.at])
            guard let f = fragments[r.name] else {
                ok = false
                cursor = r.at + r.length
                guard reportUnknown else { continue }
                var message = "unknown fragment '{\(r.name)}'"
                if let hint = EditDistance.suggestion(for: r.name, among: order) {
                    message += " (did you mean '{\(hint)}'?)"
                } else {
                    message += " (fragments: " + order.map { "{\($0)}" }.joined(separator: ", ") + "; write \\{ for a literal brace)"
                }
                sink.error(p.location(ofWritten: r.at, in: text), message, entry: entry, code: "unknown-reference")
                continue
            }
            let start = expanded.count
            expanded.append(contentsOf: "(?:".unicodeScalars)
            expanded.append(contentsOf: f.expansion.unicodeScalars)
            expanded.append(")")
            out.expansions.append(PatternText.Expansion(range: start..<expanded.count, at: r.at, length: r.length, name: r.name))
            cursor = r.at + r.length
        }
        expanded.append(contentsOf: s[cursor...])
        out.expanded = String(expanded)
        return ok ? out : nil
    }

    /// The built-in `{departments}`: every name, full name and alias of the departments of
    /// role `department` or `community`, normalised, longest first so the longest name wins.
    static func departments(_ list: [RuleSet.Department]) -> Fragment {
        var seen = Set<String>()
        var words: [String] = []
        for d in list where d.role != .process {
            for w in RuleSet.departmentPhrases(d) where seen.insert(w).inserted { words.append(w) }
        }
        words.sort { ($0.unicodeScalars.count, $1) > ($1.unicodeScalars.count, $0) }
        return Fragment(
            id: builtInDepartments, description: "内置：各部门（含街镇）的名称和别名，由知识库生成",
            words: words, pattern: nil, expansion: words.map(escape).joined(separator: "|"), location: nil)
    }
}

extension RawRuleSet {
    /// A fragment as read.
    struct RawFragment {
        var id: String
        var description: String
        var words: [(String, SourceLocation)]?
        var pattern: PatternText?
        var location: SourceLocation
        var idLocation: SourceLocation
    }

    mutating func readFragment(_ r: MapReader) {
        let id = id(r)
        let words = r.value("words") == nil ? nil : r.located("words")
        var pattern: PatternText?
        if let (text, node) = r.strings("pattern").first {
            pattern = PatternText.reading(text, origin: r.origin(node))
        }
        if (words == nil) == (pattern == nil) {
            r.sink.error(r.location, "fragment '\(id)' needs either 'words' or 'pattern' (not both)", entry: id, code: "missing-key")
        }
        if words?.isEmpty == true { r.sink.error(r.location, "fragment '\(id)' has no words", entry: id, code: "missing-key") }
        fragments.append(RawFragment(id: id, description: r.string("description") ?? "", words: words, pattern: pattern,
                                     location: r.location, idLocation: r.value("id").map(r.loc) ?? r.location))
    }

    /// Builds the fragment table: words are normalised and escaped; patterns are expanded in
    /// dependency order (a cycle is an error) and must compile on their own.
    func compileFragments(departments: [RuleSet.Department], texts: [String: String], sink: DiagnosticSink, complete: Bool) -> FragmentTable {
        var table = FragmentTable()
        let builtIn = FragmentTable.departments(departments)
        var byID: [String: RawFragment] = [:]
        for f in fragments where !f.id.isEmpty {
            if f.id == FragmentTable.builtInDepartments {
                sink.error(f.idLocation, "'\(f.id)' is a built-in fragment (the departments' names and aliases); choose another id", entry: f.id, code: "duplicate-id")
                continue
            }
            if byID[f.id] == nil { byID[f.id] = f }
        }
        table.add(builtIn)
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ id: String) {
            guard let f = byID[id], state[id] == nil else {
                if state[id] == 1, let f = byID[id] {
                    sink.error(f.location, "fragment '\(id)' refers to itself through other fragments", entry: id, code: "fragment-cycle")
                }
                return
            }
            state[id] = 1
            if let words = f.words {
                let normalised = words.compactMap { w -> String? in
                    let n = normalizePhrase(w.0)
                    if n.isEmpty { sink.error(w.1, "empty word in fragment '\(id)'", entry: id, code: "type") }
                    return n.isEmpty ? nil : n
                }
                table.add(Fragment(id: id, description: f.description, words: normalised, pattern: nil,
                                   expansion: normalised.map(FragmentTable.escape).joined(separator: "|"), location: f.location))
            } else if let p = f.pattern {
                for r in FragmentTable.references(in: p.written) where byID[r.name] != nil { visit(r.name) }
                if let expanded = table.expand(p, in: texts[p.origin.path], sink: sink, entry: id, reportUnknown: complete) {
                    if RawRuleSet.compileError(expanded, in: texts[p.origin.path], sink: sink, entry: id, wrap: true) {
                        table.add(Fragment(id: id, description: f.description, words: nil, pattern: expanded,
                                           expansion: expanded.expanded, location: f.location))
                    }
                }
            }
            state[id] = 2
        }
        for f in fragments where byID[f.id] != nil { visit(f.id) }
        return table
    }
}
