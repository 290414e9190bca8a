import Testing
@testable import TriageKit

@Suite struct CalendarTests {
    let calendar = Bundled.ruleSet.calendar

    /// Days off and make-up working days of 2025 and 2026, from the State Council notices.
    static let daysOff2025and2026: [String] = [
        "2025-01-01",
        "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04",
        "2025-04-04", "2025-04-05", "2025-04-06",
        "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05",
        "2025-05-31", "2025-06-01", "2025-06-02",
        "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
        "2026-01-01", "2026-01-02", "2026-01-03",
        "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
        "2026-04-04", "2026-04-05", "2026-04-06",
        "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
        "2026-06-19", "2026-06-20", "2026-06-21",
        "2026-09-25", "2026-09-26", "2026-09-27",
        "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
    ]
    static let makeUpDays2025and2026: [String] = [
        "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ]

    @Test(arguments: daysOff2025and2026)
    func holidayIsNotAWorkingDay(_ day: String) throws {
        #expect(try calendar.isWorkingDay(date(day)) == false)
    }

    @Test(arguments: makeUpDays2025and2026)
    func makeUpWeekendDayIsAWorkingDay(_ day: String) throws {
        #expect(date(day).isWeekend)
        #expect(try calendar.isWorkingDay(date(day)) == true)
    }

    @Test(arguments: [
        ("2025-12-31", true), ("2024-12-31", true), ("2026-12-31", true), ("2023-12-31", false),
        ("2026-10-08", true), ("2026-10-09", true), ("2026-10-11", false), ("2026-09-19", false),
        ("2025-10-09", true), ("2025-10-12", false), ("2026-02-24", true), ("2026-03-01", false),
    ])
    func ordinaryDays(_ day: String, _ working: Bool) throws {
        #expect(try calendar.isWorkingDay(date(day)) == working)
    }

    /// The first working day after a date, around every 2025 and 2026 holiday and the year ends.
    @Test(arguments: [
        ("2024-12-31", "2025-01-02"), ("2025-01-25", "2025-01-26"), ("2025-01-27", "2025-02-05"),
        ("2025-02-07", "2025-02-08"), ("2025-04-03", "2025-04-07"), ("2025-04-25", "2025-04-27"),
        ("2025-04-30", "2025-05-06"), ("2025-05-30", "2025-06-03"), ("2025-09-26", "2025-09-28"),
        ("2025-09-30", "2025-10-09"), ("2025-10-10", "2025-10-11"), ("2025-12-31", "2026-01-04"),
        ("2026-01-04", "2026-01-05"), ("2026-02-13", "2026-02-14"), ("2026-02-14", "2026-02-24"),
        ("2026-02-27", "2026-02-28"), ("2026-04-03", "2026-04-07"), ("2026-04-30", "2026-05-06"),
        ("2026-05-08", "2026-05-09"), ("2026-06-18", "2026-06-22"), ("2026-09-18", "2026-09-20"),
        ("2026-09-24", "2026-09-28"), ("2026-09-30", "2026-10-08"), ("2026-10-09", "2026-10-10"),
        ("2026-12-30", "2026-12-31"),
    ])
    func nextWorkingDay(_ from: String, _ expected: String) throws {
        #expect(try calendar.addingWorkingDays(1, to: date(from)) == date(expected))
    }

    @Test(arguments: [
        ("2026-10-08", 5, "2026-10-14"), ("2026-10-08", 15, "2026-10-28"),
        ("2026-02-13", 5, "2026-02-27"), ("2025-12-26", 5, "2026-01-05"),
    ])
    func severalWorkingDays(_ from: String, _ n: Int, _ expected: String) throws {
        #expect(try calendar.addingWorkingDays(n, to: date(from)) == date(expected))
    }

    @Test func aYearBeyondTheCalendarIsProvisionalAndSaysSo() throws {
        var provisional: [Int] = []
        // 2027-01-01 is 元旦 (statutory), 01-02/03 a weekend.
        #expect(try calendar.addingWorkingDays(1, to: date("2026-12-31"), provisionalYears: &provisional) == date("2027-01-04"))
        #expect(provisional == [2027])
        provisional = []
        #expect(try calendar.addingWorkingDays(1, to: date("2026-12-29"), provisionalYears: &provisional) == date("2026-12-30"))
        #expect(provisional.isEmpty)
        // Before the calendar too: 2022-06-03 was 端午.
        #expect(try calendar.isWorkingDay(date("2022-06-03")) == false)
        #expect(try calendar.isWorkingDay(date("2022-06-01")) == true)
        // Only where no statutory rules are known is it an error.
        #expect(throws: CalendarError(missingYear: 2100, covered: [2023, 2024, 2025, 2026])) {
            try calendar.isWorkingDay(date("2100-06-01"))
        }
        let error = CalendarError(missingYear: 2100, covered: [2023, 2024, 2025, 2026])
        #expect(error.description.contains("2100") && error.description.contains("2008–2099"))
    }

    @Test func datesAndTimestamps() {
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2026-13-01") == nil)
        #expect(date("2026-10-10").weekday == 6)
        #expect(LocalDate(daysSinceEpoch: date("2026-09-30").daysSinceEpoch) == date("2026-09-30"))
        #expect(Timestamp.parse("2026-09-30T10:00:00+08:00")?.description == "2026-09-30T10:00:00+08:00")
        #expect(Timestamp.parse("2026-09-30T10:00") == Timestamp.parse("2026-09-30T10:00:00+08:00"))
        #expect(Timestamp.parse("2026-09-30T20:00:00Z")?.shanghaiDate == date("2026-10-01"))
        #expect(Timestamp.parse("2026-09-30 10:00:00.5+0800")?.shanghaiDate == date("2026-09-30"))
        for bad in ["", "yesterday", "2026-09-31T10:00", "2026-09-30T25:00", "2026-09-30T10:00+8", "2026-09-30T10:00:00+08:00 extra"] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct CalendarLoadTests {
    func errors(_ files: [(String, String)]) -> [Diagnostic] { miniRuleSet(files).diagnostics.errors }

    @Test func aDateThatDoesNotExistIsALoadErrorWithItsLocation() throws {
        let e = errors([("calendar/2026.yaml", "calendar:\n  year: 2026\n  holidays:\n    国庆节: [2026-10-01, 2026-02-30]\n")])
        #expect(e.count == 1)
        let d = try #require(e.first)
        #expect(d.path == "calendar/2026.yaml" && d.line == 4 && d.column == 23)
        #expect(d.message.contains("2026-02-30") && d.message.contains("does not exist"))
    }

    @Test func malformedDatesAndRangesAreErrors() {
        let e = errors([("calendar/2026.yaml", """
            calendar:
              year: 2026
              holidays:
                a: [26-10-01]
                b: ["2026-10-07..2026-10-01"]
                c: [2025-05-01]
            """)])
        #expect(e.map(\.line) == [4, 5, 6])
        #expect(e.allSatisfy { $0.code == "calendar-date" })
    }

    @Test func aDayListedTwiceIsALoadErrorAtTheSecondPlace() throws {
        let e = errors([
            ("calendar/2026.yaml", "calendar:\n  year: 2026\n  holidays:\n    国庆节: [2026-10-01..2026-10-07]\n  workdays:\n    国庆节: [2026-10-10, 2026-10-03]\n"),
        ])
        let d = try #require(e.first)
        #expect(e.count == 1)
        #expect(d.line == 6 && d.column == 23 && d.code == "calendar-duplicate")
        #expect(d.message.contains("2026-10-03") && d.message.contains("calendar/2026.yaml:4:"))
    }

    @Test func aYearInTwoFilesIsAnError() {
        let e = errors([
            ("calendar/2026.yaml", "calendar: {year: 2026}\n"),
            ("calendar/2026b.yaml", "calendar: {year: 2026}\n"),
        ])
        #expect(e.count == 1 && e[0].path == "calendar/2026b.yaml")
    }

    @Test func quotedAndPlainDatesBothLoad() throws {
        let r = miniRuleSet([("calendar/2026.yaml", "calendar:\n  year: 2026\n  holidays:\n    x: ['2026-10-01', 2026-10-02]\n")])
        let rs = try #require(r.ruleSet)
        #expect(try rs.calendar.isWorkingDay(date("2026-10-01")) == false)
        #expect(try rs.calendar.isWorkingDay(date("2026-10-02")) == false)
    }

    @Test func aWeekdayMakeUpDayIsAWarning() {
        let r = miniRuleSet([("calendar/2026.yaml", "calendar:\n  year: 2026\n  workdays:\n    x: [2026-10-09]\n")])
        #expect(r.ruleSet != nil)
        #expect(r.diagnostics.all.contains { $0.severity == .warning && $0.code == "calendar-weekday" })
    }
}
