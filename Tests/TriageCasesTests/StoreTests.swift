import Foundation
import GRDB
import Testing
import TriageCases

@Suite struct StoreTests {
    @Test func migratesFromEmptyWithForeignKeysAndWAL() throws {
        let t = try TempStore()
        #expect(try t.store.appliedMigrations() == ["1 accounts", "2 cases", "3 text search"])
        #expect(t.store.hasFullTextSearch, "Debian's SQLite has FTS5 with the trigram tokenizer")
        try t.store.pool.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
            for table in ["users", "sessions", "api_tokens", "cases", "case_events", "case_departments", "cases_fts"] {
                #expect(try db.tableExists(table), "\(table)")
            }
        }
        // Opening again runs nothing new and keeps the data.
        let again = try SQLiteCaseStore(path: t.path)
        #expect(try again.appliedMigrations().count == 3)
    }

    @Test func aNewerSchemaIsRefused() throws {
        let t = try TempStore()
        try t.store.pool.write { (db: Database) throws in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('99 from the future')") }
        #expect(throws: CaseStoreError.schemaTooNew) { _ = try SQLiteCaseStore(path: t.path) }
    }

    @Test func createDecideAndHistory() async throws {
        let t = try TempStore()
        let s = t.store
        let user = try await Accounts(store: s, cost: 4).addUser(username: "zhangsan", displayName: "张三", password: "password-1", role: .staff)
        let out = try await s.createCases([Make.newCase("12345-0001"), Make.newCase("12345-0002")], duplicates: .fail,
                                          by: CaseActor(system: "import"), at: Clock.monday)
        #expect(out == [.created(1), .created(2)])
        let fresh = try #require(try await s.record(1))
        #expect(fresh.status == .awaitingReview)
        #expect(fresh.messageID == "12345-0001")
        #expect(fresh.proposal.resultJSON == #"{"id": null}"#)
        #expect(fresh.labels == fresh.proposal.labels)
        #expect(!fresh.isDecided)

        var corrected = fresh.proposal.labels
        corrected.lead = "tax"
        corrected.coHandlers = ["market", "tax"]  // the lead is dropped from the co-handlers
        let decidedAt = Clock.at("2026-11-30", hour: 14)
        let after = try await s.decide(1, .correct(corrected, reason: "注销以税务清税为先", replyDue: "2026-12-07"), by: user.actor,
                                       at: decidedAt, vocabulary: nil)
        #expect(after.status == .dispatched)
        #expect(after.labels.lead == "tax")
        #expect(after.labels.coHandlers == ["market"])
        #expect(after.proposal.labels.lead == "market", "the proposal is kept as it was")
        #expect(after.decision == .correct)
        #expect(after.decidedBy == "zhangsan")
        #expect(after.decidedAt == CaseTime.seconds(decidedAt))
        #expect(after.replyDue == "2026-12-07")
        #expect(after.proposal.replyDue == "2026-12-08")

        let history = try await s.history(1)
        #expect(history.map(\.kind) == [.created, .decided])
        #expect(history[0].actor == "import")
        #expect(history[1].actor == "zhangsan")
        #expect(history[1].fromStatus == .awaitingReview && history[1].toStatus == .dispatched)
        #expect(history[1].data.contains(#""changed":["lead","co_handlers"]"#))
        #expect(history[1].data.contains("注销以税务清税为先"))
        #expect(!history.contains { $0.data.contains("营业执照注销需要什么材料") }, "history never holds the message text")

        _ = try await s.markReplied(1, by: user.actor, at: Clock.at("2026-12-03", hour: 10), note: "已电话答复")
        #expect(try await s.history(1).map(\.kind) == [.created, .decided, .replied])
        #expect(try await s.record(1)?.status == .replied)
    }

    @Test func historyIsAppendOnly() async throws {
        let t = try TempStore()
        _ = try await t.store.createCases([Make.newCase("a")], duplicates: .fail, by: CaseActor(system: "import"), at: Clock.monday)
        #expect(throws: DatabaseError.self) { try t.store.pool.write { (db: Database) throws in try db.execute(sql: "UPDATE case_events SET actor = 'x'") } }
        #expect(throws: DatabaseError.self) { try t.store.pool.write { (db: Database) throws in try db.execute(sql: "DELETE FROM case_events") } }
        #expect(throws: DatabaseError.self, "a case with history cannot be deleted") {
            try t.store.pool.write { (db: Database) throws in try db.execute(sql: "DELETE FROM cases") }
        }
    }

    @Test func statusTransitions() async throws {
        let t = try TempStore()
        let s = t.store
        let user = try await Accounts(store: s, cost: 4).addUser(username: "li", displayName: nil, password: "password-1", role: .staff)
        let spam = Make.proposal(Make.labels(category: nil, lead: nil, screening: .reject("spam")))
        _ = try await s.createCases([Make.newCase("a"), Make.newCase("b", proposal: spam), Make.newCase("c")], duplicates: .fail,
                                    by: CaseActor(system: "import"), at: Clock.monday)
        // A reply before dispatch is refused.
        await #expect(throws: CaseStoreError.invalidTransition(id: 1, from: .awaitingReview, action: "record a reply")) {
            _ = try await s.markReplied(1, by: user.actor, at: Clock.monday, note: nil)
        }
        // Accepting a rejection rejects; it is final.
        #expect(try await s.decide(2, .accept(), by: user.actor, at: Clock.monday, vocabulary: nil).status == .rejected)
        await #expect(throws: CaseStoreError.invalidTransition(id: 2, from: .rejected, action: "decide")) {
            _ = try await s.decide(2, .accept(), by: user.actor, at: Clock.monday, vocabulary: nil)
        }
        // Correcting to a rejection clears the route, as the engine does.
        var reject = Make.labels(screening: .reject("off_topic"), woodpecker: true)
        reject.coHandlers = ["tax"]
        let r = try await s.decide(3, .correct(reject, reason: "与政务无关"), by: user.actor, at: Clock.monday, vocabulary: nil)
        #expect(r.status == .rejected && r.labels.lead == nil && r.labels.category == nil && r.labels.coHandlers.isEmpty && !r.labels.woodpeckerCandidate)
        // Decided once only.
        _ = try await s.decide(1, .accept(), by: user.actor, at: Clock.monday, vocabulary: nil)
        await #expect(throws: CaseStoreError.invalidTransition(id: 1, from: .dispatched, action: "decide")) {
            _ = try await s.decide(1, .accept(), by: user.actor, at: Clock.monday, vocabulary: nil)
        }
        await #expect(throws: CaseStoreError.notFound(99)) { _ = try await s.decide(99, .accept(), by: user.actor, at: Clock.monday, vocabulary: nil) }
    }

    @Test func decisionsAreValidated() async throws {
        let t = try TempStore()
        let s = t.store
        let user = try await Accounts(store: s, cost: 4).addUser(username: "wang", displayName: nil, password: "password-1", role: .staff)
        let noCategory = Make.proposal(Make.labels(category: nil))
        _ = try await s.createCases([Make.newCase("a"), Make.newCase("b", proposal: noCategory)], duplicates: .fail,
                                    by: CaseActor(system: "import"), at: Clock.monday)
        let vocabulary = CaseVocabulary(categories: ["business", "complaint"], departments: ["market", "tax"])
        await #expect(throws: CaseStoreError.decision(.reasonMissing)) {
            _ = try await s.decide(1, .correct(Make.labels(lead: "tax"), reason: " "), by: user.actor, at: Clock.monday, vocabulary: nil)
        }
        await #expect(throws: CaseStoreError.decision(.unknownDepartment("markt"))) {
            _ = try await s.decide(1, .correct(Make.labels(lead: "markt"), reason: "x"), by: user.actor, at: Clock.monday, vocabulary: vocabulary)
        }
        await #expect(throws: CaseStoreError.decision(.leadMissing)) {
            _ = try await s.decide(1, .correct(Make.labels(lead: nil), reason: "x"), by: user.actor, at: Clock.monday, vocabulary: nil)
        }
        await #expect(throws: CaseStoreError.decision(.categoryMissing)) {
            _ = try await s.decide(2, .accept(), by: user.actor, at: Clock.monday, vocabulary: nil)
        }
        await #expect(throws: CaseStoreError.invalid("a decision is made by a user")) {
            _ = try await s.decide(1, .accept(), by: CaseActor(system: "import"), at: Clock.monday, vocabulary: nil)
        }
        // Nothing was written by the failed attempts.
        #expect(try await s.history(1).count == 1)
        #expect(try await s.record(1)?.status == .awaitingReview)
    }

    @Test func overdueIsDerivedFromTheDeadlineAndTheClock() async throws {
        let t = try TempStore()
        let s = t.store
        let user = try await Accounts(store: s, cost: 4).addUser(username: "zhao", displayName: nil, password: "password-1", role: .staff)
        _ = try await s.createCases([
            Make.newCase("late", proposal: Make.proposal(preReviewDue: "2026-11-27")),
            Make.newCase("today", proposal: Make.proposal(preReviewDue: "2026-11-30")),
            Make.newCase("tomorrow", proposal: Make.proposal(preReviewDue: "2026-12-01")),
        ], duplicates: .fail, by: CaseActor(system: "import"), at: Clock.monday)
        let now = Clock.monday  // 2026-11-30 09:30 +08:00
        let page = try await s.worklist(.awaitingReview(), now: now)
        #expect(page.items.map(\.messageID) == ["late", "today", "tomorrow"], "soonest deadline, so overdue, first")
        #expect(page.total == 3 && page.overdue == 1)
        #expect(page.items[0].isOverdue(at: now))
        let lateBy: Int64 = -207_000  // ended 11-28 00:00: 2 days 9 h 30 min ago
        let left: Int64 = 52_200  // 14 h 30 min
        #expect(page.items[0].countdown(at: now) == lateBy, "ended at midnight after Friday 11-27")
        #expect(page.items[1].countdown(at: now) == left, "until midnight tonight")
        #expect(!page.items[1].isOverdue(at: now))
        // At midnight the deadline day is over.
        #expect(page.items[1].isOverdue(at: Clock.at("2026-12-01", hour: 0)))
        #expect(!page.items[1].isOverdue(at: Clock.at("2026-11-30", hour: 23, minute: 59)))
        #expect(try await s.worklist(WorklistQuery(status: .awaitingReview, overdueOnly: true), now: now).items.map(\.messageID) == ["late"])
        let counts = try await s.counts(now: now)
        #expect(counts.byStatus[.awaitingReview] == 3 && counts.overdueReview == 1 && counts.total == 3)

        // Once dispatched, the reply deadline applies; replied cases are never overdue.
        _ = try await s.decide(1, .accept(replyDue: "2026-12-07"), by: user.actor, at: now, vocabulary: nil)
        let replyNow = Clock.at("2026-12-08", hour: 9)
        let replies = try await s.worklist(.awaitingReply(), now: replyNow)
        #expect(replies.items.map(\.messageID) == ["late"] && replies.overdue == 1)
        #expect(try await s.counts(now: replyNow).overdueReply == 1)
        let replied = try await s.markReplied(1, by: user.actor, at: replyNow, note: nil)
        #expect(!replied.isOverdue(at: replyNow) && replied.countdown(at: replyNow) == nil)
    }

    @Test func filtersSearchAndPages() async throws {
        let t = try TempStore()
        let s = t.store
        let user = try await Accounts(store: s, cost: 4).addUser(username: "qian", displayName: nil, password: "password-1", role: .staff)
        _ = try await s.createCases([
            Make.newCase("1", text: "营业执照注销需要什么材料？", proposal: Make.proposal(Make.labels(lead: "market", co: ["tax"]))),
            Make.newCase("2", text: "公司发票开不出来，税务局说系统问题", proposal: Make.proposal(Make.labels(lead: "tax"))),
            Make.newCase("3", text: "窗口工作人员态度很差 ABC", proposal: Make.proposal(Make.labels(category: "complaint", lead: "service_center", vague: true))),
            Make.newCase("4", text: "建议周末开放窗口", channel: .window,
                         proposal: Make.proposal(Make.labels(category: "suggestion", lead: "service_center", woodpecker: true))),
        ], duplicates: .fail, by: CaseActor(system: "import"), at: Clock.monday)
        func ids(_ q: WorklistQuery) async throws -> [String] { try await s.worklist(q, now: Clock.monday).items.compactMap(\.messageID) }
        #expect(try await ids(WorklistQuery(status: .awaitingReview, department: "tax")) == ["1", "2"], "lead or co-handler")
        #expect(try await ids(WorklistQuery(status: .awaitingReview, category: "complaint")) == ["3"])
        #expect(try await ids(WorklistQuery(status: .awaitingReview, flag: .vague)) == ["3"])
        #expect(try await ids(WorklistQuery(status: .awaitingReview, flag: .woodpeckerCandidate)) == ["4"])
        #expect(try await ids(WorklistQuery(status: .awaitingReview, text: "营业执照")) == ["1"], "FTS trigram, 4 characters")
        #expect(try await ids(WorklistQuery(status: .awaitingReview, text: "窗口")) == ["3", "4"], "2 characters: LIKE")
        #expect(try await ids(WorklistQuery(status: .awaitingReview, text: "abc")) == ["3"], "Latin letters, any case")
        #expect(try await ids(WorklistQuery(status: .awaitingReview, text: "50%_")) == [], "LIKE wildcards are literal")
        #expect(try await ids(WorklistQuery(status: .awaitingReview, text: "\"税务\" OR x")) == [], "FTS syntax is literal")
        #expect(try await ids(WorklistQuery(status: .awaitingReview, department: "tax", text: "发票")) == ["2"])
        let page = try await s.worklist(WorklistQuery(status: .awaitingReview, limit: 2, offset: 2), now: Clock.monday)
        #expect(page.items.compactMap(\.messageID) == ["3", "4"] && page.total == 4)

        // Filters apply to the decided labels once decided.
        _ = try await s.decide(2, .correct(Make.labels(lead: "market"), reason: "市场监管"), by: user.actor, at: Clock.monday, vocabulary: nil)
        #expect(try await ids(WorklistQuery(status: .dispatched, department: "tax")) == [])
        #expect(try await ids(WorklistQuery(status: .dispatched, department: "market")) == ["2"])
        #expect(try await ids(WorklistQuery(status: .dispatched, flag: .corrected)) == ["2"])
        #expect(try await ids(WorklistQuery(department: "market")) == ["2", "1"], "any status: newest first")
        await #expect(throws: CaseStoreError.self) { _ = try await s.worklist(WorklistQuery(status: .replied, overdueOnly: true), now: Clock.monday) }
        await #expect(throws: CaseStoreError.self) { _ = try await s.worklist(WorklistQuery(limit: 0), now: Clock.monday) }
    }

    @Test func worklistQueriesUseIndexes() async throws {
        let t = try TempStore()
        // 1,200 cases, a few flagged and in rare departments, then the statistics that opening the store computes.
        let cases = (0..<1200).map { i in
            Make.newCase("q\(i)", proposal: Make.proposal(Make.labels(
                category: i % 40 == 0 ? "complaint" : "business", lead: i % 50 == 0 ? "tax" : "market",
                screening: i % 60 == 0 ? .needsReview : .accept, vague: i % 30 == 0, woodpecker: i % 70 == 0)))
        }
        _ = try await t.store.createCases(cases, duplicates: .fail, by: CaseActor(system: "import"), at: Clock.monday)
        #expect(try SQLiteCaseStore(path: t.path).updateStatistics() == false, "opening analysed already")
        let queries: [WorklistQuery] = [
            .awaitingReview(), .awaitingReply(),
            WorklistQuery(status: .awaitingReview, department: "tax"),
            WorklistQuery(status: .awaitingReview, category: "complaint"),
        ]
        for q in queries {
            let (page, counts) = try t.store.queryPlan(q, now: Clock.monday)
            for plan in [page, counts] {
                let text = plan.joined(separator: " | ")
                #expect(text.contains("USING INDEX") || text.contains("USING COVERING INDEX") || text.contains("PRIMARY KEY"), "\(text)")
                #expect(!text.contains("SCAN c"), "no full scan of cases: \(text)")
            }
        }
        let review = try t.store.queryPlan(.awaitingReview(), now: Clock.monday)
        #expect(!review.page.joined().contains("TEMP B-TREE"), "the review queue is read in deadline order from its index: \(review.page)")
        #expect(!(try t.store.queryPlan(.awaitingReply(), now: Clock.monday)).page.joined().contains("TEMP B-TREE"))
        #expect(try t.store.queryPlan(queries[2], now: Clock.monday).counts.joined(separator: " ").contains("case_departments_queue"))
        #expect(try t.store.queryPlan(queries[3], now: Clock.monday).counts.joined(separator: " ").contains("COVERING INDEX cases_category_queue"))
        for flag in [CaseFlag.vague, .woodpeckerCandidate, .needsReview] {
            let plan = try t.store.queryPlan(WorklistQuery(status: .awaitingReview, flag: flag), now: Clock.monday).counts.joined(separator: " ")
            #expect(plan.contains("cases_flag_"), "a flag's counts read its partial index: \(flag) \(plan)")
        }
    }

    @Test func batchIntakeIsAllOrNothing() async throws {
        let t = try TempStore()
        let s = t.store
        _ = try await s.createCases([Make.newCase("x1")], duplicates: .fail, by: CaseActor(system: "import"), at: Clock.monday)
        // A bad item anywhere fails the batch before anything is written.
        await #expect(throws: CaseStoreError.batchItem(index: 2, reason: "empty message text")) {
            _ = try await s.createCases([Make.newCase("y1"), Make.newCase("y2"), Make.newCase("y3", text: "  \n")], duplicates: .fail,
                                        by: CaseActor(system: "import"), at: Clock.monday)
        }
        // A duplicate found while writing rolls back the items written before it.
        await #expect(throws: CaseStoreError.batchItem(index: 1, reason: "message id exists already on channel online (case 1)")) {
            _ = try await s.createCases([Make.newCase("z1"), Make.newCase("x1"), Make.newCase("z3")], duplicates: .fail,
                                        by: CaseActor(system: "import"), at: Clock.monday)
        }
        #expect(try await s.counts(now: Clock.monday).total == 1)
        try await t.store.pool.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_events") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_departments") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases_fts WHERE cases_fts MATCH '营业执照'") == 1)
        }
        // With .skip, duplicates (also within the batch) are reported and the rest is stored.
        let out = try await s.createCases([Make.newCase("z1"), Make.newCase("x1"), Make.newCase("z1"), Make.newCase("x1", channel: .window),
                                           Make.newCase(nil), Make.newCase(nil)],
                                          duplicates: .skip, by: CaseActor(system: "import"), at: Clock.monday)
        #expect(out == [.created(2), .duplicate(1), .duplicate(2), .created(3), .created(4), .created(5)])
    }
}
