import ArgumentParser
import Foundation
import TriageEval
import TriageKit

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the impact of a rule change on labelled corpora: every changed decision, why, and the metrics that moved.",
        discussion: """
            BASE and HEAD are each a rules folder or a git revision of the repository in the working \
            directory (e.g. main, HEAD~1); a revision's rules are read from git under --git-path. HEAD \
            defaults to the working tree ($TRIAGE_RULES, ./rules, then the bundled rules). Each message \
            is classified once per version. A change is fixed (now matches its labels), broken (no \
            longer does) or changed (neither); each names the entries that moved it (+ fired only in \
            head, - only in base, ~ changed definition, with what changed). Held-out parts are counted, \
            not listed, unless --reveal-held-out. A warning says when base and head are one version.
            Exit status: 0; 1 broken changes with --fail-on-broken, or a version cannot be read or has \
            errors; 3 corpus errors.
            """)

    @Option(name: .long, help: "The version before the change: a rules folder or a git revision.")
    var base: String

    @Option(name: .long, help: "The version after the change (default: the working tree).")
    var head: String?

    @Option(name: .long, help: "Folder of the rules inside the repository, for git revisions.")
    var gitPath = "rules"

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "Exit 1 when any message is broken (for CI).")
    var failOnBroken = false

    @Flag(name: .long, help: "List every metric, not only those that changed.")
    var allMetrics = false

    @Option(name: .long, help: "List at most N changed messages in text output.")
    var maxCases = 100

    func run() throws {
        let baseSource = try RuleInput.folderOrRevision(base, gitPath: gitPath)
        let headSource = try head.map { try RuleInput.folderOrRevision($0, gitPath: gitPath) } ?? RuleInput.workingTree(nil)
        let baseRules = try RuleInput.compile(baseSource)
        let headRules = try RuleInput.compile(headSource)
        let (c, corpusErrors) = try corpus.load(against: headRules)
        let (messages, baseLabelErrors) = CorpusLoader.validate(c.messages, against: baseRules)
        for d in baseLabelErrors { Output.error(d.description + " (in the base rule set)") }
        let old = evaluate(baseRules, messages, corpus, label: "base")
        let new = evaluate(headRules, messages, corpus, label: "head")
        let diff = RuleDiff.compare(base: baseRules, head: headRules, messages: messages, old: old, new: new, policy: corpus.policy)
        if diff.sameVersion { Output.error("triage: " + TextReport.sameVersionWarning(diff)) }
        switch format {
        case .text: Output.line(TextReport.diff(diff, maxCases: maxCases, allMetrics: allMetrics))
        case .json: Output.line(diff.json.pretty)
        }
        Output.flush()
        if failOnBroken && diff.count(.broken) > 0 {
            Output.error("triage: \(diff.count(.broken)) message(s) broken by the change")
            throw ExitCode(1)
        }
        if corpusErrors || !baseLabelErrors.isEmpty { throw ExitCode(3) }
    }
}
