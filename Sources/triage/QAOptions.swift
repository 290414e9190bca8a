import ArgumentParser
import BundledRules
import Foundation
import TriageEval
import TriageKit

/// Corpus arguments shared by test, diff and stats.
struct CorpusOptions: ParsableArguments {
    @Argument(help: "Corpus files or folders of *.jsonl (default: corpus).")
    var corpora: [String] = []

    @Flag(name: .long, help: "Never draw the progress bar on standard error.")
    var noProgress = false

    @Flag(name: .long, help: "Show the texts, ids and results of held-out parts too (normally only their aggregates).")
    var revealHeldOut = false

    var paths: [String] { corpora.isEmpty ? ["corpus"] : corpora }

    /// Whether held-out messages may be shown.
    var policy: HeldOutPolicy { HeldOutPolicy(reveal: revealHeldOut) }

    /// Loads the corpora, validates labels against `ruleSet`, prints problems to standard error.
    /// Returns the messages that can run and whether anything was wrong.
    /// Exits 3 when no message at all can run.
    func load(against ruleSet: RuleSet) throws -> (corpus: Corpus, hadErrors: Bool) {
        var corpus = CorpusLoader.load(paths, knownMetrics: Metrics.names(categories: ruleSet.categories.map(\.id.rawValue)))
        let (ok, labelErrors) = CorpusLoader.validate(corpus.messages, against: ruleSet)
        corpus.messages = ok
        for d in labelErrors { corpus.diagnostics.append(d) }
        for d in corpus.diagnostics.sorted { Output.error(d.description) }
        if ok.isEmpty {
            Output.error("triage: no labelled message to run in \(paths.joined(separator: ", "))")
            throw ExitCode(3)
        }
        if corpus.diagnostics.hasErrors {
            Output.error("triage: \(corpus.diagnostics.errors.count) corpus error(s); those lines were left out, the other \(ok.count) message(s) ran")
        }
        return (corpus, corpus.diagnostics.hasErrors)
    }

    /// A progress bar for long runs, drawn on standard error when it is a terminal.
    func progress(total: Int, label: String) -> Progress? {
        guard !noProgress, total >= 1000, isatty(2) == 1 else { return nil }
        return Progress(total: total, label: label)
    }
}

/// A progress bar on standard error; safe to update from several threads.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let label: String
    private var shown = -1

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    func update(_ done: Int) {
        lock.lock()
        defer { lock.unlock() }
        let pct = total == 0 ? 100 : done * 100 / total
        guard pct != shown else { return }
        shown = pct
        let width = 30
        let filled = pct * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(pct)% \(done)/\(total)".utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// Where a rule set comes from, for the QA commands: a folder, a git revision or the bundled rules.
enum RuleInput {
    /// The working tree's rule set: --rules, $TRIAGE_RULES, ./rules, then the bundled rules.
    static func workingTree(_ option: String?) throws -> RuleSource {
        if let (path, _) = RuleSetLocator.resolve(option: option) {
            do { return try RuleSource.directory(path) } catch {
                Output.error(error.description)
                throw ExitCode(1)
            }
        }
        return bundled
    }

    /// The rule set embedded in the binary at build time.
    static var bundled: RuleSource {
        RuleSource(files: BundledRules.files.map { RuleSource.File(path: $0.path, text: $0.text) }, origin: "<bundled>")
    }

    /// A folder or a git revision (for diff). One-line error and exit 1 when it is neither.
    static func folderOrRevision(_ spec: String, gitPath: String) throws -> RuleSource {
        do { return try RuleSourceResolver.resolve(spec, gitPath: gitPath) } catch {
            Output.error("triage: \(error.message)")
            throw ExitCode(1)
        }
    }

    /// Loads and compiles; prints errors with the source line and a caret, and exits 1 when the
    /// rule set has errors. `consequence` ends the summary line.
    static func compile(_ source: RuleSource, consequence: String = "run `triage check`") throws -> RuleSet {
        try load(source, consequence: consequence).ruleSet!
    }

    /// Like ``compile(_:consequence:)``, but returns the whole load result (the parsed files
    /// for the registers); its `ruleSet` is never `nil`.
    static func load(_ source: RuleSource, consequence: String = "run `triage check`") throws -> LoadResult {
        let loaded = RuleSetLoader.load(source)
        guard loaded.ruleSet != nil else {
            let renderer = renderer(loaded, origin: source.origin)
            for d in loaded.diagnostics.sorted where d.severity == .error { Output.error(renderer.render(d.prefixed(source.origin))) }
            Output.error("triage: the rule set in \(source.origin) has \(loaded.diagnostics.errors.count) error(s); \(consequence)")
            throw ExitCode(1)
        }
        return loaded
    }

    /// A renderer for diagnostics printed with paths relative to the working directory.
    static func renderer(_ loaded: LoadResult, origin: String) -> DiagnosticRenderer {
        var sources: [String: String] = [:]
        for (path, text) in loaded.sources {
            sources[Diagnostic(.note, path: path, message: "", code: "").prefixed(origin).path] = text
        }
        return DiagnosticRenderer(sources: sources)
    }

    /// The registers (known false positives, known misses) in the rule set's files. Errors are
    /// printed; exit 1 on errors.
    static func registers(_ loaded: LoadResult, origin: String) throws -> (KnownFalsePositives, KnownMisses) {
        let (known, d1) = KnownFalsePositives.read(loaded)
        let (misses, d2) = KnownMisses.read(loaded)
        for d in d1 + d2 { Output.error(d.prefixed(origin).description) }
        if !(d1 + d2).isEmpty { throw ExitCode(1) }
        return (known, misses)
    }
}

/// Runs an evaluator with an optional progress bar.
func evaluate(_ rs: RuleSet, _ messages: [LabelledMessage], _ options: CorpusOptions, label: String) -> [Outcome] {
    let bar = options.progress(total: messages.count, label: label)
    var callback: (@Sendable (Int) -> Void)?
    if let bar { callback = { done in bar.update(done) } }
    let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(messages, progress: callback)
    bar?.finish()
    return outcomes
}

/// Writes `text` to `path`, or exits 1 with a one-line error.
func writeFile(_ path: String, _ text: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        Output.error("triage: cannot write \(path)")
        throw ExitCode(1)
    }
}
