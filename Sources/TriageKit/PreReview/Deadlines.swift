/// Working-day deadlines (stage 12): 1 working day for pre-review; 5 or 15 for the reply.
package enum DeadlineRules {
    /// Working days the pre-review desk has.
    package static let preReviewDays = 1
    /// Working days for a reply to a simple matter.
    package static let simpleReplyDays = 5
    /// Working days for a reply to a complex matter.
    package static let complexReplyDays = 15

    /// Counts the deadlines: the day of receipt is not counted; day 1 is the first
    /// working day after it. The reply is counted from `dispatchedAt`'s day when
    /// given, otherwise from the pre-review deadline. Days are Asia/Shanghai days.
    /// A rejected message gets a pre-review deadline but no reply deadline. A count that
    /// runs into a year the calendar has not published uses that year's statutory holidays
    /// and is marked provisional.
    package static func compute(
        calendar: WorkingCalendar, receivedAt: Timestamp, defaulted: Bool, dispatchedAt: Timestamp?,
        complexity: Complexity, complexityReasons: [Reason], rejected: Bool = false
    ) -> TriageResult.Deadlines {
        let days = complexity == .complex ? complexReplyDays : simpleReplyDays
        var d = TriageResult.Deadlines(
            receivedAt: receivedAt, receivedAtDefaulted: defaulted, dispatchedAt: dispatchedAt, complexity: complexity,
            replyWorkingDays: days, preReviewDue: nil, replyDue: nil, reasons: complexityReasons, missingYear: nil,
            provisionalYears: [])
        var provisional: [Int] = []
        do throws(CalendarError) {
            let received = receivedAt.shanghaiDate
            let pre = try calendar.addingWorkingDays(preReviewDays, to: received, provisionalYears: &provisional)
            d.preReviewDue = pre
            d.reasons.append(.preReviewDue(received: received, days: preReviewDays, due: pre))
            if rejected {
                d.reasons.append(.replyNotDue)
            } else {
                // A dispatch before receipt (refused at input, possible through the library) counts from receipt.
                let from = max(dispatchedAt?.shanghaiDate ?? pre, received)
                let reply = try calendar.addingWorkingDays(days, to: from, provisionalYears: &provisional)
                d.replyDue = reply
                d.reasons.append(dispatchedAt == nil
                    ? .replyDueFromPreReview(from: from, days: days, complexity: complexity, due: reply)
                    : .replyDueFromDispatch(from: from, days: days, complexity: complexity, due: reply))
            }
        } catch {
            d.missingYear = error.missingYear
            d.reasons.append(.calendarMissingYear(year: error.missingYear))
        }
        if !provisional.isEmpty {
            d.provisionalYears = provisional
            d.reasons.append(.calendarProvisionalYear(years: provisional))
        }
        return d
    }
}
