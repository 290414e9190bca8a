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
            if let why = Self.problem(c) { throw CaseStoreError.batchItem(index: i, reason: why) }
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
                try Self.writeDepartments(db, id, l)
                try Self.appendEvent(db, id, at: now, actor: actor, kind: .created, from: nil, to: .awaitingReview,
                                     data: CreatedData(labels: l, rulesetVersion: p.rulesetVersion, preReviewDue: p.preReviewDue, replyDue: p.replyDue))
                out.append(.created(id))
            }
            return out
        }
    }

    static func problem(_ c: NewCase) -> String? {
        if c.text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { return "empty message text" }
        if c.proposal.resultJSON.isEmpty { return "the proposal has no result JSON" }
        if c.proposal.rulesetVersion.isEmpty { return "the proposal has no rule-set version" }
        if let due = c.proposal.preReviewDue, CaseTime.startOfDay(due) == nil { return "pre_review_due '\(due)' is not a date" }
        if let due = c.proposal.replyDue, CaseTime.startOfDay(due) == nil { return "reply_due '\(due)' is not a date" }
        if let mid = c.messageID, mid.isEmpty || mid.count > 200 { return "a message id is 1–200 characters" }
        return nil
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
            try Self.writeDepartments(db, id, labels)
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

    public func worklist(_ query: WorklistQuery, now: Date) async throws -> WorklistPage {
        try query.validate()
        let t = CaseTime.seconds(now)
        let fts = hasFullTextSearch
        return try await pool.read { db in
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
                conditions.append("EXISTS (SELECT 1 FROM case_departments d WHERE d.case_id = c.id AND d.department = ?)")
                args.append(department)
            }
            if let flag = query.flag { conditions.append(Self.condition(flag)) }
            if let text = query.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
                if fts && text.unicodeScalars.count >= 3 {
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
            let filterConditions = conditions
            let filterArgs = args
            if query.overdueOnly, let deadline {
                conditions.append("\(deadline) <= ?")
                args.append(t)
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let order = query.effectiveOrder == .deadline && deadline != nil ? "\(deadline!), c.id" : "c.id DESC"
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.caseColumns) FROM cases c LEFT JOIN users u ON u.id = c.decided_by
                \(whereClause) ORDER BY \(order) LIMIT ? OFFSET ?
                """, arguments: StatementArguments(args + [query.limit, query.offset]))
            let items = try rows.map { try Self.decode($0, withResult: false) }
            // Totals for the same filters: every match, and how many of them are overdue.
            let filterWhere = filterConditions.isEmpty ? "" : "WHERE " + filterConditions.joined(separator: " AND ")
            var total = 0, overdue = 0
            if let deadline {
                let row = try Row.fetchOne(db, sql: """
                    SELECT COUNT(*) AS n, COALESCE(SUM(\(deadline) <= ?), 0) AS late FROM cases c \(filterWhere)
                    """, arguments: StatementArguments([t] + filterArgs))!
                overdue = row["late"]
                total = query.overdueOnly ? overdue : row["n"]
            } else {
                total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases c \(filterWhere)", arguments: StatementArguments(filterArgs))!
            }
            return WorklistPage(items: items, total: total, overdue: overdue, offset: query.offset, limit: query.limit)
        }
    }

    static func condition(_ flag: CaseFlag) -> String {
        switch flag {
        case .vague: return "c.vague = 1"
        case .multiDepartment: return "c.multi_department = 1"
        case .leaderReport: return "c.leader_report = 1"
        case .coordination: return "c.coordination = 1"
        case .woodpeckerCandidate: return "c.woodpecker_candidate = 1"
        case .needsReview: return "c.screening = 'needs_review'"
        case .rejected: return "c.screening LIKE 'reject:%'"
        case .corrected: return "c.decision = 'correct'"
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

    /// The query plan SQLite chooses for a worklist query (for tests and tuning).
    public func queryPlan(_ query: WorklistQuery, now: Date) throws -> [String] {
        // Mirrors the worklist's main statement for the common filters.
        var conditions: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let status = query.status { conditions.append("c.status = ?"); args.append(status.rawValue) }
        if let category = query.category { conditions.append("c.category = ?"); args.append(category) }
        if let department = query.department {
            conditions.append("EXISTS (SELECT 1 FROM case_departments d WHERE d.case_id = c.id AND d.department = ?)")
            args.append(department)
        }
        if let flag = query.flag { conditions.append(Self.condition(flag)) }
        let deadline = query.status == .dispatched ? "c.reply_deadline" : "c.pre_review_deadline"
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let order = query.effectiveOrder == .deadline ? "\(deadline), c.id" : "c.id DESC"
        return try pool.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT \(Self.caseColumns) FROM cases c LEFT JOIN users u ON u.id = c.decided_by
                \(whereClause) ORDER BY \(order) LIMIT 50
                """, arguments: StatementArguments(args)).map { $0["detail"] as String }
        }
    }

    // MARK: Row mapping

    static func labelArguments(_ l: CaseLabels) -> [(any DatabaseValueConvertible)?] {
        [l.category, l.lead, json(l.coHandlers), l.screening.description, l.vague, l.multiDepartment, l.leaderReport,
         l.coordination, l.woodpeckerCandidate]
    }

    static func writeDepartments(_ db: Database, _ id: Int64, _ l: CaseLabels) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO case_departments (case_id, department, role) VALUES (?, ?, ?)")
        if let lead = l.lead { try insert.execute(arguments: [id, lead, "lead"]) }
        for co in l.coHandlers { try insert.execute(arguments: [id, co, "co"]) }
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
