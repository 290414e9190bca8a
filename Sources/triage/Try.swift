import ArgumentParser
import Foundation
import TriageEval
import TriageKit

struct Try: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "try",
        abstract: "Which corpus messages a pattern would match, grouped by their labels, before you write it into a rule.",
        discussion: """
            The pattern is compiled as a rule's pattern is (PCRE2 with UTF and UCP, fragments such as \
            {departments} expanded) and matched against each message's normalised text. Counts are given \
            per labelled category and lead; matching messages are listed with the match marked ⟦…⟧. \
            Held-out parts are counted, never listed, unless --reveal-held-out.
            Exit status: 0; 1 the pattern does not compile or the rule set has errors; 3 corpus errors.
            """)

    @Argument(help: "A PCRE2 pattern, as you would write it in a rule (quote it for the shell).")
    var pattern: String

    @Option(name: .long, help: "Rule-set folder, for its fragments (default: $TRIAGE_RULES, ./rules, then the bundled rules).")
    var rules: String?

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .long, help: "List at most N matching messages.")
    var maxCases = 50

    func run() throws {
        let rs = try RuleInput.compile(RuleInput.workingTree(rules))
        let (c, corpusErrors) = try corpus.load(against: rs)
        switch PatternTrial.run(pattern, ruleSet: rs, messages: c.messages, policy: corpus.policy) {
        case .failure(let diagnostics):
            let renderer = DiagnosticRenderer(sources: ["<pattern>": pattern])
            for d in diagnostics.sorted { Output.error(renderer.render(d)) }
            throw ExitCode(1)
        case .success(let trial):
            Output.line(trial.text(ruleSet: rs, maxCases: maxCases))
            Output.flush()
        }
        if corpusErrors { throw ExitCode(3) }
    }
}

/// `triage doc`: the reference page of a rule set, from its compiled model.
struct Doc: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the reference page of a rule set (docs/rules-reference.md): departments, items, combined matters, fragments, rules with examples.",
        discussion: "With --check FILE, exits 1 when FILE differs from what would be written (CI). scripts/gen-docs.sh regenerates every generated page.")

    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules, then the bundled rules).")
    var rules: String?

    @Option(name: .long, help: "Write to FILE instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Compare with FILE; exit 1 when it is out of date.")
    var check: String?

    func run() throws {
        let rs = try RuleInput.compile(RuleInput.workingTree(rules))
        try emit(RuleReference.markdown(rs), output: output, check: check, regenerate: "scripts/gen-docs.sh")
    }
}

/// `triage schema`: the JSON Schema of the rule files, from the loader's section definitions.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of the rule files (docs/rules.schema.json), for editors with a YAML language server.",
        discussion: "Generated from the loader's own section definitions. With --check FILE, exits 1 when FILE is out of date.")

    @Option(name: .long, help: "Write to FILE instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Compare with FILE; exit 1 when it is out of date.")
    var check: String?

    func run() throws {
        try emit(RuleSchema.jsonSchema.pretty + "\n", output: output, check: check, regenerate: "scripts/gen-docs.sh")
    }
}

/// Writes generated text to a file or standard output, or checks that a file holds it.
func emit(_ text: String, output: String?, check: String?, regenerate: String) throws {
    if let check {
        let current = FileManager.default.contents(atPath: check).map { String(decoding: $0, as: UTF8.self) }
        guard current == text else {
            Output.error("triage: \(check) is out of date; run \(regenerate) and commit the result")
            throw ExitCode(1)
        }
        return
    }
    if let output {
        try writeFile(output, text)
    } else {
        Output.write(text)
        Output.flush()
    }
}
