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

/// Why a store refuses a new case.
public enum NewCaseProblem: Sendable, Hashable, CustomStringConvertible {
    /// The text is empty or only white space.
    case emptyText
    /// The proposal carries no result JSON.
    case noResultJSON
    /// The proposal names no rule-set version.
    case noRulesetVersion
    /// A deadline that is not a day `YYYY-MM-DD` (which one, and the value).
    case badDeadline(field: String, value: String)
    /// A message id that is empty or over 200 characters.
    case badMessageID

    /// The field at fault, as the intake formats call it.
    public var field: String {
        switch self {
        case .emptyText: return "text"
        case .badMessageID: return "id"
        case .noResultJSON, .noRulesetVersion: return "proposal"
        case .badDeadline(let field, _): return field
        }
    }

    /// One line for people.
    public var description: String {
        switch self {
        case .emptyText: return "empty message text"
        case .noResultJSON: return "the proposal has no result JSON"
        case .noRulesetVersion: return "the proposal has no rule-set version"
        case .badDeadline(let field, let value): return "\(field) '\(value)' is not a date"
        case .badMessageID: return "a message id is 1–200 characters"
        }
    }
}

extension NewCase {
    /// Why the store would refuse this case (every store checks the same), or `nil` when it can be stored.
    public var problem: NewCaseProblem? {
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { return .emptyText }
        if proposal.resultJSON.isEmpty { return .noResultJSON }
        if proposal.rulesetVersion.isEmpty { return .noRulesetVersion }
        if let due = proposal.preReviewDue, CaseTime.startOfDay(due) == nil { return .badDeadline(field: "pre_review_due", value: due) }
        if let due = proposal.replyDue, CaseTime.startOfDay(due) == nil { return .badDeadline(field: "reply_due", value: due) }
        if let mid = messageID, mid.isEmpty || mid.count > 200 { return .badMessageID }
        return nil
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
    /// A request that cannot be carried out as given (a bad query, a decision by the system).
    case invalid(String)
    /// A decision that breaks ``DecisionRules``: what is wrong, typed, so that a caller can say it in its own words.
    case decision(DecisionProblem)
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
        case .decision(let problem): return problem.description
        case .batchItem(let index, let reason): return "batch item \(index + 1): \(reason); nothing from the batch was stored"
        case .schemaTooNew: return "the case database was written by a newer version of triage"
        }
    }
}

/// What is wrong with a decision. ``field`` names the part of the decision at fault, as the
/// HTTP API and the corpus call it (`reason`, `labels.lead`, …).
public enum DecisionProblem: Sendable, Hashable, CustomStringConvertible {
    /// An accept carried labels.
    case labelsOnAccept
    /// A correction without labels.
    case labelsMissing
    /// A correction without a reason (or only white space).
    case reasonMissing
    /// A reply deadline that is not a day `YYYY-MM-DD`.
    case badReplyDue(String)
    /// A dispatched case needs a lead department.
    case leadMissing
    /// A dispatched case needs a category.
    case categoryMissing
    /// A category id the rule set does not know.
    case unknownCategory(String)
    /// A department id the rule set does not know (lead or co-handler).
    case unknownDepartment(String)

    /// The part of the decision at fault.
    public var field: String {
        switch self {
        case .labelsOnAccept, .labelsMissing: return "labels"
        case .reasonMissing: return "reason"
        case .badReplyDue: return "reply_due"
        case .leadMissing: return "labels.lead"
        case .categoryMissing, .unknownCategory: return "labels.category"
        case .unknownDepartment: return "labels.departments"
        }
    }

    /// One line for people.
    public var description: String {
        switch self {
        case .labelsOnAccept: return "an accepted proposal takes no labels; use correct"
        case .labelsMissing: return "a correction needs the decided labels"
        case .reasonMissing: return "a correction needs a reason"
        case .badReplyDue(let d): return "reply_due '\(d)' is not a date YYYY-MM-DD"
        case .leadMissing: return "a dispatched case needs a lead department"
        case .categoryMissing: return "a dispatched case needs a category"
        case .unknownCategory(let c): return "unknown category '\(c)'"
        case .unknownDepartment(let d): return "unknown department '\(d)'"
        }
    }
}

/// The rules every store applies to a decision (shared so that another store behaves the same).
public enum DecisionRules {
    /// The labels and status a decision leads to, or the problem with it.
    /// A rejection clears category, lead, co-handlers and escalation, as the engine does.
    public static func resolve(_ decision: CaseDecision, proposal: CaseLabels, vocabulary: CaseVocabulary?) throws(CaseStoreError) -> (CaseLabels, CaseStatus) {
        var labels: CaseLabels
        switch decision.action {
        case .accept:
            guard decision.labels == nil else { throw .decision(.labelsOnAccept) }
            labels = proposal
        case .correct:
            guard let given = decision.labels else { throw .decision(.labelsMissing) }
            guard let reason = decision.reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw .decision(.reasonMissing)
            }
            labels = given
        }
        if let replyDue = decision.replyDue, CaseTime.startOfDay(replyDue) == nil {
            throw .decision(.badReplyDue(replyDue))
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
        guard let lead = labels.lead else { throw .decision(.leadMissing) }
        guard let category = labels.category else { throw .decision(.categoryMissing) }
        var seen: Set<String> = [lead]
        labels.coHandlers = labels.coHandlers.filter { seen.insert($0).inserted }
        if let vocabulary {
            guard vocabulary.categories.contains(category) else { throw .decision(.unknownCategory(category)) }
            for d in [lead] + labels.coHandlers where !vocabulary.departments.contains(d) {
                throw .decision(.unknownDepartment(d))
            }
        }
        return (labels, .dispatched)
    }
}
