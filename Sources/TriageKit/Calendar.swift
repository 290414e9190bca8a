#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A calendar date with no time and no zone (proleptic Gregorian).
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Year, e.g. 2026.
    public let year: Int
    /// Month, 1–12.
    public let month: Int
    /// Day of the month, 1–31.
    public let day: Int

    /// The date, or `nil` when it does not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (negative for earlier).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// Parses `YYYY-MM-DD`; `nil` when malformed or the date does not exist.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D,
              let y = LocalDate.digits(u[0..<4]), let m = LocalDate.digits(u[5..<7]), let d = LocalDate.digits(u[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func digits(_ s: ArraySlice<UInt8>) -> Int? {
        var n = 0
        for b in s {
            guard (0x30...0x39).contains(b) else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    /// True in a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// Days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        let w = (daysSinceEpoch + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    /// The date `n` calendar days later (earlier when negative).
    public func adding(days n: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + n) }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Earlier dates sort first.
    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}

/// An instant with the UTC offset it was written in.
public struct Timestamp: Sendable, Hashable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int
    /// The offset from UTC it was written with, in seconds.
    public let offsetSeconds: Int

    /// Asia/Shanghai: +08:00 all year, no daylight saving time.
    public static let shanghaiOffset = 8 * 3600

    /// Creates a timestamp.
    public init(epochSeconds: Int, offsetSeconds: Int = Timestamp.shanghaiOffset) {
        self.epochSeconds = epochSeconds
        self.offsetSeconds = offsetSeconds
    }

    /// The current time, in Asia/Shanghai.
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(epochSeconds: Int(ts.tv_sec), offsetSeconds: shanghaiOffset)
    }

    /// Parses ISO 8601: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `…:SS`, optional fraction,
    /// then `Z`, `±HH:MM`, `±HHMM` or `±HH`. A space may stand for `T`. Without an
    /// offset the time is read as Asia/Shanghai (+08:00); a bare date means 00:00 there.
    public static func parse(_ text: String) -> Timestamp? {
        let u = Array(text.utf8)
        guard u.count >= 10, let date = LocalDate(String(decoding: u[0..<10], as: UTF8.self)) else { return nil }
        var i = 10
        var seconds = 0
        if i < u.count, u[i] == 0x54 || u[i] == 0x74 || u[i] == 0x20 {  // T, t or space
            i += 1
            guard i + 5 <= u.count, u[i + 2] == 0x3A, let h = LocalDate.digits(u[i..<i + 2]), let m = LocalDate.digits(u[i + 3..<i + 5]),
                  h <= 23, m <= 59 else { return nil }
            seconds = h * 3600 + m * 60
            i += 5
            if i < u.count, u[i] == 0x3A {
                guard i + 3 <= u.count, let s = LocalDate.digits(u[i + 1..<i + 3]), s <= 59 else { return nil }
                seconds += s
                i += 3
                if i < u.count, u[i] == 0x2E || u[i] == 0x2C {
                    i += 1
                    let start = i
                    while i < u.count, (0x30...0x39).contains(u[i]) { i += 1 }
                    guard i > start else { return nil }
                }
            }
        }
        var offset = shanghaiOffset
        if i < u.count {
            if u[i] == 0x5A || u[i] == 0x7A {  // Z
                offset = 0
                i += 1
            } else if u[i] == 0x2B || u[i] == 0x2D {  // + or -
                let sign = u[i] == 0x2D ? -1 : 1
                i += 1
                guard i + 2 <= u.count, let h = LocalDate.digits(u[i..<i + 2]), h <= 14 else { return nil }
                i += 2
                var m = 0
                if i < u.count {
                    if u[i] == 0x3A { i += 1 }
                    guard i + 2 <= u.count, let mm = LocalDate.digits(u[i..<i + 2]), mm <= 59 else { return nil }
                    m = mm
                    i += 2
                }
                offset = sign * (h * 3600 + m * 60)
            } else {
                return nil
            }
        }
        guard i == u.count else { return nil }
        return Timestamp(epochSeconds: date.daysSinceEpoch * 86400 + seconds - offset, offsetSeconds: offset)
    }

    /// The date in Asia/Shanghai, where the counting happens.
    public var shanghaiDate: LocalDate {
        let local = epochSeconds + Timestamp.shanghaiOffset
        return LocalDate(daysSinceEpoch: local >= 0 ? local / 86400 : (local - 86399) / 86400)
    }

    /// ISO 8601 in its own offset, to the second: `2026-09-30T10:00:00+08:00`.
    public var description: String {
        let local = epochSeconds + offsetSeconds
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let rest = local - days * 86400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let zone: String
        if offsetSeconds == 0 {
            zone = "Z"
        } else {
            let a = abs(offsetSeconds)
            zone = (offsetSeconds < 0 ? "-" : "+") + two(a / 3600) + ":" + two(a % 3600 / 60)
        }
        return "\(LocalDate(daysSinceEpoch: days))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))\(zone)"
    }
}

/// Why a working-day question cannot be answered.
public struct CalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The year the calendar has no dates for.
    public var missingYear: Int
    /// The years the calendar covers.
    public var covered: [Int]
    /// A message naming the missing year.
    public var description: String {
        let have = covered.isEmpty ? "no years" : covered.count == 1 ? "\(covered[0])" : "\(covered.first!)–\(covered.last!)"
        return "the working-day calendar has no dates for \(missingYear) (it covers \(have)); add rules/calendar/\(missingYear).yaml"
    }
}

/// One special day in a calendar: a public holiday or a make-up working day.
public struct CalendarDay: Sendable {
    /// The date.
    public var date: LocalDate
    /// The festival it belongs to (国庆节).
    public var name: String
    /// True for a day off (holiday), false for a make-up working day (调休上班).
    public var isOff: Bool
    /// Where it was written.
    public var location: SourceLocation
}

/// Working days in mainland China: Monday to Friday, minus public holidays, plus
/// make-up working days, for the years the rule set's `calendar` files cover.
/// Asking about any other year is an error; it is never treated as an ordinary year.
public struct WorkingCalendar: Sendable {
    /// Covered years, ascending.
    public let years: [Int]
    /// The special days by date.
    public let days: [LocalDate: CalendarDay]

    /// Creates a calendar from its covered years and special days.
    public init(years: [Int], days: [CalendarDay]) {
        self.years = Array(Set(years)).sorted()
        var map: [LocalDate: CalendarDay] = [:]
        for d in days where map[d.date] == nil { map[d.date] = d }
        self.days = map
    }

    /// True when `year` has its own calendar file.
    public func covers(_ year: Int) -> Bool { years.contains(year) }

    /// Whether `date` is a working day.
    public func isWorkingDay(_ date: LocalDate) throws(CalendarError) -> Bool {
        guard covers(date.year) else { throw CalendarError(missingYear: date.year, covered: years) }
        if let special = days[date] { return !special.isOff }
        return !date.isWeekend
    }

    /// The special day on `date` (holiday or make-up working day), if any.
    public func special(_ date: LocalDate) -> CalendarDay? { days[date] }

    /// The `n`th working day after `date` (`n` ≥ 1). `date` itself is never counted,
    /// whether or not it is a working day.
    public func addingWorkingDays(_ n: Int, to date: LocalDate) throws(CalendarError) -> LocalDate {
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
