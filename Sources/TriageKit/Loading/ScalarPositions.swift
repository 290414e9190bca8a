/// Where a YAML scalar starts and how it is written, so that an offset into its value can be
/// turned back into the line and column of the file (quotes, `''` and `\` escapes, block scalars).
package struct ScalarOrigin: Sendable, Hashable {
    /// How the scalar is written.
    package enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }
    /// The file.
    package var path: String
    /// 1-based line of the scalar's first character (the quote or block indicator).
    package var line: Int
    /// 1-based column, in Unicode scalars.
    package var column: Int
    /// Quoting.
    package var style: Style

    /// Creates an origin.
    package init(path: String, line: Int, column: Int, style: Style) {
        self.path = path
        self.line = line
        self.column = column
        self.style = style
    }

    /// The start of the scalar as a location.
    package var location: SourceLocation { SourceLocation(path: path, line: line, column: column) }

    /// The file position of each scalar of the value, and one past the end: `count + 1` locations.
    /// `text` is the whole file. Without it (or when the walk leaves the file) the start is returned.
    package func positions(in text: String?, count: Int) -> [SourceLocation] {
        guard let text else { return [SourceLocation](repeating: location, count: count + 1) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> [Unicode.Scalar] in
            var s = Array(line.unicodeScalars)
            if s.last == "\r" { s.removeLast() }
            return s
        }
        var out: [SourceLocation] = []
        out.reserveCapacity(count + 1)
        var line = self.line - 1, col = self.column - 1
        var indent = 0
        func firstNonSpace(_ l: Int) -> Int {
            guard l < lines.count else { return 0 }
            return lines[l].firstIndex { $0 != " " && $0 != "\t" } ?? lines[l].count
        }
        func restIsBlank(_ l: Int, _ c: Int) -> Bool {
            guard l < lines.count else { return true }
            return lines[l][min(c, lines[l].count)...].allSatisfy { $0 == " " || $0 == "\t" }
        }
        func here() -> SourceLocation { SourceLocation(path: path, line: line + 1, column: col + 1) }
        switch style {
        case .singleQuoted, .doubleQuoted: col += 1
        case .literal, .folded:
            // The content starts on the next non-empty line, at its indentation.
            line += 1
            while line < lines.count, restIsBlank(line, 0) { line += 1 }
            indent = firstNonSpace(line)
            col = indent
        case .plain: break
        }
        while out.count <= count {
            guard line < lines.count else {
                out.append(SourceLocation(path: path, line: lines.count, column: 1))
                continue
            }
            let l = lines[line]
            let blockStyle = style == .literal || style == .folded
            if col >= l.count || (!blockStyle && restIsBlank(line, col)) {
                // A line break in the value (folded into a space outside block scalars).
                out.append(here())
                line += 1
                col = blockStyle ? min(indent, lines.indices.contains(line) ? lines[line].count : 0) : firstNonSpace(line)
                continue
            }
            let c = l[col]
            switch style {
            case .singleQuoted:
                out.append(here())
                col += (c == "'" && col + 1 < l.count && l[col + 1] == "'") ? 2 : 1
            case .doubleQuoted where c == "\\":
                if col + 1 >= l.count {
                    // An escaped line break: no character in the value.
                    line += 1
                    col = firstNonSpace(line)
                    continue
                }
                out.append(here())
                switch l[col + 1] {
                case "x": col += 4
                case "u": col += 6
                case "U": col += 10
                default: col += 2
                }
            default:
                out.append(here())
                col += 1
            }
        }
        return out
    }
}

/// A pattern as written and as compiled: the written text (a literal block's line breaks
/// removed), the compiled text (fragments expanded), and the maps between them and the file.
package struct PatternText: Sendable {
    /// One fragment reference replaced by its expansion.
    package struct Expansion: Sendable {
        /// The expansion's scalars in `expanded`.
        package var range: Range<Int>
        /// The scalar offset of the reference's `{` in `written`.
        package var at: Int
        /// The reference's length in `written` (`{name}`).
        package var length: Int
        /// The fragment.
        package var name: String
    }

    /// What the author wrote (after removing a literal block's line breaks).
    package var written: String
    /// What is compiled: `written` with every `{fragment}` expanded.
    package var expanded: String
    /// Where the YAML scalar is.
    package var origin: ScalarOrigin
    /// Scalar index in `written` → scalar index in the YAML value; `nil` when they are the same.
    package var decodedIndex: [Int]?
    /// The fragment references, in order.
    package var expansions: [Expansion] = []

    /// A pattern written as a plain or quoted scalar, not yet expanded.
    package init(written: String, origin: ScalarOrigin, decodedIndex: [Int]? = nil) {
        self.written = written
        self.expanded = written
        self.origin = origin
        self.decodedIndex = decodedIndex
    }

    /// The pattern as read from a YAML scalar: a literal block (`|-`) may spread one pattern over
    /// several lines; each line break and the white space around it are removed.
    package static func reading(_ value: String, origin: ScalarOrigin) -> PatternText {
        guard origin.style == .literal, value.unicodeScalars.contains("\n") else {
            return PatternText(written: value, origin: origin)
        }
        let s = Array(value.unicodeScalars)
        var keep = [Bool](repeating: true, count: s.count)
        for (i, c) in s.enumerated() where c == "\n" {
            keep[i] = false
            var j = i - 1
            while j >= 0, s[j] == " " || s[j] == "\t" { keep[j] = false; j -= 1 }
            j = i + 1
            while j < s.count, s[j] == " " || s[j] == "\t" { keep[j] = false; j += 1 }
        }
        var written = String.UnicodeScalarView()
        var index: [Int] = []
        for i in s.indices where keep[i] {
            written.append(s[i])
            index.append(i)
        }
        index.append(s.count)
        return PatternText(written: String(written), origin: origin, decodedIndex: index)
    }

    /// The written offset of an expanded scalar offset, and the fragment it falls in (if any).
    package func writtenOffset(ofExpanded k: Int) -> (offset: Int, fragment: String?) {
        var shift = 0
        for e in expansions {
            if k < e.range.lowerBound { break }
            if k < e.range.upperBound { return (e.at, e.name) }
            shift += e.range.count - e.length
        }
        return (k - shift, nil)
    }

    /// The file location of written scalar `k`; `text` is the file's text.
    package func location(ofWritten k: Int, in text: String?) -> SourceLocation {
        let decoded = decodedIndex.map { $0[min(max(k, 0), $0.count - 1)] } ?? k
        let positions = origin.positions(in: text, count: decoded)
        return positions[min(decoded, positions.count - 1)]
    }

    /// The file location of expanded (compiled) scalar `k`, and the fragment it falls in.
    package func location(ofExpanded k: Int, in text: String?) -> (location: SourceLocation, fragment: String?) {
        let (w, fragment) = writtenOffset(ofExpanded: k)
        return (location(ofWritten: w, in: text), fragment)
    }
}
