import ArgumentParser
import Foundation
import TriageKit
import BundledRules

@main
struct Triage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Triage and route citizen feedback on government services (浦东新区意见征询).",
        discussion: """
            The rule set is found in this order: --rules DIR, the TRIAGE_RULES environment variable, \
            ./rules, then the rule set bundled with the binary.
            """,
        subcommands: [Classify.self, Explain.self, Check.self, Test.self, Diff.self, Stats.self, Serve.self])
}

/// Options shared by every command that loads a rule set.
struct RulesOptions: ParsableArguments {
    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules, then the bundled rules).")
    var rules: String?

    /// Loads the rule set, printing every diagnostic to standard error. Exits 1 on errors.
    func load() throws -> RuleSet {
        let loaded: LoadResult
        let label: String
        if let (path, _) = RuleSetLocator.resolve(option: rules) {
            loaded = RuleSetLoader.load(directory: path)
            label = path
        } else {
            let files = BundledRules.files.map { RuleSource.File(path: $0.path, text: $0.text) }
            loaded = RuleSetLoader.load(RuleSource(files: files, origin: "<bundled>"))
            label = "<bundled>"
        }
        var sources: [String: String] = [:]
        for (path, text) in loaded.sources {
            sources[Diagnostic(.note, path: path, message: "", code: "").prefixed(label).path] = text
        }
        let renderer = DiagnosticRenderer(sources: sources)
        guard let ruleSet = loaded.ruleSet else {
            for d in loaded.diagnostics.sorted where d.severity == .error {
                Output.error(renderer.render(d.prefixed(label)))
            }
            Output.error("triage: the rule set in \(label) has \(loaded.diagnostics.errors.count) error(s); nothing was classified")
            throw ExitCode(1)
        }
        return ruleSet
    }
}

extension Diagnostic {
    /// The diagnostic with its path made relative to the working directory.
    func prefixed(_ root: String) -> Diagnostic {
        var d = self
        if !path.hasPrefix("/") && path != root && !root.hasPrefix("<") { d.path = (root as NSString).appendingPathComponent(path) }
        return d
    }
}
