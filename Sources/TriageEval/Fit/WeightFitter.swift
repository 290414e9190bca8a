import Foundation
public import TriageKit

/// One labelled message, as the fitter sees it: the features of the engine's decision and
/// what the labels accept.
package struct FitExample: Sendable {
    /// The decision's features with the weights the fit starts from.
    package var features: DecisionFeatures
    /// Leads the labels accept (usually one).
    package var acceptableLeads: Set<DepartmentID>
    /// The labelled category, when the message has one.
    package var category: CategoryID?
}

/// Fits the weights of items, classification rules and topic words to labelled decisions:
/// a softmax (multinomial logistic) model over the candidate departments for the lead and
/// over the categories for the category, with an L2 penalty that pulls every weight back
/// towards its hand-written value, minimised by full-batch gradient descent.
package struct WeightFitter: Sendable {
    /// How strongly weights are pulled back to their hand-written values.
    package var lambda: Double = 0.5
    /// Gradient steps.
    package var iterations: Int = 300
    /// Step size (AdaGrad-scaled).
    package var rate: Double = 0.3
    /// The weights never leave this range.
    package var bounds: ClosedRange<Double> = -8...8

    package init() {}

    /// The fitted weights, starting from (and regularised towards) `prior`.
    package func fit(_ examples: [FitExample], prior: [DecisionFeatures.Feature: Double]) -> [DecisionFeatures.Feature: Double] {
        var w = prior
        var g2: [DecisionFeatures.Feature: Double] = [:]
        let n = Double(max(examples.count, 1))
        for _ in 0..<iterations {
            var grad: [DecisionFeatures.Feature: Double] = [:]
            for ex in examples {
                leadGradient(ex, w, &grad)
                categoryGradient(ex, w, &grad)
            }
            for (f, w0) in prior {
                let g = (grad[f] ?? 0) / n + lambda * ((w[f] ?? w0) - w0)
                guard g != 0 else { continue }
                g2[f, default: 0] += g * g
                let step = rate * g / (g2[f]!.squareRoot() + 1e-8)
                w[f] = min(max((w[f] ?? w0) - step, bounds.lowerBound), bounds.upperBound)
            }
        }
        return w
    }

    /// Score of a candidate department under weights `w`.
    static func score(_ c: DecisionFeatures.Candidate, _ w: [DecisionFeatures.Feature: Double]) -> Double {
        c.features.reduce(c.constant) { $0 + (w[$1.0] ?? 0) * $1.1 }
    }

    /// d(-log P(acceptable)) / dw, added into `grad`.
    func leadGradient(_ ex: FitExample, _ w: [DecisionFeatures.Feature: Double], _ grad: inout [DecisionFeatures.Feature: Double]) {
        let cands = ex.features.candidates
        guard cands.count >= 2, cands.contains(where: { ex.acceptableLeads.contains($0.department) }) else { return }
        let scores = cands.map { Self.score($0, w) }
        let p = Self.softmax(scores)
        let pAcc = zip(cands, p).filter { ex.acceptableLeads.contains($0.0.department) }.reduce(0) { $0 + $1.1 }
        guard pAcc > 0 else { return }
        for (c, pc) in zip(cands, p) {
            let q = ex.acceptableLeads.contains(c.department) ? pc / pAcc : 0
            for (f, v) in c.features { grad[f, default: 0] += (pc - q) * v }
        }
    }

    /// d(-log P(category)) / dw over the rules that fired, added into `grad`.
    func categoryGradient(_ ex: FitExample, _ w: [DecisionFeatures.Feature: Double], _ grad: inout [DecisionFeatures.Feature: Double]) {
        guard let label = ex.category, !ex.features.vetoedCategories.contains(label) else { return }
        var cats = Array(Set(ex.features.rules.map(\.category) + ex.features.categoryWords.map(\.category))
            .subtracting(ex.features.vetoedCategories))
        guard !cats.isEmpty else { return }
        if !cats.contains(label) { cats.append(label) }
        cats.sort()
        let scores = cats.map { c in
            ex.features.rules.filter { $0.category == c }.reduce(0.0) { $0 + (w[.rule($1.rule)] ?? $1.weight) }
                + ex.features.categoryWords.filter { $0.category == c }.reduce(0.0) { $0 + (w[$1.feature] ?? 0) * $1.value }
                + (ex.features.categoryConstants[c] ?? 0)
        }
        let p = Self.softmax(scores)
        for (c, pc) in zip(cats, p) {
            let q: Double = c == label ? 1 : 0
            for r in ex.features.rules where r.category == c { grad[.rule(r.rule), default: 0] += pc - q }
            for cw in ex.features.categoryWords where cw.category == c { grad[cw.feature, default: 0] += (pc - q) * cw.value }
        }
    }

    static func softmax(_ xs: [Double]) -> [Double] {
        let m = xs.max() ?? 0
        let e = xs.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}

extension RuleSet {
    /// The current weight of every feature the fitter can change.
    package var fittableWeights: [DecisionFeatures.Feature: Double] {
        var out: [DecisionFeatures.Feature: Double] = [:]
        for i in items where !i.isContext { out[.item(i.id)] = i.weight }
        for r in rules { out[.rule(r.id)] = r.weight }
        for t in topics { for e in t.entries { out[.topicWord(topic: t.id, word: e.text)] = e.weight } }
        return out
    }
}
