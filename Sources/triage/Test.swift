import ArgumentParser
import Foundation
import TriageEval
import TriageKit

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run labelled corpora through the engine: precision, recall, F1, confusion matrix, failing cases.",
        discussion: """
            Corpora are JSON Lines files (corpus/README.md); folders are searched for *.jsonl. Thresholds \
            are read from --thresholds FILE, else thresholds.yaml in the first corpus folder or its parent. \
            Known false positives come from the rule set's known_false_positives section.
            Exit status: 0 all thresholds met; 1 a threshold not met, or the rule set has errors; \
            3 corpus or thresholds-file errors (the other lines still ran).
            """)

    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules, then the bundled rules).")
    var rules: String?

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Thresholds file (default: thresholds.yaml next to the corpus).")
    var thresholds: String?

    @Option(name: .long, help: "Also write a JUnit XML report to FILE.")
    var junit: String?

    @Option(name: .long, help: "Also write a self-contained HTML report to FILE.")
    var html: String?

    @Option(name: .long, help: "List at most N failing cases in text output.")
    var maxCases = 50

    func run() throws {
        let source = try RuleInput.workingTree(rules)
        let rs = try RuleInput.compile(source)
        let known = try RuleInput.knownFalsePositives(source, rs)
        let (c, corpusErrors) = try corpus.load(against: rs)
        var inputErrors = corpusErrors
        var limits: Thresholds?
        if let path = thresholds ?? Thresholds.find(for: corpus.paths) {
            let (t, diags) = Thresholds.load(path)
            for d in diags { Output.error(d.description) }
            inputErrors = inputErrors || !diags.isEmpty
            limits = t
        }
        let outcomes = evaluate(rs, c.messages, corpus, label: "test")
        let (run, checkDiags) = TestRun.make(ruleSet: rs, files: c.files, messages: c.messages, outcomes: outcomes,
                                             known: known, thresholds: limits)
        for d in checkDiags { Output.error(d.description) }
        inputErrors = inputErrors || !checkDiags.isEmpty
        switch format {
        case .text: Output.line(TextReport.test(run, maxCases: maxCases))
        case .json: Output.line(TextReport.testJSON(run).pretty)
        }
        Output.flush()
        if let junit { try writeFile(junit, JUnitReport.render(run)) }
        if let html { try writeFile(html, HTMLReport.render(run)) }
        if !run.thresholdsMet {
            Output.error("triage: \(run.checks.filter { !$0.passed }.count) threshold(s) not met")
            throw ExitCode(1)
        }
        if inputErrors { throw ExitCode(3) }
    }
}
