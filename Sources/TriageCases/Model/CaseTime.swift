import Foundation

/// Times in the case store: whole seconds since 1970 (UTC), shown in Asia/Shanghai (+08:00).
/// Deadlines are calendar days that end at midnight Asia/Shanghai, as the engine gives them.
public enum CaseTime {
    /// Asia/Shanghai has had no daylight saving since 1991: a fixed +08:00.
    public static let shanghaiOffset = 8 * 3600

    /// `date` as whole seconds since 1970.
    public static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// A `Date` from seconds since 1970.
    public static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// ISO 8601 in +08:00, e.g. `2026-09-30T10:00:00+08:00`.
    public static func iso(_ seconds: Int64) -> String {
        let local = seconds + Int64(shanghaiOffset)
        let days = Int(floorDiv(local, 86_400))
        let rem = Int(local - Int64(days) * 86_400)
        let (y, m, d) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }

    /// The Asia/Shanghai calendar day of `seconds`, as `YYYY-MM-DD`.
    public static func day(_ seconds: Int64) -> String { String(iso(seconds).prefix(10)) }

    /// The Asia/Shanghai year of `seconds`.
    public static func year(_ seconds: Int64) -> Int { Int(iso(seconds).prefix(4))! }

    /// Parses `YYYY-MM-DD`; returns the start of that day in Asia/Shanghai, in seconds since 1970.
    public static func startOfDay(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        return Int64(days(fromCivil: y, m, d)) * 86_400 - Int64(shanghaiOffset)
    }

    /// The instant a deadline day ends: midnight Asia/Shanghai after `day` (`YYYY-MM-DD`).
    public static func endOfDay(_ day: String) -> Int64? { startOfDay(day).map { $0 + 86_400 } }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    // Howard Hinnant's civil-date algorithms (proleptic Gregorian).
    static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
