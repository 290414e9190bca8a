import Testing
@testable import TriageKit

@Suite struct DeadlineTests {
    let calendar = Bundled.ruleSet.calendar
    let received = Timestamp.parse("2026-09-30T10:00:00+08:00")!

    @Test func workedExampleSimple() {
        let d = DeadlineRules.compute(calendar: calendar, receivedAt: received, defaulted: false, dispatchedAt: nil, complexity: .simple, complexityReasons: [])
        #expect(d.preReviewDue == date("2026-10-08"))
        #expect(d.replyDue == date("2026-10-14"))
        #expect(d.replyWorkingDays == 5)
    }

    @Test func workedExampleComplex() {
        let d = DeadlineRules.compute(calendar: calendar, receivedAt: received, defaulted: false, dispatchedAt: nil, complexity: .complex, complexityReasons: [])
        #expect(d.preReviewDue == date("2026-10-08"))
        #expect(d.replyDue == date("2026-10-28"))
    }

    @Test func replyCountsFromDispatchWhenGiven() {
        let d = DeadlineRules.compute(
            calendar: calendar, receivedAt: received, defaulted: false,
            dispatchedAt: Timestamp.parse("2026-10-09T16:00:00+08:00"), complexity: .simple, complexityReasons: [])
        // 10-10 (Saturday, make-up), 10-12, 10-13, 10-14, 10-15.
        #expect(d.replyDue == date("2026-10-15"))
        #expect(d.json["reply_counted_from"] == .string("dispatched_at"))
    }

    @Test func theDayOfReceiptIsTheShanghaiDay() {
        // 17:00 UTC on Friday 10-09 is 01:00 on Saturday 10-10 (a make-up working day) in Shanghai: not counted.
        let late = DeadlineRules.compute(
            calendar: calendar, receivedAt: Timestamp.parse("2026-10-09T17:00:00Z")!, defaulted: false, dispatchedAt: nil,
            complexity: .simple, complexityReasons: [])
        #expect(late.preReviewDue == date("2026-10-12"))
        let early = DeadlineRules.compute(
            calendar: calendar, receivedAt: Timestamp.parse("2026-10-09T10:00")!, defaulted: false, dispatchedAt: nil,
            complexity: .simple, complexityReasons: [])
        #expect(early.preReviewDue == date("2026-10-10"))
    }

    @Test func aYearBeyondTheCalendarIsCountedProvisionallyAndMarked() {
        let d = DeadlineRules.compute(
            calendar: calendar, receivedAt: Timestamp.parse("2026-12-31T09:00:00+08:00")!, defaulted: false, dispatchedAt: nil,
            complexity: .simple, complexityReasons: [])
        // 01-01 元旦, 01-02/03 weekend: pre-review 01-04; reply 01-05, 06, 07, 08, 11.
        #expect(d.preReviewDue == date("2027-01-04") && d.replyDue == date("2027-01-11"))
        #expect(d.missingYear == nil && d.provisionalYears == [2027])
        #expect(d.json["error"] == nil)
        #expect(d.json["provisional"]?["years"] == .array([.number(2027)]))
    }

    @Test func engineResultCarriesDeadlinesBeforeRuleset() throws {
        let r = Bundled.engine.classify(MessageRecord(text: "网上办事大厅一直登录不上", id: .string("x"), receivedAt: received))
        let d = r.deadlines
        #expect(d.preReviewDue == date("2026-10-08") && d.replyDue == date("2026-10-14"))
        #expect(d.complexity == .simple)
        guard case .object(let pairs) = r.json else { Issue.record("not an object"); return }
        let keys = pairs.map(\.0)
        #expect(Array(keys.suffix(4)) == ["screening", "deadlines", "escalation", "ruleset"])
    }

    @Test func multiDepartmentMakesItComplexAndSaysWhy() throws {
        let r = Bundled.engine.classify(MessageRecord(text: "两个部门互相踢皮球，谁都不管", receivedAt: received))
        let d = r.deadlines
        #expect(d.complexity == .complex)
        #expect(d.replyDue == date("2026-10-28"))
        #expect(d.reasons.contains { $0.code.rawValue == "complex_multi_department" })
    }

    @Test func withoutReceivedAtTheEngineUsesNow() throws {
        let r = Bundled.engine.classify("网上办事大厅一直登录不上")
        let d = r.deadlines
        #expect(d.receivedAtDefaulted)
        #expect(d.preReviewDue == date("2026-10-08"))
    }

    @Test func anUnparsableReceivedAtIsAnErrorNamingTheField() throws {
        let value = try JSONValue.parse(Array(#"{"id": 7, "text": "登录不上", "received_at": "上周三"}"#.utf8))
        switch MessageRecord.parse(value) {
        case .success: Issue.record("accepted a bad received_at")
        case .failure(let e):
            #expect(e.code == .invalidField && e.field == "received_at" && e.id == .number("7"))
        }
    }

    @Test func aReceivedAtThatIsNotAStringIsAnError() throws {
        let value = try JSONValue.parse(Array(#"{"text": "登录不上", "dispatched_at": 20261001}"#.utf8))
        guard case .failure(let e) = MessageRecord.parse(value) else { Issue.record("accepted"); return }
        #expect(e.code == .wrongType && e.field == "dispatched_at")
    }

    @Test func aReceivedAtWithoutOffsetIsShanghai() throws {
        let value = try JSONValue.parse(Array(#"{"text": "登录不上", "received_at": "2026-09-30T10:00"}"#.utf8))
        let record = try MessageRecord.parse(value).get()
        #expect(record.receivedAt == received)
    }
}

@Suite struct ComplexityTests {
    let rs: RuleSet? = miniRuleSet([
        ("calendar/2026.yaml", "calendar:\n  year: 2026\n  holidays:\n    国庆节: [2026-10-01..2026-10-07]\n  workdays:\n    国庆节: [2026-10-10]\n"),
        ("kb.yaml", """
            departments:
              - {id: planning, name: 区规划资源局}
            items:
              - {id: land_use, name: 建设用地审批, department: planning, complexity: complex, aliases: [用地审批]}
              - {id: map_copy, name: 地图复印, department: planning, aliases: [地图复印]}
            escalation:
              - {id: mark_hard, complex: true, description: 历史遗留问题, patterns: ['历史遗留']}
            """),
    ]).ruleSet

    func deadlines(_ text: String) throws -> TriageResult.Deadlines {
        let engine = TriageEngine(ruleSet: try #require(rs))
        return engine.classify(MessageRecord(text: text, receivedAt: Timestamp.parse("2026-09-30T10:00")!)).deadlines
    }

    @Test func aComplexItemMakesItComplex() throws {
        let d = try deadlines("用地审批要多久")
        #expect(d.complexity == .complex && d.replyDue == date("2026-10-28"))
        #expect(d.reasons.contains { $0.code.rawValue == "complex_item" && $0.message.contains("建设用地审批") })
    }

    @Test func aRuleCanMarkItComplex() throws {
        let d = try deadlines("地图复印的事是历史遗留问题")
        #expect(d.complexity == .complex)
        #expect(d.reasons.contains { $0.code.rawValue == "complex_rule" && $0.message.contains("mark_hard") })
    }

    @Test func aSimpleItemStaysSimple() throws {
        let d = try deadlines("地图复印在哪里办")
        #expect(d.complexity == .simple && d.replyDue == date("2026-10-14"))
        #expect(d.reasons.first?.code == .simple)
    }
}

/// The parser's field table: a later field is one entry (issue 15's `channel` will be one).
@Suite struct MessageRecordFieldTests {
    enum Intake: String, CaseIterable, Sendable { case online, window }

    @Test func anEnumerationFieldReadsItsValuesAndNamesItselfInErrors() throws {
        // Stands in for a later field; it writes the value into the text so the test can see it.
        let field = MessageRecord.Field.enumeration("channel", "where the message came from") { (r, c: Intake) in r.text = c.rawValue }
        #expect(field.summary == "where the message came from (`online`, `window`)")
        var record = MessageRecord(text: "", id: .string("m"))
        try field.read(.string("window"), &record)
        #expect(record.text == "window")
        try field.read(nil, &record)
        #expect(throws: InputError(.invalidField, "\"channel\" must be one of online, window, not 'phone'", field: "channel", id: .string("m"))) {
            try field.read(.string("phone"), &record)
        }
        #expect(throws: InputError(.wrongType, "\"channel\" must be a string, not a number", field: "channel", id: .string("m"))) {
            try field.read(.number(1), &record)
        }
    }

    @Test func theFieldsAreIdTextAndTheTwoTimes() {
        #expect(MessageRecord.fields.map(\.name) == ["id", "text", "received_at", "dispatched_at"])
        #expect(MessageRecord.fields.filter(\.required).map(\.name) == ["text"])
    }
}
