import ArgumentParser
import Foundation
import TriageKit

@main
struct Triage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Triage and route citizen feedback on government services (浦东新区意见征询).",
        discussion: """
            The rule set is found in this order: --rules DIR, the TRIAGE_RULES environment variable, \
            ./rules, then the rule set bundled with the binary.
            """,
        subcommands: [Classify.self, Explain.self, Check.self, Test.self, Diff.self, Stats.self, Try.self, Doc.self, Schema.self, Serve.self])
}

/// Options shared by every command that loads a rule set.
struct RulesOptions: ParsableArguments {
    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules, then the bundled rules).")
    var rules: String?

    /// Loads the rule set, printing every diagnostic to standard error. Exits 1 on errors.
    func load() throws -> RuleSet {
        try RuleInput.compile(RuleInput.workingTree(rules), consequence: "nothing was classified")
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
