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
    /// Every file as parsed, for the QA tools (linter, registers), which read this parse instead of their own.
    package var document = RuleDocument(files: [])
    /// The rule set as far as it compiled, even with errors (failed patterns left out), for the linter.
    package var model: RuleSet?

    /// Creates a result.
    public init(ruleSet: RuleSet?, diagnostics: Diagnostics, sources: [String: String]) {
        self.ruleSet = ruleSet
        self.diagnostics = diagnostics
        self.sources = sources
    }
}

/// Loads and validates a rule set. Every problem is collected; nothing is thrown
/// one at a time, and a rule set with any error is never returned.
public enum RuleSetLoader {
    /// The sections a rule-set file may hold. `known_false_positives` and `todo` are read by the
    /// QA tools (TriageEval), not by the engine.
    public static var sections: [String] { RuleFileSchema.sections.map(\.name) }

    /// Loads the rule set in `directory`.
    public static func load(directory: String) -> LoadResult {
        do {
            return load(try RuleSource.directory(directory))
        } catch {
            return LoadResult(ruleSet: nil, diagnostics: Diagnostics([error]), sources: [:])
        }
    }

    /// Loads a rule set from its files: every file is parsed once (``RuleDocument``), every
    /// section read against its declared fields, then compiled and its examples checked.
    public static func load(_ source: RuleSource) -> LoadResult {
        let sink = DiagnosticSink()
        let document = RuleDocument.parse(source, sink: sink)
        var raw = RawRuleSet()
        for file in document.files { raw.read(file, sink: sink) }
        if source.files.isEmpty {
            sink.error(SourceLocation(path: source.origin, line: 1, column: 1), "no .yaml files in the rule set", code: "io")
        }
        let sources = document.sources
        let model = raw.compile(sink: sink, version: source.contentHash, origin: source.origin, texts: sources,
                                complete: document.unparsed.isEmpty)
        let diagnostics = sink.diagnostics
        var result = LoadResult(ruleSet: diagnostics.hasErrors ? nil : model, diagnostics: diagnostics, sources: sources)
        result.document = document
        result.model = model
        return result
    }
}
