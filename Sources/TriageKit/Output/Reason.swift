/// One reason behind a decision, with the facts it rests on. The Chinese message
/// staff read is rendered from these facts on request (``message``, ``ReasonText``);
/// the engine never builds text while it decides.
public enum Reason: Sendable, Hashable {
    /// A category, or a rule-set entry, as reasons name it: id and Chinese name or description.
    public struct Named: Sendable, Hashable {
        /// The id.
        public var id: String
        /// The Chinese name (categories, items, combined matters) or description (rules).
        public var name: String
    }

    // Category.
    /// The category with the highest score won.
    case categoryRules(category: Named, score: Double, rules: [String], tiedWith: [CategoryID])
    /// No category reached the minimum score, but a matter was found: the fallback category.
    case categoryFallback(category: Named, minScore: Double)
    /// No category reached the minimum score and no matter was found.
    case categoryUndecided(minScore: Double)
    /// A veto rule ruled a category out (for example "不是系统问题" rules out 技术问题).
    case categoryVetoed(category: Named, rule: Named)
    /// A pattern failed while matching (backtracking limit); it counted as not matching.
    case patternFailed(owner: String, message: String)
    /// More evidence than the limit: only `kept` of `total` spans are listed.
    case evidenceTruncated(kept: Int, total: Int)

    // Lead.
    /// The category has a fixed handler.
    case leadCategoryHandler(category: Named, handler: TriageResult.DepartmentRef)
    /// A combined matter matched: its declared lead leads.
    case leadCombined(matter: Named, lead: TriageResult.DepartmentRef)
    /// A unit of the process itself (the platform, the service hall) has far stronger evidence.
    case leadProcessUnit(unit: TriageResult.DepartmentRef, because: [Contribution])
    /// Departments pass the matter between them: the coordinator leads.
    case leadPassedBetween(top: TriageResult.DepartmentRef, runnerUp: TriageResult.DepartmentRef,
                           cues: [String], coordinator: TriageResult.DepartmentRef)
    /// Departments pass the matter between them, but one owns it by the evidence: it leads.
    case leadOwnerOfPassed(top: TriageResult.DepartmentRef, runnerUp: TriageResult.DepartmentRef, cues: [String])
    /// Two departments have comparable evidence: the top one leads, the other co-handles.
    case leadTopOfBalanced(top: TriageResult.DepartmentRef, topScore: Double, runnerUp: TriageResult.DepartmentRef,
                           runnerUpScore: Double)
    /// Two departments have comparable evidence: the coordinator leads.
    case leadBalanced(top: TriageResult.DepartmentRef, topScore: Double, runnerUp: TriageResult.DepartmentRef,
                      runnerUpScore: Double, coordinator: TriageResult.DepartmentRef)
    /// The department with the strongest item evidence leads.
    case leadItem(department: TriageResult.DepartmentRef, because: [Contribution])
    /// The department named most strongly leads (no item matched).
    case leadDepartmentMentioned(department: TriageResult.DepartmentRef, because: [Contribution])
    /// No department could be identified: the coordinator leads.
    case leadUnclear(coordinator: TriageResult.DepartmentRef)
    /// A category with a fixed handler reached the minimum but lost: its handler co-handles.
    case coHandlerSecondCategory(category: Named, handler: TriageResult.DepartmentRef)

    // Flags.
    /// The message is empty.
    case vagueEmpty
    /// Fewer meaningful characters than the minimum.
    case vagueTooShort(chars: Int, minimum: Int)
    /// No matter or department could be identified.
    case vagueNoMatter
    /// Vague cues fired.
    case vagueCue(cues: [String])
    /// Several departments have comparable evidence.
    case multiDepartments(departments: [TriageResult.DepartmentEvidence])
    /// Multi-department or passed-between cues fired.
    case multiCue(cues: [String])
    /// A combined matter involves several departments.
    case multiCombined(matter: Named)

    // Route.
    /// Handled directly, not dispatched.
    case routeDirect(handler: TriageResult.DepartmentRef)
    /// Dispatched through 12345.
    case routeHotline(handler: TriageResult.DepartmentRef)
    /// Screening rejected the message: no lead, nothing dispatched.
    case screeningRejected(reason: RejectReason)

    // Screening.
    /// A reject rule fired and nothing argues for a real request.
    case screeningReject(reason: RejectReason, rule: Named)
    /// Abusive words around a clear request: accepted.
    case screeningOverruled(reason: RejectReason, rule: String)
    /// A reject rule fired but there are signs of a real request: a person looks.
    case screeningConflict(reason: RejectReason, rule: String, matterFound: Bool, genuine: [String])
    /// The message is vague: a person looks.
    case screeningVague
    /// A review rule fired.
    case screeningReviewRule(rule: Named)
    /// A screening pattern failed (backtracking limit), so screening cannot be trusted: a person looks.
    case screeningPatternFailed(rule: String)
    /// Nothing argues against it: accepted.
    case screeningAccept

    // Escalation.
    /// Screening rejected the message: no escalation.
    case escalationRejected
    /// An escalation rule raised a flag.
    case escalationRule(flag: EscalationFlag, rule: Named)
    /// Departments pass the matter on and the coordinator leads: coordination.
    case coordinationLead(coordinator: TriageResult.DepartmentRef)
    /// Responsibility is shared or passed on, though one department leads: coordination.
    case coordinationShared(lead: TriageResult.DepartmentRef, coordinator: TriageResult.DepartmentRef)

    // Complexity.
    /// The matter's item is complex.
    case complexItem(item: Named)
    /// The combined matter is complex.
    case complexCombined(matter: Named)
    /// Several departments are involved.
    case complexMultiDepartment
    /// A policy question.
    case complexPolicyQuestion(rule: String)
    /// A complexity rule fired.
    case complexRule(rule: Named)
    /// Nothing makes it complex.
    case simple

    // Deadlines.
    /// The pre-review deadline.
    case preReviewDue(received: LocalDate, days: Int, due: LocalDate)
    /// The reply deadline, counted from the pre-review deadline.
    case replyDueFromPreReview(from: LocalDate, days: Int, complexity: Complexity, due: LocalDate)
    /// The reply deadline, counted from the dispatch date.
    case replyDueFromDispatch(from: LocalDate, days: Int, complexity: Complexity, due: LocalDate)
    /// Screening rejected the message: no reply is due.
    case replyNotDue
    /// The calendar does not cover a year the count runs into, and its statutory holidays are not known.
    case calendarMissingYear(year: Int)
    /// The count ran into years whose holiday notice the calendar does not have: their statutory holidays were used.
    case calendarProvisionalYear(years: [Int])

    /// The stable machine-readable code.
    public var code: ReasonCode {
        switch self {
        case .categoryRules: return .categoryRules
        case .categoryFallback: return .categoryFallback
        case .categoryUndecided: return .categoryUndecided
        case .categoryVetoed: return .categoryVetoed
        case .patternFailed: return .patternFailed
        case .evidenceTruncated: return .evidenceTruncated
        case .leadCategoryHandler: return .leadCategoryHandler
        case .leadCombined: return .leadCombined
        case .leadProcessUnit: return .leadProcessUnit
        case .leadPassedBetween: return .leadPassedBetween
        case .leadOwnerOfPassed: return .leadOwnerOfPassed
        case .leadTopOfBalanced: return .leadTopOfBalanced
        case .leadBalanced: return .leadBalanced
        case .leadItem: return .leadItem
        case .leadDepartmentMentioned: return .leadDepartmentMentioned
        case .leadUnclear: return .leadUnclear
        case .coHandlerSecondCategory: return .coHandlerSecondCategory
        case .vagueEmpty: return .vagueEmpty
        case .vagueTooShort: return .vagueTooShort
        case .vagueNoMatter: return .vagueNoMatter
        case .vagueCue: return .vagueCue
        case .multiDepartments: return .multiDepartments
        case .multiCue: return .multiCue
        case .multiCombined: return .multiCombined
        case .routeDirect: return .routeDirect
        case .routeHotline: return .routeHotline
        case .screeningRejected: return .screeningRejected
        case .screeningReject(let reason, _):
            switch reason {
            case .spam: return .screeningRejectSpam
            case .abuse: return .screeningRejectAbuse
            case .gibberish: return .screeningRejectGibberish
            case .offTopic: return .screeningRejectOffTopic
            }
        case .screeningOverruled: return .screeningOverruled
        case .screeningConflict: return .screeningConflict
        case .screeningVague: return .screeningVague
        case .screeningReviewRule: return .screeningReviewRule
        case .screeningPatternFailed: return .screeningPatternFailed
        case .screeningAccept: return .screeningAccept
        case .escalationRejected: return .escalationRejected
        case .escalationRule(let flag, _):
            switch flag {
            case .leaderReport: return .leaderReportRule
            case .coordination: return .coordinationRule
            case .woodpeckerCandidate: return .woodpeckerCandidateRule
            }
        case .coordinationLead: return .coordinationLead
        case .coordinationShared: return .coordinationShared
        case .complexItem: return .complexItem
        case .complexCombined: return .complexCombined
        case .complexMultiDepartment: return .complexMultiDepartment
        case .complexPolicyQuestion: return .complexPolicyQuestion
        case .complexRule: return .complexRule
        case .simple: return .simple
        case .preReviewDue: return .preReviewDue
        case .replyDueFromPreReview: return .replyDueFromPreReview
        case .replyDueFromDispatch: return .replyDueFromDispatch
        case .replyNotDue: return .replyNotDue
        case .calendarMissingYear: return .calendarMissingYear
        case .calendarProvisionalYear: return .calendarProvisionalYear
        }
    }

    /// The message for staff, in Chinese.
    public var message: String { ReasonText.message(self) }
}

extension Reason {
    /// One piece of a department's evidence.
    public enum Contribution: Sendable, Hashable {
        /// A matched item, with how often it occurred.
        case item(Reason.Named, amount: Double, times: Int, inSubject: Bool = false, context: Bool = false, fitted: Bool = false)
        /// A mention of the department itself.
        case department(name: String, amount: Double, times: Int = 1, inSubject: Bool = false, addressed: Bool = false)
        /// A combined matter the department leads.
        case combined(Reason.Named, amount: Double)
        /// The bonus for the matter named first.
        case first(amount: Double)
        /// A topic's evidence: its share of the topic's score, and the words that matched.
        case topic(Reason.Named, amount: Double, words: [String])

        /// The weight it adds.
        public var amount: Double {
            switch self {
            case .item(_, let a, _, _, _, _), .department(_, let a, _, _, _), .combined(_, let a), .first(let a), .topic(_, let a, _):
                return a
            }
        }

        /// One line for people, in Chinese.
        public var text: String { ReasonText.contribution(self) }
    }
}

/// Every reason code of the output contract (docs/output.md lists them, generated from this enum).
public enum ReasonCode: String, Sendable, CaseIterable, Hashable {
    case categoryRules = "category_rules"
    case categoryFallback = "category_fallback"
    case categoryUndecided = "category_undecided"
    case categoryVetoed = "category_vetoed"
    case patternFailed = "pattern_failed"
    case evidenceTruncated = "evidence_truncated"
    case leadCategoryHandler = "lead_category_handler"
    case leadCombined = "lead_combined"
    case leadProcessUnit = "lead_process_unit"
    case leadPassedBetween = "lead_passed_between"
    case leadOwnerOfPassed = "lead_owner_of_passed"
    case leadTopOfBalanced = "lead_top_of_balanced"
    case leadBalanced = "lead_balanced"
    case leadItem = "lead_item"
    case leadDepartmentMentioned = "lead_department_mentioned"
    case leadUnclear = "lead_unclear"
    case coHandlerSecondCategory = "co_handler_second_category"
    case vagueEmpty = "vague_empty"
    case vagueTooShort = "vague_too_short"
    case vagueNoMatter = "vague_no_matter"
    case vagueCue = "vague_cue"
    case multiDepartments = "multi_departments"
    case multiCue = "multi_cue"
    case multiCombined = "multi_combined"
    case routeDirect = "route_direct"
    case routeHotline = "route_hotline"
    case screeningRejected = "screening_rejected"
    case screeningRejectSpam = "screening_reject_spam"
    case screeningRejectAbuse = "screening_reject_abuse"
    case screeningRejectGibberish = "screening_reject_gibberish"
    case screeningRejectOffTopic = "screening_reject_off_topic"
    case screeningOverruled = "screening_overruled"
    case screeningConflict = "screening_conflict"
    case screeningVague = "screening_vague"
    case screeningReviewRule = "screening_review_rule"
    case screeningPatternFailed = "screening_pattern_failed"
    case screeningAccept = "screening_accept"
    case escalationRejected = "escalation_rejected"
    case leaderReportRule = "leader_report_rule"
    case coordinationRule = "coordination_rule"
    case woodpeckerCandidateRule = "woodpecker_candidate_rule"
    case coordinationLead = "coordination_lead"
    case coordinationShared = "coordination_shared"
    case complexItem = "complex_item"
    case complexCombined = "complex_combined"
    case complexMultiDepartment = "complex_multi_department"
    case complexPolicyQuestion = "complex_policy_question"
    case complexRule = "complex_rule"
    case simple
    case preReviewDue = "pre_review_due"
    case replyDueFromPreReview = "reply_due_from_pre_review"
    case replyDueFromDispatch = "reply_due_from_dispatch"
    case replyNotDue = "reply_not_due"
    case calendarMissingYear = "calendar_missing_year"
    case calendarProvisionalYear = "calendar_provisional_year"

    /// Where the code appears in a result: `reasons`, `screening.reasons`,
    /// `escalation.reasons` or `deadlines.reasons`.
    public var section: String {
        switch self {
        case .screeningRejectSpam, .screeningRejectAbuse, .screeningRejectGibberish, .screeningRejectOffTopic,
             .screeningOverruled, .screeningConflict, .screeningVague, .screeningReviewRule,
             .screeningPatternFailed, .screeningAccept:
            return "screening.reasons"
        case .escalationRejected, .leaderReportRule, .coordinationRule, .woodpeckerCandidateRule, .coordinationLead,
             .coordinationShared:
            return "escalation.reasons"
        case .complexItem, .complexCombined, .complexMultiDepartment, .complexPolicyQuestion, .complexRule, .simple,
             .preReviewDue, .replyDueFromPreReview, .replyDueFromDispatch, .replyNotDue, .calendarMissingYear,
             .calendarProvisionalYear:
            return "deadlines.reasons"
        default:
            return "reasons"
        }
    }

    /// What the code means, in one English line (the docs are generated from it).
    public var summary: String {
        switch self {
        case .categoryRules: return "the category with the highest rule score won (ties broken by `decision.precedence`)"
        case .categoryFallback: return "no category reached `min_score`, but an item or department was found: the fallback category"
        case .categoryUndecided: return "no category reached `min_score` and no matter was found"
        case .categoryVetoed: return "a veto rule (`veto: true`) ruled a category out; items of that category gave no evidence"
        case .patternFailed: return "a pattern failed while matching (backtracking limit) and counted as not matching; an exclusion that fails vetoes its rule"
        case .evidenceTruncated: return "more evidence than the limit (default 100 spans): every rule and entry keeps its first span, then the earliest others; `evidence_truncated` is true"
        case .leadCategoryHandler: return "the category has a fixed handler (technical problems)"
        case .leadCombined: return "a combined matter (一件事) matched: its declared lead leads"
        case .leadProcessUnit: return "a unit of the process itself (the platform, the service hall) has far stronger evidence"
        case .leadPassedBetween: return "departments pass the matter between them: the coordinator leads"
        case .leadOwnerOfPassed: return "departments pass the matter between them, but one owns it by the evidence (runner-up under `passed_balance`): it leads"
        case .leadTopOfBalanced: return "two departments have comparable evidence (`lead_balance`): the top one leads, the other co-handles"
        case .leadBalanced: return "two departments have comparable evidence and `balanced_lead: coordinator`: the coordinator leads"
        case .leadItem: return "the department with the strongest item evidence leads"
        case .leadDepartmentMentioned: return "no item matched; the department named most strongly leads"
        case .leadUnclear: return "no department could be identified: the coordinator leads"
        case .coHandlerSecondCategory: return "a category with a fixed handler (technical) reached `min_score` but lost: its handler co-handles, the owner leads"
        case .vagueEmpty: return "the message is empty"
        case .vagueTooShort: return "fewer meaningful characters than `decision.vague.min_chars`"
        case .vagueNoMatter: return "a short message with no identifiable matter or department"
        case .vagueCue: return "a vague cue fired (unclear reference, emotion only)"
        case .multiDepartments: return "several departments have comparable evidence (`multi_ratio`)"
        case .multiCue: return "a multi-department or passed-between cue fired"
        case .multiCombined: return "a combined matter involves several departments"
        case .routeDirect: return "handled directly by the category's handler, not dispatched"
        case .routeHotline: return "dispatched through the 12345 hotline"
        case .screeningRejected: return "screening rejected the message: no lead, no dispatch, no reply deadline"
        case .screeningRejectSpam: return "rejected as advertising or spam"
        case .screeningRejectAbuse: return "rejected as abuse with no request"
        case .screeningRejectGibberish: return "rejected as gibberish"
        case .screeningRejectOffTopic: return "rejected as unrelated to government services"
        case .screeningOverruled: return "abusive words around a clear request: accepted"
        case .screeningConflict: return "a reject rule fired, but there are signs of a real request: needs review"
        case .screeningVague: return "the message is vague: needs review"
        case .screeningReviewRule: return "a review rule fired: needs review"
        case .screeningPatternFailed: return "a screening pattern failed (backtracking limit): needs review, never a silent accept"
        case .screeningAccept: return "nothing argues against it: accepted"
        case .escalationRejected: return "screening rejected the message: no escalation"
        case .leaderReportRule: return "an escalation rule raised 专报 (leader report)"
        case .coordinationRule: return "an escalation rule raised coordination"
        case .woodpeckerCandidateRule: return "an escalation rule raised 啄木鸟 candidate"
        case .coordinationLead: return "departments pass the matter on and the coordinator leads: coordination"
        case .coordinationShared: return "responsibility is shared or passed on, though one department leads: coordination"
        case .complexItem: return "an item of the matter (the lead's or a co-handler's) is complex"
        case .complexCombined: return "the combined matter is complex"
        case .complexMultiDepartment: return "several departments are involved"
        case .complexPolicyQuestion: return "a policy question"
        case .complexRule: return "a complexity rule fired"
        case .simple: return "nothing makes the matter complex"
        case .preReviewDue: return "the pre-review deadline: 1 working day after receipt"
        case .replyDueFromPreReview: return "the reply deadline, counted from the pre-review deadline"
        case .replyDueFromDispatch: return "the reply deadline, counted from `dispatched_at`"
        case .replyNotDue: return "screening rejected the message: no reply is due"
        case .calendarMissingYear:
            return "the count runs into a year the calendar does not cover and whose statutory holidays are not known (before 2008 or after 2099): no date"
        case .calendarProvisionalYear:
            return "the count runs into a year whose holiday notice the calendar does not have yet: its statutory holidays were used, so the dates are provisional (`deadlines.provisional`)"
        }
    }
}

extension ReasonCode {
    /// The reason-code table of docs/output.md (between its `reason-codes` markers), generated
    /// from this enum so that the document cannot drift from the code.
    package static var markdownTable: String {
        var lines = ["| code | appears in | meaning |", "| --- | --- | --- |"]
        for code in allCases { lines.append("| `\(code.rawValue)` | `\(code.section)` | \(code.summary) |") }
        return lines.joined(separator: "\n") + "\n"
    }
}
