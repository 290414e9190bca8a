import Foundation
import GRDB

/// The embedded case store: one SQLite file through GRDB's `DatabasePool`.
///
/// - WAL journal (readers never wait for the writer), `synchronous = FULL` (a committed
///   transaction survives a power cut, not just a crash), foreign keys on, a 5-second busy timeout
///   so that a CLI import and a server can share the file.
/// - Versioned migrations (``Schema``) run at open; a file written by a newer version is refused.
/// - Every write is one transaction; a crash mid-write leaves the last committed state.
/// - Error messages carry no statement arguments, so no message text reaches a log.
public final class SQLiteCaseStore: CaseStore, AccountStore, Sendable {
    /// The database.
    public let pool: DatabasePool
    /// The file.
    public let path: String
    /// True when text search uses FTS5 (trigram); false: LIKE.
    public let hasFullTextSearch: Bool

    /// Opens (creating if needed) and migrates the store at `path`.
    public init(path: String) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        config.publicStatementArguments = false
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool = try DatabasePool(path: path, configuration: config)
        let migrator = Schema.migrator
        if try pool.read({ try migrator.hasBeenSuperseded($0) }) { throw CaseStoreError.schemaTooNew }
        try migrator.migrate(pool)
        self.pool = pool
        self.path = path
        self.hasFullTextSearch = try pool.read { try $0.tableExists("cases_fts") }
        try updateStatistics()
    }

    /// Refreshes the query planner's statistics (`ANALYZE`) when there are none yet or the number of
    /// cases has doubled since (and is over 1,000): without them SQLite does not know that a flag or
    /// a department is rare and reads the whole queue instead of the small index. Runs at open; a
    /// long-running server should call it now and then (0.06 s at 100,000 cases on the project machine).
    /// Returns true when it analysed.
    @discardableResult
    public func updateStatistics(force: Bool = false) throws -> Bool {
        try pool.write { db in
            let cases = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0
            var analysed = 0
            if try db.tableExists("sqlite_stat1"),
               let stat = try String.fetchOne(db, sql: "SELECT stat FROM sqlite_stat1 WHERE tbl = 'cases' AND idx = 'cases_review_queue'") {
                analysed = Int(stat.split(separator: " ").first ?? "") ?? 0
            }
            guard force || (cases > 1000 && cases > 2 * analysed) else { return false }
            try db.execute(sql: "ANALYZE")
            return true
        }
    }

    /// The migrations applied, in order.
    public func appliedMigrations() throws -> [String] { try pool.read { try Schema.migrator.appliedMigrations($0) } }

    // MARK: - Cases

    static let caseColumns = """
        c.id, c.message_id, c.channel, c.text, c.received_at, c.created_at, c.status, c.ruleset_version,
        c.evidence_rules, c.complexity, c.proposed_category, c.proposed_lead, c.proposed_co_handlers, c.proposed_screening,
        c.proposed_vague, c.proposed_multi_department, c.proposed_leader_report, c.proposed_coordination,
        c.proposed_woodpecker_candidate, c.category, c.lead, c.co_handlers, c.screening, c.vague, c.multi_department,
        c.leader_report, c.coordination, c.woodpecker_candidate, c.pre_review_due, c.reply_due, c.proposed_reply_due, c.decision,
        c.decision_reason, u.username AS decided_by_name, c.decided_at, c.replied_at
        """

    public func createCases(_ cases: [NewCase], duplicates: DuplicatePolicy, by actor: CaseActor, at: Date) async throws -> [IntakeOutcome] {
        for (i, c) in cases.enumerated() {
            if let why = c.problem { throw CaseStoreError.batchItem(index: i, reason: why.description) }
        }
        let now = CaseTime.seconds(at)
        return try await pool.write { db in
            var out: [IntakeOutcome] = []
            out.reserveCapacity(cases.count)
            let find = try db.cachedStatement(sql: "SELECT id FROM cases WHERE channel = ? AND message_id = ?")
            let insert = try db.cachedStatement(sql: """
                INSERT INTO cases (message_id, channel, text, received_at, created_at, status, ruleset_version, result_json,
                  evidence_rules, complexity, proposed_category, proposed_lead, proposed_co_handlers, proposed_screening,
                  proposed_vague, proposed_multi_department, proposed_leader_report, proposed_coordination,
                  proposed_woodpecker_candidate, category, lead, co_handlers, screening, vague, multi_department,
                  leader_report, coordination, woodpecker_candidate, pre_review_due, reply_due, proposed_reply_due, pre_review_deadline,
                  reply_deadline)
                VALUES (?, ?, ?, ?, ?, 'awaiting_review', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (i, c) in cases.enumerated() {
                if let mid = c.messageID, let existing = try Int64.fetchOne(find, arguments: [c.channel.rawValue, mid]) {
                    switch duplicates {
                    case .skip:
                        out.append(.duplicate(existing))
                        continue
                    case .fail:
                        throw CaseStoreError.batchItem(index: i, reason: "message id exists already on channel \(c.channel.rawValue) (case \(existing))")
                    }
                }
                let p = c.proposal
                let l = p.labels
                var args: [(any DatabaseValueConvertible)?] = [
                    c.messageID, c.channel.rawValue, c.text, CaseTime.seconds(c.receivedAt), now, p.rulesetVersion, p.resultJSON,
                    Self.json(p.evidenceRules), p.complexity,
                ]
                args += Self.labelArguments(l)
                args += Self.labelArguments(l)
                args += [p.preReviewDue, p.replyDue, p.replyDue, p.preReviewDue.flatMap(CaseTime.endOfDay), p.replyDue.flatMap(CaseTime.endOfDay)]
                try insert.execute(arguments: StatementArguments(args))
                let id = db.lastInsertedRowID
                try Self.writeDepartments(db, id, l, status: .awaitingReview, preReviewDue: p.preReviewDue, replyDue: p.replyDue)
                try Self.appendEvent(db, id, at: now, actor: actor, kind: .created, from: nil, to: .awaitingReview,
                                     data: CreatedData(labels: l, rulesetVersion: p.rulesetVersion, preReviewDue: p.preReviewDue, replyDue: p.replyDue))
                out.append(.created(id))
            }
            return out
        }
    }

    public func decide(_ id: Int64, _ decision: CaseDecision, by actor: CaseActor, at: Date, vocabulary: CaseVocabulary?) async throws -> CaseRecord {
        guard let userID = actor.userID else { throw CaseStoreError.invalid("a decision is made by a user") }
        let now = CaseTime.seconds(at)
        return try await pool.write { db in
            guard let current = try Self.fetchRecord(db, id, withResult: false) else { throw CaseStoreError.notFound(id) }
            guard current.status == .awaitingReview else {
                throw CaseStoreError.invalidTransition(id: id, from: current.status, action: "decide")
            }
            let (labels, status) = try DecisionRules.resolve(decision, proposal: current.proposal.labels, vocabulary: vocabulary)
            let replyDue = status == .dispatched ? (decision.replyDue ?? current.replyDue) : current.replyDue
            var args: [(any DatabaseValueConvertible)?] = Self.labelArguments(labels)
            args += [status.rawValue, decision.action.rawValue, decision.reason, userID, now, replyDue,
                     replyDue.flatMap(CaseTime.endOfDay), id]
            try db.execute(sql: """
                UPDATE cases SET category = ?, lead = ?, co_handlers = ?, screening = ?, vague = ?, multi_department = ?,
                  leader_report = ?, coordination = ?, woodpecker_candidate = ?, status = ?, decision = ?, decision_reason = ?,
                  decided_by = ?, decided_at = ?, reply_due = ?, reply_deadline = ?
                WHERE id = ?
                """, arguments: StatementArguments(args))
            try db.execute(sql: "DELETE FROM case_departments WHERE case_id = ?", arguments: [id])
            try Self.writeDepartments(db, id, labels, status: status, preReviewDue: current.preReviewDue, replyDue: replyDue)
            try Self.appendEvent(db, id, at: now, actor: actor, kind: .decided, from: current.status, to: status, data: DecidedData(
                action: decision.action, labels: labels, changed: labels.changedFields(from: current.proposal.labels),
                reason: decision.reason, replyDue: replyDue))
            return try Self.fetchRecord(db, id, withResult: false)!
        }
    }

    public func markReplied(_ id: Int64, by actor: CaseActor, at: Date, note: String?) async throws -> CaseRecord {
        let now = CaseTime.seconds(at)
        return try await pool.write { db in
            guard let current = try Self.fetchRecord(db, id, withResult: false) else { throw CaseStoreError.notFound(id) }
            guard current.status == .dispatched else {
                throw CaseStoreError.invalidTransition(id: id, from: current.status, action: "record a reply")
            }
            try db.execute(sql: "UPDATE cases SET status = 'replied', replied_at = ? WHERE id = ?", arguments: [now, id])
            try db.execute(sql: "UPDATE case_departments SET status = 'replied' WHERE case_id = ?", arguments: [id])
            try Self.appendEvent(db, id, at: now, actor: actor, kind: .replied, from: .dispatched, to: .replied, data: RepliedData(note: note))
            return try Self.fetchRecord(db, id, withResult: false)!
        }
    }

    public func record(_ id: Int64) async throws -> CaseRecord? {
        try await pool.read { db in try Self.fetchRecord(db, id, withResult: true) }
    }

    public func history(_ id: Int64) async throws -> [CaseEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, case_id, at, actor, kind, from_status, to_status, data FROM case_events WHERE case_id = ? ORDER BY id
                """, arguments: [id]).map { row in
                CaseEvent(id: row["id"], caseID: row["case_id"], at: row["at"], actor: row["actor"],
                          kind: CaseEvent.Kind(rawValue: row["kind"])!, fromStatus: (row["from_status"] as String?).flatMap(CaseStatus.init),
                          toStatus: CaseStatus(rawValue: row["to_status"])!, data: row["data"])
            }
        }
    }

    /// The two statements of a worklist query: the page, and the total and overdue counts.
    struct WorklistSQL {
        var page: String
        var pageArguments: StatementArguments
        var counts: String
        var countArguments: StatementArguments
        var timed: Bool
    }

    func worklistSQL(_ query: WorklistQuery, now: Int64) -> WorklistSQL {
        var conditions: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let status = query.status {
            conditions.append("c.status = ?")
            args.append(status.rawValue)
        }
        if let category = query.category {
            conditions.append("c.category = ?")
            args.append(category)
        }
        if let department = query.department {
            if let status = query.status {
                conditions.append("c.id IN (SELECT case_id FROM case_departments WHERE department = ? AND status = ?)")
                args += [department, status.rawValue]
            } else {
                conditions.append("c.id IN (SELECT case_id FROM case_departments WHERE department = ?)")
                args.append(department)
            }
        }
        if let flag = query.flag { conditions.append(Self.condition(flag)) }
        if let text = query.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            if hasFullTextSearch && text.unicodeScalars.count >= 3 {
                // One quoted phrase: FTS5 operators in the search text are taken literally.
                conditions.append("c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)")
                args.append("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            } else {
                conditions.append("c.text LIKE ? ESCAPE '\\'")
                let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                args.append("%" + escaped + "%")
            }
        }
        let deadline: String? = switch query.status {
        case .awaitingReview?: "c.pre_review_deadline"
        case .dispatched?: "c.reply_deadline"
        default: nil
        }
        // Totals for the same filters: every match, and how many of them are overdue.
        let filterWhere = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let counts = deadline.map { "SELECT COUNT(*) AS n, COALESCE(SUM(\($0) <= ?), 0) AS late FROM cases c \(filterWhere)" }
            ?? "SELECT COUNT(*) AS n, 0 AS late FROM cases c \(filterWhere)"
        let countArgs = (deadline == nil ? [] : [now]) + args
        if query.overdueOnly, let deadline {
            conditions.append("\(deadline) <= ?")
            args.append(now)
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let order = query.effectiveOrder == .deadline && deadline != nil ? "\(deadline!), c.id" : "c.id DESC"
        let page = """
            SELECT \(Self.caseColumns) FROM cases c LEFT JOIN users u ON u.id = c.decided_by
            \(whereClause) ORDER BY \(order) LIMIT ? OFFSET ?
            """
        return WorklistSQL(page: page, pageArguments: StatementArguments(args + [query.limit, query.offset]),
                           counts: counts, countArguments: StatementArguments(countArgs), timed: deadline != nil)
    }

    public func worklist(_ query: WorklistQuery, now: Date) async throws -> WorklistPage {
        try query.validate()
        let sql = worklistSQL(query, now: CaseTime.seconds(now))
        return try await pool.read { db in
            let items = try Row.fetchAll(db, sql: sql.page, arguments: sql.pageArguments).map { try Self.decode($0, withResult: false) }
            let row = try Row.fetchOne(db, sql: sql.counts, arguments: sql.countArguments)!
            let overdue: Int = row["late"]
            let total: Int = query.overdueOnly ? overdue : row["n"]
            return WorklistPage(items: items, total: total, overdue: overdue, offset: query.offset, limit: query.limit)
        }
    }

    /// The query plans SQLite chooses for a worklist query's page and counts (for tests and tuning).
    public func queryPlan(_ query: WorklistQuery, now: Date) throws -> (page: [String], counts: [String]) {
        let sql = worklistSQL(query, now: CaseTime.seconds(now))
        return try pool.read { db in
            (try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql.page, arguments: sql.pageArguments).map { $0["detail"] as String },
             try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql.counts, arguments: sql.countArguments).map { $0["detail"] as String })
        }
    }

    static func condition(_ flag: CaseFlag) -> String {
        switch flag {
        // The same expressions as the partial indexes' WHERE clauses (Schema), so that SQLite uses them.
        case .vague: return "vague = 1"
        case .multiDepartment: return "multi_department = 1"
        case .leaderReport: return "leader_report = 1"
        case .coordination: return "coordination = 1"
        case .woodpeckerCandidate: return "woodpecker_candidate = 1"
        case .needsReview: return "screening = 'needs_review'"
        case .rejected: return "screening LIKE 'reject:%'"
        case .corrected: return "decision = 'correct'"
        }
    }

    public func counts(now: Date) async throws -> CaseCounts {
        let t = CaseTime.seconds(now)
        return try await pool.read { db in
            var byStatus: [CaseStatus: Int] = [:]
            for s in CaseStatus.allCases { byStatus[s] = 0 }
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM cases GROUP BY status") {
                if let s = CaseStatus(rawValue: row["status"]) { byStatus[s] = row["n"] }
            }
            let review = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE status = 'awaiting_review' AND pre_review_deadline <= ?", arguments: [t])!
            let reply = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE status = 'dispatched' AND reply_deadline <= ?", arguments: [t])!
            return CaseCounts(byStatus: byStatus, overdueReview: review, overdueReply: reply)
        }
    }

    public func cases(_ selection: CaseSelection, afterID: Int64, limit: Int) async throws -> [CaseRecord] {
        try await pool.read { db in
            var conditions = ["c.id > ?"]
            var args: [(any DatabaseValueConvertible)?] = [afterID]
            if selection.decidedOnly { conditions.append("c.decision IS NOT NULL") }
            if !selection.statuses.isEmpty {
                conditions.append("c.status IN (\(selection.statuses.map { _ in "?" }.joined(separator: ", ")))")
                args += selection.statuses.map(\.rawValue).sorted()
            }
            if let since = selection.since {
                conditions.append("COALESCE(c.decided_at, c.received_at) >= ?")
                args.append(since)
            }
            if let year = selection.receivedYear {
                conditions.append("c.received_at >= ? AND c.received_at < ?")
                args += [CaseTime.startOfDay(String(format: "%04d-01-01", year)), CaseTime.startOfDay(String(format: "%04d-01-01", year + 1))]
            }
            if selection.woodpeckerOnly { conditions.append("c.woodpecker_candidate = 1") }
            return try Row.fetchAll(db, sql: """
                SELECT \(Self.caseColumns) FROM cases c LEFT JOIN users u ON u.id = c.decided_by
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY c.id LIMIT ?
                """, arguments: StatementArguments(args + [limit])).map { try Self.decode($0, withResult: false) }
        }
    }

    // MARK: Row mapping

    static func labelArguments(_ l: CaseLabels) -> [(any DatabaseValueConvertible)?] {
        [l.category, l.lead, json(l.coHandlers), l.screening.description, l.vague, l.multiDepartment, l.leaderReport,
         l.coordination, l.woodpeckerCandidate]
    }

    static func writeDepartments(_ db: Database, _ id: Int64, _ l: CaseLabels, status: CaseStatus, preReviewDue: String?, replyDue: String?) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO case_departments (case_id, department, role, status, pre_review_deadline, reply_deadline)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        let pre = preReviewDue.flatMap(CaseTime.endOfDay), reply = replyDue.flatMap(CaseTime.endOfDay)
        if let lead = l.lead { try insert.execute(arguments: [id, lead, "lead", status.rawValue, pre, reply]) }
        for co in l.coHandlers { try insert.execute(arguments: [id, co, "co", status.rawValue, pre, reply]) }
    }

    static func appendEvent<T: Encodable>(_ db: Database, _ id: Int64, at: Int64, actor: CaseActor, kind: CaseEvent.Kind,
                                          from: CaseStatus?, to: CaseStatus, data: T) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO case_events (case_id, at, actor, user_id, kind, from_status, to_status, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [id, at, actor.name, actor.userID, kind.rawValue, from?.rawValue, to.rawValue, encode(data)])
    }

    static func fetchRecord(_ db: Database, _ id: Int64, withResult: Bool) throws -> CaseRecord? {
        let extra = withResult ? ", c.result_json" : ""
        guard let row = try Row.fetchOne(db, sql: """
            SELECT \(caseColumns)\(extra) FROM cases c LEFT JOIN users u ON u.id = c.decided_by WHERE c.id = ?
            """, arguments: [id]) else { return nil }
        return try decode(row, withResult: withResult)
    }

    static func decode(_ row: Row, withResult: Bool) throws -> CaseRecord {
        func labels(_ prefix: String) throws -> CaseLabels {
            guard let screening = ScreeningLabel(row[prefix + "screening"] as String) else {
                throw CaseStoreError.invalid("case \(row["id"] as Int64): bad screening label in the database")
            }
            return CaseLabels(
                category: row[prefix + "category"], lead: row[prefix + "lead"], coHandlers: try strings(row[prefix + "co_handlers"]),
                screening: screening, vague: row[prefix + "vague"], multiDepartment: row[prefix + "multi_department"],
                leaderReport: row[prefix + "leader_report"], coordination: row[prefix + "coordination"],
                woodpeckerCandidate: row[prefix + "woodpecker_candidate"])
        }
        let proposed = try labels("proposed_")
        let preReviewDue: String? = row["pre_review_due"]
        let proposal = CaseProposal(
            labels: proposed, complexity: row["complexity"], preReviewDue: preReviewDue, replyDue: row["proposed_reply_due"],
            rulesetVersion: row["ruleset_version"], evidenceRules: try strings(row["evidence_rules"]),
            resultJSON: withResult ? row["result_json"] : "")
        return CaseRecord(
            id: row["id"], messageID: row["message_id"], channel: IntakeChannel(rawValue: row["channel"]) ?? .online,
            text: row["text"], receivedAt: row["received_at"], createdAt: row["created_at"],
            status: CaseStatus(rawValue: row["status"])!, proposal: proposal, labels: try labels(""),
            decision: (row["decision"] as String?).flatMap(CaseDecision.Action.init), decisionReason: row["decision_reason"],
            decidedBy: row["decided_by_name"], decidedAt: row["decided_at"], repliedAt: row["replied_at"],
            preReviewDue: preReviewDue, replyDue: row["reply_due"])
    }

    static func strings(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    static func json(_ strings: [String]) -> String { encode(strings) }

    static func encode<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! e.encode(value), as: UTF8.self)
    }

    // MARK: - Accounts

    static func decodeUser(_ row: Row) -> User {
        User(id: row["id"], username: row["username"], displayName: row["display_name"],
             role: Role(rawValue: row["role"]) ?? .staff, createdAt: row["created_at"], disabled: row["disabled"])
    }

    public func insertUser(_ user: NewUser) async throws -> User {
        do {
            return try await pool.write { db in
                try db.execute(sql: """
                    INSERT INTO users (username, display_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [user.username, user.displayName, user.passwordHash, user.role.rawValue, user.createdAt])
                return User(id: db.lastInsertedRowID, username: user.username, displayName: user.displayName, role: user.role,
                            createdAt: user.createdAt, disabled: false)
            }
        } catch let e as DatabaseError where e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw AccountError.exists(user.username)
        }
    }

    public func storedUser(named username: String) async throws -> StoredUser? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE username = ?", arguments: [username]).map {
                StoredUser(user: Self.decodeUser($0), passwordHash: $0["password_hash"])
            }
        }
    }

    public func users() async throws -> [User] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY username").map(Self.decodeUser) }
    }

    public func setDisabled(_ username: String, _ disabled: Bool) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE users SET disabled = ? WHERE username = ?", arguments: [disabled, username])
            guard db.changesCount > 0 else { return false }
            if disabled {
                try db.execute(sql: "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)", arguments: [username])
            }
            return true
        }
    }

    public func insertSession(_ s: StoredSession) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [s.tokenHash, s.userID, s.csrfToken, s.createdAt, s.expiresAt])
        }
    }

    public func session(tokenHash: String) async throws -> (StoredSession, StoredUser)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at AS s_created, s.expires_at, u.*
                FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?
                """, arguments: [tokenHash]) else { return nil }
            let session = StoredSession(tokenHash: row["token_hash"], userID: row["user_id"], csrfToken: row["csrf_token"],
                                        createdAt: row["s_created"], expiresAt: row["expires_at"])
            return (session, StoredUser(user: Self.decodeUser(row), passwordHash: row["password_hash"]))
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash]) }
    }

    public func deleteExpiredSessions(now: Int64) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    static func decodeToken(_ row: Row) -> APIToken {
        let scopes = (row["scopes"] as String).split(separator: " ").compactMap { TokenScope(rawValue: String($0)) }
        return APIToken(id: row["id"], name: row["name"], scopes: Set(scopes), createdAt: row["created_at"],
                        lastUsedAt: row["last_used_at"], revokedAt: row["revoked_at"])
    }

    public func insertToken(_ token: StoredToken) async throws -> APIToken {
        let t = token.token
        do {
            return try await pool.write { db in
                try db.execute(sql: "INSERT INTO api_tokens (name, token_hash, scopes, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [t.name, token.hash, t.scopes.map(\.rawValue).sorted().joined(separator: " "), t.createdAt])
                var out = t
                out.id = db.lastInsertedRowID
                return out
            }
        } catch let e as DatabaseError where e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw AccountError.exists(t.name)
        }
    }

    public func storedToken(hash: String) async throws -> StoredToken? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE token_hash = ?", arguments: [hash]).map {
                StoredToken(token: Self.decodeToken($0), hash: $0["token_hash"])
            }
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY name").map(Self.decodeToken) }
    }

    public func revokeToken(named name: String, at: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [at, name])
            return db.changesCount > 0
        }
    }

    public func touchToken(id: Int64, at: Int64) async throws {
        try await pool.write { db in try db.execute(sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", arguments: [at, id]) }
    }
}

// History entries' data: labels and reasons, never the message text.
struct CreatedData: Encodable {
    var labels: CaseLabels
    var rulesetVersion: String
    var preReviewDue: String?
    var replyDue: String?
    enum CodingKeys: String, CodingKey { case labels, rulesetVersion = "ruleset_version", preReviewDue = "pre_review_due", replyDue = "reply_due" }
}

struct DecidedData: Encodable {
    var action: CaseDecision.Action
    var labels: CaseLabels
    var changed: [String]
    var reason: String?
    var replyDue: String?
    enum CodingKeys: String, CodingKey { case action, labels, changed, reason, replyDue = "reply_due" }
}

struct RepliedData: Encodable {
    var note: String?
}
