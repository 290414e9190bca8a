extension RuleSet {
    /// A topic (话题): a lexicon of words and short patterns with signed weights, and the
    /// departments the topic belongs to. A topic gives evidence when a message describes a
    /// matter without naming any item ("工资拖了半年不发", "路灯坏了三个月").
    package struct Topic: Sendable, Identifiable {
        /// One lexicon entry: a literal word or a pattern, and its weight.
        package struct Entry: Sendable {
            /// The word as written, or the pattern source.
            package var text: String
            /// The normalised word (literal entries only).
            package var normalized: String?
            /// The compiled pattern (pattern entries only).
            package var pattern: RulePattern?
            /// Added to the topic's score when the entry occurs (may be negative).
            package var weight: Double
            /// The hand-written weight, when `triage fit`'s weights file replaced it.
            package var handWrittenWeight: Double? = nil
            /// Where it was written.
            package var location: SourceLocation
        }

        /// Stable id.
        package var id: String
        /// Chinese name, e.g. 劳动关系与工资.
        package var name: String
        /// What belongs in it.
        package var description: String
        /// The departments the topic belongs to, with each one's share of the topic's score.
        package var departments: [(department: DepartmentID, share: Double)]
        /// The categories the topic argues for, with each one's share (a lexicon of grievance
        /// words for `complaint`, of request words for `business` …).
        package var categories: [(category: CategoryID, share: Double)]
        /// The lexicon.
        package var entries: [Entry]
        /// Where it was defined.
        package var location: SourceLocation
    }
}
