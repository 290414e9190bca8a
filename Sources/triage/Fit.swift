import ArgumentParser
import Foundation
import TriageEval
import TriageKit

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the weights of items, rules and topic words to a labelled corpus, with cross-validation.",
        discussion: """
            A softmax model over the candidate departments (the lead) and over the categories, \
            regularised towards the hand-written weights, is fitted by gradient descent. k-fold \
            cross-validation reports lead and category accuracy with the hand-written weights and with \
            the weights fitted on the other folds, both measured with the real engine. Then the model is \
            fitted on every message and the weights that moved are written to fitted_weights.yaml in the \
            rule-set folder (or --output), one line each; the rule set loads them over the hand-written \
            weights. Hand-written rule files are never edited. Held-out corpus parts are refused.
            Labels: expected.lead, or expected.lead_any (a list of acceptable leads), and expected.category.
            """)

    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules).")
    var rules: String?

    @Argument(help: "Corpus files or folders of *.jsonl (default: every part of ./corpus that is not held out).")
    var corpora: [String] = []

    @Option(name: .long, help: "Cross-validation folds.")
    var folds = 5

    @Option(name: .long, help: "Pull towards the hand-written weights (L2).")
    var lambda = 0.5

    @Option(name: .long, help: "Gradient steps.")
    var iterations = 300

    @Option(name: .long, help: "Where to write the weights (default: fitted_weights.yaml in the rule-set folder).")
    var output: String?

    @Flag(name: .long, help: "Only cross-validate; write nothing.")
    var cvOnly = false

    func validate() throws {
        if folds < 2 { throw ValidationError("--folds must be at least 2") }
    }

    func run() throws {
        let source = try RuleInput.workingTree(rules)
        let rs = try RuleInput.compile(source)
        let (ok, corpusPaths) = try TrainingCorpus.load(corpora, against: rs, command: "fit")
        var fitter = WeightFitter()
        fitter.lambda = lambda
        fitter.iterations = iterations
        let report: FitRun.Report
        do throws(Diagnostics) {
            report = try FitRun.run(source: source, messages: ok, folds: folds, fitter: fitter) { Output.error("triage fit: \($0)") }
        } catch {
            for d in error.sorted { Output.error(d.description) }
            throw ExitCode(1)
        }
        func pct(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "n/a" }
        Output.line("triage fit: \(report.examples) messages from \(corpusPaths.joined(separator: ", ")); \(report.folds)-fold cross-validation")
        Output.line("  lead accuracy      hand-written \(pct(report.before.lead))  fitted \(pct(report.after.lead))")
        if report.before.categoryLabelled == 0 {
            Output.line("  category accuracy  no message has a category label")
        } else {
            Output.line("  category accuracy  hand-written \(pct(report.before.category))  fitted \(pct(report.after.category))")
        }
        Output.line("  weights moved: \(report.changed)")
        Output.flush()
        guard !cvOnly else { return }
        let prior = RuleSetLoader.load(FitRun.handWritten(source)).ruleSet?.fittableWeights ?? [:]
        let method = "softmax over departments and categories, L2 towards the hand-written weights (lambda \(lambda), "
            + "\(iterations) steps); \(report.folds)-fold CV lead \(pct(report.before.lead)) -> \(pct(report.after.lead)), "
            + "category \(pct(report.before.category)) -> \(pct(report.after.category))"
        let yaml = FitRun.yaml(report.fitted, prior: prior, corpus: corpusPaths, method: method)
        let path = output ?? ((rules ?? "rules") as NSString).appendingPathComponent(FitRun.fileName)
        try writeFile(path, yaml)
        Output.line("wrote \(path)")
        Output.flush()
    }
}
