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
    public static func load(directory: String, limits: RuleSetLimits = .default) -> LoadResult {
        do {
            return load(try RuleSource.directory(directory, maxFileBytes: limits.maxFileBytes), limits: limits)
        } catch {
            return LoadResult(ruleSet: nil, diagnostics: Diagnostics([error]), sources: [:])
        }
    }

    /// Loads a rule set from its files: every file is parsed once (``RuleDocument``), every
    /// section read against its declared fields, then compiled and its examples checked. The
    /// source's ``RuleSource/problems`` (files that could not be read) are errors of the result.
    public static func load(_ source: RuleSource, limits: RuleSetLimits = .default) -> LoadResult {
        let sink = DiagnosticSink()
        let document = RuleDocument.parse(source, sink: sink, limits: limits)
        var raw = RawRuleSet()
        for file in document.files { raw.read(file, sink: sink) }
        raw.enforce(limits, sink: sink, origin: source.origin)
        if source.files.isEmpty && source.problems.isEmpty {
            sink.error(SourceLocation(path: source.origin, line: 1, column: 1), "no .yaml files in the rule set", code: "io")
        }
        let sources = document.sources
        let model = raw.compile(sink: sink, version: source.contentHash, origin: source.origin, texts: sources,
                                complete: document.unparsed.isEmpty)
        // Errors that only follow from a file that could not be read are summarised.
        let diagnostics = document.unparsed.isEmpty ? sink.diagnostics : suppressingConsequences(sink.diagnostics, of: document.unparsed)
        var result = LoadResult(ruleSet: diagnostics.hasErrors ? nil : model, diagnostics: diagnostics, sources: sources)
        result.document = document
        result.model = model
        return result
    }

    /// Knock-on errors shown when a file could not be read; the rest are counted in a note.
    static let consequencesShown = 3

    /// Summarises the errors that may only follow from files that could not be read (a reference
    /// to a department defined in the broken file, a missing `ruleset` section): the first few
    /// are kept, the rest counted in one note, so the real cause is not buried under hundreds
    /// of knock-on errors.
    static func suppressingConsequences(_ diagnostics: Diagnostics, of unreadable: [String]) -> Diagnostics {
        var kept = Diagnostics()
        var dropped = 0
        var shown = 0
        for d in diagnostics.all {
            let consequence = d.severity == .error && (d.code == "unknown-reference" || (d.code == "missing-key" && d.entry == nil))
            if consequence && shown >= consequencesShown {
                dropped += 1
            } else {
                if consequence { shown += 1 }
                kept.append(d)
            }
        }
        if dropped > 0 {
            let first = unreadable[0]
            kept.append(Diagnostic(
                .note, path: first,
                message: "\(dropped) further unknown reference(s) not shown: they may only follow from \(unreadable.joined(separator: ", ")) "
                    + "not being readable; fix \(unreadable.count == 1 ? "it" : "them") first",
                code: "suppressed"))
        }
        return kept
    }
}
