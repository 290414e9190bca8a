/// The rule set's cross-references resolved to array indices once at load time, so
/// the engine never hashes an id while it decides.
struct IndexTables: Sendable {
    /// Classification rule → its category.
    var ruleCategory: [Int]
    /// Item → its exercising department.
    var itemDepartment: [Int]
    /// Item → the category whose matters it describes, or `nil`.
    var itemCategory: [Int?]
    /// Combined matter → its declared lead.
    var combinedLead: [Int]
    /// Combined matter → all its departments, lead first.
    var combinedDepartments: [[Int]]
    /// Category → its fixed handler, or `nil` for the owner of the matter.
    var categoryHandler: [Int?]
    /// Category → its fixed co-handlers.
    var categoryCoHandlers: [[Int]]
    /// Category → its rank in the tie-break order (`decision.precedence`, then definition order).
    var precedence: [Int]
    /// The fallback category.
    var fallbackCategory: Int?
    /// Escalation rule → the categories it applies to (empty: any).
    var escalationCategories: [[Int]]
    /// Topic → its departments and their shares.
    var topicDepartments: [[(department: Int, share: Double)]]
    /// Topic → its categories and their shares.
    var topicCategories: [[(category: Int, share: Double)]]

    // The loader reports every unknown reference; a rule set with errors is never used,
    // so an unresolved id may map to index 0 here without consequence.
    init(_ rs: (categories: [RuleSet.Category], departments: [DepartmentID: Int], categoryIndex: [CategoryID: Int],
                settings: RuleSet.DecisionSettings, items: [RuleSet.Item], combined: [RuleSet.CombinedMatter],
                rules: [RuleSet.ClassificationRule], escalation: [RuleSet.EscalationRule], topics: [RuleSet.Topic])) {
        func dept(_ id: DepartmentID) -> Int { rs.departments[id] ?? 0 }
        func cat(_ id: CategoryID) -> Int { rs.categoryIndex[id] ?? 0 }
        ruleCategory = rs.rules.map { cat($0.category) }
        itemDepartment = rs.items.map { dept($0.department) }
        itemCategory = rs.items.map { $0.category.flatMap { rs.categoryIndex[$0] } }
        combinedLead = rs.combined.map { dept($0.lead) }
        combinedDepartments = rs.combined.map { m in
            [dept(m.lead)] + m.departments.filter { $0 != m.lead }.compactMap { rs.departments[$0] }
        }
        categoryHandler = rs.categories.map { $0.handler.flatMap { rs.departments[$0] } }
        categoryCoHandlers = rs.categories.map { $0.coHandlers.compactMap { rs.departments[$0] } }
        precedence = rs.categories.indices.map { c in
            rs.settings.precedence.firstIndex(of: rs.categories[c].id) ?? rs.settings.precedence.count + c
        }
        fallbackCategory = rs.settings.fallbackCategory.flatMap { rs.categoryIndex[$0] }
        escalationCategories = rs.escalation.map { $0.categories.compactMap { rs.categoryIndex[$0] } }
        topicDepartments = rs.topics.map { t in t.departments.compactMap { d in rs.departments[d.department].map { ($0, d.share) } } }
        topicCategories = rs.topics.map { t in t.categories.compactMap { c in rs.categoryIndex[c.category].map { ($0, c.share) } } }
    }
}

/// Every entry's id as evidence names it, by kind, kept once per rule set so that evidence
/// does not look them up through the rule structs per hit.
struct EntryNames: Sendable {
    var rules: [String], cues: [String], items: [String], departments: [String], combined: [String]
    var screening: [String], escalation: [String], topics: [String]
}
