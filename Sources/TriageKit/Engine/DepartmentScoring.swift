/// Each department's evidence from the matter (stage 5b of the decision): an item counts
/// for its exercising department, a combined matter for its lead, a name for the
/// department named, and the matter named first gets a small bonus.
struct DepartmentScores {
    /// One department's evidence.
    struct Entry {
        var department: Int
        var score: Double
        var contributions: [Reason.Contribution]
        /// Order of first evidence, for ties.
        var firstSeen: Int
    }

    /// Departments with evidence, strongest first; ties go to the one seen first.
    var ranked: [Entry] = []
    /// `ranked` without the units of the process itself.
    var substantive: [Entry] = []

    init(_ matter: Matter, _ rs: RuleSet) {
        let w = rs.settings.weights
        // A message names a handful of departments: a linear search beats hashing.
        func credit(_ d: Int, _ why: Reason.Contribution, order: Int) {
            if let k = ranked.firstIndex(where: { $0.department == d }) {
                ranked[k].score += why.amount
                ranked[k].contributions.append(why)
            } else {
                ranked.append(Entry(department: d, score: why.amount, contributions: [why], firstSeen: order))
            }
        }
        for (n, mention) in matter.items.enumerated() {
            let item = rs.items[mention.item]
            let repeats = Double(min(mention.count - 1, 2))
            credit(rs.index.itemDepartment[mention.item],
                   .item(Reason.Named(id: item.id, name: item.name), amount: item.weight * (1 + w.repeated * repeats), times: mention.count),
                   order: n)
        }
        for (n, d) in matter.departments.enumerated() {
            credit(d, .department(name: rs.departments[d].name, amount: w.department), order: 1000 + n)
        }
        for (n, c) in matter.combined.enumerated() {
            let m = rs.combined[c]
            credit(rs.index.combinedLead[c], .combined(Reason.Named(id: m.id, name: m.name), amount: w.combined), order: 500 + n)
        }
        if w.first > 0, let first = matter.firstDepartment {
            credit(first, .first(amount: w.first), order: -1)
        }
        ranked.sort { a, b in a.score != b.score ? a.score > b.score : a.firstSeen < b.firstSeen }
        substantive = ranked.filter { rs.departments[$0.department].role != .process }
    }

    /// The score of department `d` (0 without evidence).
    func score(of d: Int) -> Double { ranked.first { $0.department == d }?.score ?? 0 }

    /// Substantive departments whose score is at least `ratio` times the strongest one's.
    func involved(ratio: Double) -> [Entry] {
        guard let top = substantive.first else { return [] }
        return substantive.filter { $0.score >= top.score * ratio }
    }
}
