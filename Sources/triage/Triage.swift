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
        subcommands: [Classify.self, Explain.self, Check.self, Test.self, Diff.self, Stats.self, Try.self, Doc.self, Schema.self, Fit.self, SuggestCommand.self, Serve.self, Cases.self, Users.self, Tokens.self])

    @Flag(name: .long, help: "Print the version of triage and of the rule set bundled with it.")
    var version = false

    func run() async throws {
        guard version else { throw CleanExit.helpRequest(self) }
        Output.line(TriageVersion.text)
        Output.flush()
    }
}

/// What `triage --version` prints.
enum TriageVersion {
    /// The version of the tool; bump it with every release.
    static let tool = "0.1.0"

    /// The tool, the output format and the bundled rule set: its version is the content hash
    /// the loader gives it (`ruleset.version` in every result), its name and its calendar.
    static var text: String {
        let source = RuleInput.bundled
        var lines = ["triage \(tool) (output format 1)"]
        let loaded = RuleSetLoader.load(source)
        guard let rs = loaded.ruleSet else {
            lines.append("bundled rules \(String(source.contentHash.prefix(16))): do not load (\(loaded.diagnostics.errors.count) error(s))")
            return lines.joined(separator: "\n")
        }
        lines.append("bundled rules \(rs.version) (\(rs.name), \(source.files.count) files)")
        if let first = rs.calendar.years.first, let last = rs.calendar.years.last {
            lines.append("working-day calendar \(first == last ? "\(first)" : "\(first)–\(last)") published; later years provisional (statutory holidays)")
        } else {
            lines.append("working-day calendar: none published; every year provisional (statutory holidays)")
        }
        return lines.joined(separator: "\n")
    }
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
