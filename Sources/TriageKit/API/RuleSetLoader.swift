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
        "screening", "escalation", "calendar", "known_false_positives",
    ]

    /// Loads the rule set in `directory`.
    public static func load(directory: String, limits: RuleSetLimits = .default) -> LoadResult {
        do {
            return load(try RuleSource.directory(directory, maxFileBytes: limits.maxFileBytes), limits: limits)
        } catch {
            return LoadResult(ruleSet: nil, diagnostics: Diagnostics([error]), sources: [:])
        }
    }

    /// Loads a rule set from its files. The source's ``RuleSource/problems`` (files that could
    /// not be read) are errors of the result.
    public static func load(_ source: RuleSource, limits: RuleSetLimits = .default) -> LoadResult {
        let sink = DiagnosticSink()
        for problem in source.problems { sink.diagnostics.append(problem) }
        var raw = RawRuleSet()
        var sources: [String: String] = [:]
        // Files that could not be read at all: what they define is missing, so errors that
        // only follow from that (unknown references, missing settings) are summarised.
        var unreadable: [String] = source.problems.map(\.path)
        var totalBytes = 0
        for file in source.files {
            totalBytes += file.contents.count
            guard file.contents.count <= limits.maxFileBytes else {
                sink.error(SourceLocation(path: file.path, line: 1, column: 1),
                           "file is \(file.contents.count) bytes; a rule file may have at most \(limits.maxFileBytes) bytes", code: "limit")
                unreadable.append(file.path)
                continue
            }
            guard totalBytes <= limits.maxTotalBytes else {
                sink.error(SourceLocation(path: file.path, line: 1, column: 1),
                           "the rule files reach \(totalBytes) bytes here; all together may have at most \(limits.maxTotalBytes)", code: "limit")
                unreadable.append(file.path)
                break
            }
            guard let text = String(validating: file.contents, as: UTF8.self) else {
                let offset = MessageRecord.firstInvalidUTF8(file.contents) ?? 0
                let mark = Mark(ofByte: offset, in: file.contents)
                // Quote the valid lines before the bad byte, so the caret has a line to point into.
                sources[file.path] = String(decoding: file.contents.prefix(offset), as: UTF8.self)
                sink.error(SourceLocation(path: file.path, line: mark.line, column: mark.column),
                           "invalid UTF-8 (byte 0x\(String(file.contents[offset], radix: 16, uppercase: true))); rule files must be UTF-8",
                           code: "yaml-syntax")
                unreadable.append(file.path)
                continue
            }
            sources[file.path] = text
            let doc = YAMLDocument.parse(file.contents)
            for e in doc.errors {
                sink.error(SourceLocation(path: file.path, line: e.mark.line, column: e.mark.column), e.message,
                           code: e.id == "duplicate-key" ? "duplicate-key" : "yaml-syntax")
            }
            guard let root = doc.root else {
                if !doc.errors.isEmpty { unreadable.append(file.path) }
                continue
            }
            guard root.pairs != nil else {
                sink.error(SourceLocation(path: file.path, line: root.mark.line, column: root.mark.column),
                           "a rule-set file must be a mapping of sections (\(sections.joined(separator: ", ")))", code: "type")
                unreadable.append(file.path)
                continue
            }
            let reader = MapReader(node: root, path: file.path, entry: nil, sink: sink)
            reader.checkKeys(sections, what: "a rule-set file")
            raw.read(reader)
        }
        raw.enforce(limits, sink: sink, origin: source.origin)
        if source.files.isEmpty && source.problems.isEmpty {
            sink.error(SourceLocation(path: source.origin, line: 1, column: 1), "no .yaml files in the rule set", code: "io")
        }
        let ruleSet = raw.compile(sink: sink, version: source.contentHash, origin: source.origin)
        let diagnostics = unreadable.isEmpty ? sink.diagnostics : suppressingConsequences(sink.diagnostics, of: unreadable)
        return LoadResult(ruleSet: diagnostics.hasErrors ? nil : ruleSet, diagnostics: diagnostics, sources: sources)
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
