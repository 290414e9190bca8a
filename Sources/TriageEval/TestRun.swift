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
}

/// The result of `triage test`: metrics, failing cases, threshold checks.
public struct TestRun: Sendable {
    /// Rule-set origin and version.
    public var ruleSet: (origin: String, version: String)
    /// Corpus files read.
    public var files: [String]
    /// Messages that ran.
    public var messages: [LabelledMessage]
    /// Their outcomes, same order.
    public var outcomes: [Outcome]
    /// The metrics.
    public var metrics: Metrics
    /// Failing cases not in the register.
    public var failures: [FailingCase]
    /// Failing cases in the register of known false positives.
    public var knownFailures: [FailingCase]
    /// Threshold checks.
    public var checks: [Thresholds.Check]
    /// Per-rule statistics (for the HTML report's rule table).
    public var stats: RuleStats

    /// Scores a run.
    public static func make(
        ruleSet: RuleSet, files: [String], messages: [LabelledMessage], outcomes: [Outcome],
        known: KnownFalsePositives, thresholds: Thresholds?
    ) -> (TestRun, [Diagnostic]) {
        let metrics = Metrics.compute(messages, outcomes, categoryOrder: ruleSet.categories.map(\.id.rawValue))
        var failures: [FailingCase] = []
        var knownFailures: [FailingCase] = []
        for (m, o) in zip(messages, outcomes) {
            let mm = Verdict.mismatches(m.expected, o.result)
            guard !mm.isEmpty else { continue }
            let k = known.matching(message: m.id, fired: o.entries)
            let c = FailingCase(message: m, outcome: o, mismatches: mm, knownBy: k)
            if k.isEmpty { failures.append(c) } else { knownFailures.append(c) }
        }
        let (checks, diags) = thresholds?.check(metrics) ?? ([], [])
        let stats = RuleStats.compute(ruleSet: ruleSet, messages: messages, outcomes: outcomes, known: known)
        return (TestRun(ruleSet: (ruleSet.origin, ruleSet.version), files: files, messages: messages, outcomes: outcomes,
                        metrics: metrics, failures: failures, knownFailures: knownFailures, checks: checks, stats: stats), diags)
    }

    /// True when every threshold is met.
    public var thresholdsMet: Bool { checks.allSatisfy(\.passed) }
}
