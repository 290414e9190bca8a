public import TriageKit

/// A message whose result disagrees with its labels.
public struct FailingCase: Sendable {
    /// The message.
    public var message: LabelledMessage
    /// What the engine did.
    public var outcome: Outcome
    /// Where it disagrees.
    public var mismatches: [Mismatch]
    /// Register entries that name this message among the entries that fired; non-empty means a known false positive.
    public var knownBy: [String]
    /// The known-miss entry that names it, if any.
    public var knownMiss: KnownMisses.Entry?
}

/// Aggregate figures of one corpus part, shown for every part, held out or not.
public struct PartSummary: Sendable {
    /// The part's name (`tune`, `test`), or `(no part)` for files outside any part.
    public var name: String
    /// True when held out.
    public var heldOut: Bool
    /// Messages that ran.
    public var messages: Int
    /// Messages that disagree with their labels (registered ones included).
    public var failing: Int
    /// Category accuracy, when labelled.
    public var categoryAccuracy: Double?
    /// Lead accuracy, when labelled.
    public var leadAccuracy: Double?
}

/// The result of `triage test`: metrics, failing cases, threshold checks.
///
/// Held-out messages count in every aggregate (metrics, part summaries, thresholds) but appear in
/// no list of cases unless the policy reveals them: the lists are filtered here, once, so that no
/// report can print them by accident.
public struct TestRun: Sendable {
    /// Rule-set origin and version.
    public var ruleSet: (origin: String, version: String)
    /// Corpus files read.
    public var files: [String]
    /// Messages that ran.
    public var messages: [LabelledMessage]
    /// Their outcomes, same order.
    public var outcomes: [Outcome]
    /// The metrics over every message.
    public var metrics: Metrics
    /// Failing cases that may be shown and are in no register.
    public var failures: [FailingCase]
    /// Failing cases in the register of known false positives.
    public var knownFailures: [FailingCase]
    /// Failing cases in the register of known misses (`todo`), failing only on the fields it names.
    public var knownMisses: [FailingCase]
    /// Messages the known-miss register names that now pass: good news, to be removed from the register.
    public var newlyFixed: [LabelledMessage]
    /// Every part's aggregates, in corpus order.
    public var parts: [PartSummary]
    /// Failing messages of held-out parts that are not listed (the policy hides them).
    public var hiddenFailures: Int
    /// Threshold checks.
    public var checks: [Thresholds.Check]
    /// Floors that could not be checked on this run, and why.
    public var notChecked: [String]
    /// Per-rule statistics over the messages that may be shown (for the HTML report's rule table).
    public var stats: RuleStats
    /// The policy the lists were filtered with.
    public var policy: HeldOutPolicy

    /// Scores a run. `thresholds` are checked each on its scope (``Thresholds/parts``).
    public static func make(
        ruleSet: RuleSet, files: [String], messages: [LabelledMessage], outcomes: [Outcome],
        known: KnownFalsePositives, misses: KnownMisses = KnownMisses(entries: []), thresholds: [Thresholds],
        policy: HeldOutPolicy = HeldOutPolicy()
    ) -> TestRun {
        let order = ruleSet.categories.map(\.id.rawValue)
        let metrics = Metrics.compute(messages, outcomes, categoryOrder: order)
        var failures: [FailingCase] = [], knownFailures: [FailingCase] = [], knownMisses: [FailingCase] = []
        var newlyFixed: [LabelledMessage] = []
        var hidden = 0
        for (m, o) in zip(messages, outcomes) {
            let mm = Verdict.mismatches(m.expected, o.result)
            guard policy.shows(m) else {
                if !mm.isEmpty { hidden += 1 }
                continue
            }
            if mm.isEmpty {
                if misses.entry(for: m.id) != nil { newlyFixed.append(m) }
                continue
            }
            let k = known.matching(message: m.id, fired: o.entries + o.mentions)
            let c = FailingCase(message: m, outcome: o, mismatches: mm, knownBy: k, knownMiss: misses.entry(for: m.id))
            if !k.isEmpty {
                knownFailures.append(c)
            } else if misses.covers(m.id, mm) {
                knownMisses.append(c)
            } else {
                failures.append(c)
            }
        }

        // Per part.
        var partOrder: [String] = []
        var byPart: [String: [Int]] = [:]
        for (i, m) in messages.enumerated() {
            let name = m.part ?? "(no part)"
            if byPart[name] == nil { partOrder.append(name) }
            byPart[name, default: []].append(i)
        }
        func subset(_ idx: [Int]) -> ([LabelledMessage], [Outcome]) { (idx.map { messages[$0] }, idx.map { outcomes[$0] }) }
        var parts: [PartSummary] = []
        for name in partOrder {
            let idx = byPart[name]!
            let pm: Metrics
            if idx.count == messages.count {
                pm = metrics
            } else {
                let (ms, os) = subset(idx)
                pm = Metrics.compute(ms, os, categoryOrder: order)
            }
            let heldOut = messages[idx[0]].isHeldOut
            parts.append(PartSummary(name: name, heldOut: heldOut, messages: idx.count, failing: pm.failing,
                                     categoryAccuracy: pm.field("category")?.accuracy, leadAccuracy: pm.field("lead")?.accuracy))
        }

        // Thresholds, each on its scope.
        var checks: [Thresholds.Check] = []
        var notChecked: [String] = []
        for t in thresholds where !t.minimums.isEmpty {
            guard let scope = t.parts else {
                checks += t.check(metrics, scope: "corpus")
                continue
            }
            let missing = scope.filter { byPart[$0] == nil }
            if !missing.isEmpty {
                notChecked.append("\(t.path): measured on \(scope.joined(separator: ", ")); this run lacks \(missing.joined(separator: ", ")), so its floors are not checked")
                continue
            }
            let idx = scope.flatMap { byPart[$0]! }.sorted()
            let (ms, os) = subset(idx)
            let m = idx.count == messages.count ? metrics : Metrics.compute(ms, os, categoryOrder: order)
            checks += t.check(m, scope: scope.joined(separator: "+"))
        }
        let stats: RuleStats
        if messages.allSatisfy(policy.shows) {
            stats = RuleStats.compute(ruleSet: ruleSet, messages: messages, outcomes: outcomes, known: known)
        } else {
            let shown = messages.indices.filter { policy.shows(messages[$0]) }
            let (ms, os) = subset(shown)
            stats = RuleStats.compute(ruleSet: ruleSet, messages: ms, outcomes: os, known: known)
        }
        return TestRun(ruleSet: (ruleSet.origin, ruleSet.version), files: files, messages: messages, outcomes: outcomes,
                       metrics: metrics, failures: failures, knownFailures: knownFailures, knownMisses: knownMisses,
                       newlyFixed: newlyFixed, parts: parts, hiddenFailures: hidden, checks: checks, notChecked: notChecked,
                       stats: stats, policy: policy)
    }

    /// True when every threshold is met.
    public var thresholdsMet: Bool { checks.allSatisfy(\.passed) }

    /// The held-out parts of the run.
    public var heldOutParts: [PartSummary] { parts.filter(\.heldOut) }
}
