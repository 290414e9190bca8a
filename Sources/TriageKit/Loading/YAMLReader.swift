package import YAML

/// Collects diagnostics while loading.
package final class DiagnosticSink {
    package var diagnostics = Diagnostics()
    package init() {}
    package func error(_ loc: SourceLocation, _ message: String, entry: String? = nil, code: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, path: loc.path, line: loc.line, column: loc.column, message: message, entry: entry, code: code, hint: hint))
    }
    package func warning(_ loc: SourceLocation, _ message: String, entry: String? = nil, code: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(.warning, path: loc.path, line: loc.line, column: loc.column, message: message, entry: entry, code: code, hint: hint))
    }
}

/// Reads one YAML mapping against its declared fields (``Field``): unknown keys, missing
/// required keys and wrong types become diagnostics with locations. Every key a reader
/// asks for must be declared, so the schema cannot drift from what is read.
package struct MapReader {
    /// The mapping.
    package let node: Node
    /// The file.
    package let path: String
    /// The entry the findings are about (its id), when there is one.
    package let entry: String?
    /// Where findings go.
    package let sink: DiagnosticSink
    /// The keys this mapping may have.
    package let fields: [Field]
    /// What the mapping is, for messages: "a rule", "decision".
    package let what: String

    /// Creates a reader.
    package init(node: Node, path: String, entry: String?, sink: DiagnosticSink, fields: [Field], what: String) {
        self.node = node
        self.path = path
        self.entry = entry
        self.sink = sink
        self.fields = fields
        self.what = what
    }

    /// Where `n` starts.
    package func loc(_ n: Node) -> SourceLocation { SourceLocation(path: path, line: n.mark.line, column: n.mark.column) }
    /// Where the mapping starts.
    package var location: SourceLocation { loc(node) }

    /// The declared field `key`; asking for an undeclared key is a programming error.
    package func field(_ key: String) -> Field? {
        let f = fields.first { $0.key == key }
        assert(f != nil, "key '\(key)' is read but not declared in the schema of \(what)")
        return f
    }

    /// Reports keys that are not declared (with a did-you-mean hint) and declared required keys that are missing.
    package func validate() {
        let known = fields.map(\.key)
        for pair in node.pairs ?? [] {
            guard let key = pair.key.scalar, !known.contains(key) else { continue }
            var message = "unknown key '\(key)' in \(what)"
            if let hint = EditDistance.suggestion(for: key, among: known) { message += " (did you mean '\(hint)'?)" }
            sink.error(loc(pair.key), message, entry: entry, code: "unknown-key")
        }
        for f in fields where f.required && value(f.key) == nil {
            sink.error(location, "missing required key '\(f.key)'" + (entry.map { " in \(what) '\($0)'" } ?? ""), entry: entry, code: "missing-key")
        }
    }

    /// The value of `key`, or `nil` when it is absent or empty (`key:` with nothing after it).
    package func value(_ key: String) -> Node? {
        _ = field(key)
        guard let v = node[key] else { return nil }
        if case .null = v.kind { return nil }
        return v
    }

    /// A scalar as text.
    package func string(_ key: String) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.scalar else {
            sink.error(loc(v), "'\(key)' must be a string, not \(v.kindName)", entry: entry, code: "type")
            return nil
        }
        if s.trimmingSpaces.isEmpty, field(key)?.required == true {
            sink.error(loc(v), "'\(key)' must not be empty", entry: entry, code: "type")
            return nil
        }
        return s
    }

    /// A plain number.
    package func number(_ key: String) -> Double? {
        guard let v = value(key) else { return nil }
        guard let s = v.scalar, v.style == .plain, let d = Double(s), d.isFinite else {
            sink.error(loc(v), "'\(key)' must be a number", entry: entry, code: "type")
            return nil
        }
        // Counts and years are read through here as well; a bound keeps `Int(d)` from trapping.
        guard abs(d) <= 1e15 else {
            sink.error(loc(v), "'\(key)' must be a number between -1e15 and 1e15", entry: entry, code: "type")
            return nil
        }
        return d
    }

    /// `true` or `false`.
    package func bool(_ key: String) -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.bool else {
            sink.error(loc(v), "'\(key)' must be true or false, not '\(v.scalar ?? v.kindName)'", entry: entry, code: "type")
            return nil
        }
        return b
    }

    /// One of the cases of a string enum, with a did-you-mean hint for a near miss.
    package func choice<E: CaseIterable & RawRepresentable>(_ key: String, _ type: E.Type) -> E? where E.RawValue == String {
        guard let s = string(key), let v = value(key) else { return nil }
        if let e = E(rawValue: s) { return e }
        let words = E.allCases.map(\.rawValue)
        var message = "'\(key)' must be \(Self.oneOf(words)), not '\(s)'"
        if let hint = EditDistance.suggestion(for: s, among: words) { message += " (did you mean '\(hint)'?)" }
        sink.error(loc(v), message, entry: entry, code: "type")
        return nil
    }

    /// "a or b", "one of a, b, c".
    package static func oneOf(_ words: [String]) -> String {
        words.count <= 2 ? words.map { "'\($0)'" }.joined(separator: " or ") : "one of " + words.joined(separator: ", ")
    }

    /// A list of strings; a single scalar counts as a one-element list.
    package func strings(_ key: String) -> [(String, Node)] {
        guard let v = value(key) else { return [] }
        if let s = v.scalar { return [(s, v)] }
        guard let items = v.elements else {
            sink.error(loc(v), "'\(key)' must be a list of strings", entry: entry, code: "type")
            return []
        }
        var out: [(String, Node)] = []
        for item in items {
            if let s = item.scalar {
                out.append((s, item))
            } else {
                sink.error(loc(item), "'\(key)' entries must be strings, not \(item.kindName)", entry: entry, code: "type")
            }
        }
        return out
    }

    /// A list of strings with their locations.
    package func located(_ key: String) -> [(String, SourceLocation)] {
        strings(key).map { ($0.0, loc($0.1)) }
    }

    /// One string with its location.
    package func one(_ key: String) -> (String, SourceLocation)? {
        guard let s = string(key), let n = value(key) else { return nil }
        return (s, loc(n))
    }

    /// A nested mapping, read against the fields its `.object` type declares.
    package func mapping(_ key: String) -> MapReader? {
        guard let v = value(key) else { return nil }
        guard v.pairs != nil else {
            sink.error(loc(v), "'\(key)' must be a mapping, not \(v.kindName)", entry: entry, code: "type")
            return nil
        }
        var nested: [Field] = []
        if case .object(let f) = field(key)?.type { nested = f }
        return MapReader(node: v, path: path, entry: entry, sink: sink, fields: nested, what: key)
    }

    /// Where a scalar starts and how it was quoted, to place findings inside it.
    package func origin(_ n: Node) -> ScalarOrigin {
        ScalarOrigin(path: path, line: n.mark.line, column: n.mark.column, style: ScalarOrigin.Style(n.style))
    }
}

extension ScalarOrigin.Style {
    init(_ style: ScalarStyle?) {
        switch style {
        case .singleQuoted: self = .singleQuoted
        case .doubleQuoted: self = .doubleQuoted
        case .literal: self = .literal
        case .folded: self = .folded
        case .plain, .none: self = .plain
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }.reversed().map(Character.init))
    }
}
