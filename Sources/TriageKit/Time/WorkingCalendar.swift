/// Why a working-day question cannot be answered: the year is neither in the calendar nor
/// within the years whose statutory holidays are known (``StatutoryHolidays/supportedYears``).
package struct CalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The year the calendar has no dates for.
    package var missingYear: Int
    /// The years the calendar covers.
    package var covered: [Int]
    /// A message naming the missing year.
    package var description: String {
        let have = covered.isEmpty ? "no years" : covered.count == 1 ? "\(covered[0])" : "\(covered[0])–\(covered[covered.count - 1])"
        let rules = StatutoryHolidays.supportedYears
        return "the working-day calendar has no dates for \(missingYear) (it covers \(have); "
            + "statutory holidays are known for \(rules.lowerBound)–\(rules.upperBound))"
    }
}

/// One special day in a calendar: a public holiday or a make-up working day.
package struct CalendarDay: Sendable {
    /// The date.
    package var date: LocalDate
    /// The festival it belongs to (国庆节).
    package var name: String
    /// True for a day off (holiday), false for a make-up working day (调休上班).
    package var isOff: Bool
    /// Where it was written.
    package var location: SourceLocation
}

/// Working days in mainland China: Monday to Friday, minus public holidays, plus
/// make-up working days. A year with its own `calendar` file is *published*: its days come
/// from the State Council's notice. Any other year is *provisional*: its days off are the
/// statutory holidays (``StatutoryHolidays``), with no make-up working days, and every count
/// that looks at it says so.
package struct WorkingCalendar: Sendable {
    /// Published years, ascending.
    package let years: [Int]
    /// The special days of the published files, by date.
    package let days: [LocalDate: CalendarDay]
    /// Where each published year's file declares it.
    package let files: [Int: SourceLocation]

    /// Creates a calendar from its published years and special days.
    package init(years: [Int], days: [CalendarDay], files: [Int: SourceLocation] = [:]) {
        self.years = Array(Set(years)).sorted()
        var map: [LocalDate: CalendarDay] = [:]
        for d in days where map[d.date] == nil { map[d.date] = d }
        self.days = map
        self.files = files
    }

    /// True when `year` has its own calendar file.
    package func covers(_ year: Int) -> Bool { years.contains(year) }

    /// Whether `date` is a working day. In a provisional year a day listed by a neighbouring
    /// published file (元旦 on 31 December) still counts as listed there.
    package func isWorkingDay(_ date: LocalDate) throws(CalendarError) -> Bool {
        if let special = days[date] { return !special.isOff }
        if covers(date.year) { return !date.isWeekend }
        guard let statutory = StatutoryHolidays.daysOff(date.year) else { throw CalendarError(missingYear: date.year, covered: years) }
        return statutory[date] == nil && !date.isWeekend
    }

    /// The special day on `date` (holiday or make-up working day) of a published file, if any.
    package func special(_ date: LocalDate) -> CalendarDay? { days[date] }

    /// The `n`th working day after `date` (`n` ≥ 1). `date` itself is never counted,
    /// whether or not it is a working day.
    package func addingWorkingDays(_ n: Int, to date: LocalDate) throws(CalendarError) -> LocalDate {
        var provisional: [Int] = []
        return try addingWorkingDays(n, to: date, provisionalYears: &provisional)
    }

    /// The `n`th working day after `date`, adding to `provisionalYears` (ascending, once each)
    /// every provisional year whose days the count looked at.
    package func addingWorkingDays(_ n: Int, to date: LocalDate, provisionalYears: inout [Int]) throws(CalendarError) -> LocalDate {
        precondition(n >= 1, "count at least one working day")
        var d = date
        var left = n
        while left > 0 {
            d = d.adding(days: 1)
            let working = try isWorkingDay(d)
            if !covers(d.year) && !provisionalYears.contains(d.year) {
                provisionalYears.append(d.year)
                provisionalYears.sort()
            }
            if working { left -= 1 }
        }
        return d
    }

    /// The last day of the last published year, or `nil` when no year is published.
    package var publishedUntil: LocalDate? { years.last.map { LocalDate(year: $0, month: 12, day: 31)! } }
}
