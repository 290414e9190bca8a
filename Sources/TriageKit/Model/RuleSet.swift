internal import PCRE2

/// Which matcher strategy a rule set uses.
package enum MatcherStrategy: String, Sendable {
    /// Literal prefilter, then PCRE2 on the patterns that can match (default).
    case prefilter
    /// Every literal and pattern through PCRE2.
    case plain
    /// As `plain`, through PCRE2's interpreter, never its JIT: the reference where the two disagree.
    case interpreted
}

/// The four kinds of pattern rule.
package enum RuleKind: String, Sendable, CaseIterable {
    /// Classification rules (`rules:`).
    case classification = "rule"
    /// Cues (`cues:`).
    case cue
    /// Screening rules (`screening:`).
    case screening = "screening rule"
    /// Escalation rules (`escalation:`).
    case escalation = "escalation rule"
}

/// What a matcher entry belongs to.
package enum EntryOwner: Sendable {
    /// A pattern (or, with `exclude`, an exclusion) of a rule of some kind.
    case rule(RuleKind, index: Int, exclude: Bool)
    /// An alias or pattern of an item.
    case item(Int)
    /// An exclusion of an item: when it matches, the item is left out of the message.
    case itemExclude(Int)
    /// A name or alias of a department.
    case department(Int)
    /// An alias or pattern of a combined matter.
    case combined(Int)
    /// A word or pattern of a topic's lexicon.
    case topic(Int, entry: Int)
    /// A word that makes a department named right after it the addressee (请, 要求 …).
    case addressee
}

/// A loaded, validated, compiled rule set. Immutable and safe to share between threads.
public final class RuleSet: Sendable {
    /// The rule set's name.
    public let name: String
    /// Content hash of every file (SHA-256, first 16 hex digits), reported with every result.
    public let version: String
    /// Where it was loaded from.
    public let origin: String

    package let settings: DecisionSettings
    package let handlers: Handlers
    package let categories: [Category]
    package let departments: [Department]
    package let items: [Item]
    package let combined: [CombinedMatter]
    package let rules: [ClassificationRule]
    package let cues: [Cue]
    package let screening: [ScreeningRule]
    package let escalation: [EscalationRule]
    /// Topics, each with its lexicon.
    package let topics: [Topic]
    /// The working-day calendar (empty when the rule set has no `calendar` files).
    package let calendar: WorkingCalendar
    /// The named sub-patterns the patterns were expanded with (built-in `{departments}` included).
    package let fragments: FragmentTable

    /// Department id → index in `departments`.
    package let departmentIndex: [DepartmentID: Int]
    /// Category id → index in `categories`.
    package let categoryIndex: [CategoryID: Int]
    /// Index of the coordinator in `departments`.
    let coordinatorIndex: Int
    /// Cross-references as indices.
    let index: IndexTables
    /// Entry ids for evidence, and their order.
    let names: EntryNames
    let matcher: any PatternMatcher
    /// What each matcher entry belongs to, by entry index.
    package let owners: [EntryOwner]
    /// The matcher entries, to build another strategy over the same rule set.
    let entries: [MatcherEntry]

    // swiftlint:disable:next function_parameter_count
    init(
        name: String, version: String, origin: String, settings: DecisionSettings, handlers: Handlers,
        categories: [Category], departments: [Department], items: [Item], combined: [CombinedMatter],
        rules: [ClassificationRule], cues: [Cue], screening: [ScreeningRule] = [], escalation: [EscalationRule] = [],
        topics: [Topic] = [], calendar: WorkingCalendar = WorkingCalendar(years: [], days: []), fragments: FragmentTable = FragmentTable(),
        strategy: MatcherStrategy = .prefilter
    ) {
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
        self.screening = screening
        self.escalation = escalation
        self.topics = topics
        self.calendar = calendar
        self.fragments = fragments
        var di: [DepartmentID: Int] = [:]
        for (n, d) in departments.enumerated() where di[d.id] == nil { di[d.id] = n }
        departmentIndex = di
        coordinatorIndex = di[handlers.coordinator] ?? 0
        var ci: [CategoryID: Int] = [:]
        for (n, c) in categories.enumerated() where ci[c.id] == nil { ci[c.id] = n }
        categoryIndex = ci
        index = IndexTables((categories, di, ci, settings, items, combined, rules, escalation, topics))
        names = EntryNames(rules: rules.map(\.id), cues: cues.map(\.id), items: items.map(\.id),
                           departments: departments.map(\.id.rawValue), combined: combined.map(\.id),
                           screening: screening.map(\.id), escalation: escalation.map(\.id), topics: topics.map(\.id))

        var entries: [MatcherEntry] = []
        var owners: [EntryOwner] = []
        func add(_ e: MatcherEntry, _ o: EntryOwner) {
            entries.append(e)
            owners.append(o)
        }
        func addRule(_ kind: RuleKind, _ index: Int, _ core: RuleCore) {
            for p in core.patterns { add(.pattern(p), .rule(kind, index: index, exclude: false)) }
            for p in core.exclude { add(.pattern(p), .rule(kind, index: index, exclude: true)) }
        }
        for (r, rule) in rules.enumerated() { addRule(.classification, r, rule.core) }
        for (c, cue) in cues.enumerated() { addRule(.cue, c, cue.core) }
        for (i, item) in items.enumerated() {
            for a in item.aliases { add(.literal(a.normalized), .item(i)) }
            for p in item.patterns { add(.pattern(p), .item(i)) }
            for p in item.exclude { add(.pattern(p), .itemExclude(i)) }
        }
        for (d, dept) in departments.enumerated() {
            for a in RuleSet.departmentPhrases(dept) { add(.literal(a), .department(d)) }
        }
        for (c, matter) in combined.enumerated() {
            for a in matter.aliases { add(.literal(a.normalized), .combined(c)) }
            for p in matter.patterns { add(.pattern(p), .combined(c)) }
        }
        for (r, rule) in screening.enumerated() { addRule(.screening, r, rule.core) }
        for (r, rule) in escalation.enumerated() { addRule(.escalation, r, rule.core) }
        for (t, topic) in topics.enumerated() {
            for (k, e) in topic.entries.enumerated() {
                if let n = e.normalized { add(.literal(n), .topic(t, entry: k)) } else if let p = e.pattern { add(.pattern(p), .topic(t, entry: k)) }
            }
        }
        for w in settings.addresseeWords {
            let n = normalizePhrase(w)
            if !n.isEmpty { add(.literal(n), .addressee) }
        }
        self.entries = entries
        self.owners = owners
        switch strategy {
        case .prefilter: matcher = PrefilterMatcher(entries: entries)
        case .plain: matcher = PlainMatcher(entries: entries)
        case .interpreted: matcher = PlainMatcher(entries: entries, jit: false)
        }
    }

    /// The default matcher's verification counts and per-pattern costs over `texts`, for `triage-bench`.
    package func matcherProfile(_ texts: [String], clock: () -> UInt64)
        -> (summary: [(String, Int)], costs: [(source: String, verification: String, nanoseconds: UInt64, runs: Int)]) {
        let m = matcher as? PrefilterMatcher ?? PrefilterMatcher(entries: entries)
        return (m.summary, m.programCosts(texts.map(NormalizedText.init), clock: clock))
    }

    /// A copy of this rule set that matches with another strategy.
    package func using(_ strategy: MatcherStrategy) -> RuleSet {
        RuleSet(
            name: name, version: version, origin: origin, settings: settings, handlers: handlers,
            categories: categories, departments: departments, items: items, combined: combined,
            rules: rules, cues: cues, screening: screening, escalation: escalation, topics: topics, calendar: calendar,
            fragments: fragments, strategy: strategy)
    }

    /// The phrases that count as a mention of a department: its name and aliases, normalised.
    package static func departmentPhrases(_ d: Department) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for p in [d.name, d.fullName] + d.aliases {
            let n = normalizePhrase(p)
            if !n.isEmpty, seen.insert(n).inserted { out.append(n) }
        }
        return out
    }

    /// The department with `id`.
    package func department(_ id: DepartmentID) -> Department? {
        departmentIndex[id].map { departments[$0] }
    }

    /// The category with `id`.
    package func category(_ id: CategoryID) -> Category? {
        categoryIndex[id].map { categories[$0] }
    }

    /// The core (id, description, patterns, location) of rule `index` of `kind`.
    package func core(_ kind: RuleKind, _ index: Int) -> RuleCore {
        switch kind {
        case .classification: return rules[index].core
        case .cue: return cues[index].core
        case .screening: return screening[index].core
        case .escalation: return escalation[index].core
        }
    }

    /// Every rule of every kind, with its kind and index.
    package var allRules: [(kind: RuleKind, index: Int, core: RuleCore)] {
        rules.indices.map { (.classification, $0, rules[$0].core) }
            + cues.indices.map { (.cue, $0, cues[$0].core) }
            + screening.indices.map { (.screening, $0, screening[$0].core) }
            + escalation.indices.map { (.escalation, $0, escalation[$0].core) }
    }

    /// Every pattern of the rule set with what it belongs to, for lint and benchmarks.
    package var allPatterns: [(owner: PatternOwner, pattern: RulePattern)] {
        var out: [(PatternOwner, RulePattern)] = []
        for r in allRules {
            for p in r.core.patterns + r.core.exclude { out.append((PatternOwner(kind: r.kind.rawValue, id: r.core.id), p)) }
        }
        for i in items { for p in i.patterns + i.exclude { out.append((PatternOwner(kind: "item", id: i.id), p)) } }
        for c in combined { for p in c.patterns { out.append((PatternOwner(kind: "combined matter", id: c.id), p)) } }
        for t in topics { for e in t.entries { if let p = e.pattern { out.append((PatternOwner(kind: "topic", id: t.id), p)) } } }
        return out
    }

    /// What a pattern belongs to: `rule tech_login_failure`.
    package struct PatternOwner: Sendable, CustomStringConvertible {
        /// `rule`, `cue`, `screening rule`, `escalation rule`, `item`, `combined matter`.
        package var kind: String
        /// The entry's id.
        package var id: String
        package var description: String { "\(kind) \(id)" }
    }

    /// One count of the rule set's contents.
    public struct Count: Sendable, Hashable {
        /// What is counted, e.g. `items`.
        public var name: String
        /// How many.
        public var value: Int
    }

    /// Counts for summaries: rules, cues, departments, items, combined matters, patterns.
    public var counts: [Count] {
        [
            Count(name: "categories", value: categories.count), Count(name: "rules", value: rules.count),
            Count(name: "cues", value: cues.count), Count(name: "screening", value: screening.count),
            Count(name: "escalation", value: escalation.count), Count(name: "calendar_years", value: calendar.years.count),
            Count(name: "departments", value: departments.count), Count(name: "items", value: items.count),
            Count(name: "combined", value: combined.count), Count(name: "topics", value: topics.count),
            Count(name: "matcher_entries", value: entries.count),
        ]
    }
}
