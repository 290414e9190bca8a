/// Everything that fired for one message, for `triage explain`: why this route and not another.
public struct Explanation: Sendable, Equatable {
    /// A classification rule that fired, with its contribution.
    public struct FiredRule: Sendable, Hashable {
        /// Rule id.
        public var rule: String
        /// Category it scores.
        public var category: CategoryID
        /// Weight added.
        public var weight: Double
        /// Matched texts.
        public var matches: [String]
        /// Where the rule is defined.
        public var location: SourceLocation
        /// The hand-written weight when `weight` was fitted (`fitted_weights.yaml`); nil otherwise.
        public var handWrittenWeight: Double? = nil
    }
    /// A rule whose patterns matched but an exclusion vetoed it.
    public struct VetoedRule: Sendable, Hashable {
        /// Rule or cue id.
        public var rule: String
        /// The text the exclusion matched (empty when the exclusion failed and vetoed to be safe).
        public var by: String
        /// Where the rule is defined.
        public var location: SourceLocation
    }
    /// A cue that fired.
    public struct FiredCue: Sendable, Hashable {
        /// Cue id.
        public var id: String
        /// The flag it raises.
        public var flag: CueFlag
        /// Matched texts.
        public var matches: [String]
    }
    /// A screening or escalation rule that fired (and, for escalation, applies).
    public struct PreReviewRule: Sendable, Hashable {
        /// Rule id.
        public var id: String
        /// Matched texts.
        public var matches: [String]
    }
    /// A topic with evidence.
    public struct TopicScore: Sendable, Hashable {
        /// Topic id.
        public var id: String
        /// Chinese name.
        public var name: String
        /// The topic's score (capped), before it is shared out among its departments.
        public var score: Double
        /// The lexicon entries that matched, with their weights.
        public var words: [String]
    }
    /// A department's evidence score and where it came from.
    public struct DepartmentScore: Sendable, Hashable {
        /// Department.
        public var department: TriageResult.DepartmentRef
        /// Total score.
        public var score: Double
        /// Each contribution.
        public var contributions: [Reason.Contribution]
    }

    /// Classification rules that fired.
    public var fired: [FiredRule] = []
    /// Rules and cues vetoed by an exclusion.
    public var vetoed: [VetoedRule] = []
    /// Cues that fired.
    public var cues: [FiredCue] = []
    /// Topics with evidence, strongest first.
    public var topics: [TopicScore] = []
    /// What topics added to category scores: topic id, category, amount.
    public var categoryTopics: [CategoryTopic] = []
    /// A topic's contribution to a category's score.
    public struct CategoryTopic: Sendable, Hashable {
        /// Topic id.
        public var topic: String
        /// The category.
        public var category: CategoryID
        /// Added to its score.
        public var amount: Double
    }
    /// Department scores, highest first.
    public var departmentScores: [DepartmentScore] = []
    /// Patterns that failed (e.g. hit the backtracking bound), described.
    public var failures: [String] = []
    /// Screening and escalation rules that fired.
    public var preReview: [PreReviewRule] = []
    /// How many PCRE2 patterns ran for this message.
    public var patternsRun = 0
    /// Matcher entries in the rule set.
    public var patternsTotal = 0
}

extension Explanation {
    /// The explanation of a decision.
    init(_ d: Decision, _ rs: RuleSet) {
        func texts(_ ranges: [Range<Int>]) -> [String] { ranges.map { d.text.originalText(d.text.originalRange($0)) } }
        patternsRun = d.hits.patternsRun
        patternsTotal = rs.owners.count
        fired = d.categories.fired.map { f in
            let rule = rs.rules[f.index]
            return FiredRule(rule: rule.id, category: rule.category, weight: rule.weight, matches: texts(f.matches),
                             location: rule.core.location, handWrittenWeight: rule.handWrittenWeight)
        }
        for (kind, hits) in [(RuleKind.classification, d.hits.classification), (.cue, d.hits.cues),
                             (.screening, d.hits.screening), (.escalation, d.hits.escalation)] {
            for v in hits.vetoed {
                let core = rs.core(kind, v.index)
                vetoed.append(VetoedRule(rule: core.id, by: v.by.map { texts([$0])[0] } ?? "", location: core.location))
            }
        }
        cues = d.hits.cues.fired.map { FiredCue(id: rs.cues[$0.index].id, flag: rs.cues[$0.index].flag, matches: texts($0.matches)) }
        topics = d.topics.topics.map { t in
            let topic = rs.topics[t.topic]
            return TopicScore(id: topic.id, name: topic.name, score: t.score,
                              words: t.entries.map {
                                  let e = topic.entries[$0.entry]
                                  return "\(e.text) \(ReasonText.number(e.weight))" + (e.handWrittenWeight.map { "（拟合，手写 \(ReasonText.number($0))）" } ?? "")
                              })
        }
        categoryTopics = d.categories.topicEvidence.map {
            CategoryTopic(topic: rs.topics[$0.topic].id, category: rs.categories[$0.category].id, amount: $0.amount)
        }
        departmentScores = d.departments.ranked.map {
            DepartmentScore(department: rs.ref($0.department), score: $0.score, contributions: $0.contributions)
        }
        failures = d.hits.failures.map { ReasonText.message(.patternFailed(owner: rs.describe(rs.owners[$0.entry]), message: $0.message)) }
        preReview = d.hits.screening.fired.map { PreReviewRule(id: rs.screening[$0.index].id, matches: texts($0.matches)) }
            + d.escalationRules.map { PreReviewRule(id: rs.escalation[$0.index].id, matches: texts($0.matches)) }
    }
}

extension RuleSet {
    /// What a matcher entry belongs to, for messages: `rule 'tech_login'`.
    func describe(_ owner: EntryOwner) -> String {
        switch owner {
        case .rule(let kind, let index, _): return "\(kind.rawValue) '\(core(kind, index).id)'"
        case .item(let i), .itemExclude(let i): return "item '\(items[i].id)'"
        case .department(let d): return "department '\(departments[d].id)'"
        case .combined(let c): return "combined matter '\(combined[c].id)'"
        case .topic(let t, _): return "topic '\(topics[t].id)'"
        case .addressee: return "addressee word"
        }
    }
}
