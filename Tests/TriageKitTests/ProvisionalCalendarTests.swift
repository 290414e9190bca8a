import Foundation
import Testing
@testable import TriageKit

/// The years the calendar has not published: statutory holidays, provisional deadlines,
/// and the `triage check` horizon warning.
@Suite struct ProvisionalCalendarTests {
    let calendar = Bundled.ruleSet.calendar

    /// statutory.json, written by statutory.py from lunardate, ephem and the regulation's text.
    struct Independent: Decodable {
        struct Case: Decodable, CustomTestStringConvertible {
            var received_at: String
            var dispatched_at: String?
            var complexity: String
            var pre_review_due: String
            var reply_due: String
            var provisional: [Int]
            var testDescription: String { "\(received_at) \(complexity)\(dispatched_at.map { " dispatched \($0)" } ?? "")" }
        }
        var days_off: [String: [[String]]]
        var deadlines: [Case]

        static let shared: Independent = {
            let url = Fixture.testsDir.appendingPathComponent("Fixtures/statutory/statutory.json")
            return try! JSONDecoder().decode(Independent.self, from: Data(contentsOf: url))
        }()
    }

    @Test func statutoryDaysOffMatchTheIndependentCountForEveryYear() throws {
        let years = StatutoryHolidays.supportedYears
        #expect(Independent.shared.days_off.count == years.count)
        for year in years {
            let expected = try #require(Independent.shared.days_off[String(year)])
            let computed = try #require(StatutoryHolidays.daysOff(year))
            let mine = computed.sorted { $0.key < $1.key }.map { [$0.key.description, $0.value] }
            #expect(mine == expected, "\(year)")
        }
    }

    /// Every statutory day and every day given back for a weekend is off in each year the
    /// State Council published (2023–2026): the lunar dates, 清明 and the 补假 rule agree with
    /// the notices under both revisions (2023–2024 the 2013 one, 2025–2026 the 2024 one).
    @Test func statutoryDaysAreDaysOffInEveryPublishedYear() throws {
        #expect(Array(calendar.years.prefix(4)) == [2023, 2024, 2025, 2026])
        for year in calendar.years {
            for (day, festival) in try #require(StatutoryHolidays.daysOff(year)) {
                #expect(try calendar.isWorkingDay(day) == false, "\(day) \(festival) is a working day in the \(year) file")
            }
        }
    }

    @Test func theRevisionsOfTheRegulation() throws {
        func days(_ year: Int, _ name: String) throws -> [String] {
            try #require(StatutoryHolidays.festivals(year)?.first { $0.name == name }).days.map(\.description)
        }
        // 春节: 除夕 to 初二 (2008–2013), 初一 to 初三 (2014–2024), 除夕 to 初三 (2025 on).
        #expect(try days(2013, "春节") == ["2013-02-09", "2013-02-10", "2013-02-11"])
        #expect(try days(2024, "春节") == ["2024-02-10", "2024-02-11", "2024-02-12"])
        #expect(try days(2027, "春节") == ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"])
        #expect(try days(2024, "劳动节") == ["2024-05-01"])
        #expect(try days(2027, "劳动节") == ["2027-05-01", "2027-05-02"])
        #expect(try days(2027, "清明节") == ["2027-04-05"])
        #expect(try days(2027, "端午节") == ["2027-06-09"])
        #expect(try days(2027, "中秋节") == ["2027-09-15"])
        #expect(try days(2027, "国庆节") == ["2027-10-01", "2027-10-02", "2027-10-03"])
        #expect(StatutoryHolidays.festivals(2007) == nil && StatutoryHolidays.festivals(2100) == nil)
    }

    @Test(arguments: Independent.shared.deadlines)
    func provisionalDeadlinesMatchTheIndependentCount(_ c: Independent.Case) throws {
        let d = DeadlineRules.compute(
            calendar: calendar, receivedAt: try #require(Timestamp.parse(c.received_at)), defaulted: false,
            dispatchedAt: c.dispatched_at.flatMap(Timestamp.parse), complexity: c.complexity == "complex" ? .complex : .simple,
            complexityReasons: [])
        #expect(d.preReviewDue?.description == c.pre_review_due)
        #expect(d.replyDue?.description == c.reply_due)
        #expect(d.provisionalYears == c.provisional)
        #expect(d.reasons.contains { $0.code == .calendarProvisionalYear } == !c.provisional.isEmpty)
        #expect(d.missingYear == nil)
    }

    /// Counted by hand. 2027-01-01 is a Friday and 元旦, the only statutory day before 除夕
    /// (2027-02-05); 2026-12-31 is an ordinary Thursday in the 2026 notice.
    /// Received Monday 2026-12-28: pre-review is the next working day, Tuesday 12-29.
    /// Simple, 5 working days from 12-29: 12-30 (1), 12-31 (2), [01-01 元旦, 01-02, 01-03 weekend],
    /// 01-04 (3), 01-05 (4), 01-06 (5) → 2027-01-06.
    /// Complex, 15: … 01-06 (5), 01-07 (6), 01-08 (7), [weekend], 01-11 (8), 01-12 (9), 01-13 (10),
    /// 01-14 (11), 01-15 (12), [weekend], 01-18 (13), 01-19 (14), 01-20 (15) → 2027-01-20.
    @Test func aMessageReceivedOn28DecemberByHand() throws {
        let received = try #require(Timestamp.parse("2026-12-28T10:00:00+08:00"))
        for (complexity, due) in [(Complexity.simple, "2027-01-06"), (.complex, "2027-01-20")] {
            let d = DeadlineRules.compute(
                calendar: calendar, receivedAt: received, defaulted: false, dispatchedAt: nil, complexity: complexity, complexityReasons: [])
            #expect(d.preReviewDue == date("2026-12-29"))
            #expect(d.replyDue == date(due))
            #expect(d.provisionalYears == [2027])
            let json = d.json
            #expect(json["provisional"]?["years"] == .array([.number(2027)]))
            #expect(json["provisional"]?["code"] == .string("calendar_provisional_year"))
            #expect(json["provisional"]?["message"]?.string?.contains("2027 年") == true)
            #expect(json["error"] == nil)
        }
    }

    /// Dispatched on 除夕 2027 (Friday 02-05): 02-06/07 weekend and 春节, 02-08 初三, then the two
    /// weekend days given back, 02-09 and 02-10; 02-11 (1), 02-12 (2), [weekend], 02-15 (3),
    /// 02-16 (4), 02-17 (5).
    @Test func aDispatchOnTheEveOfTheSpringFestivalByHand() throws {
        let d = DeadlineRules.compute(
            calendar: calendar, receivedAt: try #require(Timestamp.parse("2027-02-04T09:00")), defaulted: false,
            dispatchedAt: Timestamp.parse("2027-02-05T16:00"), complexity: .simple, complexityReasons: [])
        #expect(d.preReviewDue == date("2027-02-11"))
        #expect(d.replyDue == date("2027-02-17"))
    }

    @Test func aPublishedYearOverridesTheProvisionalOne() throws {
        let y2026 = try String(contentsOfFile: Bundled.rulesDirectory + "/calendar/2026.yaml", encoding: .utf8)
        // A made-up 2027 notice, different from the statutory days: 元旦 with 01-04 off too.
        let y2027 = "calendar:\n  year: 2027\n  holidays:\n    元旦: [2027-01-01..2027-01-04]\n"
        let rs = try #require(miniRuleSet([("calendar/2026.yaml", y2026), ("calendar/2027.yaml", y2027)]).ruleSet)
        let received = try #require(Timestamp.parse("2026-12-28T10:00:00+08:00"))
        let published = DeadlineRules.compute(
            calendar: rs.calendar, receivedAt: received, defaulted: false, dispatchedAt: nil, complexity: .simple, complexityReasons: [])
        // 12-30 (1), 12-31 (2), [01-01..01-04 off, 01-02/03 weekend], 01-05 (3), 01-06 (4), 01-07 (5).
        #expect(published.replyDue == date("2027-01-07"))
        #expect(published.provisionalYears.isEmpty)
        #expect(!published.reasons.contains { $0.code == .calendarProvisionalYear })
        #expect(published.json["provisional"] == .null)
        // Without the 2027 file, the same rule set counts 2027 provisionally.
        let without = try #require(miniRuleSet([("calendar/2026.yaml", y2026)]).ruleSet)
        let provisional = DeadlineRules.compute(
            calendar: without.calendar, receivedAt: received, defaulted: false, dispatchedAt: nil, complexity: .simple, complexityReasons: [])
        #expect(provisional.replyDue == date("2027-01-06"))
        #expect(provisional.provisionalYears == [2027])
    }

    @Test func aRuleSetWithNoCalendarCountsEveryYearProvisionally() throws {
        let rs = try #require(miniRuleSet([]).ruleSet)
        let d = DeadlineRules.compute(
            calendar: rs.calendar, receivedAt: try #require(Timestamp.parse("2026-09-30T10:00")), defaulted: false,
            dispatchedAt: nil, complexity: .simple, complexityReasons: [])
        // Statutory 2026: 10-01..10-03 国庆 (10-03 a Saturday, given back on Monday 10-05), 10-04 Sunday.
        #expect(d.preReviewDue == date("2026-10-06"))
        #expect(d.provisionalYears == [2026])
    }

    @Test func aYearWithNoKnownRulesIsStillAnError() throws {
        let d = DeadlineRules.compute(
            calendar: calendar, receivedAt: try #require(Timestamp.parse("2099-12-31T10:00")), defaulted: false,
            dispatchedAt: nil, complexity: .simple, complexityReasons: [])
        #expect(d.preReviewDue == nil && d.replyDue == nil)
        #expect(d.missingYear == 2100)
        #expect(d.provisionalYears.isEmpty)
        #expect(d.json["error"]?["code"] == .string("calendar_missing_year"))
        #expect(throws: CalendarError(missingYear: 2007, covered: [2023, 2024, 2025, 2026])) {
            try calendar.isWorkingDay(date("2007-06-01"))
        }
    }

    @Test func theEngineMarksAMessageReceivedOn28December() throws {
        let r = Bundled.engine.classify(MessageRecord(
            text: "营业执照注销需要什么材料？", id: .number("12345678901234567890"), receivedAt: Timestamp.parse("2026-12-28T10:00:00+08:00")))
        #expect(r.deadlines.provisionalYears == [2027])
        #expect(r.deadlines.replyDue != nil)
        let summary = ResultRenderer(ruleSet: Bundled.ruleSet, color: false).summary(r, text: "营业执照注销需要什么材料？")
        #expect(summary.contains("暂定（2027 年放假安排未发布，按法定节假日推算）"))
    }
}

@Suite struct CalendarHorizonTests {
    let calendar = Bundled.ruleSet.calendar

    @Test func warnsWithinTheHorizonNamingTheFileToAdd() throws {
        let w = try #require(calendar.horizonWarning(today: date("2026-12-01"), horizonDays: 60, root: "rules"))
        #expect(w.severity == .warning && w.code == "calendar-horizon")
        #expect(w.path == "calendar/2026.yaml" && w.line != nil)
        #expect(w.message.contains("ends on 2026-12-31, 30 day(s) from today (2026-12-01; horizon 60 days)"))
        #expect(w.message.contains("add rules/calendar/2027.yaml"))
        #expect(w.message.contains("国务院办公厅关于2027年部分节假日安排的通知"))
        #expect(w.message.contains("docs/calendar.md"))
    }

    @Test func quietOutsideTheHorizonOrWhenTurnedOff() {
        #expect(calendar.horizonWarning(today: date("2026-10-31"), horizonDays: 60) == nil)  // 61 days left
        #expect(calendar.horizonWarning(today: date("2026-11-01"), horizonDays: 60) != nil)  // 60 days left
        #expect(calendar.horizonWarning(today: date("2026-12-30"), horizonDays: 0) == nil)
    }

    @Test func afterTheEndItSaysHowLongAgo() throws {
        let w = try #require(calendar.horizonWarning(today: date("2027-01-15"), horizonDays: 60))
        #expect(w.message.contains("ended on 2026-12-31, 15 day(s) before today (2027-01-15)"))
        #expect(w.message.contains("add calendar/2027.yaml"))
    }

    @Test func aRuleSetWithoutACalendarIsNotWarned() throws {
        let rs = try #require(miniRuleSet([]).ruleSet)
        #expect(rs.calendar.horizonWarning(today: date("2026-12-01"), horizonDays: 60) == nil)
    }
}
