/// One message with the fields the pre-review stage reads: when it arrived and,
/// when known, when it was dispatched to the handling unit.
public struct MessageContext: Sendable {
    /// The caller's id, echoed.
    public var id: JSONValue
    /// The message text.
    public var text: String
    /// When the message was received; `nil` means now.
    public var receivedAt: Timestamp?
    /// When it was dispatched to the handling unit; the reply is counted from this
    /// date when given, otherwise from the pre-review deadline.
    public var dispatchedAt: Timestamp?

    /// Creates a context.
    public init(text: String, id: JSONValue = .null, receivedAt: Timestamp? = nil, dispatchedAt: Timestamp? = nil) {
        self.id = id
        self.text = text
        self.receivedAt = receivedAt
        self.dispatchedAt = dispatchedAt
    }

    /// Reads `received_at` and `dispatched_at` from an input record. A value that is
    /// not an ISO 8601 time is an `invalid_field` error naming the field.
    public static func parse(_ input: MessageInput) -> Result<MessageContext, InputError> {
        var context = MessageContext(text: input.text, id: input.id)
        for field in ["received_at", "dispatched_at"] {
            guard let value = input.fields[field] else { continue }
            let stamp: Timestamp?
            switch value {
            case .null:
                stamp = nil
            case .string(let s):
                guard let t = Timestamp.parse(s) else {
                    return .failure(InputError(
                        code: "invalid_field",
                        message: "\"\(field)\" is not an ISO 8601 time such as 2026-09-30T10:00:00+08:00: '\(s)'",
                        field: field, id: input.id))
                }
                stamp = t
            default:
                return .failure(InputError(
                    code: "wrong_type", message: "\"\(field)\" must be a string (ISO 8601), not \(value.typeName)", field: field, id: input.id))
            }
            if field == "received_at" { context.receivedAt = stamp } else { context.dispatchedAt = stamp }
        }
        return .success(context)
    }
}

/// The pre-review (screening) decision.
public struct Screening: Sendable {
    /// The three outcomes.
    public enum Decision: String, Sendable {
        /// Accept and dispatch.
        case accept
        /// Reject with a reason.
        case reject
        /// A person must look.
        case needsReview = "needs_review"
    }
    /// The decision.
    public var decision: Decision
    /// Why it was rejected (only for `reject`).
    public var reason: RejectReason?
    /// Why this decision.
    public var reasons: [Reason]

    /// The corpus label: `accept`, `needs_review` or `reject:<reason>`.
    public var label: String {
        decision == .reject ? "reject:\(reason?.rawValue ?? "unknown")" : decision.rawValue
    }

    /// JSON `{decision, reason, reasons}`.
    public var json: JSONValue {
        .object([
            ("decision", .string(decision.rawValue)),
            ("reason", reason.map { .string($0.rawValue) } ?? .null),
            ("reasons", .array(reasons.map(\.json))),
        ])
    }
}

/// Escalation signals, each with its reasons.
public struct Escalation: Sendable {
    /// The raised flags.
    public var flags: Set<EscalationFlag>
    /// Why each flag was raised.
    public var reasons: [Reason]

    /// True when `flag` is raised.
    public func has(_ flag: EscalationFlag) -> Bool { flags.contains(flag) }

    /// JSON `{leader_report, coordination, woodpecker_candidate, reasons}`.
    public var json: JSONValue {
        .object(EscalationFlag.allCases.map { ($0.rawValue, .bool(flags.contains($0))) } + [("reasons", .array(reasons.map(\.json)))])
    }
}

/// The working-day deadlines of one message.
public struct Deadlines: Sendable {
    /// When the message was received.
    public var receivedAt: Timestamp
    /// True when `receivedAt` was not given and "now" was used.
    public var receivedAtDefaulted: Bool
    /// When it was dispatched, if given.
    public var dispatchedAt: Timestamp?
    /// Simple (5 working days) or complex (15).
    public var complexity: Complexity
    /// Working days for the reply.
    public var replyWorkingDays: Int
    /// End of this day (Asia/Shanghai) is the pre-review deadline; `nil` when the calendar cannot tell.
    public var preReviewDue: LocalDate?
    /// End of this day (Asia/Shanghai) is the reply deadline; `nil` when the calendar cannot tell.
    public var replyDue: LocalDate?
    /// Why this complexity, and how the days were counted.
    public var reasons: [Reason]
    /// Set when the calendar does not cover a year the count runs into.
    public var error: CalendarError?

    /// JSON object of the output contract.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("received_at", .string(receivedAt.description)),
            ("received_at_defaulted", .bool(receivedAtDefaulted)),
            ("dispatched_at", dispatchedAt.map { .string($0.description) } ?? .null),
            ("complexity", .string(complexity.rawValue)),
            ("pre_review_due", preReviewDue.map { .string($0.description) } ?? .null),
            ("reply_due", replyDue.map { .string($0.description) } ?? .null),
            ("reply_working_days", .number(Double(replyWorkingDays))),
            ("reply_counted_from", .string(dispatchedAt == nil ? "pre_review_due" : "dispatched_at")),
            ("reasons", .array(reasons.map(\.json))),
        ]
        if let error {
            pairs.append(("error", .object([
                ("code", .string("calendar_missing_year")), ("message", .string(error.description)),
                ("year", .number(Double(error.missingYear))),
            ])))
        }
        return .object(pairs)
    }
}

/// Working-day counting for deadlines.
public enum DeadlineRules {
    /// Working days the pre-review desk has.
    public static let preReviewDays = 1
    /// Working days for a reply to a simple matter.
    public static let simpleReplyDays = 5
    /// Working days for a reply to a complex matter.
    public static let complexReplyDays = 15

    /// Counts the deadlines: the day of receipt is not counted; day 1 is the first
    /// working day after it. The reply is counted from `dispatchedAt`'s day when
    /// given, otherwise from the pre-review deadline. Days are Asia/Shanghai days.
    public static func compute(
        calendar: WorkingCalendar, receivedAt: Timestamp, defaulted: Bool, dispatchedAt: Timestamp?,
        complexity: Complexity, complexityReasons: [Reason]
    ) -> Deadlines {
        let days = complexity == .complex ? complexReplyDays : simpleReplyDays
        var d = Deadlines(
            receivedAt: receivedAt, receivedAtDefaulted: defaulted, dispatchedAt: dispatchedAt, complexity: complexity,
            replyWorkingDays: days, preReviewDue: nil, replyDue: nil, reasons: complexityReasons, error: nil)
        do throws(CalendarError) {
            let received = receivedAt.shanghaiDate
            let pre = try calendar.addingWorkingDays(preReviewDays, to: received)
            d.preReviewDue = pre
            d.reasons.append(Reason(code: "pre_review_due", message: "\(received) 收到（当日不计），预审时限 \(preReviewDays) 个工作日，至 \(pre) 日终"))
            let from = dispatchedAt?.shanghaiDate ?? pre
            let reply = try calendar.addingWorkingDays(days, to: from)
            d.replyDue = reply
            d.reasons.append(Reason(
                code: dispatchedAt == nil ? "reply_due_from_pre_review" : "reply_due_from_dispatch",
                message: "\(dispatchedAt == nil ? "自预审时限 \(from)" : "自派单日 \(from)") 起算 \(days) 个工作日（\(complexity == .complex ? "复杂" : "简单")事项），至 \(reply) 日终"))
        } catch {
            d.error = error
            d.reasons.append(Reason(code: "calendar_missing_year", message: "工作日历缺少 \(error.missingYear) 年，无法计算时限"))
        }
        return d
    }
}

/// What the core classification found that pre-review reads.
struct PreReviewFacts {
    var category: String?
    var bestScore: Double
    var hasMatter: Bool
    var vague: Bool
    var vagueCodes: [String]
    var meaningfulChars: Int
    var multiDepartment: Bool
    var multiDepartmentCue: Bool
    var lead: String?
    var items: [Item]
    var combined: [CombinedMatter]
    var screening: [Int]  // fired (not vetoed) screening rules
    var screeningSpans: [Int: [Range<Int>]]  // their matches, in normalised bytes
    var categorySpans: [Range<Int>]  // matches of classification rules that fired with positive weight
    var escalation: [Int]  // fired (not vetoed) escalation rules
}

extension TriageEngine {
    func screen(_ f: PreReviewFacts) -> Screening {
        let rs = ruleSet
        let fired = f.screening.map { rs.screening[$0] }
        let genuine = fired.filter { $0.action == .genuine }
        let rejects = fired.filter { $0.action == .reject }
        let reviews = fired.filter { $0.action == .needsReview }
        var reasons: [Reason] = []

        // Pick the strongest reject reason, then check it against every sign of a real request.
        let order: [RejectReason] = [.spam, .abuse, .gibberish, .offTopic]
        if let reason = order.first(where: { r in rejects.contains { $0.reason == r } }) {
            let rule = rejects.first { $0.reason == reason }!
            // Category evidence counts only where it is not the very words that look like spam or abuse.
            let rejectSpans = f.screening.filter { rs.screening[$0].action == .reject && rs.screening[$0].reason == reason }
                .flatMap { f.screeningSpans[$0] ?? [] }
            let independent = f.categorySpans.contains { c in
                !rejectSpans.contains { $0.lowerBound <= c.lowerBound && c.upperBound <= $0.upperBound }
            }
            let asks = independent && f.bestScore >= rs.settings.minScore
            let request = reason != .spam && (f.hasMatter || asks)
            if genuine.isEmpty && !request {
                reasons.append(Reason(code: "screening_reject_\(reason.rawValue)", message: "\(Self.rejectName(reason))：\(rule.description)（\(rule.id)）"))
                return Screening(decision: .reject, reason: reason, reasons: reasons)
            }
            if reason == .abuse && asks {
                // Angry words around a real request: a real complaint.
                reasons.append(Reason(
                    code: "screening_overruled",
                    message: "有\(Self.rejectName(reason))的用语（\(rule.id)），但有明确的诉求，不拒收"))
            } else {
                reasons.append(Reason(
                    code: "screening_conflict",
                    message: "像是\(Self.rejectName(reason))（\(rule.id)），但\(request ? "识别到事项或诉求" : "有真实诉求的迹象（\(genuine.map(\.id).joined(separator: ", "))）")，交人工"))
                return Screening(decision: .needsReview, reason: nil, reasons: reasons)
            }
        }
        let onlyNoMatter = f.vagueCodes == ["vague_no_matter"]
        if f.vague && !(onlyNoMatter && f.meaningfulChars >= rs.settings.reviewNoMatterBelow) {
            reasons.append(Reason(code: "screening_vague", message: "内容模糊，无法判断事项或部门，交人工预审"))
        }
        for r in reviews {
            reasons.append(Reason(code: "screening_review_rule", message: "\(r.description)（\(r.id)）"))
        }
        if reasons.contains(where: { $0.code != "screening_overruled" }) {
            return Screening(decision: .needsReview, reason: nil, reasons: reasons)
        }
        reasons.append(Reason(code: "screening_accept", message: "有明确的事项或诉求，受理"))
        return Screening(decision: .accept, reason: nil, reasons: reasons)
    }

    static func rejectName(_ r: RejectReason) -> String {
        switch r {
        case .spam: return "广告或垃圾信息"
        case .abuse: return "辱骂且无诉求"
        case .gibberish: return "无意义内容"
        case .offTopic: return "与政务服务无关"
        }
    }

    func escalate(_ f: PreReviewFacts, screening: Screening) -> Escalation {
        let rs = ruleSet
        var flags: Set<EscalationFlag> = []
        var reasons: [Reason] = []
        if screening.decision == .reject {
            return Escalation(flags: [], reasons: [Reason(code: "escalation_rejected", message: "预审拒收，不升级")])
        }
        for r in f.escalation.map({ rs.escalation[$0] }) {
            guard let flag = r.flag else { continue }
            if !r.categories.isEmpty && !(f.category.map(r.categories.contains) ?? false) { continue }
            flags.insert(flag)
            reasons.append(Reason(code: "\(flag.rawValue)_rule", message: "\(Self.flagName(flag))：\(r.description)（\(r.id)）"))
        }
        let coordinator = rs.handlers.coordinator
        if !flags.contains(.coordination), f.lead == coordinator, f.multiDepartmentCue, f.category != "suggestion" {
            flags.insert(.coordination)
            reasons.append(Reason(code: "coordination_lead", message: "\(Self.flagName(.coordination))：部门间推诿、责任不清，由\(name(rs, coordinator))牵头协调"))
        }
        return Escalation(flags: flags, reasons: reasons)
    }

    static func flagName(_ f: EscalationFlag) -> String {
        switch f {
        case .leaderReport: return "专报"
        case .coordination: return "协调"
        case .woodpeckerCandidate: return "啄木鸟候选"
        }
    }

    func complexity(_ f: PreReviewFacts) -> (Complexity, [Reason]) {
        let rs = ruleSet
        var reasons: [Reason] = []
        for i in f.items where i.complexity == .complex {
            reasons.append(Reason(code: "complex_item", message: "复杂：事项「\(i.name)」为复杂事项"))
        }
        for c in f.combined where c.complexity == .complex {
            reasons.append(Reason(code: "complex_combined", message: "复杂：一件事「\(c.name)」为复杂事项"))
        }
        if f.multiDepartment { reasons.append(Reason(code: "complex_multi_department", message: "复杂：涉及多个部门")) }
        for r in f.escalation.map({ rs.escalation[$0] }) {
            if r.policyQuestion {
                reasons.append(Reason(code: "complex_policy_question", message: "复杂：涉及政策问题（\(r.id)）"))
            } else if r.complex {
                reasons.append(Reason(code: "complex_rule", message: "复杂：\(r.description)（\(r.id)）"))
            }
        }
        if reasons.isEmpty { return (.simple, [Reason(code: "simple", message: "简单：未发现复杂事项、多部门或政策问题")]) }
        return (.complex, reasons)
    }
}
