/// The engine's decision about one message, with evidence for every part.
public struct TriageResult: Sendable, Equatable {
    /// A department as it appears in results: id and Chinese short name.
    public struct DepartmentRef: Sendable, Hashable {
        /// Department id.
        public var id: DepartmentID
        /// Chinese short name.
        public var name: String
    }

    /// A department with evidence, and its score.
    public struct DepartmentEvidence: Sendable, Hashable {
        /// The department.
        public var department: DepartmentRef
        /// Sum of its evidence weights.
        public var score: Double
    }

    /// A category's score.
    public struct CategoryScore: Sendable, Hashable {
        /// The category.
        public var category: CategoryID
        /// Sum of the weights of its rules that fired.
        public var score: Double
    }

    /// A matched service item.
    public struct ItemRef: Sendable, Hashable {
        /// Item id.
        public var id: String
        /// Item name.
        public var name: String
        /// Exercising department.
        public var department: DepartmentID
        /// Simple or complex.
        public var complexity: Complexity
    }

    /// A matched combined matter (一件事).
    public struct CombinedRef: Sendable, Hashable {
        /// Combined matter id.
        public var id: String
        /// Name.
        public var name: String
        /// Declared lead.
        public var lead: DepartmentID
    }

    /// How the message reaches its handler.
    public struct Route: Sendable, Hashable {
        /// Direct handling or 12345 dispatch.
        public var channel: Channel
        /// Who handles it on that channel.
        public var handler: DepartmentRef
    }

    /// The two review flags.
    public struct Flags: Sendable, Hashable {
        /// The message does not say clearly what or whom it is about.
        public var vague: Bool
        /// Several departments must act.
        public var multiDepartment: Bool
    }

    /// One piece of evidence: a span of the original text and what it supports.
    public struct Evidence: Sendable, Hashable {
        /// What the evidence supports.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// A classification rule's match.
            case category
            /// A service item's or combined matter's alias or pattern.
            case item
            /// A department's name or alias.
            case department
            /// A cue's match.
            case cue
            /// A screening rule's match (spam, abuse, a genuine request …).
            case screening
            /// An escalation rule's match.
            case escalation
            /// A topic word (the rule field holds the topic id).
            case topic
        }
        /// The rule, item, department, combined matter or cue id.
        public var rule: String
        /// Its kind.
        public var kind: Kind
        /// Start, in Unicode scalars of the original text.
        public var start: Int
        /// End (exclusive), in Unicode scalars of the original text.
        public var end: Int
        /// The original text of the span.
        public var text: String

        /// Creates a piece of evidence.
        public init(rule: String, kind: Kind, start: Int, end: Int, text: String) {
            self.rule = rule
            self.kind = kind
            self.start = start
            self.end = end
            self.text = text
        }
    }

    /// The caller's id, echoed.
    public var id: MessageID
    /// The category, or `nil` when undecided or rejected.
    public var category: CategoryID?
    /// Score per category, in definition order.
    public var scores: [CategoryScore]
    /// The proposed lead handler (主要承办部门); `nil` when screening rejects the message.
    public var lead: DepartmentRef?
    /// Co-handlers.
    public var coHandlers: [DepartmentRef]
    /// Channel and handler; `nil` when screening rejects the message (nothing is dispatched).
    public var route: Route?
    /// Matched items.
    public var items: [ItemRef]
    /// Matched combined matters.
    public var combined: [CombinedRef]
    /// The review flags.
    public var flags: Flags
    /// Departments with evidence and their scores, strongest first (process units excluded).
    public var departments: [DepartmentEvidence]
    /// Why this category, lead, route and these flags.
    public var reasons: [Reason]
    /// The evidence, ordered by start; at most the engine's `maxEvidence` spans.
    public var evidence: [Evidence]
    /// True when there was more evidence than `maxEvidence` and some was left out (the
    /// `evidence_truncated` reason says how much).
    public var evidenceTruncated: Bool = false
    /// The rule-set version (content hash).
    public var rulesetVersion: String
    /// The pre-review (screening) decision.
    public var screening: Screening
    /// Working-day deadlines.
    public var deadlines: Deadlines
    /// Escalation signals.
    public var escalation: Escalation
}

extension TriageResult {
    /// The pre-review (screening) decision.
    public struct Screening: Sendable, Hashable {
        /// The three outcomes.
        public enum Decision: String, Sendable, Hashable, CaseIterable {
            /// Accept and dispatch.
            case accept
            /// Reject with a reason.
            case reject
            /// A person must look.
            case needsReview = "needs_review"
        }
        /// The decision.
        public var decision: Decision
        /// Why it was rejected (only for `reject`).
        public var reason: RejectReason?
        /// Why this decision.
        public var reasons: [Reason]

        /// The corpus label: `accept`, `needs_review` or `reject:<reason>`.
        public var label: String {
            decision == .reject ? "reject:\(reason?.rawValue ?? "unknown")" : decision.rawValue
        }
    }

    /// Escalation signals, each with its reasons.
    public struct Escalation: Sendable, Hashable {
        /// The raised flags.
        public var flags: Set<EscalationFlag>
        /// Why each flag was raised.
        public var reasons: [Reason]

        /// True when `flag` is raised.
        public func has(_ flag: EscalationFlag) -> Bool { flags.contains(flag) }
    }

    /// The working-day deadlines of one message.
    public struct Deadlines: Sendable, Hashable {
        /// When the message was received.
        public var receivedAt: Timestamp
        /// True when `receivedAt` was not given and "now" was used.
        public var receivedAtDefaulted: Bool
        /// When it was dispatched, if given.
        public var dispatchedAt: Timestamp?
        /// Simple (5 working days) or complex (15).
        public var complexity: Complexity
        /// Working days for the reply.
        public var replyWorkingDays: Int
        /// End of this day (Asia/Shanghai) is the pre-review deadline; `nil` when the calendar cannot tell.
        public var preReviewDue: LocalDate?
        /// End of this day (Asia/Shanghai) is the reply deadline; `nil` when the calendar cannot
        /// tell or when screening rejected the message (no reply is due).
        public var replyDue: LocalDate?
        /// Why this complexity, and how the days were counted.
        public var reasons: [Reason]
        /// The year the calendar does not cover and whose statutory holidays are not known
        /// either (before 2008, after 2099), when the count ran into one.
        public var missingYear: Int?
        /// The years the count looked at whose holiday notice the calendar does not have yet:
        /// their days off are the statutory holidays only, so the dates are provisional. Empty
        /// when every day counted came from a published year.
        public var provisionalYears: [Int]
    }
}
