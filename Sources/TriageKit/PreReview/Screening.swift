/// The screening decision (pre-review, stage 9): accept, reject with a reason, or
/// send to a person.
enum ScreeningStage {
    /// What screening reads from the earlier stages.
    struct Facts {
        /// Screening rules that fired (not vetoed), with their matches.
        var fired: [Hits.Fired]
        /// Screening rules with a pattern that failed while matching.
        var failed: [Int]
        /// The highest category score.
        var bestScore: Double
        /// An item, combined matter or substantive department was found.
        var hasMatter: Bool
        /// Why the message is vague, if it is.
        var vague: [FlagDecision.VagueCause]
        /// Letters and digits in the message.
        var meaningfulChars: Int
        /// Matches of classification rules that fired with a positive weight.
        var categorySpans: [Range<Int>]
    }

    /// A reject rule wins only when nothing argues for a real request: a genuine-request
    /// rule, an identified matter, or category evidence outside the rejected words.
    static func decide(_ f: Facts, _ rs: RuleSet) -> TriageResult.Screening {
        let rules = f.fired.map { (fired: $0, rule: rs.screening[$0.index]) }
        let genuine = rules.filter { $0.rule.action == .genuine }
        let rejects = rules.filter { $0.rule.action == .reject }
        var reasons: [Reason] = []
        let order: [RejectReason] = [.spam, .abuse, .gibberish, .offTopic]
        if let reason = order.first(where: { r in rejects.contains { $0.rule.reason == r } }),
           let rule = rejects.first(where: { $0.rule.reason == reason })?.rule {
            // Category evidence counts only where it is not the very words that look like spam or abuse.
            let rejectSpans = rejects.filter { $0.rule.reason == reason }.flatMap(\.fired.matches)
            let independent = f.categorySpans.contains { c in
                !rejectSpans.contains { $0.lowerBound <= c.lowerBound && c.upperBound <= $0.upperBound }
            }
            let asks = independent && f.bestScore >= rs.settings.minScore
            let request = reason != .spam && (f.hasMatter || asks)
            if genuine.isEmpty && !request && f.failed.isEmpty {
                reasons.append(.screeningReject(reason: reason, rule: named(rule.core)))
                return TriageResult.Screening(decision: .reject, reason: reason, reasons: reasons)
            }
            if reason == .abuse && asks {
                reasons.append(.screeningOverruled(reason: reason, rule: rule.id))
            } else {
                reasons.append(.screeningConflict(reason: reason, rule: rule.id, matterFound: request,
                                                  genuine: genuine.map(\.rule.id)))
                return TriageResult.Screening(decision: .needsReview, reason: nil, reasons: reasons)
            }
        }
        for r in f.failed { reasons.append(.screeningPatternFailed(rule: rs.screening[r].id)) }
        let onlyNoMatter = f.vague == [.noMatter]
        if !f.vague.isEmpty && !(onlyNoMatter && f.meaningfulChars >= rs.settings.reviewNoMatterBelow) {
            reasons.append(.screeningVague)
        }
        for r in rules where r.rule.action == .needsReview { reasons.append(.screeningReviewRule(rule: named(r.rule.core))) }
        if reasons.contains(where: { $0.code != .screeningOverruled }) {
            return TriageResult.Screening(decision: .needsReview, reason: nil, reasons: reasons)
        }
        reasons.append(.screeningAccept)
        return TriageResult.Screening(decision: .accept, reason: nil, reasons: reasons)
    }

    static func named(_ core: RuleCore) -> Reason.Named { Reason.Named(id: core.id, name: core.description) }
}
