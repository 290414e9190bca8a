import Foundation

/// Where cases live. `SQLiteCaseStore` is the embedded default; a shared PostgreSQL store for
/// several desks can implement the same protocol. Every method that changes a case does it in one
/// transaction: the case row holds the current state and an event is appended to its history.
/// The rules a decision follows are in ``DecisionRules``, shared by every implementation.
public protocol CaseStore: Sendable {
    /// Creates cases in one transaction. A bad item (empty text, malformed proposal) fails the
    /// whole batch with ``CaseStoreError/batchItem(index:reason:)`` and nothing is stored; a
    /// duplicate (same channel and message id) fails it too, or is skipped and reported, by `duplicates`.
    func createCases(_ cases: [NewCase], duplicates: DuplicatePolicy, by actor: CaseActor, at: Date) async throws -> [IntakeOutcome]

    /// Records a staff decision on a case awaiting review; returns the case as it is now.
    func decide(_ id: Int64, _ decision: CaseDecision, by actor: CaseActor, at: Date, vocabulary: CaseVocabulary?) async throws -> CaseRecord

    /// Records the department's reply to a dispatched case.
    func markReplied(_ id: Int64, by actor: CaseActor, at: Date, note: String?) async throws -> CaseRecord

    /// One case with its proposal's full result JSON, or `nil`.
    func record(_ id: Int64) async throws -> CaseRecord?

    /// A case's history, oldest first.
    func history(_ id: Int64) async throws -> [CaseEvent]

    /// A page of the worklist, with the total and overdue counts for the same filters.
    func worklist(_ query: WorklistQuery, now: Date) async throws -> WorklistPage

    /// Counts per status and overdue counts.
    func counts(now: Date) async throws -> CaseCounts

    /// Cases for the exports, by increasing id: those with id > `afterID`, at most `limit`.
    /// Without result JSON.
    func cases(_ selection: CaseSelection, afterID: Int64, limit: Int) async throws -> [CaseRecord]
}

extension CaseStore {
    /// Every case of `selection`, read page by page.
    public func allCases(_ selection: CaseSelection, pageSize: Int = 1000) async throws -> [CaseRecord] {
        var out: [CaseRecord] = []
        var after: Int64 = 0
        while true {
            let page = try await cases(selection, afterID: after, limit: pageSize)
            out += page
            guard let last = page.last, page.count == pageSize else { return out }
            after = last.id
        }
    }
}
