import Foundation

/// The engine's proposal for one message, as the case store keeps it: the full result JSON and
/// the rule-set version that produced it, plus the fields the worklist filters on.
/// Made from a `TriageResult` by `CaseProposal(result:)` (Proposal+TriageResult.swift).
public struct CaseProposal: Sendable, Hashable {
    /// What the engine proposed.
    public var labels: CaseLabels
    /// `simple` or `complex`, when the engine computed deadlines.
    public var complexity: String?
    /// Pre-review deadline day (`YYYY-MM-DD`, ends at midnight Asia/Shanghai), when known.
    public var preReviewDue: String?
    /// Reply deadline day, when known.
    public var replyDue: String?
    /// The rule set's content hash.
    public var rulesetVersion: String
    /// The ids in the result's evidence, as `kind:id` (`category:biz_materials`, `item:…`, `cue:…`), distinct, sorted.
    public var evidenceRules: [String]
    /// The whole result, serialised (docs/output.md).
    public var resultJSON: String

    /// Creates a proposal.
    public init(labels: CaseLabels, complexity: String?, preReviewDue: String?, replyDue: String?,
                rulesetVersion: String, evidenceRules: [String], resultJSON: String) {
        self.labels = labels
        self.complexity = complexity
        self.preReviewDue = preReviewDue
        self.replyDue = replyDue
        self.rulesetVersion = rulesetVersion
        self.evidenceRules = evidenceRules
        self.resultJSON = resultJSON
    }
}

/// A message to become a case.
public struct NewCase: Sendable {
    /// The caller's message id (a 12345 work-order number, a window ticket …), as given; `nil` when none.
    public var messageID: String?
    /// Where it came in.
    public var channel: IntakeChannel
    /// The message as the citizen wrote it.
    public var text: String
    /// When it was received.
    public var receivedAt: Date
    /// The engine's proposal for it (computed with the same receipt time).
    public var proposal: CaseProposal

    /// Creates a new case.
    public init(messageID: String?, channel: IntakeChannel, text: String, receivedAt: Date, proposal: CaseProposal) {
        self.messageID = messageID
        self.channel = channel
        self.text = text
        self.receivedAt = receivedAt
        self.proposal = proposal
    }
}

/// Where a case stands. "Overdue" is not a status: it is derived from the deadlines and the clock.
public enum CaseStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for the pre-review desk (预审), due by `pre_review_due`.
    case awaitingReview = "awaiting_review"
    /// Sent to the handling department, waiting for its reply, due by `reply_due`.
    case dispatched
    /// Rejected by screening (spam, abuse, gibberish, off-topic). Final.
    case rejected
    /// The department replied. Final.
    case replied

    /// The statuses a case may move to from this one.
    public var next: [CaseStatus] {
        switch self {
        case .awaitingReview: return [.dispatched, .rejected]
        case .dispatched: return [.replied]
        case .rejected, .replied: return []
        }
    }
}

/// A staff decision: accept the proposal as it is, or correct it.
public struct CaseDecision: Sendable, Hashable {
    /// Accept or correct.
    public enum Action: String, Sendable, Hashable, Codable {
        /// The proposal's labels become the decision.
        case accept
        /// The given labels replace the proposal's.
        case correct
    }
    /// Accept or correct.
    public var action: Action
    /// For `correct`: the decided labels (every field, not a patch).
    public var labels: CaseLabels?
    /// Free text: why. Required for a correction.
    public var reason: String?
    /// A reply deadline recounted from the dispatch day (the caller has the calendar); `nil` keeps the proposal's.
    public var replyDue: String?

    /// Accepts the proposal.
    public static func accept(reason: String? = nil, replyDue: String? = nil) -> CaseDecision {
        CaseDecision(action: .accept, labels: nil, reason: reason, replyDue: replyDue)
    }

    /// Corrects the proposal to `labels`.
    public static func correct(_ labels: CaseLabels, reason: String, replyDue: String? = nil) -> CaseDecision {
        CaseDecision(action: .correct, labels: labels, reason: reason, replyDue: replyDue)
    }
}

/// The category and department ids a decision may use (from the rule set), for validation.
public struct CaseVocabulary: Sendable {
    /// Category ids.
    public var categories: Set<String>
    /// Department ids.
    public var departments: Set<String>
    /// Department id → Chinese short name.
    public var departmentNames: [String: String]

    /// Creates a vocabulary.
    public init(categories: Set<String>, departments: Set<String>, departmentNames: [String: String] = [:]) {
        self.categories = categories
        self.departments = departments
        self.departmentNames = departmentNames
    }
}

/// A user as a case's history names them.
public struct CaseActor: Sendable, Hashable {
    /// The user's id, or `nil` for the system (batch intake).
    public var userID: Int64?
    /// Username, or a system name such as `import`.
    public var name: String

    /// A signed-in user.
    public init(userID: Int64, name: String) {
        self.userID = userID
        self.name = name
    }

    /// A system actor (no user).
    public init(system name: String) {
        self.userID = nil
        self.name = name
    }
}

/// One case, as the store holds it now.
public struct CaseRecord: Sendable, Hashable {
    /// Store-assigned id.
    public var id: Int64
    /// The caller's message id, as given.
    public var messageID: String?
    /// Where it came in.
    public var channel: IntakeChannel
    /// The message text. Personal data: never log it.
    public var text: String
    /// When it was received (seconds since 1970).
    public var receivedAt: Int64
    /// When the case was created.
    public var createdAt: Int64
    /// Where it stands.
    public var status: CaseStatus
    /// The engine's proposal. `resultJSON` is filled only by `CaseStore.record(_:)`.
    public var proposal: CaseProposal
    /// The labels in force: the proposal's until decided, then the decision's.
    public var labels: CaseLabels
    /// Accept or correct, once decided.
    public var decision: CaseDecision.Action?
    /// The decision's free-text reason.
    public var decisionReason: String?
    /// Who decided.
    public var decidedBy: String?
    /// When.
    public var decidedAt: Int64?
    /// When the reply was recorded.
    public var repliedAt: Int64?
    /// Pre-review deadline day.
    public var preReviewDue: String?
    /// Reply deadline day (the decision may have recounted it).
    public var replyDue: String?

    /// The instant the deadline that applies now ends: pre-review while awaiting review, reply while dispatched.
    public var activeDeadline: Int64? {
        switch status {
        case .awaitingReview: return preReviewDue.flatMap(CaseTime.endOfDay)
        case .dispatched: return replyDue.flatMap(CaseTime.endOfDay)
        case .rejected, .replied: return nil
        }
    }

    /// Seconds left until the active deadline ends (negative once overdue); `nil` when none applies.
    public func countdown(at now: Date) -> Int64? { activeDeadline.map { $0 - CaseTime.seconds(now) } }

    /// True when the active deadline has passed.
    public func isOverdue(at now: Date) -> Bool { (countdown(at: now) ?? 1) <= 0 }

    /// True once staff decided.
    public var isDecided: Bool { decision != nil }
}

/// One entry of a case's history. Entries are only ever appended.
public struct CaseEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The case was created with the engine's proposal.
        case created
        /// Staff accepted or corrected the proposal.
        case decided
        /// The department's reply was recorded.
        case replied
    }
    /// Event id (increasing).
    public var id: Int64
    /// The case.
    public var caseID: Int64
    /// When.
    public var at: Int64
    /// Who (username or system name).
    public var actor: String
    /// What happened.
    public var kind: Kind
    /// Status before, `nil` for `created`.
    public var fromStatus: CaseStatus?
    /// Status after.
    public var toStatus: CaseStatus
    /// Details as a JSON object (labels, reason, …), never the message text.
    public var data: String
}

/// What happens when a batch item has a message id the store already holds on the same channel.
public enum DuplicatePolicy: Sendable {
    /// The whole batch fails and nothing is stored.
    case fail
    /// The item is skipped and reported; the others are stored.
    case skip
}

/// What became of one item of a batch intake.
public enum IntakeOutcome: Sendable, Hashable {
    /// Created with this id.
    case created(Int64)
    /// Skipped: a case with the same channel and message id exists (its id).
    case duplicate(Int64)
}

/// Errors of the case store. Messages never contain message text.
public enum CaseStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No such case.
    case notFound(Int64)
    /// The case is not in a status that allows this change.
    case invalidTransition(id: Int64, from: CaseStatus, action: String)
    /// A decision or new case that cannot be stored as given.
    case invalid(String)
    /// A batch item is bad; the batch was rolled back. `index` is 0-based.
    case batchItem(index: Int, reason: String)
    /// The database was written by a newer version of this program.
    case schemaTooNew

    /// One line for people.
    public var description: String {
        switch self {
        case .notFound(let id): return "no case \(id)"
        case .invalidTransition(let id, let from, let action): return "case \(id) is \(from.rawValue): cannot \(action)"
        case .invalid(let why): return why
        case .batchItem(let index, let reason): return "batch item \(index + 1): \(reason); nothing from the batch was stored"
        case .schemaTooNew: return "the case database was written by a newer version of triage"
        }
    }
}

/// The rules every store applies to a decision (shared so that another store behaves the same).
public enum DecisionRules {
    /// The labels and status a decision leads to, or an error saying what is wrong.
    /// A rejection clears category, lead, co-handlers and escalation, as the engine does.
    public static func resolve(_ decision: CaseDecision, proposal: CaseLabels, vocabulary: CaseVocabulary?) throws(CaseStoreError) -> (CaseLabels, CaseStatus) {
        var labels: CaseLabels
        switch decision.action {
        case .accept:
            guard decision.labels == nil else { throw .invalid("an accepted proposal takes no labels; use correct") }
            labels = proposal
        case .correct:
            guard let given = decision.labels else { throw .invalid("a correction needs the decided labels") }
            guard let reason = decision.reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw .invalid("a correction needs a reason")
            }
            labels = given
        }
        if let replyDue = decision.replyDue, CaseTime.startOfDay(replyDue) == nil {
            throw .invalid("reply_due '\(replyDue)' is not a date YYYY-MM-DD")
        }
        if labels.screening.isReject {
            labels.category = nil
            labels.lead = nil
            labels.coHandlers = []
            labels.leaderReport = false
            labels.coordination = false
            labels.woodpeckerCandidate = false
            return (labels, .rejected)
        }
        guard let lead = labels.lead else { throw .invalid("a dispatched case needs a lead department") }
        guard let category = labels.category else { throw .invalid("a dispatched case needs a category") }
        var seen: Set<String> = [lead]
        labels.coHandlers = labels.coHandlers.filter { seen.insert($0).inserted }
        if let vocabulary {
            guard vocabulary.categories.contains(category) else { throw .invalid("unknown category '\(category)'") }
            for d in [lead] + labels.coHandlers where !vocabulary.departments.contains(d) {
                throw .invalid("unknown department '\(d)'")
            }
        }
        return (labels, .dispatched)
    }
}
