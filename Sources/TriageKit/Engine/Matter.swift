/// What the message names: items, departments and combined matters, in order of
/// first mention (stage 5 of the decision), with how often each occurred, whether it
/// occurred in the subject (the first `subject_chars` characters), and, for departments,
/// whether the message addresses it ("请区城管局…"). Items of a category that a veto
/// rule ruled out are left out ("不是系统问题" leaves the platform-fault item out).
struct Matter {
    /// An item or department and how it occurred.
    struct Mention {
        var index: Int
        var count: Int
        var inSubject: Bool
        /// For a department: named right after a request word.
        var addressed = false
    }

    /// Items, in order of first mention.
    var items: [Mention] = []
    /// Departments named directly, in order of first mention.
    var departments: [Mention] = []
    /// Combined matters, in order of first mention.
    var combined: [Int] = []
    /// The entity hits that count as evidence.
    var hits: [Hits.EntityHit] = []
    /// The department of the matter named first (usually the subject line), if any.
    var firstDepartment: Int?

    init(_ entities: [Hits.EntityHit], addresseeEnds: [Int], text: NormalizedText, categories: CategoryScores, _ rs: RuleSet) {
        let subjectEnd = text.byteOffset(ofScalar: rs.settings.subjectChars)
        for h in entities {
            let inSubject = h.range.lowerBound < subjectEnd
            switch h.entity {
            case .item(let i):
                if let c = rs.index.itemCategory[i], categories.isVetoed(c) { continue }
                Matter.count(i, inSubject, &items)
                if firstDepartment == nil { firstDepartment = rs.index.itemDepartment[i] }
            case .department(let d):
                let k = Matter.count(d, inSubject, &departments)
                if !departments[k].addressed {
                    departments[k].addressed = addresseeEnds.contains { end in
                        end <= h.range.lowerBound && text.scalarCount(in: end..<h.range.lowerBound) <= rs.settings.addresseeWindow
                    }
                }
                if firstDepartment == nil, rs.departments[d].role != .process { firstDepartment = d }
            case .combined(let c):
                if !combined.contains(c) { combined.append(c) }
                if firstDepartment == nil { firstDepartment = rs.index.combinedLead[c] }
            }
            hits.append(h)
        }
    }

    /// Counts one occurrence of `index` in `list`; returns its position.
    @discardableResult
    private static func count(_ index: Int, _ inSubject: Bool, _ list: inout [Mention]) -> Int {
        if let k = list.firstIndex(where: { $0.index == index }) {
            list[k].count += 1
            list[k].inSubject = list[k].inSubject || inSubject
            return k
        }
        list.append(Mention(index: index, count: 1, inSubject: inSubject))
        return list.count - 1
    }

    /// True when no item, combined matter or department was found.
    var isEmpty: Bool { items.isEmpty && departments.isEmpty && combined.isEmpty }
}
