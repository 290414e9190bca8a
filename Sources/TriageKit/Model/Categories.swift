/// How a category's messages are routed.
public enum Channel: String, Sendable, Hashable, CaseIterable {
    /// Handled directly by the e-government centre, not dispatched.
    case direct
    /// Dispatched through the 12345 hotline.
    case hotline
}

extension RuleSet {
    /// A category, defined in YAML.
    package struct Category: Sendable, Identifiable {
        /// Stable id, e.g. `technical`.
        package var id: CategoryID
        /// Chinese name, e.g. 技术问题.
        package var name: String
        /// What belongs in it.
        package var description: String
        /// Routing channel.
        package var channel: Channel
        /// A fixed handler, or `nil` for "the department that owns the matter".
        package var handler: DepartmentID?
        /// Fixed co-handlers for this category (e.g. 区府办 for technical problems).
        package var coHandlers: [DepartmentID]
        /// When a combined matter (一件事) leads a message of this category, whether all its
        /// departments are co-handlers (`combined_co_handlers: all`, the default: a question about
        /// doing the matter involves every department of it) or only departments with evidence of
        /// their own (`evidence`: a complaint about a combined matter is answered by its lead).
        package var combinedCoHandlersAll: Bool
        /// Escalation flags that rules never raise for this category's messages
        /// (`escalation.never`), e.g. a suggestion is not a coordination case.
        package var neverEscalate: Set<EscalationFlag>
        /// Where it was defined.
        package var location: SourceLocation
    }
}
