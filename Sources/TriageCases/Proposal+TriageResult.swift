// The only file of TriageCases that imports TriageKit: everything the case store needs from the
// engine passes through here, so that a change in TriageKit's API is fixed in one place.
import Foundation
import TriageKit

extension CaseProposal {
    /// The proposal of an engine result: its labels, deadlines, evidence ids and the full JSON.
    public init(result: TriageResult) {
        let screening: ScreeningLabel
        switch result.screening.decision {
        case .reject: screening = .reject(result.screening.reason?.rawValue ?? "spam")
        case .needsReview: screening = .needsReview
        case .accept: screening = .accept
        }
        let escalation = result.escalation
        let labels = CaseLabels(
            category: result.category?.rawValue, lead: result.lead?.id.rawValue, coHandlers: result.coHandlers.map(\.id.rawValue),
            screening: screening, vague: result.flags.vague, multiDepartment: result.flags.multiDepartment,
            leaderReport: escalation.has(.leaderReport), coordination: escalation.has(.coordination),
            woodpeckerCandidate: escalation.has(.woodpeckerCandidate))
        self.init(
            labels: labels, complexity: result.deadlines.complexity.rawValue,
            preReviewDue: result.deadlines.preReviewDue?.description, replyDue: result.deadlines.replyDue?.description,
            rulesetVersion: result.rulesetVersion,
            evidenceRules: Set(result.evidence.map { "\($0.kind.rawValue):\($0.rule)" }).sorted(),
            resultJSON: result.json.serialized)
    }

    /// The reply deadline day counted from a dispatch at `dispatchedAt`, with the rule set's
    /// working-day calendar (5 or 15 working days by complexity); `nil` when the calendar lacks the year.
    public static func replyDue(dispatchedAt: Date, complexity: String?, ruleSet: RuleSet) -> String? {
        let days = complexity == Complexity.complex.rawValue ? DeadlineRules.complexReplyDays : DeadlineRules.simpleReplyDays
        let day = Timestamp(epochSeconds: Int(CaseTime.seconds(dispatchedAt))).shanghaiDate
        return (try? ruleSet.calendar.addingWorkingDays(days, to: day))?.description
    }
}

extension NewCase {
    /// A case for a classified message: the message id from the result's id (a string as is, a
    /// number as written, `null` as none) and the receipt time the engine used.
    public init(result: TriageResult, text: String, channel: IntakeChannel) {
        let messageID: String?
        switch result.id {
        case .string(let s), .number(let s): messageID = s
        case .none: messageID = nil
        }
        let received = Date(timeIntervalSince1970: TimeInterval(result.deadlines.receivedAt.epochSeconds))
        self.init(messageID: messageID, channel: channel, text: text, receivedAt: received, proposal: CaseProposal(result: result))
    }
}

extension CaseVocabulary {
    /// The categories and departments of a rule set, with the departments' Chinese names.
    public init(ruleSet: RuleSet) {
        self.init(
            categories: Set(ruleSet.categories.map(\.id.rawValue)), departments: Set(ruleSet.departments.map(\.id.rawValue)),
            departmentNames: Dictionary(ruleSet.departments.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a }))
    }
}

/// SHA-256 for the stored form of tokens: the project's own implementation in TriageKit
/// (no crypto package is a dependency).
enum Digest {
    static func sha256Hex(_ bytes: [UInt8]) -> String { TriageKit.SHA256.hex(bytes) }
}
