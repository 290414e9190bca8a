/// The vague and multi-department flags (stage 8 of the decision).
struct FlagDecision {
    /// Why the message is vague.
    enum VagueCause: Equatable {
        case empty
        /// With the number of meaningful characters.
        case tooShort(Int)
        case noMatter, cue
    }

    /// Why the message is multi-department.
    enum MultiCause {
        /// Departments with comparable evidence, and their scores.
        case departments([(department: Int, score: Double)])
        /// Multi-department or passed-between cues.
        case cues
        /// A combined matter of several departments.
        case combined(Int)
    }

    var vague: [VagueCause] = []
    var multi: [MultiCause] = []
    /// Vague cues that fired.
    var vagueCues: [Int] = []
    /// Passed-between cues, then multi-department cues, that fired.
    var multiCues: [Int] = []

    var isVague: Bool { !vague.isEmpty }
    var isMulti: Bool { !multi.isEmpty }

    /// Naming a combined matter (一件事) is never vague; when the combined matter decides the
    /// route, its departments are the co-handlers and the message is multi-department.
    static func decide(text: NormalizedText, matter: Matter, departments: DepartmentScores, cues: Hits.RuleHits,
                       route: RouteDecision, fixedHandler: Bool, _ rs: RuleSet) -> FlagDecision {
        var f = FlagDecision()
        f.vagueCues = cues.fired.map(\.index).filter { rs.cues[$0].flag == .vague }
        f.multiCues = cues.fired.map(\.index).filter { rs.cues[$0].flag == .passedBetween }
            + cues.fired.map(\.index).filter { rs.cues[$0].flag == .multiDepartment }
        let namesCombined = !matter.combined.isEmpty
        let hasMatter = !matter.items.isEmpty || namesCombined || !departments.substantive.isEmpty
        if text.bytes.isEmpty {
            f.vague.append(.empty)
        } else if text.meaningfulCount < rs.settings.vagueMinChars {
            f.vague.append(.tooShort(text.meaningfulCount))
        }
        if !hasMatter && !fixedHandler && text.meaningfulCount < rs.settings.vagueNoMatterBelow { f.vague.append(.noMatter) }
        if !f.vagueCues.isEmpty && !namesCombined { f.vague.append(.cue) }

        let involved = departments.involved(ratio: rs.settings.multiRatio)
        if involved.count >= 2 { f.multi.append(.departments(involved.map { ($0.department, $0.score) })) }
        if !f.multiCues.isEmpty { f.multi.append(.cues) }
        if case .combined(let c, allDepartments: true) = route.basis, rs.index.combinedDepartments[c].count >= 2 {
            f.multi.append(.combined(c))
        }
        return f
    }

    /// A rejected message is spam, abuse, gibberish or off-topic: neither vague nor multi-department.
    mutating func clearForRejection() {
        vague = []
        multi = []
    }
}
