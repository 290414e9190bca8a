/// A typed, string-backed id of a rule-set entry. Ids are written in the YAML
/// rule files; the type keeps a category id from being passed as a department id.
public protocol StringIdentifier: RawRepresentable, Hashable, Comparable, Sendable,
    ExpressibleByStringLiteral, CustomStringConvertible where RawValue == String {
    /// Wraps an id as written in the rule set.
    init(_ rawValue: String)
}

extension StringIdentifier {
    /// Wraps an id as written in the rule set.
    public init(rawValue: String) { self.init(rawValue) }
    /// Wraps a literal id.
    public init(stringLiteral value: String) { self.init(value) }
    /// The id as written.
    public var description: String { rawValue }
    /// Orders ids by their text.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// The id of a category (`technical`, `business`, …), from `categories:` in the rule set.
public struct CategoryID: StringIdentifier {
    /// The id as written.
    public let rawValue: String
    /// Wraps an id as written in the rule set.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// The id of a department or handler (`market`, `egov_center`, …), from `departments:`.
public struct DepartmentID: StringIdentifier {
    /// The id as written.
    public let rawValue: String
    /// Wraps an id as written in the rule set.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}
