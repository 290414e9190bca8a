/// Bounds on what a rule set may hold, so that a broken or hostile rule folder (a reload
/// on the server, a pull request run through `triage check`) cannot exhaust memory or time.
/// Every bound is reported as a load error with its place; see docs/limits.md.
public struct RuleSetLimits: Sendable, Hashable {
    /// Most bytes in one rule file.
    public var maxFileBytes: Int
    /// Most bytes in all rule files together.
    public var maxTotalBytes: Int
    /// Most entries of all kinds together: rules, cues, screening and escalation rules, items,
    /// combined matters, departments and categories.
    public var maxEntries: Int
    /// Most characters (Unicode scalars) in one pattern or alias.
    public var maxPatternLength: Int

    /// 8 MiB a file, 64 MiB in all, 100,000 entries, 8,192 characters a pattern.
    public static let `default` = RuleSetLimits()

    /// Creates limits; every argument defaults to the value of ``default``.
    public init(maxFileBytes: Int = 8 << 20, maxTotalBytes: Int = 64 << 20, maxEntries: Int = 100_000, maxPatternLength: Int = 8_192) {
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
        self.maxPatternLength = maxPatternLength
    }
}
