extension RuleSet {
    /// Weights of department evidence.
    package struct EvidenceWeights: Sendable {
        /// A matched item, for its exercising department.
        package var item: Double = 2
        /// An explicit mention of a department.
        package var department: Double = 1
        /// A matched combined matter, for its lead.
        package var combined: Double = 3
        /// Each further occurrence of the same item (up to two) adds this share of its weight.
        package var repeated: Double = 0.5
        /// Bonus for the department of the matter mentioned first.
        package var first: Double = 0.5
        /// Repeats beyond the first occurrence that count (each adds `repeated`).
        package var maxRepeats: Int = 2
        /// Evidence in the subject (the first `subject_chars` characters) counts (1 + this) times.
        package var subject: Double = 0
        /// A department named right after a request word (请, 要求 …) counts (1 + this) times.
        package var addressee: Double = 0
        /// The weight of an item marked `context: true` (a place or an institution where the
        /// matter happens, not the matter itself), instead of the item's own weight.
        package var context: Double = 0.5
        /// The scale of topic evidence: a department gets topic score × share × this.
        package var topic: Double = 1
        /// A topic's score is capped at this before it is shared out.
        package var topicCap: Double = 6
        /// A topic gives department evidence only when its score reaches this (one passing
        /// word is not a topic).
        package var topicMin: Double = 2
        /// The same threshold when no item, name or combined matter gave any evidence.
        package var topicMinAlone: Double = 1
        /// The scale of a topic's evidence for its categories (`categories:` on a topic).
        package var categoryTopic: Double = 1
    }

    /// How scores become a decision (`ruleset.decision` in YAML).
    package struct DecisionSettings: Sendable {
        /// A category needs at least this score.
        package var minScore: Double = 1
        /// A category with a fixed handler (technical) that lost adds its handler as a co-handler
        /// when its score reaches this.
        package var secondCategoryMin: Double = 3
        /// Tie-break order of categories.
        package var precedence: [CategoryID] = []
        /// Category used when none reaches `minScore` but a matter was found.
        package var fallbackCategory: CategoryID?
        /// Runner-up / top department score at or above which two departments are "balanced".
        package var leadBalance: Double = 0.8
        /// Who leads balanced departments: the top one (default; the other co-handles and
        /// coordination is raised) or the coordinator (`balanced_lead: coordinator`).
        package var balancedLeadIsCoordinator = false
        /// Evidence weights.
        package var weights = EvidenceWeights()
        /// How many leading characters of a message count as its subject line.
        package var subjectChars: Int = 20
        /// Words that make a department named right after them the addressee ("请区城管局…").
        package var addresseeWords: [String] = []
        /// How many characters may lie between an addressee word and the department's name.
        package var addresseeWindow: Int = 6
        /// Fewer meaningful characters than this makes a message vague.
        package var vagueMinChars: Int = 6
        /// A message with no identifiable matter is vague only when shorter than this.
        package var vagueNoMatterBelow: Int = 16
        /// With a passed-between cue, the coordinator leads when the runner-up's score is at
        /// least this share of the top score.
        package var passedBalance: Double = 0.5
        /// A process unit (e.g. 区电子政务中心 for the platform) leads when its score is at least this
        /// multiple of the strongest ordinary department's.
        package var processLeadRatio: Double = 2
        /// A department counts as involved (co-handler, multi-department) when its score is at
        /// least this share of the top score.
        package var multiRatio: Double = 0.5
        /// A complex item makes the message complex only when its department is the lead, a
        /// co-handler, or has at least this share of the lead's evidence; below that it was
        /// named in passing (`complexity_ratio`).
        package var complexityRatio: Double = 0.5
        /// Screening sends a message with no recognised matter to review only when it has
        /// fewer meaningful characters than this; a longer one describes its matter even
        /// when the knowledge base does not know it.
        package var reviewNoMatterBelow: Int = 16
    }
}
