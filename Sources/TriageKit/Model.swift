import PCRE2

/// Where a rule-set entry was defined, for diagnostics and explanations.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// File path relative to the rule-set folder.
    public var path: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// Creates a location.
    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }
    public var description: String { "\(path):\(line):\(column)" }
}

/// How a category's messages are routed.
public enum Channel: String, Sendable {
    /// Handled directly by the e-government centre, not dispatched.
    case direct
    /// Dispatched through the 12345 hotline.
    case hotline
}

/// A category, defined in YAML.
public struct Category: Sendable, Identifiable {
    /// Stable id, e.g. `technical`.
    public var id: String
    /// Chinese name, e.g. 技术问题.
    public var name: String
    /// What belongs in it.
    public var description: String
    /// Routing channel.
    public var channel: Channel
    /// A department id, or `nil` for "the department that owns the matter".
    public var handler: String?
    /// Fixed co-handlers for this category (e.g. 区府办 for technical problems).
    public var coHandlers: [String]
    /// Where it was defined.
    public var location: SourceLocation
}

/// The role a department plays in the process.
public enum DepartmentRole: String, Sendable {
    /// An ordinary department that exercises items.
    case department
    /// A unit of the feedback process itself (e-government centre, service centre, 12345).
    case process
    /// Street- and town-level handlers.
    case community
}

/// A department or handler.
public struct Department: Sendable, Identifiable {
    /// Stable id.
    public var id: String
    /// Short name as used in Pudong documents (区市场监管局).
    public var name: String
    /// Full official name.
    public var fullName: String
    /// How citizens write it.
    public var aliases: [String]
    /// Its role.
    public var role: DepartmentRole
    /// Where it was defined.
    public var location: SourceLocation
}

/// Simple matters get 5 working days, complex ones 15.
public enum Complexity: String, Sendable {
    case simple, complex
}

/// A compiled pattern with the place it was written.
public struct RulePattern: Sendable {
    /// The pattern source.
    public var source: String
    /// The compiled pattern.
    public var compiled: Pattern
    /// Literal clauses every match satisfies (see ``RequiredLiterals/clauses(of:limit:)``), for the prefilter.
    public var required: [[String]]?
    /// Literals every match starts with, and the pattern compiled anchored, so the
    /// matcher tries it only where one of them occurs.
    public var prefix: (literals: [String], anchored: Pattern)?
    /// Where it was written.
    public var location: SourceLocation
}

/// A literal alias with the place it was written.
public struct Alias: Sendable {
    /// As written.
    public var text: String
    /// Normalised, as matched.
    public var normalized: String
    /// Where it was written.
    public var location: SourceLocation
}

/// A service item (办事事项) or responsibility matter (职责事项).
public struct Item: Sendable, Identifiable {
    /// Stable id.
    public var id: String
    /// Chinese name.
    public var name: String
    /// The exercising department id.
    public var department: String
    /// Co-departments.
    public var coDepartments: [String]
    /// Simple or complex.
    public var complexity: Complexity
    /// Literal aliases.
    public var aliases: [Alias]
    /// Patterns.
    public var patterns: [RulePattern]
    /// Evidence weight for the exercising department.
    public var weight: Double
    /// Where it was defined.
    public var location: SourceLocation
}

/// A combined matter (一件事): several departments and a declared lead.
public struct CombinedMatter: Sendable, Identifiable {
    /// Stable id.
    public var id: String
    /// Chinese name.
    public var name: String
    /// Literal aliases.
    public var aliases: [Alias]
    /// Patterns.
    public var patterns: [RulePattern]
    /// The declared lead department id.
    public var lead: String
    /// All departments involved, lead included.
    public var departments: [String]
    /// Simple or complex.
    public var complexity: Complexity
    /// Where it was defined.
    public var location: SourceLocation
}

/// Examples a rule or cue must and must not match; checked at load time.
public struct RuleExamples: Sendable {
    /// Each must make the rule fire.
    public var match: [(text: String, location: SourceLocation)] = []
    /// Each must not make the rule fire.
    public var noMatch: [(text: String, location: SourceLocation)] = []
    /// True when there are none.
    public var isEmpty: Bool { match.isEmpty && noMatch.isEmpty }
}

/// A classification rule: patterns that add `weight` to a category's score.
public struct ClassificationRule: Sendable, Identifiable {
    /// Stable id.
    public var id: String
    /// The category id it scores.
    public var category: String
    /// Added to the category's score when the rule fires (may be negative).
    public var weight: Double
    /// Human description.
    public var description: String
    /// Any one matching fires the rule.
    public var patterns: [RulePattern]
    /// Any one matching vetoes the rule.
    public var exclude: [RulePattern]
    /// Self-tests.
    public var examples: RuleExamples
    /// Where it was defined.
    public var location: SourceLocation
}

/// The flags cues can raise.
public enum CueFlag: String, Sendable, CaseIterable {
    case vague
    case multiDepartment = "multi_department"
    /// Departments pass the matter between them (踢皮球): raises `multi_department`, and the
    /// coordinator leads when the named departments' evidence is comparable.
    case passedBetween = "passed_between"
}

/// A cue: patterns that raise a flag.
public struct Cue: Sendable, Identifiable {
    /// Stable id.
    public var id: String
    /// The flag it raises.
    public var flag: CueFlag
    /// Human description.
    public var description: String
    /// Any one matching fires the cue.
    public var patterns: [RulePattern]
    /// Any one matching vetoes it.
    public var exclude: [RulePattern]
    /// Self-tests.
    public var examples: RuleExamples
    /// Where it was defined.
    public var location: SourceLocation
}

/// Weights of department evidence.
public struct EvidenceWeights: Sendable {
    /// A matched item, for its exercising department.
    public var item: Double = 2
    /// An explicit mention of a department.
    public var department: Double = 1
    /// A matched combined matter, for its lead.
    public var combined: Double = 3
    /// Each further occurrence of the same item (up to two) adds this share of its weight.
    public var repeated: Double = 0.5
    /// Bonus for the department of the matter mentioned first.
    public var first: Double = 0.5
}

/// How scores become a decision.
public struct DecisionSettings: Sendable {
    /// A category needs at least this score.
    public var minScore: Double = 1
    /// Tie-break order of categories.
    public var precedence: [String] = []
    /// Category used when none reaches `minScore` but a matter was found.
    public var fallbackCategory: String?
    /// Runner-up / top department score at or above which the coordinator leads.
    public var leadBalance: Double = 0.8
    /// Evidence weights.
    public var weights = EvidenceWeights()
    /// Fewer meaningful characters than this makes a message vague.
    public var vagueMinChars: Int = 6
    /// A message with no identifiable matter is vague only when shorter than this.
    public var vagueNoMatterBelow: Int = 16
    /// With a multi-department cue (departments passing the matter on), the coordinator leads
    /// when the runner-up's score is at least this share of the top score.
    public var passedBalance: Double = 0.5
    /// A process unit (e.g. 区电子政务中心 for the platform) leads when its score is at least this
    /// multiple of the strongest ordinary department's.
    public var processLeadRatio: Double = 2
    /// A department counts as involved (co-handler, multi-department) when its score is at least this share of the top score.
    public var multiRatio: Double = 0.5
    /// Screening sends a message with no recognised matter to review only when it has
    /// fewer meaningful characters than this; a longer one describes its matter even
    /// when the knowledge base does not know it.
    public var reviewNoMatterBelow: Int = 16
}

/// The special handlers the process names.
public struct Handlers: Sendable {
    /// Handles technical problems directly (区电子政务中心).
    public var technical: String
    /// Coordinates when responsibility is unclear (区行政服务中心).
    public var coordinator: String
    /// Dispatch (区城运中心 / 12345).
    public var dispatch: String
}

/// What a screening rule decides when it fires.
public enum ScreeningAction: String, Sendable {
    /// Reject with the rule's reason, unless the message shows a real request.
    case reject
    /// Send to a person.
    case needsReview = "needs_review"
    /// A sign of a genuine request: vetoes every rejection.
    case genuine
}

/// Why a message is rejected at screening.
public enum RejectReason: String, Sendable, CaseIterable {
    /// Advertising or spam.
    case spam
    /// Abusive content with no request in it.
    case abuse
    /// Gibberish.
    case gibberish
    /// Not about any government service or public matter.
    case offTopic = "off_topic"
}

/// A screening rule: patterns that argue for rejecting a message, for sending it
/// to review, or for keeping it (a genuine request).
public struct ScreeningRule: Sendable, Identifiable {
    /// Stable id.
    public var id: String
    /// What it decides.
    public var action: ScreeningAction
    /// The reject reason (only for `reject`).
    public var reason: RejectReason?
    /// Human description, shown in reasons.
    public var description: String
    /// Any one matching fires the rule.
    public var patterns: [RulePattern]
    /// Any one matching vetoes it.
    public var exclude: [RulePattern]
    /// Self-tests.
    public var examples: RuleExamples
    /// Where it was defined.
    public var location: SourceLocation
}

/// The escalation flags.
public enum EscalationFlag: String, Sendable, CaseIterable {
    /// 专报: hot, difficult or policy-level; goes up to district leaders.
    case leaderReport = "leader_report"
    /// Unclear responsibility: the coordinator (区行政服务中心) steps in.
    case coordination
    /// 啄木鸟 candidate: a constructive, specific suggestion.
    case woodpeckerCandidate = "woodpecker_candidate"
}

/// An escalation rule: patterns that raise an escalation flag and/or mark the matter complex.
public struct EscalationRule: Sendable, Identifiable {
    /// Stable id.
    public var id: String
    /// The flag it raises, if any.
    public var flag: EscalationFlag?
    /// Marks the matter complex (15 working days).
    public var complex: Bool
    /// Marks a policy question (which also makes it complex).
    public var policyQuestion: Bool
    /// Only fires for messages of these categories (empty: any).
    public var categories: [String]
    /// Human description, shown in reasons.
    public var description: String
    /// Any one matching fires the rule.
    public var patterns: [RulePattern]
    /// Any one matching vetoes it.
    public var exclude: [RulePattern]
    /// Self-tests.
    public var examples: RuleExamples
    /// Where it was defined.
    public var location: SourceLocation
}
