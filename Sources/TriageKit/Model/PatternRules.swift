internal import PCRE2

/// A compiled pattern with the place it was written.
package struct RulePattern: Sendable {
    /// The pattern source.
    package var source: String
    /// The compiled pattern.
    let compiled: Pattern
    /// Literal clauses every match satisfies (see ``RequiredLiterals/clauses(of:limit:)``), for the prefilter.
    package var required: [[String]]?
    /// Literals every match starts with, and the pattern compiled anchored, so the
    /// matcher tries it only where one of them occurs.
    let prefix: (literals: [String], anchored: Pattern)?
    /// Where it was written.
    package var location: SourceLocation
    /// The pattern as written (fragments unexpanded) and the maps from compiled offsets back to the file.
    package var text: PatternText

    /// True when the pattern has literals every match starts with.
    package var hasPrefix: Bool { prefix != nil }

    /// True when the pattern matches somewhere in `text` (already normalised).
    /// A pattern that fails (backtracking limit) throws.
    package func matches(_ text: String) throws(PatternFailure) -> Bool {
        do throws(PCRE2Error) {
            return try compiled.isMatch(text)
        } catch {
            throw PatternFailure(message: error.message)
        }
    }
}

/// A pattern that failed while matching, for example because it hit the backtracking bound.
package struct PatternFailure: Error, Sendable, Hashable {
    /// What PCRE2 reported.
    package var message: String
}

/// Examples a rule, cue, item or combined matter must and must not match; checked at load
/// time through the rule set's matcher.
package struct RuleExamples: Sendable {
    /// One example text and where it was written.
    package struct Example: Sendable {
        /// The text, span markers removed.
        package var text: String
        /// As written, with any ⟦…⟧ span markers.
        package var written: String
        /// The spans the markers name, in Unicode scalars of `text`; `nil` when it has no markers.
        package var spans: [Range<Int>]?
        /// Where it was written.
        package var location: SourceLocation
    }
    /// Each must make the rule fire.
    package var match: [Example] = []
    /// Each must not make the rule fire.
    package var noMatch: [Example] = []
    /// True when there are none.
    package var isEmpty: Bool { match.isEmpty && noMatch.isEmpty }
}

/// What every pattern rule has: an id, a description, patterns, exclusions and examples.
/// Classification rules, cues, screening rules and escalation rules add their own fields.
package struct RuleCore: Sendable {
    /// Stable id.
    package var id: String
    /// Human description, in Chinese; what staff read in reasons.
    package var description: String
    /// Any one matching fires the rule.
    package var patterns: [RulePattern]
    /// Any one matching vetoes it.
    package var exclude: [RulePattern]
    /// Self-tests.
    package var examples: RuleExamples
    /// Provenance (status, owner, added, references).
    package var metadata: RuleMetadata
    /// Where it was defined.
    package var location: SourceLocation
}

/// Optional provenance of a rule or item, as Sigma rules carry it.
package struct RuleMetadata: Sendable {
    /// experimental or stable; `nil` when not stated.
    package var status: RuleStatus?
    /// Who maintains it.
    package var owner: String?
    /// When it was added.
    package var added: LocalDate?
    /// Documents, tickets or links it rests on.
    package var references: [String] = []
    /// True when nothing is stated.
    package var isEmpty: Bool { status == nil && owner == nil && added == nil && references.isEmpty }
}

/// The flags cues can raise.
public enum CueFlag: String, Sendable, CaseIterable {
    /// The message does not say what or whom it is about.
    case vague
    /// Several departments must act.
    case multiDepartment = "multi_department"
    /// Departments pass the matter between them (踢皮球): raises `multi_department`, and the
    /// coordinator leads when the named departments' evidence is comparable.
    case passedBetween = "passed_between"
}

/// What a screening rule decides when it fires.
package enum ScreeningAction: String, Sendable, CaseIterable {
    /// Reject with the rule's reason, unless the message shows a real request.
    case reject
    /// Send to a person.
    case needsReview = "needs_review"
    /// A sign of a genuine request: vetoes every rejection.
    case genuine
}

/// Why a message is rejected at screening.
public enum RejectReason: String, Sendable, CaseIterable, Hashable {
    /// Advertising or spam.
    case spam
    /// Abusive content with no request in it.
    case abuse
    /// Gibberish.
    case gibberish
    /// Not about any government service or public matter.
    case offTopic = "off_topic"
}

/// The escalation flags.
public enum EscalationFlag: String, Sendable, CaseIterable, Hashable {
    /// 专报: hot, difficult or policy-level; goes up to district leaders.
    case leaderReport = "leader_report"
    /// Unclear responsibility: the coordinator (区行政服务中心) steps in.
    case coordination
    /// 啄木鸟 candidate: a constructive, specific suggestion.
    case woodpeckerCandidate = "woodpecker_candidate"
}

extension RuleSet {
    /// A classification rule: patterns that add `weight` to a category's score.
    package struct ClassificationRule: Sendable {
        /// Id, description, patterns, exclusions, examples.
        package var core: RuleCore
        /// The category it scores.
        package var category: CategoryID
        /// Added to the category's score when the rule fires (may be negative).
        package var weight: Double
        /// The hand-written weight, when `triage fit`'s weights file replaced it.
        package var handWrittenWeight: Double? = nil
        /// When it fires, its category is ruled out for the message (`veto: true`): the
        /// category cannot be chosen, and items of that category give no evidence.
        package var vetoesCategory: Bool
        /// Stable id.
        package var id: String { core.id }
    }

    /// A cue: patterns that raise a flag.
    package struct Cue: Sendable {
        /// Id, description, patterns, exclusions, examples.
        package var core: RuleCore
        /// The flag it raises.
        package var flag: CueFlag
        /// Stable id.
        package var id: String { core.id }
    }

    /// A screening rule: patterns that argue for rejecting a message, for sending it
    /// to review, or for keeping it (a genuine request).
    package struct ScreeningRule: Sendable {
        /// Id, description, patterns, exclusions, examples.
        package var core: RuleCore
        /// What it decides.
        package var action: ScreeningAction
        /// The reject reason (only for `reject`).
        package var reason: RejectReason?
        /// Stable id.
        package var id: String { core.id }
    }

    /// An escalation rule: patterns that raise an escalation flag and/or mark the matter complex.
    package struct EscalationRule: Sendable {
        /// Id, description, patterns, exclusions, examples.
        package var core: RuleCore
        /// The flag it raises, if any.
        package var flag: EscalationFlag?
        /// Marks the matter complex (15 working days).
        package var complex: Bool
        /// Marks a policy question (which also makes it complex).
        package var policyQuestion: Bool
        /// Only applies to messages of these categories (empty: any).
        package var categories: [CategoryID]
        /// Stable id.
        package var id: String { core.id }
    }
}
