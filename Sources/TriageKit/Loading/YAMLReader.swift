internal import YAML

/// Collects diagnostics while loading.
final class DiagnosticSink {
    var diagnostics = Diagnostics()
    func error(_ loc: SourceLocation, _ message: String, entry: String? = nil, code: String) {
        diagnostics.append(Diagnostic(.error, path: loc.path, line: loc.line, column: loc.column, message: message, entry: entry, code: code))
    }
    func warning(_ loc: SourceLocation, _ message: String, entry: String? = nil, code: String) {
        diagnostics.append(Diagnostic(.warning, path: loc.path, line: loc.line, column: loc.column, message: message, entry: entry, code: code))
    }
}

/// Reads one YAML mapping with typed accessors that report errors with locations.
struct MapReader {
    let node: Node
    let path: String
    let entry: String?
    let sink: DiagnosticSink

    func loc(_ n: Node) -> SourceLocation { SourceLocation(path: path, line: n.mark.line, column: n.mark.column) }
    var location: SourceLocation { loc(node) }

    /// Reports keys not in `known`, with a did-you-mean hint.
    func checkKeys(_ known: [String], what: String) {
        for pair in node.pairs ?? [] {
            guard let key = pair.key.scalar, !known.contains(key) else { continue }
            var message = "unknown key '\(key)' in \(what)"
            if let hint = EditDistance.suggestion(for: key, among: known) { message += " (did you mean '\(hint)'?)" }
            sink.error(loc(pair.key), message, entry: entry, code: "unknown-key")
        }
    }

    func value(_ key: String) -> Node? {
        guard let v = node[key] else { return nil }
        if case .null = v.kind { return nil }
        return v
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let v = value(key) else {
            if required { sink.error(location, "missing required key '\(key)'", entry: entry, code: "missing-key") }
            return nil
        }
        guard let s = v.scalar else {
            sink.error(loc(v), "'\(key)' must be a string, not \(v.kindName)", entry: entry, code: "type")
            return nil
        }
        if s.trimmingSpaces.isEmpty, required {
            sink.error(loc(v), "'\(key)' must not be empty", entry: entry, code: "type")
            return nil
        }
        return s
    }

    func number(_ key: String) -> Double? {
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

    func bool(_ key: String) -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.bool else {
            sink.error(loc(v), "'\(key)' must be true or false, not '\(v.scalar ?? v.kindName)'", entry: entry, code: "type")
            return nil
        }
        return b
    }

    /// A list of strings; a single scalar counts as a one-element list.
    func strings(_ key: String) -> [(String, Node)] {
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

    func mapping(_ key: String) -> MapReader? {
        guard let v = value(key) else { return nil }
        guard v.pairs != nil else {
            sink.error(loc(v), "'\(key)' must be a mapping, not \(v.kindName)", entry: entry, code: "type")
            return nil
        }
        return MapReader(node: v, path: path, entry: entry, sink: sink)
    }
}

extension String {
    var trimmingSpaces: String {
        String(unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }.reversed().map(Character.init))
    }
}

