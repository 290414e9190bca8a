internal import YAML

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

/// Loads and validates a rule set. Every problem is collected; nothing is thrown
/// one at a time, and a rule set with any error is never returned.
public enum RuleSetLoader {
    /// The sections a rule-set file may hold. `known_false_positives` is read by the QA tools
    /// (TriageEval), not by the engine.
    public static let sections = [
        "ruleset", "categories", "departments", "items", "combined", "rules", "cues",
        "screening", "escalation", "topics", "calendar", "fitted_weights", "known_false_positives",
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
