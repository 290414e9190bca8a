/// One thing the matcher looks for: a literal phrase or a compiled rule pattern.
enum MatcherEntry: Sendable {
    /// A literal, already normalised.
    case literal(String)
    /// A compiled pattern with its prefilter facts (required literals, prefix).
    case pattern(RulePattern)
}

/// A match of one entry: its index in the entry list and the byte range in the normalised text.
package struct MatcherHit: Sendable, Hashable {
    /// Index of the entry in the list the matcher was built from.
    package var entry: Int
    /// UTF-8 byte range in the normalised text.
    package var range: Range<Int>
}

/// A pattern that failed while matching (for example it hit the backtracking bound).
package struct MatcherFailure: Sendable, Hashable {
    /// Index of the entry.
    package var entry: Int
    /// What PCRE2 reported.
    package var message: String
}

/// What a scan found.
package struct MatcherScan: Sendable {
    /// Every match of every entry.
    package var hits: [MatcherHit] = []
    /// Patterns that failed; they count as not matching.
    package var failures: [MatcherFailure] = []
    /// How many patterns were run (the rest were skipped by the literal prefilter).
    package var patternsRun = 0
    /// How many of them PCRE2 ran (the others ran on the matcher's own machine).
    package var pcre2Runs = 0
}

/// The single component that finds all matches of a set of literals and patterns
/// in a text. The engine talks only to this protocol, so a different
/// multi-pattern strategy can replace the default one without other changes.
protocol PatternMatcher: Sendable {
    /// Finds every match of every entry in `text`.
    func scan(_ text: NormalizedText) -> MatcherScan
}
