internal import Foundation
internal import Synchronization

/// The public holidays fixed by 《全国年节及纪念日放假办法》, for a year whose State Council
/// notice (调休安排) the rule set does not have yet: the statutory days off, with the lunar dates
/// computed, plus the weekday days off the regulation gives back when a holiday falls on a
/// Saturday or Sunday (补假, its article on 适逢星期六、星期日). No make-up working days (调休上班):
/// those are the notice's choice and cannot be known in advance.
///
/// The revisions, each from the year it took effect:
/// - 2008 (2007 decision): 元旦 1, 春节 3 (除夕, 正月初一, 初二), 清明 1, 劳动节 1, 端午 1, 中秋 1, 国庆 3.
/// - 2014 (2013 decision): 春节 3 becomes 正月初一 to 初三.
/// - 2025 (2024 decision): 春节 4 (除夕 to 正月初三), 劳动节 2 (1 and 2 May).
package enum StatutoryHolidays {
    /// Years the rules are known for: from the 2008 revision (the first with 清明, 端午 and 中秋)
    /// to the end of the solar-term formula's century.
    package static let supportedYears = 2008...2099

    /// One festival's statutory days in a year.
    package struct Festival: Sendable, Hashable {
        /// 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节.
        package var name: String
        /// The statutory days, in order.
        package var days: [LocalDate]
    }

    /// The statutory festivals of `year`, in date order; `nil` outside ``supportedYears``.
    package static func festivals(_ year: Int) -> [Festival]? {
        guard supportedYears.contains(year), let newYear = lunarDate(year, month: 1, day: 1),
              let duanwu = lunarDate(year, month: 5, day: 5), let zhongqiu = lunarDate(year, month: 8, day: 15)
        else { return nil }
        func d(_ month: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: month, day: day)! }
        let chunjie: [LocalDate] = switch year {
        case ..<2014: [newYear.adding(days: -1), newYear, newYear.adding(days: 1)]
        case ..<2025: [newYear, newYear.adding(days: 1), newYear.adding(days: 2)]
        default: [newYear.adding(days: -1), newYear, newYear.adding(days: 1), newYear.adding(days: 2)]
        }
        let laodong = year < 2025 ? [d(5, 1)] : [d(5, 1), d(5, 2)]
        return [
            Festival(name: "元旦", days: [d(1, 1)]),
            Festival(name: "春节", days: chunjie),
            Festival(name: "清明节", days: [qingming(year)]),
            Festival(name: "劳动节", days: laodong),
            Festival(name: "端午节", days: [duanwu]),
            Festival(name: "中秋节", days: [zhongqiu]),
            Festival(name: "国庆节", days: [d(10, 1), d(10, 2), d(10, 3)]),
        ].sorted { $0.days[0] < $1.days[0] }
    }

    /// The days off of `year` by date: every statutory day, and for each one that falls on a
    /// weekend (or on another festival's day, as 中秋 on 1 October does) the next weekday that is
    /// not already off, after the festival's last day. `nil` outside ``supportedYears``.
    package static func daysOff(_ year: Int) -> [LocalDate: String]? {
        if let cached = cache.withLock({ $0[year] }) { return cached }
        guard let festivals = festivals(year) else { return nil }
        var off: [LocalDate: String] = [:]
        for f in festivals {
            var owed = 0
            for day in f.days {
                if day.isWeekend || off[day] != nil { owed += 1 }
                if off[day] == nil { off[day] = f.name }
            }
            var day = f.days[f.days.count - 1]
            while owed > 0 {
                day = day.adding(days: 1)
                if !day.isWeekend && off[day] == nil {
                    off[day] = f.name
                    owed -= 1
                }
            }
        }
        cache.withLock { $0[year] = off }
        return off
    }

    private static let cache = Mutex<[Int: [LocalDate: String]]>([:])

    /// 清明 (the sun at 15° ecliptic longitude), by the solar-term formula for 2000–2099: the
    /// ⌊0.2422·Y + 4.81⌋ − ⌊Y/4⌋th of April, Y the year within the century. Checked
    /// against an astronomical computation for every year of the century (Tests/TriageKitTests/Fixtures/statutory).
    package static func qingming(_ year: Int) -> LocalDate {
        let y = year % 100
        let day = Int(Double(y) * 0.2422 + 4.81) - y / 4
        return LocalDate(year: year, month: 4, day: day)!
    }

    /// The Gregorian date (Asia/Shanghai) of a day of the Chinese calendar's non-leap `month`
    /// in the lunar year that starts in Gregorian `year`.
    package static func lunarDate(_ year: Int, month: Int, day: Int) -> LocalDate? {
        let shanghai = TimeZone(secondsFromGMT: Timestamp.shanghaiOffset)!
        var chinese = Calendar(identifier: .chinese)
        chinese.timeZone = shanghai
        // Midsummer of `year` lies in the lunar year that began at its Chinese New Year.
        let midsummer = Date(timeIntervalSince1970: Double(LocalDate(year: year, month: 7, day: 1)!.daysSinceEpoch * 86400))
        let lunarYear = chinese.dateComponents([.era, .year], from: midsummer)
        var wanted = DateComponents()
        wanted.era = lunarYear.era
        wanted.year = lunarYear.year
        wanted.month = month
        wanted.day = day
        wanted.isLeapMonth = false
        wanted.hour = 12
        guard let date = chinese.date(from: wanted) else { return nil }
        let seconds = Int(date.timeIntervalSince1970) + Timestamp.shanghaiOffset
        return LocalDate(daysSinceEpoch: seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
    }
}
