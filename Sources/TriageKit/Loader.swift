import PCRE2
import YAML

/// The outcome of loading a rule set: the rule set when there were no errors,
/// and every finding (errors and warnings) either way.
public struct LoadResult: Sendable {
    /// The compiled rule set, or `nil` when any error was found.
    public var ruleSet: RuleSet?
    /// All findings, collected in one pass.
    public var diagnostics: Diagnostics
    /// Source text per path, for rendering diagnostics with a caret.
    public var sources: [String: String]
}

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

/// Loads and validates a rule set. Every problem is collected; nothing is thrown
/// one at a time, and a rule set with any error is never returned.
public enum RuleSetLoader {
    /// The sections a rule-set file may hold. `known_false_positives` is read by the QA tools
    /// (TriageEval), not by the engine.
    public static let sections = [
        "ruleset", "categories", "departments", "items", "combined", "rules", "cues",
        "screening", "escalation", "calendar", "known_false_positives",
    ]

    /// Loads the rule set in `directory`.
    public static func load(directory: String) -> LoadResult {
        do {
            return load(try RuleSource.directory(directory))
        } catch {
            return LoadResult(ruleSet: nil, diagnostics: Diagnostics([error]), sources: [:])
        }
    }

    /// Loads a rule set from its files.
    public static func load(_ source: RuleSource) -> LoadResult {
        let sink = DiagnosticSink()
        var raw = RawRuleSet()
        var sources: [String: String] = [:]
        for file in source.files {
            guard let text = String(validating: file.contents, as: UTF8.self) else {
                sink.error(SourceLocation(path: file.path, line: 1, column: 1), "file is not valid UTF-8", code: "yaml-syntax")
                continue
            }
            sources[file.path] = text
            let doc = YAMLDocument.parse(file.contents)
            for e in doc.errors {
                sink.error(SourceLocation(path: file.path, line: e.mark.line, column: e.mark.column), e.message,
                           code: e.id == "duplicate-key" ? "duplicate-key" : "yaml-syntax")
            }
            guard let root = doc.root else { continue }
            guard root.pairs != nil else {
                sink.error(SourceLocation(path: file.path, line: root.mark.line, column: root.mark.column),
                           "a rule-set file must be a mapping of sections (\(sections.joined(separator: ", ")))", code: "type")
                continue
            }
            let reader = MapReader(node: root, path: file.path, entry: nil, sink: sink)
            reader.checkKeys(sections, what: "a rule-set file")
            raw.read(reader)
        }
        if source.files.isEmpty {
            sink.error(SourceLocation(path: source.origin, line: 1, column: 1), "no .yaml files in the rule set", code: "io")
        }
        let ruleSet = raw.compile(sink: sink, version: source.contentHash, origin: source.origin)
        let diagnostics = sink.diagnostics
        return LoadResult(ruleSet: diagnostics.hasErrors ? nil : ruleSet, diagnostics: diagnostics, sources: sources)
    }
}
