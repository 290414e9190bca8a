/// What the message names: items, departments and combined matters, in order of
/// first mention (stage 5 of the decision). Items of a category that a veto rule
/// ruled out are left out ("不是系统问题" leaves the platform-fault item out).
struct Matter {
    /// An item and how often it occurred.
    struct ItemMention {
        var item: Int
        var count: Int
    }

    /// Items, in order of first mention.
    var items: [ItemMention] = []
    /// Departments named directly, in order of first mention.
    var departments: [Int] = []
    /// Combined matters, in order of first mention.
    var combined: [Int] = []
    /// The entity hits that count as evidence.
    var hits: [Hits.EntityHit] = []
    /// The department of the matter named first (usually the subject line), if any.
    var firstDepartment: Int?

    init(_ entities: [Hits.EntityHit], categories: CategoryScores, _ rs: RuleSet) {
        for h in entities {
            switch h.entity {
            case .item(let i):
                if let c = rs.index.itemCategory[i], categories.isVetoed(c) { continue }
                if let k = items.firstIndex(where: { $0.item == i }) {
                    items[k].count += 1
                } else {
                    items.append(ItemMention(item: i, count: 1))
                }
                if firstDepartment == nil { firstDepartment = rs.index.itemDepartment[i] }
            case .department(let d):
                if !departments.contains(d) { departments.append(d) }
                if firstDepartment == nil, rs.departments[d].role != .process { firstDepartment = d }
            case .combined(let c):
                if !combined.contains(c) { combined.append(c) }
                if firstDepartment == nil { firstDepartment = rs.index.combinedLead[c] }
            }
            hits.append(h)
        }
    }

    /// True when no item, combined matter or department was found.
    var isEmpty: Bool { items.isEmpty && departments.isEmpty && combined.isEmpty }
}
