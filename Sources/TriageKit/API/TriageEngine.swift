/// The triage engine: classifies messages with a rule set. Immutable and thread-safe;
/// share one engine across threads.
public struct TriageEngine: Sendable {
    /// The rule set in use.
    public let ruleSet: RuleSet

    /// The clock used when a message carries no `received_at`.
    public let now: @Sendable () -> Timestamp

    /// Most evidence spans in one result; the rest are counted, not listed (docs/limits.md).
    public let maxEvidence: Int

    /// The default of ``maxEvidence``.
    public static let defaultMaxEvidence = 100

    /// Creates an engine over a loaded rule set. `now` is the clock for messages
    /// without `received_at` (default: the system clock, in Asia/Shanghai); `maxEvidence`
    /// bounds the evidence listed per result.
    public init(ruleSet: RuleSet, now: @escaping @Sendable () -> Timestamp = { Timestamp.now() },
                maxEvidence: Int = TriageEngine.defaultMaxEvidence) {
        self.ruleSet = ruleSet
        self.now = now
        self.maxEvidence = max(maxEvidence, 0)
    }

    /// Classifies one message: category, lead, flags, screening, deadlines and escalation.
    public func classify(_ message: MessageRecord) -> TriageResult {
        TriageResult(decide(message), ruleSet, maxEvidence: maxEvidence)
    }

    /// Classifies one text received now.
    public func classify(_ text: String) -> TriageResult {
        classify(MessageRecord(text: text))
    }

    /// Classifies one message and explains every rule and entry that fired.
    public func explain(_ message: MessageRecord) -> (result: TriageResult, explanation: Explanation) {
        let decision = decide(message)
        return (TriageResult(decision, ruleSet, maxEvidence: maxEvidence), Explanation(decision, ruleSet))
    }
}
