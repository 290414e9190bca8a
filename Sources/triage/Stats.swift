import ArgumentParser
import Foundation
import TriageEval
import TriageKit

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-rule figures over labelled corpora: hits, coverage, precision, overlap, conflicts, dead and shadowed rules.",
        discussion: """
            Text output starts with a compact summary that stays readable with thousands of rules, then \
            lists what needs attention (at most --limit each). Counter-rules (negative weight) are their \
            own kind: their precision is the share of hits on messages that are not of the category they \
            push down. Held-out parts are left out of the per-entry figures unless --reveal-held-out. \
            --full adds one line per entry; --format json gives every figure. Exit status: 0; 1 rule-set \
            errors; 3 corpus errors.
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
        let loaded = try RuleInput.load(source)
        let rs = loaded.ruleSet!
        let (known, _) = try RuleInput.registers(loaded, origin: source.origin)
        let (c, corpusErrors) = try corpus.load(against: rs)
        let policy = corpus.policy
        let messages = c.messages.filter(policy.shows)
        let left = HeldOutPolicy.heldOutParts(c.messages.filter { !policy.shows($0) })
        let outcomes = evaluate(rs, messages, corpus, label: "stats")
        let stats = RuleStats.compute(ruleSet: rs, messages: messages, outcomes: outcomes, known: known)
        switch format {
        case .text: Output.line(TextReport.stats(stats, full: full, limit: limit, heldOut: left))
        case .json:
            var json = stats.json
            if case .object(var pairs) = json {
                pairs.insert(("held_out_left_out", .object(left.map { ($0.name, .number(Double($0.count))) })), at: 1)
                json = .object(pairs)
            }
            Output.line(json.pretty)
        }
        Output.flush()
        if corpusErrors { throw ExitCode(3) }
    }
}
