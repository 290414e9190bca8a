import Foundation
public import TriageKit

/// `triage fit`: cross-validated fitting of weights to a labelled corpus, and the weights
/// file it writes (`fitted_weights.yaml` in the rule-set folder, one line per weight).
package enum FitRun {
    /// The file the fitted weights live in, at the root of the rule-set folder.
    package static let fileName = "fitted_weights.yaml"

    /// Accuracy of the lead and the category on some messages, over the messages that carry
    /// each label.
    package struct Scores: Sendable {
        package var leadCorrect = 0, leadLabelled = 0
        package var categoryCorrect = 0, categoryLabelled = 0
        package var messages = 0
        /// Lead accuracy; nil when no message has a lead label.
        package var lead: Double? { leadLabelled == 0 ? nil : Double(leadCorrect) / Double(leadLabelled) }
        /// Category accuracy; nil when no message has a category label.
        package var category: Double? { categoryLabelled == 0 ? nil : Double(categoryCorrect) / Double(categoryLabelled) }

        static func += (a: inout Scores, b: Scores) {
            a.leadCorrect += b.leadCorrect; a.leadLabelled += b.leadLabelled
            a.categoryCorrect += b.categoryCorrect; a.categoryLabelled += b.categoryLabelled
            a.messages += b.messages
        }
    }

    /// The result of a run.
    package struct Report: Sendable {
        package var folds: Int
        package var examples: Int
        /// Cross-validated accuracy with the hand-written weights.
        package var before: Scores
        /// Cross-validated accuracy with the weights fitted on the other folds.
        package var after: Scores
        /// The weights fitted on every message, and how many differ from the hand-written ones.
        package var fitted: [DecisionFeatures.Feature: Double]
        package var changed: Int
    }

    /// The rule source without any fitted weights: the hand-written rule set the fit starts from.
    package static func handWritten(_ source: RuleSource) -> RuleSource {
        RuleSource(files: source.files.filter { $0.path != fileName }, origin: source.origin)
    }

    /// `source` with `yaml` as its fitted weights.
    package static func withWeights(_ source: RuleSource, _ yaml: String) -> RuleSource {
        RuleSource(files: handWritten(source).files + [RuleSource.File(path: fileName, text: yaml)], origin: source.origin)
    }

    /// The leads a labelled message accepts: `expected.lead_any` when given, else `expected.lead`.
    package static func acceptableLeads(_ m: LabelledMessage) -> Set<DepartmentID> {
        if let any = m.expected.raw["lead_any"]?.array { return Set(any.compactMap { $0.string.map(DepartmentID.init) }) }
        return m.expected.lead.map { [$0] } ?? []
    }

    static func example(_ engine: TriageEngine, _ m: LabelledMessage) -> FitExample {
        FitExample(features: engine.features(m.record), acceptableLeads: acceptableLeads(m),
                   category: m.expected.hasCategory ? m.expected.category : nil)
    }

    /// Accuracy of `ruleSet` on `messages`, with the real engine.
    static func score(_ ruleSet: RuleSet, _ messages: [LabelledMessage]) -> Scores {
        let engine = TriageEngine(ruleSet: ruleSet)
        var s = Scores()
        for m in messages {
            let r = engine.classify(m.record)
            let acc = acceptableLeads(m)
            if !acc.isEmpty || m.expected.hasLead {
                s.leadLabelled += 1
                if let l = r.lead?.id, acc.contains(l) { s.leadCorrect += 1 } else if acc.isEmpty && r.lead == nil { s.leadCorrect += 1 }
            }
            if m.expected.hasCategory {
                s.categoryLabelled += 1
                if r.category == m.expected.category { s.categoryCorrect += 1 }
            }
        }
        s.messages = messages.count
        return s
    }

    /// Fits with k-fold cross-validation, then on everything.
    package static func run(source: RuleSource, messages: [LabelledMessage], folds: Int, fitter: WeightFitter,
                            progress: (String) -> Void = { _ in }) throws(Diagnostics) -> Report {
        let base = handWritten(source)
        let loaded = RuleSetLoader.load(base)
        guard let rs = loaded.ruleSet else { throw loaded.diagnostics }
        let prior = rs.fittableWeights
        let engine = TriageEngine(ruleSet: rs)
        let examples = messages.map { example(engine, $0) }
        var before = Scores(), after = Scores()
        let k = max(2, min(folds, messages.count))
        for fold in 0..<k {
            let train = examples.indices.filter { $0 % k != fold }.map { examples[$0] }
            let held = messages.indices.filter { $0 % k == fold }.map { messages[$0] }
            progress("fold \(fold + 1)/\(k): fitting on \(train.count), scoring \(held.count)")
            let w = fitter.fit(train, prior: prior)
            let fitted = RuleSetLoader.load(withWeights(base, yaml(w, prior: prior, corpus: [], method: "cross-validation fold")))
            guard let frs = fitted.ruleSet else { throw fitted.diagnostics }
            before += score(rs, held)
            after += score(frs, held)
        }
        progress("fitting on all \(examples.count)")
        let final = fitter.fit(examples, prior: prior)
        let changed = final.filter { abs($0.value - (prior[$0.key] ?? $0.value)) >= 0.005 }.count
        return Report(folds: k, examples: examples.count, before: before, after: after, fitted: final, changed: changed)
    }

    /// The weights file: only weights that moved from their hand-written values, rounded,
    /// one line each, sorted, so that a refit shows as a readable diff.
    package static func yaml(_ w: [DecisionFeatures.Feature: Double], prior: [DecisionFeatures.Feature: Double],
                             corpus: [String], method: String) -> String {
        func fmt(_ x: Double) -> String { String(format: "%.3f", x) }
        func quote(_ s: String) -> String {
            let plain = s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
            return plain && !["true", "false", "null", "yes", "no"].contains(s) ? s : "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        }
        var items: [(String, Double)] = [], rules: [(String, Double)] = [], words: [String: [(String, Double)]] = [:]
        for (f, v) in w where abs(v - (prior[f] ?? v)) >= 0.005 {
            switch f {
            case .item(let id): items.append((id, v))
            case .rule(let id): rules.append((id, v))
            case .topicWord(let t, let word): words[t, default: []].append((word, v))
            }
        }
        var out = [
            "# Written by `triage fit`; do not edit by hand (change the hand-written weights and fit again).",
            "# Each weight replaces the hand-written weight of the same entry when the rule set loads.",
            "fitted_weights:",
            "  corpus: [\(corpus.map(quote).joined(separator: ", "))]",
            "  method: \(quote(method))",
        ]
        if !items.isEmpty {
            out.append("  items:")
            for (id, v) in items.sorted(by: { $0.0 < $1.0 }) { out.append("    \(quote(id)): \(fmt(v))") }
        }
        if !rules.isEmpty {
            out.append("  rules:")
            for (id, v) in rules.sorted(by: { $0.0 < $1.0 }) { out.append("    \(quote(id)): \(fmt(v))") }
        }
        if !words.isEmpty {
            out.append("  topic_words:")
            for t in words.keys.sorted() {
                out.append("    \(quote(t)):")
                for (word, v) in words[t]!.sorted(by: { $0.0 < $1.0 }) { out.append("      \(quote(word)): \(fmt(v))") }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
