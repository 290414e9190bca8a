import ArgumentParser
import Foundation
import TriageKit

@main
struct Triage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Triage and route citizen feedback on government services (浦东新区意见征询).",
        discussion: """
            The rule set is found in this order: --rules DIR, the TRIAGE_RULES environment variable, \
            ./rules, then the rule set bundled with the binary.
            """,
        subcommands: [Classify.self, Explain.self])
}

/// Options shared by every command that loads a rule set.
struct RulesOptions: ParsableArguments {
    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules, then the bundled rules).")
    var rules: String?

    /// The folder of the rule set bundled next to the binary.
    static var bundledRules: String? {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            exe.appendingPathComponent("pudong-triage_triage.resources/rules").path,
            Bundle.main.bundleURL.appendingPathComponent("pudong-triage_triage.resources/rules").path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/ruleset.yaml") }
    }

    /// Loads the rule set, printing every diagnostic to standard error. Exits 1 on errors.
    func load() throws -> RuleSet {
        guard let (path, _) = RuleSetLocator.resolve(option: rules, bundled: RulesOptions.bundledRules) else {
            Output.error("triage: no rule set found: give --rules DIR, set TRIAGE_RULES, or run where ./rules exists")
            throw ExitCode(1)
        }
        let loaded = RuleSetLoader.load(directory: path)
        let renderer = DiagnosticRenderer(sources: loaded.sources)
        guard let ruleSet = loaded.ruleSet else {
            for d in loaded.diagnostics.sorted where d.severity == .error {
                Output.error(renderer.render(d.prefixed(path)))
            }
            Output.error("triage: the rule set in \(path) has \(loaded.diagnostics.errors.count) error(s); nothing was classified")
            throw ExitCode(1)
        }
        return ruleSet
    }
}

extension Diagnostic {
    /// The diagnostic with its path made relative to the working directory.
    func prefixed(_ root: String) -> Diagnostic {
        var d = self
        if !path.hasPrefix("/") && path != root { d.path = (root as NSString).appendingPathComponent(path) }
        return d
    }
}
