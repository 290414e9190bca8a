extension WorkingCalendar {
    /// Days ahead that `triage check` looks by default for the end of the published calendar.
    package static let defaultHorizonDays = 60

    /// A warning when the last published year ends within `horizonDays` days of `today`
    /// (or has already ended), naming the file to add and where its dates come from; `nil`
    /// otherwise, when `horizonDays` is 0, or when the rule set has no calendar file at all
    /// (it has chosen to count every year provisionally; each result says so). `root` is the
    /// rule-set folder, for the path of the file to add.
    package func horizonWarning(today: LocalDate, horizonDays: Int, root: String? = nil) -> Diagnostic? {
        guard horizonDays > 0, let last = years.last else { return nil }
        let left = LocalDate(year: last, month: 12, day: 31)!.daysSinceEpoch - today.daysSinceEpoch
        guard left <= horizonDays else { return nil }
        let next = max(last + 1, today.year)
        let location = files[last]
        let folder = location.map { ($0.path.split(separator: "/").dropLast().joined(separator: "/")) } ?? "calendar"
        var file = folder.isEmpty ? "\(next).yaml" : "\(folder)/\(next).yaml"
        if let root, !root.hasPrefix("<") { file = root.hasSuffix("/") ? root + file : "\(root)/\(file)" }
        let when = left >= 0
            ? "the working-day calendar ends on \(last)-12-31, \(left) day(s) from today (\(today); horizon \(horizonDays) days)"
            : "the working-day calendar ended on \(last)-12-31, \(-left) day(s) before today (\(today))"
        let message = "\(when): add \(file) with the days off and make-up working days of the State Council's notice "
            + "on the \(next) holidays (国务院办公厅关于\(next)年部分节假日安排的通知, www.gov.cn, usually published in "
            + "November of the year before; see docs/calendar.md). Until then deadlines in \(next) are provisional: "
            + "statutory holidays only, no make-up working days"
        return Diagnostic(
            .warning, path: location?.path ?? "calendar", line: location?.line, column: location?.column,
            message: message, code: "calendar-horizon")
    }
}
