/// Simple matters get 5 working days for a reply, complex ones 15.
public enum Complexity: String, Sendable, Hashable, CaseIterable {
    /// 5 working days.
    case simple
    /// 15 working days.
    case complex
}

extension RuleSet {
    /// A literal alias with the place it was written.
    package struct Alias: Sendable {
        /// As written.
        package var text: String
        /// Normalised, as matched.
        package var normalized: String
        /// Where it was written.
        package var location: SourceLocation
    }

    /// A service item (办事事项) or responsibility matter (职责事项).
    package struct Item: Sendable, Identifiable {
        /// Stable id.
        package var id: String
        /// Chinese name.
        package var name: String
        /// The exercising department.
        package var department: DepartmentID
        /// Co-departments.
        package var coDepartments: [DepartmentID]
        /// Simple or complex.
        package var complexity: Complexity
        /// The category whose matters this item describes (e.g. platform faults are
        /// `technical`); when a veto rule rules that category out, the item gives no evidence.
        package var category: CategoryID?
        /// Literal aliases.
        package var aliases: [Alias]
        /// Patterns.
        package var patterns: [RulePattern]
        /// Any one matching leaves the item out of the message (巾帼 in "巾帼大酒店" is a name).
        package var exclude: [RulePattern] = []
        /// Evidence weight for the exercising department.
        package var weight: Double
        /// The hand-written weight, when `triage fit`'s weights file replaced it.
        package var handWrittenWeight: Double? = nil
        /// A place or institution where matters happen (a school, a hospital, a metro station),
        /// not a matter itself: it weighs `weights.context` instead of `weight`.
        package var isContext: Bool
        /// Free text.
        package var description: String = ""
        /// Sentences it must (and must not) match.
        package var examples = RuleExamples()
        /// Provenance.
        package var metadata = RuleMetadata()
        /// Where it was defined.
        package var location: SourceLocation
    }

    /// A combined matter (一件事): several departments and a declared lead.
    package struct CombinedMatter: Sendable, Identifiable {
        /// Stable id.
        package var id: String
        /// Chinese name.
        package var name: String
        /// Literal aliases.
        package var aliases: [Alias]
        /// Patterns.
        package var patterns: [RulePattern]
        /// The declared lead department.
        package var lead: DepartmentID
        /// All departments involved, lead included.
        package var departments: [DepartmentID]
        /// Simple or complex.
        package var complexity: Complexity
        /// Free text.
        package var description: String = ""
        /// Sentences it must (and must not) match.
        package var examples = RuleExamples()
        /// Provenance.
        package var metadata = RuleMetadata()
        /// Where it was defined.
        package var location: SourceLocation
    }
}
