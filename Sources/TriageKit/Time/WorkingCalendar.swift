/// Why a working-day question cannot be answered.
package struct CalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The year the calendar has no dates for.
    package var missingYear: Int
    /// The years the calendar covers.
    package var covered: [Int]
    /// A message naming the missing year.
    package var description: String {
        let have = covered.isEmpty ? "no years" : covered.count == 1 ? "\(covered[0])" : "\(covered[0])–\(covered[covered.count - 1])"
        return "the working-day calendar has no dates for \(missingYear) (it covers \(have))"
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
/// make-up working days, for the years the rule set's `calendar` files cover.
/// Asking about any other year is an error; it is never treated as an ordinary year.
package struct WorkingCalendar: Sendable {
    /// Covered years, ascending.
    package let years: [Int]
    /// The special days by date.
    package let days: [LocalDate: CalendarDay]

    /// Creates a calendar from its covered years and special days.
    package init(years: [Int], days: [CalendarDay]) {
        self.years = Array(Set(years)).sorted()
        var map: [LocalDate: CalendarDay] = [:]
        for d in days where map[d.date] == nil { map[d.date] = d }
        self.days = map
    }

    /// True when `year` has its own calendar file.
    package func covers(_ year: Int) -> Bool { years.contains(year) }

    /// Whether `date` is a working day.
    package func isWorkingDay(_ date: LocalDate) throws(CalendarError) -> Bool {
        guard covers(date.year) else { throw CalendarError(missingYear: date.year, covered: years) }
        if let special = days[date] { return !special.isOff }
        return !date.isWeekend
    }

    /// The special day on `date` (holiday or make-up working day), if any.
    package func special(_ date: LocalDate) -> CalendarDay? { days[date] }

    /// The `n`th working day after `date` (`n` ≥ 1). `date` itself is never counted,
    /// whether or not it is a working day.
    package func addingWorkingDays(_ n: Int, to date: LocalDate) throws(CalendarError) -> LocalDate {
        precondition(n >= 1, "count at least one working day")
        var d = date
        var left = n
        while left > 0 {
            d = d.adding(days: 1)
            if try isWorkingDay(d) { left -= 1 }
        }
        return d
    }
}
