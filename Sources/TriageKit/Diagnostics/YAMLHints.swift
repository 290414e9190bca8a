internal import YAML

/// Plain-language explanations of libyaml's messages, in English and Chinese, naming the
/// likely fix. libyaml says what its parser expected ("did not find expected key"); a rule
/// author needs to hear that a line is indented differently from its neighbours.
enum YAMLHints {
    /// The message to show and a hint, for a YAML error in `text`.
    static func explain(_ e: YAMLError, text: String) -> (message: String, hint: String?) {
        let lines = yamlLines(text)
        let n = e.mark.line - 1
        let m = e.message
        // Every hint below reads line n and the lines before it.
        guard lines.indices.contains(n) else { return (m, nil) }
        let line = lines[n]

        if m.contains("tab character") || (m.contains("cannot start any token") && line.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t")) {
            return ("tab characters are not allowed for indentation",
                    "indent with spaces, never tabs; set your editor to insert spaces — 缩进只能用空格，不能用制表符（Tab）")
        }
        if m.contains("unknown escape character") {
            return (m, "inside double quotes a backslash starts an escape, and '\\d' or '\\p' is not one; write patterns in single quotes: '\\d{4}' — 双引号里的反斜杠是转义符，正则请写在单引号里")
        }
        if m.contains("end of stream"), m.contains("quoted scalar") {
            let open = unclosedQuote(lines, upTo: n)
            return (m, "a quoted value is not closed" + (open.map { " (the quote on line \($0))" } ?? "") + "; add the closing quote — 引号没有闭合" + (open.map { "（第 \($0) 行）" } ?? "") + "，请补上结尾的引号")
        }
        if m.contains("block sequence entries are not allowed") {
            return (m, "a '- ' list item cannot follow a key on the same line; put each item on its own line, indented under the key — '- ' 列表项不能和键写在同一行，请另起一行并缩进")
        }
        if m.contains("mapping values are not allowed") {
            let col = e.mark.column - 1
            let before = Array(line.unicodeScalars.prefix(max(col, 0)))
            if let keyEnd = keyColon(before) , keyEnd < col {
                return (m, "this value contains ': ', which YAML reads as a new key; put the whole value in quotes — 值里有 ': '，会被当成新的键，请给整个值加引号")
            }
            let here = indent(line), above = previousContent(lines, before: n)
            if let above, here > indent(lines[above]) {
                return (m, "line \(n + 1) is indented \(here) spaces, more than line \(above + 1) (\(indent(lines[above]))), so it reads as the rest of that line's value; line its key up with the keys above — 第 \(n + 1) 行缩进 \(here) 个空格，比第 \(above + 1) 行多，被当成了上一行的值；请与上面的键对齐")
            }
            return (m, "a 'key: value' line is indented more than its neighbours, or a value contains ': ' (quote it) — 这一行缩进多了，或者值里有 ': '（请加引号）")
        }
        if m.contains("did not find expected key") || m.contains("did not find expected '-' indicator") {
            if let above = previousContent(lines, before: n), endsWithEmptyFlow(lines[above]), isListItem(line) {
                return (m, "line \(above + 1) already ends its list with '[]' (an empty list); to add entries below it, delete the '[]' — 第 \(above + 1) 行的 [] 已经是一个完整的（空）列表；要在下面逐行添加条目，请删掉 []")
            }
            let here = indent(line)
            if isListItem(line), let sibling = previousListItem(lines, before: n), indent(lines[sibling]) != here {
                return (m, "indentation: this list item is indented \(here) spaces but the items above it (line \(sibling + 1)) are indented \(indent(lines[sibling])); every '- ' of one list starts in the same column — 缩进不对：这一项缩进 \(here) 个空格，上面的项（第 \(sibling + 1) 行）缩进 \(indent(lines[sibling])) 个；同一列表的每个 '- ' 要对齐")
            }
            if let key = previousKeyLine(lines, before: n), indent(keyLine: lines[key]) != here {
                let k = indent(keyLine: lines[key])
                return (m, "indentation: line \(n + 1) is indented \(here) spaces but the keys above it (line \(key + 1)) are indented \(k); keys of one mapping start in the same column — 缩进不对：第 \(n + 1) 行缩进 \(here) 个空格，上面同一层的键（第 \(key + 1) 行）缩进 \(k) 个；同一层的键要对齐")
            }
            return (m, "indentation: this line is indented differently from the lines above it; keys of one mapping, and the '- ' of one list, start in the same column — 缩进不对：同一层的键、同一列表的 '- ' 要在同一列开始")
        }
        if m.contains("could not find expected ':'") {
            return (m, "a line inside a mapping must be 'key: value' (or a quote or bracket above is not closed) — 映射里的每一行都要写成 '键: 值'（也可能是上面的引号或括号没有闭合）")
        }
        return (m, nil)
    }

    /// The lines of `text` as libyaml counts them: CR LF, CR, LF, NEL, LS and PS each end a line
    /// (a file with bare CRs is one line to `split(separator: "\n")` and many to libyaml).
    static func yamlLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previousCR = false
        for c in text.unicodeScalars {
            if c == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = c == "\r"
            if c == "\n" || c == "\r" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(c)
            }
        }
        lines.append(String(current))
        return lines
    }

    static func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    /// Indentation of a key: for `- key: v`, the column of `key`.
    static func indent(keyLine line: String) -> Int {
        let s = Array(line)
        var i = 0
        while i < s.count, s[i] == " " { i += 1 }
        while i + 1 < s.count, s[i] == "-", s[i + 1] == " " {
            i += 2
            while i < s.count, s[i] == " " { i += 1 }
        }
        return i
    }

    static func isContent(_ line: String) -> Bool {
        let t = line.drop { $0 == " " }
        return !t.isEmpty && !t.hasPrefix("#")
    }

    static func isListItem(_ line: String) -> Bool {
        let t = line.drop { $0 == " " }
        return t.hasPrefix("- ") || t == "-"
    }

    static func previousContent(_ lines: [String], before n: Int) -> Int? {
        var i = n - 1
        while i >= 0 {
            if isContent(lines[i]) { return i }
            i -= 1
        }
        return nil
    }

    static func previousListItem(_ lines: [String], before n: Int) -> Int? {
        guard let p = previousContent(lines, before: n) else { return nil }
        var i = p
        while i >= 0 {
            if isContent(lines[i]) {
                if isListItem(lines[i]) { return i }
                if indent(lines[i]) < indent(lines[n]) { return nil }
            }
            i -= 1
        }
        return nil
    }

    /// The nearest line above that holds a `key:`.
    static func previousKeyLine(_ lines: [String], before n: Int) -> Int? {
        var i = n - 1
        while i >= 0 {
            if isContent(lines[i]), keyColon(Array(lines[i].unicodeScalars)) != nil { return i }
            i -= 1
        }
        return nil
    }

    /// The column of the first `key:` colon of a line (a colon followed by a space or the end), outside quotes.
    static func keyColon(_ s: [Unicode.Scalar]) -> Int? {
        var quote: Unicode.Scalar?
        for (i, c) in s.enumerated() {
            if let q = quote {
                if c == q { quote = nil }
                continue
            }
            if c == "'" || c == "\"" { quote = c; continue }
            if c == "#" { return nil }
            if c == ":", i + 1 == s.count || s[i + 1] == " " { return i }
        }
        return nil
    }

    static func endsWithEmptyFlow(_ line: String) -> Bool {
        var t = Substring(line)
        if let hash = t.indices.first(where: { t[$0] == "#" && ($0 == t.startIndex || t[t.index(before: $0)] == " ") }) { t = t[..<hash] }
        t = Substring(t.reversed().drop { $0 == " " }.reversed())
        return t.hasSuffix("[]") || t.hasSuffix("{}")
    }

    /// The last line up to `n` that opens a quote it does not close.
    static func unclosedQuote(_ lines: [String], upTo n: Int) -> Int? {
        var open: Int?
        for i in 0...min(n, lines.count - 1) where i >= 0 {
            var quote: Character?
            for c in lines[i] {
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == "'" || c == "\"" {
                    quote = c
                } else if c == "#" {
                    break
                }
            }
            if quote != nil { open = i + 1 }
        }
        return open
    }
}
