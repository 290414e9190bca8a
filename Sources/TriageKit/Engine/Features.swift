/// The linear features behind one decision, for fitting weights (`triage fit`).
///
/// A department's score is linear in the weights of the items and topic words that gave
/// it evidence: score(d) = Σ weight(f) × value(f, d) + constant(d), where the constant
/// holds what no fitted weight changes (named departments, combined matters, context
/// items, the first-mention bonus, capped topics). A category's score is the sum of the
/// weights of its classification rules that fired.
package struct DecisionFeatures: Sendable {
    /// A weight `triage fit` can change.
    package enum Feature: Hashable, Sendable, Comparable {
        /// An item's weight.
        case item(String)
        /// A classification rule's weight.
        case rule(String)
        /// A topic word's weight.
        case topicWord(topic: String, word: String)
    }

    /// One candidate department.
    package struct Candidate: Sendable {
        /// The department.
        package var department: DepartmentID
        /// Feature values: the score changes by value × Δweight.
        package var features: [(Feature, Double)]
        /// The part of the score no fitted weight changes.
        package var constant: Double
        /// The score with the current weights.
        package var score: Double
    }

    /// Departments with evidence (process units included), strongest first.
    package var candidates: [Candidate]
    /// The lead the engine chose.
    package var lead: DepartmentID?
    /// Classification rules that fired, with their categories.
    package var rules: [(rule: String, category: CategoryID, weight: Double)]
    /// Topic words behind category scores: category, feature, value (score changes by value × Δweight).
    package var categoryWords: [(category: CategoryID, feature: Feature, value: Double)]
    /// The part of each category's topic score no fitted weight changes (capped topics).
    package var categoryConstants: [CategoryID: Double]
    /// Categories a veto rule ruled out.
    package var vetoedCategories: [CategoryID]
    /// The category the engine chose.
    package var category: CategoryID?
}

extension TriageEngine {
    /// The features of one message's decision, with the current weights.
    package func features(_ message: MessageRecord) -> DecisionFeatures {
        let d = decide(message)
        let rs = ruleSet
        let w = rs.settings.weights
        var perDepartment: [Int: [(DecisionFeatures.Feature, Double)]] = [:]
        for m in d.matter.items where !rs.items[m.index].isContext {
            let value = (1 + w.repeated * Double(min(m.count - 1, w.maxRepeats))) * (m.inSubject ? 1 + w.subject : 1)
            perDepartment[rs.index.itemDepartment[m.index], default: []].append((.item(rs.items[m.index].id), value))
        }
        let floor = d.departments.ranked.allSatisfy({ $0.contributions.allSatisfy { if case .topic = $0 { return true } else { return false } } })
            ? w.topicMinAlone : w.topicMin
        for t in d.topics.topics where t.score >= floor {
            let topic = rs.topics[t.topic]
            let raw = t.entries.reduce(0.0) { $0 + topic.entries[$1.entry].weight * (1 + w.repeated * Double(min($1.count - 1, w.maxRepeats))) }
            guard raw < w.topicCap else { continue }  // capped: a word's weight does not move the score
            for (dept, share) in rs.index.topicDepartments[t.topic] {
                for e in t.entries {
                    let value = (1 + w.repeated * Double(min(e.count - 1, w.maxRepeats))) * share * w.topic
                    perDepartment[dept, default: []].append((.topicWord(topic: topic.id, word: topic.entries[e.entry].text), value))
                }
            }
        }
        var categoryWords: [(CategoryID, DecisionFeatures.Feature, Double)] = []
        var categoryConstants: [CategoryID: Double] = [:]
        for t in d.topics.topics {
            let topic = rs.topics[t.topic]
            let raw = t.entries.reduce(0.0) { $0 + topic.entries[$1.entry].weight * (1 + w.repeated * Double(min($1.count - 1, w.maxRepeats))) }
            for (c, share) in rs.index.topicCategories[t.topic] {
                let cat = rs.categories[c].id
                if raw >= w.topicCap {
                    categoryConstants[cat, default: 0] += t.score * share * w.categoryTopic
                    continue
                }
                for e in t.entries {
                    let value = (1 + w.repeated * Double(min(e.count - 1, w.maxRepeats))) * share * w.categoryTopic
                    categoryWords.append((cat, .topicWord(topic: topic.id, word: topic.entries[e.entry].text), value))
                }
            }
        }
        let candidates = d.departments.ranked.map { entry -> DecisionFeatures.Candidate in
            let features = perDepartment[entry.department] ?? []
            let variable = features.reduce(0.0) { total, f in
                switch f.0 {
                case .item(let id): return total + (rs.items.first { $0.id == id }?.weight ?? 0) * f.1
                case .topicWord(let topic, let word):
                    let weight = rs.topics.first { $0.id == topic }?.entries.first { $0.text == word }?.weight ?? 0
                    return total + weight * f.1
                case .rule: return total
                }
            }
            return DecisionFeatures.Candidate(department: rs.departments[entry.department].id, features: features,
                                              constant: entry.score - variable, score: entry.score)
        }
        return DecisionFeatures(
            candidates: candidates, lead: d.route.map { rs.departments[$0.lead].id },
            rules: d.categories.fired.map { (rs.rules[$0.index].id, rs.rules[$0.index].category, rs.rules[$0.index].weight) },
            categoryWords: categoryWords, categoryConstants: categoryConstants,
            vetoedCategories: d.categories.vetoes.map { rs.categories[$0.category].id },
            category: d.category.category.map { rs.categories[$0].id })
    }
}
