import ArgumentParser
import Foundation
import TriageEval
import TriageKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a rule set without classifying anything: errors and warnings with exact locations.",
        discussion: """
            Errors: YAML syntax (with a hint naming the likely fix), unknown keys, ids not in \
            lower_snake_case, patterns that do not compile, unknown fragments, departments, categories \
            or items, duplicate ids, failing examples (run through the real matcher, span markers \
            checked, re-run after a multi-byte prefix), stable entries without examples, a bad \
            known_false_positives or todo register (unknown rules, corpus ids not in --corpus or in a \
            held-out part). Warnings: \\b next to Chinese, (?i) on Chinese-only patterns, traditional \
            characters, nested quantifiers, items with no alias or pattern, departments nothing \
            references, one alias on entries of two departments, rules with no examples, lines longer than --max-line-width, a working-day \
            calendar that ends within --calendar-horizon days of today.
            Notes with --aliases (never failing --strict): short aliases that fire broadly on the tuning \
            parts while rarely naming the labelled lead, aliases matched inside the same longer word in \
            messages none of which it leads, aliases inside other departments' topic words.
            Exit status: 0 clean; 1 errors; 2 warnings only, with --strict (warnings of an \
            --allow-warning code are printed but do not count).
            """)

    @Option(name: .long, help: "Rule-set folder (default: $TRIAGE_RULES, ./rules, then the bundled rules).")
    var rules: String?

    @Flag(name: .long, help: "Exit 2 when there are warnings (and no errors).")
    var strict = false

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Warn when the published working-day calendar ends within this many days of today (0: never).")
    var calendarHorizon = WorkingCalendar.defaultHorizonDays

    @Option(name: .long, help: "A warning code that does not fail --strict, e.g. calendar-horizon (repeatable); still printed.")
    var allowWarning: [String] = []

    @Option(name: .long, help: "Warn about lines of rule files longer than N characters (0: never).")
    var maxLineWidth = 120

    @Option(name: .long, help: "The labelled corpus the registers' message ids must be in (default: ./corpus when it exists).")
    var corpus: String?

    @Flag(name: .long, help: "Also note risky aliases seen in the tuning parts of --corpus: broad short aliases, aliases inside longer words or other departments' topic words.")
    var aliases = false

    func validate() throws {
        if calendarHorizon < 0 { throw ValidationError("--calendar-horizon must be 0 or more days") }
    }

    func run() throws {
        let source = try RuleInput.workingTree(rules)
        let loaded = RuleSetLoader.load(source)
        var all = loaded.diagnostics.all + RuleLinter.lint(loaded, options: RuleLinter.Options(maxLineWidth: maxLineWidth))
        var index: CorpusIndex?
        var messages: [LabelledMessage] = []
        let corpusPath = corpus ?? (FileManager.default.fileExists(atPath: "corpus") ? "corpus" : nil)
        if let corpusPath {
            let c = CorpusLoader.load([corpusPath])
            all += c.diagnostics.errors.filter { $0.code == "io" }
            index = CorpusIndex(c.messages)
            messages = c.messages
        }
        if let rs = loaded.ruleSet {
            all += AliasLint.duplicates(rs)
            if aliases { all += AliasLint.notes(rs, messages: messages) }
        }
        all += KnownFalsePositives.read(loaded, corpus: index).1
        all += KnownMisses.read(loaded, corpus: index).1
        if let horizon = loaded.ruleSet?.calendar.horizonWarning(
            today: Timestamp.now().shanghaiDate, horizonDays: calendarHorizon, root: source.origin) {
            all.append(horizon)
        }
        let diagnostics = Diagnostics(all.map { $0.prefixed(source.origin) })
        let sorted = diagnostics.sorted
        let errors = diagnostics.errors.count, warnings = diagnostics.warnings.count
        let allowed = diagnostics.warnings.filter { allowWarning.contains($0.code) }.count
        switch format {
        case .json:
            Output.line(JSONValue.object([
                ("rules", .string(source.origin)),
                ("errors", .number(Double(errors))), ("warnings", .number(Double(warnings))),
                ("diagnostics", .array(sorted.map(\.json))),
            ]).pretty)
        case .text:
            let renderer = RuleInput.renderer(loaded, origin: source.origin)
            for d in sorted { Output.line(renderer.render(d)) }
            Output.line("\(source.origin): \(errors) error(s), \(warnings) warning(s)"
                + (allowed > 0 ? " (\(allowed) allowed by --allow-warning)" : ""))
        }
        Output.flush()
        if errors > 0 { throw ExitCode(1) }
        if warnings > allowed && strict { throw ExitCode(2) }
    }
}
