import ArgumentParser
import Foundation
import TriageEval
import TriageKit

struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Propose candidate aliases and topic words from the misses of a labelled corpus, for review.",
        discussion: """
            For each label the engine missed (a lead or a category), lists the 2-4 character n-grams \
            of the missed messages with their support (misses containing them) and precision (share of \
            corpus messages containing them that carry the label), leaving out words already known for \
            that label. Nothing is written: add what convinces you to an item's aliases or a topic's \
            words, then run triage test and triage diff. Held-out corpus parts are refused.
            """)

    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules).")
    var rules: String?

    @Argument(help: "Corpus files or folders of *.jsonl (default: every part of ./corpus that is not held out).")
    var corpora: [String] = []

    @Option(name: .long, help: "Candidates per label.")
    var top = 8

    @Option(name: .long, help: "Minimum misses a candidate must occur in.")
    var minSupport = 2

    @Option(name: .long, help: "Minimum precision.")
    var minPrecision = 0.6

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let rs = try RuleInput.compile(RuleInput.workingTree(rules))
        let (ok, corpusPaths) = try TrainingCorpus.load(corpora, against: rs, command: "suggest")
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(ok)
        let list = Suggest.candidates(rs, messages: ok, outcomes: outcomes, minSupport: minSupport, minPrecision: minPrecision,
                                      perLabel: top)
        switch format {
        case .json:
            Output.line(JSONValue.array(list.map {
                .object([("field", .string($0.field)), ("label", .string($0.label)), ("text", .string($0.text)),
                         ("support", .number(Double($0.support))), ("precision", .number($0.precision)),
                         ("occurrences", .number(Double($0.occurrences)))])
            }).pretty)
        case .text:
            Output.line("triage suggest: \(ok.count) messages from \(corpusPaths.joined(separator: ", ")); \(list.count) candidates")
            var last = ""
            for c in list {
                let head = "\(c.field) \(c.label)"
                if head != last {
                    let name = c.field == "lead" ? rs.department(DepartmentID(c.label))?.name ?? c.label : rs.category(CategoryID(c.label))?.name ?? c.label
                    Output.line("\n\(head) (\(name))")
                    last = head
                }
                Output.line(String(format: "  %@  support %d  precision %.2f  in %d messages", c.text, c.support, c.precision, c.occurrences))
            }
        }
        Output.flush()
    }
}
