extension RuleSet {
    /// The role a department plays in the process.
    package enum DepartmentRole: String, Sendable, CaseIterable {
        /// An ordinary department that exercises items.
        case department
        /// A unit of the feedback process itself (e-government centre, service centre, 12345).
        case process
        /// Street- and town-level handlers.
        case community
    }

    /// A department or handler.
    package struct Department: Sendable, Identifiable {
        /// Stable id.
        package var id: DepartmentID
        /// Short name as used in Pudong documents (区市场监管局).
        package var name: String
        /// Full official name.
        package var fullName: String
        /// How citizens write it.
        package var aliases: [String]
        /// Its role.
        package var role: DepartmentRole
        /// Where it was defined.
        package var location: SourceLocation
    }

    /// The special handlers the process names.
    package struct Handlers: Sendable {
        /// Coordinates when responsibility is unclear (区行政服务中心).
        package var coordinator: DepartmentID
    }
}
