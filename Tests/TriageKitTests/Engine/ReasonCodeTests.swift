import Foundation
import Testing
@testable import TriageKit

/// Every reason code has Chinese text and a line in docs/output.md, generated from `ReasonCode`.
@Suite struct ReasonCodeTests {
    static let dept = TriageResult.DepartmentRef(id: "market", name: "区市场监管局")
    static let named = Reason.Named(id: "x", name: "某事项")
    static let day = LocalDate("2026-10-08")!

    /// One reason of every kind.
    static let samples: [Reason] = [
        .categoryRules(category: named, score: 3, rules: ["r"], tiedWith: ["technical"]),
        .categoryFallback(category: named, minScore: 1), .categoryUndecided(minScore: 1),
        .categoryVetoed(category: named, rule: named), .patternFailed(owner: "rule 'r'", message: "match limit"),
        .evidenceTruncated(kept: 100, total: 250),
        .leadCategoryHandler(category: named, handler: dept), .leadCombined(matter: named, lead: dept),
        .leadProcessUnit(unit: dept, because: [.first(amount: 0.5)]),
        .leadPassedBetween(top: dept, runnerUp: dept, cues: ["c"], coordinator: dept),
        .leadBalanced(top: dept, topScore: 2, runnerUp: dept, runnerUpScore: 2, coordinator: dept),
        .leadOwnerOfPassed(top: dept, runnerUp: dept, cues: ["c"]),
        .leadTopOfBalanced(top: dept, topScore: 2, runnerUp: dept, runnerUpScore: 2),
        .coordinationShared(lead: dept, coordinator: dept),
        .leadItem(department: dept, because: [.item(named, amount: 2, times: 2), .topic(named, amount: 1, words: ["工资"])]),
        .leadDepartmentMentioned(department: dept, because: [.department(name: "区市场监管局", amount: 2)]),
        .leadUnclear(coordinator: dept), .coHandlerSecondCategory(category: named, handler: dept), .vagueEmpty, .vagueTooShort(chars: 2, minimum: 6), .vagueNoMatter,
        .vagueCue(cues: ["c"]), .multiDepartments(departments: [TriageResult.DepartmentEvidence(department: dept, score: 2)]),
        .multiCue(cues: ["c"]), .multiCombined(matter: named), .routeDirect(handler: dept), .routeHotline(handler: dept),
        .screeningRejected(reason: .spam),
        .screeningReject(reason: .spam, rule: named), .screeningReject(reason: .abuse, rule: named),
        .screeningReject(reason: .gibberish, rule: named), .screeningReject(reason: .offTopic, rule: named),
        .screeningOverruled(reason: .abuse, rule: "r"), .screeningConflict(reason: .spam, rule: "r", matterFound: true, genuine: []),
        .screeningVague, .screeningReviewRule(rule: named), .screeningPatternFailed(rule: "r"), .screeningAccept,
        .escalationRejected, .escalationRule(flag: .leaderReport, rule: named), .escalationRule(flag: .coordination, rule: named),
        .escalationRule(flag: .woodpeckerCandidate, rule: named), .coordinationLead(coordinator: dept),
        .complexItem(item: named), .complexCombined(matter: named), .complexMultiDepartment, .complexPolicyQuestion(rule: "r"),
        .complexRule(rule: named), .simple, .preReviewDue(received: day, days: 1, due: day),
        .replyDueFromPreReview(from: day, days: 5, complexity: .simple, due: day),
        .replyDueFromDispatch(from: day, days: 15, complexity: .complex, due: day), .replyNotDue, .calendarMissingYear(year: 2100),
        .calendarProvisionalYear(years: [2027]),
    ]

    @Test func everyCodeHasASample() {
        #expect(Set(Self.samples.map(\.code)) == Set(ReasonCode.allCases))
    }

    @Test func everyReasonHasChineseText() {
        for r in Self.samples {
            let m = r.message
            #expect(m.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(r.code): \(m)")
            #expect(m != r.code.rawValue)
        }
    }

    @Test func everyCodeIsDocumentedAndTheTableIsCurrent() throws {
        let path = Fixture.packageRoot.appendingPathComponent("docs/output.md").path
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let begin = "<!-- BEGIN reason-codes -->\n", end = "<!-- END reason-codes -->"
        let start = try #require(doc.range(of: begin)), stop = try #require(doc.range(of: end))
        let current = String(doc[start.upperBound..<stop.lowerBound])
        if ProcessInfo.processInfo.environment["UPDATE_DOCS"] != nil, current != ReasonCode.markdownTable {
            try (doc[..<start.upperBound] + ReasonCode.markdownTable + doc[stop.lowerBound...])
                .write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == ReasonCode.markdownTable, "docs/output.md is out of date: UPDATE_DOCS=1 swift test --filter ReasonCodeTests")
        for code in ReasonCode.allCases { #expect(current.contains("`\(code.rawValue)`")) }
    }
}
