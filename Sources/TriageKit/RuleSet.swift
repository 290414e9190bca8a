import PCRE2

/// Which matcher strategy a rule set uses.
public enum MatcherStrategy: String, Sendable {
    /// Literal prefilter, then PCRE2 on the patterns that can match (default).
    case prefilter
    /// Every literal and pattern through PCRE2.
    case plain
}

/// What a matcher entry belongs to.
enum EntryOwner: Sendable {
    case rule(Int, exclude: Bool, pattern: Int)
    case cue(Int, exclude: Bool, pattern: Int)
    case itemAlias(Int, alias: Int)
    case itemPattern(Int, pattern: Int)
    case department(Int, alias: Int)
    case combinedAlias(Int, alias: Int)
    case combinedPattern(Int, pattern: Int)
    case screening(Int, exclude: Bool, pattern: Int)
    case escalation(Int, exclude: Bool, pattern: Int)
}

/// A loaded, validated, compiled rule set. Immutable and safe to share between threads.
public final class RuleSet: Sendable {
    /// The rule set's name.
    public let name: String
    /// Content hash of every file (SHA-256, hex), reported with every result.
    public let version: String
    /// Where it was loaded from.
    public let origin: String
    /// Decision settings.
    public let settings: DecisionSettings
    /// Special handlers.
    public let handlers: Handlers
    /// Categories in definition order.
    public let categories: [Category]
    /// Departments in definition order.
    public let departments: [Department]
    /// Items.
    public let items: [Item]
    /// Combined matters.
    public let combined: [CombinedMatter]
    /// Classification rules.
    public let rules: [ClassificationRule]
    /// Cues.
    public let cues: [Cue]
    /// Screening rules (pre-review decision).
    public let screening: [ScreeningRule]
    /// Escalation rules.
    public let escalation: [EscalationRule]
    /// The working-day calendar (empty when the rule set has no `calendar` files).
    public let calendar: WorkingCalendar

    let departmentIndex: [String: Int]
    let categoryIndex: [String: Int]
    let matcher: any PatternMatcher
    let owners: [EntryOwner]
    /// The matcher entries, to build another strategy over the same rule set.
    let entries: [MatcherEntry]

    init(
        name: String, version: String, origin: String, settings: DecisionSettings, handlers: Handlers,
        categories: [Category], departments: [Department], items: [Item], combined: [CombinedMatter],
        rules: [ClassificationRule], cues: [Cue], screening: [ScreeningRule] = [], escalation: [EscalationRule] = [],
        calendar: WorkingCalendar = WorkingCalendar(years: [], days: []), strategy: MatcherStrategy = .prefilter
    ) {
        self.screening = screening
        self.escalation = escalation
        self.calendar = calendar
        self.name = name
        self.version = version
        self.origin = origin
        self.settings = settings
        self.handlers = handlers
        self.categories = categories
        self.departments = departments
        self.items = items
        self.combined = combined
        self.rules = rules
        self.cues = cues
        var di: [String: Int] = [:]
        for (n, d) in departments.enumerated() where di[d.id] == nil { di[d.id] = n }
        departmentIndex = di
        var ci: [String: Int] = [:]
        for (n, c) in categories.enumerated() where ci[c.id] == nil { ci[c.id] = n }
        categoryIndex = ci

        var entries: [MatcherEntry] = []
        var owners: [EntryOwner] = []
        func add(_ e: MatcherEntry, _ o: EntryOwner) {
            entries.append(e)
            owners.append(o)
        }
        func pattern(_ p: RulePattern) -> MatcherEntry { .pattern(p.compiled, required: p.required, prefix: p.prefix) }
        for (r, rule) in rules.enumerated() {
            for (k, p) in rule.patterns.enumerated() { add(pattern(p), .rule(r, exclude: false, pattern: k)) }
            for (k, p) in rule.exclude.enumerated() { add(pattern(p), .rule(r, exclude: true, pattern: k)) }
        }
        for (c, cue) in cues.enumerated() {
            for (k, p) in cue.patterns.enumerated() { add(pattern(p), .cue(c, exclude: false, pattern: k)) }
            for (k, p) in cue.exclude.enumerated() { add(pattern(p), .cue(c, exclude: true, pattern: k)) }
        }
        for (i, item) in items.enumerated() {
            for (k, a) in item.aliases.enumerated() { add(.literal(a.normalized), .itemAlias(i, alias: k)) }
            for (k, p) in item.patterns.enumerated() { add(pattern(p), .itemPattern(i, pattern: k)) }
        }
        for (d, dept) in departments.enumerated() {
            for (k, a) in RuleSet.departmentPhrases(dept).enumerated() { add(.literal(a), .department(d, alias: k)) }
        }
        for (c, matter) in combined.enumerated() {
            for (k, a) in matter.aliases.enumerated() { add(.literal(a.normalized), .combinedAlias(c, alias: k)) }
            for (k, p) in matter.patterns.enumerated() { add(pattern(p), .combinedPattern(c, pattern: k)) }
        }
        for (r, rule) in screening.enumerated() {
            for (k, p) in rule.patterns.enumerated() { add(pattern(p), .screening(r, exclude: false, pattern: k)) }
            for (k, p) in rule.exclude.enumerated() { add(pattern(p), .screening(r, exclude: true, pattern: k)) }
        }
        for (r, rule) in escalation.enumerated() {
            for (k, p) in rule.patterns.enumerated() { add(pattern(p), .escalation(r, exclude: false, pattern: k)) }
            for (k, p) in rule.exclude.enumerated() { add(pattern(p), .escalation(r, exclude: true, pattern: k)) }
        }
        self.entries = entries
        self.owners = owners
        switch strategy {
        case .prefilter: matcher = PrefilterMatcher(entries: entries)
        case .plain: matcher = PlainMatcher(entries: entries)
        }
    }

    /// A copy of this rule set that matches with another strategy.
    public func using(_ strategy: MatcherStrategy) -> RuleSet {
        RuleSet(
            name: name, version: version, origin: origin, settings: settings, handlers: handlers,
            categories: categories, departments: departments, items: items, combined: combined,
            rules: rules, cues: cues, screening: screening, escalation: escalation, calendar: calendar, strategy: strategy)
    }

    /// The phrases that count as a mention of a department: its name and aliases, normalised.
    static func departmentPhrases(_ d: Department) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for p in [d.name, d.fullName] + d.aliases {
            let n = normalizePhrase(p)
            if !n.isEmpty, seen.insert(n).inserted { out.append(n) }
        }
        return out
    }

    /// The department with `id`.
    public func department(_ id: String) -> Department? {
        departmentIndex[id].map { departments[$0] }
    }

    /// The category with `id`.
    public func category(_ id: String) -> Category? {
        categoryIndex[id].map { categories[$0] }
    }

    /// Counts for summaries: rules, cues, departments, items, combined matters, patterns.
    public var counts: [(String, Int)] {
        [
            ("categories", categories.count), ("rules", rules.count), ("cues", cues.count), ("screening", screening.count), ("escalation", escalation.count), ("calendar_years", calendar.years.count),
            ("departments", departments.count), ("items", items.count), ("combined", combined.count),
            ("matcher_entries", entries.count),
        ]
    }
}
