/// Each department's evidence (stage 5b of the decision). The model, in one sentence per
/// kind of evidence:
/// - an item counts its weight for its exercising department (`weights.context` instead for
///   a place or institution marked `context: true`);
/// - a department named in the text counts `weights.department`;
/// - each repeat of the same item or name adds `weights.repeated` of it, up to
///   `weights.max_repeats` repeats;
/// - evidence in the subject (the first `subject_chars` characters) counts (1 + `weights.subject`) times;
/// - a department named right after a request word (请, 要求 …) counts (1 + `weights.addressee`) times;
/// - a combined matter counts `weights.combined` for its lead;
/// - a topic counts its score × the department's share × `weights.topic`, once its score reaches
///   `weights.topic_min` (`weights.topic_min_alone` when nothing else gave any evidence);
/// - the department of the matter named first gets `weights.first`.
struct DepartmentScores {
    /// One department's evidence.
    struct Entry {
        var department: Int
        var score: Double
        /// The part of `score` from the knowledge base (items, names, combined matters), without
        /// topics: what makes a department involved (co-handler, multi-department).
        var kbScore: Double
        var contributions: [Reason.Contribution]
        /// Order of first evidence, for ties.
        var firstSeen: Int
    }

    /// Departments with evidence, strongest first; ties go to the one seen first.
    var ranked: [Entry] = []
    /// `ranked` without the units of the process itself.
    var substantive: [Entry] = []

    init(_ matter: Matter, topics: TopicScores, _ rs: RuleSet) {
        let w = rs.settings.weights
        // A message names a handful of departments: a linear search beats hashing.
        func credit(_ d: Int, _ why: Reason.Contribution, order: Int) {
            let kb: Double
            if case .topic = why { kb = 0 } else { kb = why.amount }
            if let k = ranked.firstIndex(where: { $0.department == d }) {
                ranked[k].score += why.amount
                ranked[k].kbScore += kb
                ranked[k].contributions.append(why)
            } else {
                ranked.append(Entry(department: d, score: why.amount, kbScore: kb, contributions: [why], firstSeen: order))
            }
        }
        func factor(_ m: Matter.Mention) -> Double {
            (1 + w.repeated * Double(min(m.count - 1, w.maxRepeats))) * (m.inSubject ? 1 + w.subject : 1)
        }
        for (n, m) in matter.items.enumerated() {
            let item = rs.items[m.index]
            let amount = (item.isContext ? w.context : item.weight) * factor(m)
            credit(rs.index.itemDepartment[m.index],
                   .item(Reason.Named(id: item.id, name: item.name), amount: amount, times: m.count, inSubject: m.inSubject,
                         context: item.isContext, fitted: !item.isContext && item.handWrittenWeight != nil),
                   order: n)
        }
        for (n, m) in matter.departments.enumerated() {
            let amount = w.department * factor(m) * (m.addressed ? 1 + w.addressee : 1)
            credit(m.index, .department(name: rs.departments[m.index].name, amount: amount, times: m.count, inSubject: m.inSubject,
                                        addressed: m.addressed),
                   order: 1000 + n)
        }
        for (n, c) in matter.combined.enumerated() {
            let m = rs.combined[c]
            credit(rs.index.combinedLead[c], .combined(Reason.Named(id: m.id, name: m.name), amount: w.combined), order: 500 + n)
        }
        // With no knowledge-base evidence at all, a weaker topic may still say whose matter it is.
        let floor = ranked.isEmpty ? w.topicMinAlone : w.topicMin
        for (n, t) in topics.topics.enumerated() where w.topic > 0 && t.score >= floor {
            let topic = rs.topics[t.topic]
            let words = t.entries.map { topic.entries[$0.entry].text }
            for (d, share) in rs.index.topicDepartments[t.topic] where share > 0 {
                credit(d, .topic(Reason.Named(id: topic.id, name: topic.name), amount: t.score * share * w.topic, words: words),
                       order: 2000 + n)
            }
        }
        if w.first > 0, let first = matter.firstDepartment {
            credit(first, .first(amount: w.first), order: -1)
        }
        ranked.sort { a, b in a.score != b.score ? a.score > b.score : a.firstSeen < b.firstSeen }
        substantive = ranked.filter { rs.departments[$0.department].role != .process }
    }

    /// The score of department `d` (0 without evidence).
    func score(of d: Int) -> Double { ranked.first { $0.department == d }?.score ?? 0 }

    /// Substantive departments whose knowledge-base evidence is at least `ratio` times the
    /// strongest department's (topics alone never involve a department).
    func involved(ratio: Double) -> [Entry] {
        guard let top = substantive.first else { return [] }
        let floor = max(top.kbScore, top.score) * ratio
        return substantive.filter { $0.kbScore > 0 && $0.kbScore >= floor }
    }
}
