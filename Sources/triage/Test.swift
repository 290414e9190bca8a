import ArgumentParser
import Foundation
import TriageEval
import TriageKit

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run labelled corpora through the engine: precision, recall, F1, confusion matrix, failing cases.",
        discussion: """
            Corpora are JSON Lines files (corpus/README.md); folders are searched for *.jsonl. Thresholds \
            are read from --thresholds FILE, else thresholds.yaml in the first corpus folder or its parent \
            (checked on the parts it names), plus the floors in each corpus part's part.yaml (checked on \
            that part). Held-out parts (part.yaml: held_out: true) count in every metric, but their \
            failing cases are not listed unless --reveal-held-out. Known false positives and known misses \
            come from the rule set's known_false_positives and todo sections.
            Exit status: 0 all thresholds met; 1 a threshold not met, or the rule set has errors; \
            3 corpus or thresholds-file errors (an unknown metric name, a bad line; the other lines still ran).
            """)

    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules, then the bundled rules).")
    var rules: String?

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Thresholds file (default: thresholds.yaml next to the corpus, and each part's part.yaml).")
    var thresholds: String?

    @Option(name: .long, help: "Also write a JUnit XML report to FILE.")
    var junit: String?

    @Option(name: .long, help: "Also write a self-contained HTML report to FILE.")
    var html: String?

    @Option(name: .long, help: "List at most N failing cases in text output.")
    var maxCases = 50

    func run() throws {
        let source = try RuleInput.workingTree(rules)
        let loaded = try RuleInput.load(source)
        let rs = loaded.ruleSet!
        let (known, misses) = try RuleInput.registers(loaded, origin: source.origin)
        let names = Metrics.names(categories: rs.categories.map(\.id.rawValue))
        // Read the thresholds before anything runs, so a typo stops nothing else but is reported first.
        var inputErrors = false
        var floors: [Thresholds] = []
        if let path = thresholds ?? Thresholds.find(for: corpus.paths) {
            let (t, diags) = Thresholds.load(path, known: names)
            for d in diags { Output.error(d.description + (d.hint.map { "\n    hint: " + $0 } ?? "")) }
            inputErrors = inputErrors || !diags.isEmpty
            floors.append(t)
        }
        let (c, corpusErrors) = try corpus.load(against: rs)
        inputErrors = inputErrors || corpusErrors
        if thresholds == nil { floors += c.parts.map(\.thresholds) }
        let outcomes = evaluate(rs, c.messages, corpus, label: "test")
        let run = TestRun.make(ruleSet: rs, files: c.files, messages: c.messages, outcomes: outcomes,
                               known: known, misses: misses, thresholds: floors, policy: corpus.policy)
        switch format {
        case .text: Output.line(TextReport.test(run, maxCases: maxCases))
        case .json: Output.line(TextReport.testJSON(run).pretty)
        }
        Output.flush()
        if let junit { try writeFile(junit, JUnitReport.render(run)) }
        if let html { try writeFile(html, HTMLReport.render(run, ruleSet: rs)) }
        if !run.thresholdsMet {
            Output.error("triage: \(run.checks.filter { !$0.passed }.count) threshold(s) not met")
            throw ExitCode(1)
        }
        if inputErrors { throw ExitCode(3) }
    }
}
