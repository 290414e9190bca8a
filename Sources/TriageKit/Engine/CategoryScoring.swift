/// Category scores from the classification rules that fired (stage 4 of the decision).
struct CategoryScores {
    /// Score per category index.
    var scores: [Double]
    /// Classification rules that fired (not vetoed by an exclusion), in rule order.
    var fired: [Hits.Fired]
    /// Categories a veto rule ruled out, with the rule that did.
    var vetoes: [(category: Int, rule: Int)] = []
    /// Topic evidence for categories: topic, category, amount.
    var topicEvidence: [(topic: Int, category: Int, amount: Double)] = []

    init(_ hits: Hits.RuleHits, topics: TopicScores, _ rs: RuleSet) {
        scores = [Double](repeating: 0, count: rs.categories.count)
        fired = hits.fired
        for t in topics.topics {
            for (c, share) in rs.index.topicCategories[t.topic] {
                let amount = t.score * share * rs.settings.weights.categoryTopic
                scores[c] += amount
                topicEvidence.append((t.topic, c, amount))
            }
        }
        for f in hits.fired {
            let c = rs.index.ruleCategory[f.index]
            scores[c] += rs.rules[f.index].weight
            if rs.rules[f.index].vetoesCategory, !vetoes.contains(where: { $0.category == c }) {
                vetoes.append((c, f.index))
            }
        }
    }

    /// True when a veto rule ruled category `c` out.
    func isVetoed(_ c: Int) -> Bool { vetoes.contains { $0.category == c } }
}

/// Which category the message belongs to (stage 6).
struct CategoryDecision {
    /// How the category was decided.
    enum Basis {
        /// The highest rule score reached the minimum; `tied` are the other categories with that score.
        case rules(best: Double, tied: [Int])
        /// No category reached the minimum, but a matter was found.
        case fallback
        /// Neither.
        case undecided
    }

    /// The category index, or `nil`.
    var category: Int?
    /// How.
    var basis: Basis

    /// The highest-scoring category that is not vetoed, ties broken by `decision.precedence`;
    /// otherwise the fallback category when a matter was found.
    static func decide(_ scores: CategoryScores, hasMatter: Bool, _ rs: RuleSet) -> CategoryDecision {
        let open = scores.scores.indices.filter { !scores.isVetoed($0) }
        let best = open.map { scores.scores[$0] }.max() ?? 0
        if best >= rs.settings.minScore {
            let tied = open.filter { scores.scores[$0] == best }
            let chosen = tied.min { rs.index.precedence[$0] < rs.index.precedence[$1] } ?? tied[0]
            return CategoryDecision(category: chosen, basis: .rules(best: best, tied: tied.filter { $0 != chosen }))
        }
        if hasMatter, let fallback = rs.index.fallbackCategory, !scores.isVetoed(fallback) {
            return CategoryDecision(category: fallback, basis: .fallback)
        }
        return CategoryDecision(category: nil, basis: .undecided)
    }
}
