import ArgumentParser
import Foundation
import TriageEval
import TriageKit

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-rule figures over labelled corpora: hits, coverage, precision, overlap, conflicts, dead and shadowed rules.",
        discussion: """
            Text output starts with a compact summary that stays readable with thousands of rules, then \
            lists what needs attention (at most --limit each). --full adds one line per entry; --format \
            json gives every figure. Exit status: 0; 1 rule-set errors; 3 corpus errors.
            """)

    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules, then the bundled rules).")
    var rules: String?

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "One line per rule, cue and item.")
    var full = false

    @Option(name: .long, help: "At most N entries per list in text output.")
    var limit = 20

    func run() throws {
        let source = try RuleInput.workingTree(rules)
        let rs = try RuleInput.compile(source)
        let known = try RuleInput.knownFalsePositives(source, rs)
        let (c, corpusErrors) = try corpus.load(against: rs)
        let outcomes = evaluate(rs, c.messages, corpus, label: "stats")
        let stats = RuleStats.compute(ruleSet: rs, messages: c.messages, outcomes: outcomes, known: known)
        switch format {
        case .text: Output.line(TextReport.stats(stats, full: full, limit: limit))
        case .json: Output.line(stats.json.pretty)
        }
        Output.flush()
        if corpusErrors { throw ExitCode(3) }
    }
}
