import Foundation

/// A worklist query: filters, order and page. Every filter applies to the labels in force
/// (the decision's once decided, the proposal's before).
public struct WorklistQuery: Sendable, Hashable {
    /// How results are ordered.
    public enum Order: String, Sendable, Hashable {
        /// By the active deadline, soonest (so overdue) first, then by id. Needs `status`
        /// `awaiting_review` (pre-review deadline) or `dispatched` (reply deadline).
        case deadline
        /// Newest first (by id).
        case newest
    }
    /// Only cases in this status; `nil`: every status.
    public var status: CaseStatus?
    /// Only cases where this department leads or co-handles.
    public var department: String?
    /// Only this category.
    public var category: String?
    /// Only cases with this flag.
    public var flag: CaseFlag?
    /// Text search in the message (substring; case-insensitive for Latin letters).
    public var text: String?
    /// Only cases whose active deadline has passed (needs `status` awaiting_review or dispatched).
    public var overdueOnly: Bool
    /// Order; `nil`: by deadline for awaiting_review and dispatched, newest first otherwise.
    public var order: Order?
    /// Page size (1…1000).
    public var limit: Int
    /// Rows to skip.
    public var offset: Int

    /// Creates a query.
    public init(status: CaseStatus? = nil, department: String? = nil, category: String? = nil, flag: CaseFlag? = nil,
                text: String? = nil, overdueOnly: Bool = false, order: Order? = nil, limit: Int = 50, offset: Int = 0) {
        self.status = status
        self.department = department
        self.category = category
        self.flag = flag
        self.text = text
        self.overdueOnly = overdueOnly
        self.order = order
        self.limit = limit
        self.offset = offset
    }

    /// Today's pre-review worklist: awaiting review, by 预审截止, overdue first.
    public static func awaitingReview(limit: Int = 50, offset: Int = 0) -> WorklistQuery {
        WorklistQuery(status: .awaitingReview, limit: limit, offset: offset)
    }

    /// Dispatched cases awaiting a reply, by 答复截止.
    public static func awaitingReply(limit: Int = 50, offset: Int = 0) -> WorklistQuery {
        WorklistQuery(status: .dispatched, limit: limit, offset: offset)
    }

    /// The order used.
    public var effectiveOrder: Order {
        if let order { return order }
        return status == .awaitingReview || status == .dispatched ? .deadline : .newest
    }

    /// Checks the combination; the store calls it.
    public func validate() throws(CaseStoreError) {
        guard (1...1000).contains(limit) else { throw .invalid("limit must be 1…1000") }
        guard offset >= 0 else { throw .invalid("offset must be 0 or more") }
        let timed = status == .awaitingReview || status == .dispatched
        if effectiveOrder == .deadline && !timed { throw .invalid("order by deadline needs status awaiting_review or dispatched") }
        if overdueOnly && !timed { throw .invalid("overdue needs status awaiting_review or dispatched") }
    }
}

/// One page of a worklist.
public struct WorklistPage: Sendable {
    /// The cases of this page (without their result JSON).
    public var items: [CaseRecord]
    /// How many cases match the filters in all.
    public var total: Int
    /// Of those, how many are overdue (for timed statuses; 0 otherwise).
    public var overdue: Int
    /// The query's offset.
    public var offset: Int
    /// The query's limit.
    public var limit: Int
}

/// Counts for the worklist header.
public struct CaseCounts: Sendable, Hashable {
    /// Cases per status.
    public var byStatus: [CaseStatus: Int]
    /// Awaiting review past 预审截止.
    public var overdueReview: Int
    /// Dispatched past 答复截止.
    public var overdueReply: Int
    /// Every case.
    public var total: Int { byStatus.values.reduce(0, +) }
}

/// Which cases an export reads.
public struct CaseSelection: Sendable, Hashable {
    /// Only decided cases (accepted or corrected).
    public var decidedOnly: Bool
    /// Only these statuses; empty: all.
    public var statuses: Set<CaseStatus>
    /// Decided on or after this instant; undecided cases: received on or after it.
    public var since: Int64?
    /// Received in this Asia/Shanghai year.
    public var receivedYear: Int?
    /// Only cases whose decided labels carry the woodpecker flag.
    public var woodpeckerOnly: Bool

    /// Creates a selection.
    public init(decidedOnly: Bool = false, statuses: Set<CaseStatus> = [], since: Int64? = nil, receivedYear: Int? = nil,
                woodpeckerOnly: Bool = false) {
        self.decidedOnly = decidedOnly
        self.statuses = statuses
        self.since = since
        self.receivedYear = receivedYear
        self.woodpeckerOnly = woodpeckerOnly
    }
}
