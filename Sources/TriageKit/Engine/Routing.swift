/// The lead handler (主要承办部门) and co-handlers (stage 7 of the decision).
struct RouteDecision {
    /// Why this lead.
    enum Basis {
        /// The category has a fixed handler.
        case categoryHandler(category: Int)
        /// A combined matter matched; its declared lead leads, with all its departments as
        /// co-handlers or only those with evidence (the category's `combined_co_handlers`).
        case combined(Int, allDepartments: Bool)
        /// A unit of the process itself has far stronger evidence.
        case processUnit
        /// Departments pass the matter between them and no owner stands out; the coordinator leads.
        case passedBetween(top: Int, runnerUp: Int)
        /// Departments pass the matter between them, but one owns it by the evidence: it leads.
        case ownerOfPassed(top: Int, runnerUp: Int)
        /// Two departments have comparable evidence; the coordinator leads (`balanced_lead: coordinator`).
        case balanced(top: Int, runnerUp: Int)
        /// Two departments have comparable evidence; the top one leads, the other co-handles.
        case topOfBalanced(top: Int, runnerUp: Int)
        /// The strongest department leads on item evidence.
        case item
        /// The strongest department leads on being named (no item matched).
        case departmentMentioned
        /// Nothing identifies a department; the coordinator leads.
        case unclear
    }

    /// The lead's department index.
    var lead: Int
    /// Co-handlers' department indices, the lead excluded.
    var coHandlers: [Int]
    /// Why.
    var basis: Basis
    /// Categories that lost but whose fixed handler joined as a co-handler.
    var secondCategories: [Int] = []

    /// Decides the lead: a category's fixed handler, then a combined matter's lead, then
    /// a dominant process unit, then the strongest department (主要承办部门). The coordinator
    /// leads only when responsibility is genuinely unclear: departments pass the matter
    /// between them and no owner stands out (`passed_balance`), or no department has evidence.
    /// Evenly balanced departments go to the top one (`balanced_lead: top`, the default).
    static func decide(category: Int?, matter: Matter, departments: DepartmentScores,
                       passedBetween: Bool, _ rs: RuleSet) -> RouteDecision {
        let s = rs.settings
        let coordinator = rs.coordinatorIndex
        let substantive = departments.substantive
        var route: RouteDecision
        if let category, let fixed = rs.index.categoryHandler[category] {
            route = RouteDecision(lead: fixed, coHandlers: rs.index.categoryCoHandlers[category], basis: .categoryHandler(category: category))
        } else if let c = matter.combined.first {
            let lead = rs.index.combinedLead[c]
            let all = category.map { rs.categories[$0].combinedCoHandlersAll } ?? true
            var co = all ? Array(rs.index.combinedDepartments[c].dropFirst()) : []
            for e in substantive where !co.contains(e.department) { co.append(e.department) }
            route = RouteDecision(lead: lead, coHandlers: co, basis: .combined(c, allDepartments: all))
        } else if let unit = departments.ranked.first(where: { rs.departments[$0.department].role == .process }),
                  let strongest = substantive.first, unit.score >= strongest.score * s.processLeadRatio {
            let co = substantive.filter { $0.score >= unit.score * s.multiRatio }.map(\.department)
            route = RouteDecision(lead: unit.department, coHandlers: co, basis: .processUnit)
        } else if let top = substantive.first ?? departments.ranked.first {
            let runnerUp = substantive.dropFirst().first
            let involved = departments.involved(ratio: s.multiRatio).filter { $0.department != top.department }
            if let runnerUp, passedBetween {
                if runnerUp.score >= top.score * s.passedBalance {
                    route = RouteDecision(lead: coordinator, coHandlers: substantive.map(\.department),
                                          basis: .passedBetween(top: top.department, runnerUp: runnerUp.department))
                } else {
                    route = RouteDecision(lead: top.department, coHandlers: substantive.dropFirst().map(\.department),
                                          basis: .ownerOfPassed(top: top.department, runnerUp: runnerUp.department))
                }
            } else if let runnerUp, runnerUp.score >= top.score * s.leadBalance {
                route = s.balancedLeadIsCoordinator
                    ? RouteDecision(lead: coordinator, coHandlers: substantive.map(\.department),
                                    basis: .balanced(top: top.department, runnerUp: runnerUp.department))
                    : RouteDecision(lead: top.department, coHandlers: involved.map(\.department),
                                    basis: .topOfBalanced(top: top.department, runnerUp: runnerUp.department))
            } else {
                route = RouteDecision(lead: top.department, coHandlers: involved.map(\.department),
                                      basis: matter.items.isEmpty ? .departmentMentioned : .item)
            }
        } else {
            route = RouteDecision(lead: coordinator, coHandlers: [], basis: .unclear)
        }
        route.coHandlers.removeAll { $0 == route.lead }
        return route
    }

    /// A category with a fixed handler that reached `second_category_min` but lost (a platform fault
    /// told inside a business matter) adds its handler as a co-handler; the owner of the
    /// matter still leads.
    mutating func addSecondCategoryHandlers(_ categories: CategoryScores, chosen: Int?, _ rs: RuleSet) {
        for c in rs.categories.indices where c != chosen && !categories.isVetoed(c) && categories.scores[c] >= rs.settings.secondCategoryMin {
            guard let handler = rs.index.categoryHandler[c], handler != lead, !coHandlers.contains(handler) else { continue }
            coHandlers.append(handler)
            secondCategories.append(c)
        }
    }
}
