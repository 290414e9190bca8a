import Foundation
public import TriageKit

/// One labelled dimension to score: how to read the label and the engine's answer as text.
/// New labels (screening, escalation) are scored by adding a field; nothing else changes.
public struct LabelField: Sendable {
    /// Metric prefix, e.g. `category`.
    public var name: String
    /// True for a flag: the labels are `true`/`false`, and precision and recall are those of `true`.
    public var binary: Bool
    /// True when each label is a class worth its own precision and recall (`category.technical.f1`);
    /// false for fields with many labels (a lead department) or whose labels are values (a date).
    public var perLabel: Bool
    /// False when the labels are values, not classes (a date): then only accuracy is scored, no macro-F1.
    public var hasClasses: Bool
    /// The label, or `nil` when the message does not label this field.
    public var expected: @Sendable (LabelledMessage) -> String?
    /// The engine's answer, or `nil` when the engine does not produce this field (then it is not scored).
    public var actual: @Sendable (TriageResult) -> String?

    /// Creates a field.
    public init(name: String, binary: Bool = false, perLabel: Bool = true, hasClasses: Bool = true,
                expected: @escaping @Sendable (LabelledMessage) -> String?,
                actual: @escaping @Sendable (TriageResult) -> String?) {
        self.name = name
        self.binary = binary
        self.perLabel = perLabel && !binary && hasClasses
        self.hasClasses = hasClasses
        self.expected = expected
        self.actual = actual
    }

    /// Category, lead, the two flags, and the screening and escalation labels of issue 5
    /// (scored only once the engine emits `screening` / `escalation` sections).
    public static let standard: [LabelField] = [
        LabelField(name: "category", expected: { $0.expected.hasCategory ? ($0.expected.category?.rawValue ?? "none") : nil },
                   actual: { $0.category?.rawValue ?? "none" }),
        LabelField(name: "lead", perLabel: false, expected: { $0.expected.hasLead ? ($0.expected.lead?.rawValue ?? "none") : nil },
                   actual: { $0.lead?.id.rawValue ?? "none" }),
        LabelField(name: "vague", binary: true, expected: { $0.expected.vague.map { String($0) } },
                   actual: { String($0.flags.vague) }),
        LabelField(name: "multi_department", binary: true, expected: { $0.expected.multiDepartment.map { String($0) } },
                   actual: { String($0.flags.multiDepartment) }),
        // Screening labels are `accept`, `needs_review` or `reject:<reason>` (corpus/README.md).
        LabelField(name: "screening", expected: { $0.expected.labelled ? ($0.expected.raw["screening"]?.string ?? "accept") : nil },
                   actual: { $0.screening.label }),
        // Deadlines are scored only where the corpus gives them (with a received_at).
        LabelField(name: "deadlines.pre_review_due", hasClasses: false, expected: { $0.expected.raw["deadlines"]?["pre_review_due"]?.string },
                   actual: { $0.deadlines.preReviewDue?.description ?? "none" }),
        LabelField(name: "deadlines.reply_due", hasClasses: false, expected: { $0.expected.raw["deadlines"]?["reply_due"]?.string },
                   actual: { $0.deadlines.replyDue?.description ?? "none" }),
    ] + EscalationFlag.allCases.map { flag in
        LabelField(name: "escalation.\(flag.rawValue)", binary: true,
                   expected: { $0.expected.labelled ? String($0.expected.raw["escalation"]?[flag.rawValue]?.bool ?? false) : nil },
                   actual: { String($0.escalation.flags.contains(flag)) })
    }
}

/// Precision, recall and F1 of one label.
public struct ClassScores: Sendable, Equatable {
    /// The label.
    public var label: String
    /// True positives.
    public var tp: Int
    /// False positives.
    public var fp: Int
    /// False negatives.
    public var fn: Int
    /// Messages labelled with it (tp + fn).
    public var support: Int { tp + fn }
    /// tp / (tp + fp); 0 when nothing was predicted.
    public var precision: Double { tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp) }
    /// tp / (tp + fn); 0 when nothing is labelled.
    public var recall: Double { tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn) }
    /// Harmonic mean of precision and recall.
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
}

/// Scores of one field: confusion matrix, per-label P/R/F1, accuracy, macro-F1.
public struct FieldMetrics: Sendable {
    /// The field's name.
    public var name: String
    /// Binary flag field.
    public var binary: Bool
    /// Whether per-label metrics are meaningful (see ``LabelField/perLabel``).
    public var labelsAreClasses = true
    /// Whether the labels are classes at all (see ``LabelField/hasClasses``); if not, only accuracy.
    public var hasClasses = true
    /// Messages scored (labelled and answered).
    public var count: Int
    /// Labels in matrix order.
    public var labels: [String]
    /// `confusion[expected][actual]`, indices into `labels`.
    public var confusion: [[Int]]
    /// Per-label scores, in `labels` order.
    public var perLabel: [ClassScores]
    /// Correct / scored.
    public var accuracy: Double
    /// Mean F1 over labels that occur as label or answer.
    public var macroF1: Double

    /// The scores of `true`, for a flag.
    public var positive: ClassScores? { binary ? perLabel.first { $0.label == "true" } : nil }

    /// Scores pairs of (label, answer).
    public static func compute(name: String, binary: Bool, pairs: [(String, String)], order: [String] = []) -> FieldMetrics {
        var labels = binary ? ["true", "false"] : order
        for (e, a) in pairs {
            if !labels.contains(e) { labels.append(e) }
            if !labels.contains(a) { labels.append(a) }
        }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var m = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (e, a) in pairs { m[index[e]!][index[a]!] += 1 }
        var per: [ClassScores] = []
        for (i, l) in labels.enumerated() {
            let tp = m[i][i]
            let fn = m[i].reduce(0, +) - tp
            let fp = m.indices.reduce(0) { $0 + m[$1][i] } - tp
            per.append(ClassScores(label: l, tp: tp, fp: fp, fn: fn))
        }
        let correct = labels.indices.reduce(0) { $0 + m[$1][$1] }
        let occurring = per.filter { $0.tp + $0.fp + $0.fn > 0 }
        return FieldMetrics(
            name: name, binary: binary, count: pairs.count, labels: labels, confusion: m, perLabel: per,
            accuracy: pairs.isEmpty ? 0 : Double(correct) / Double(pairs.count),
            macroF1: occurring.isEmpty ? 0 : occurring.map(\.f1).reduce(0, +) / Double(occurring.count))
    }
}

/// Every metric of one run over a labelled corpus.
public struct Metrics: Sendable {
    /// Messages scored.
    public var count: Int
    /// Per-field scores, for fields that were labelled and answered.
    public var fields: [FieldMetrics]
    /// Mean Jaccard agreement of co-handler sets, over messages that label co-handlers (both empty = 1).
    public var coHandlerAgreement: Double
    /// Messages that label co-handlers.
    public var coHandlerCount: Int
    /// Messages that disagree with any labelled dimension.
    public var failing: Int

    /// The field called `name`.
    public func field(_ name: String) -> FieldMetrics? { fields.first { $0.name == name } }

    /// Computes the metrics. `categoryOrder` fixes the row order of the category matrix.
    public static func compute(
        _ messages: [LabelledMessage], _ outcomes: [Outcome], categoryOrder: [String] = [],
        fields: [LabelField] = LabelField.standard
    ) -> Metrics {
        var out: [FieldMetrics] = []
        for f in fields {
            var pairs: [(String, String)] = []
            for (m, o) in zip(messages, outcomes) {
                guard let e = f.expected(m), let a = f.actual(o.result) else { continue }
                pairs.append((e, a))
            }
            guard !pairs.isEmpty else { continue }
            var m = FieldMetrics.compute(name: f.name, binary: f.binary, pairs: pairs,
                                         order: f.name == "category" ? categoryOrder + ["none"] : [])
            m.labelsAreClasses = f.perLabel
            m.hasClasses = f.hasClasses
            out.append(m)
        }
        var agreement = 0.0
        var n = 0
        var failing = 0
        for (m, o) in zip(messages, outcomes) {
            if !Verdict.mismatches(m.expected, o.result).isEmpty { failing += 1 }
            guard let co = m.expected.coHandlers else { continue }
            let e = Set(co), a = Set(o.result.coHandlers.map(\.id))
            let union = e.union(a)
            agreement += union.isEmpty ? 1 : Double(e.intersection(a).count) / Double(union.count)
            n += 1
        }
        return Metrics(count: messages.count, fields: out, coHandlerAgreement: n == 0 ? 0 : agreement / Double(n),
                       coHandlerCount: n, failing: failing)
    }

    /// Every metric name a run could measure with a rule set of these categories: the names a
    /// thresholds file may use. Per-label names exist for `category` (each category and `none`)
    /// and `screening` (`accept`, `needs_review`, `reject:<reason>`).
    public static func names(categories: [String], fields: [LabelField] = LabelField.standard) -> [String] {
        var out: [String] = []
        for f in fields {
            out.append("\(f.name).accuracy")
            if f.binary {
                out += ["precision", "recall", "f1"].map { "\(f.name).\($0)" }
                continue
            }
            guard f.hasClasses else { continue }
            out.append("\(f.name).macro_f1")
            guard f.perLabel else { continue }
            let labels = f.name == "category" ? categories + ["none"]
                : (f.name == "screening" ? ["accept", "needs_review"] + RejectReason.allCases.map { "reject:\($0.rawValue)" } : [])
            for l in labels { out += ["precision", "recall", "f1"].map { "\(f.name).\(l).\($0)" } }
        }
        out.append("co_handlers.agreement")
        return out
    }

    /// Every metric by name, for thresholds and diffs: `category.accuracy`, `category.macro_f1`,
    /// `category.technical.f1`, `lead.accuracy`, `vague.precision`, `co_handlers.agreement`, …
    public var named: [(String, Double)] {
        var out: [(String, Double)] = []
        for f in fields {
            out.append(("\(f.name).accuracy", f.accuracy))
            if !f.hasClasses { continue }
            if let p = f.positive {
                out += [("\(f.name).precision", p.precision), ("\(f.name).recall", p.recall), ("\(f.name).f1", p.f1)]
            } else {
                out.append(("\(f.name).macro_f1", f.macroF1))
                if f.labelsAreClasses {
                    for s in f.perLabel where s.support > 0 || s.tp + s.fp > 0 {
                        out += [("\(f.name).\(s.label).precision", s.precision), ("\(f.name).\(s.label).recall", s.recall),
                                ("\(f.name).\(s.label).f1", s.f1)]
                    }
                }
            }
        }
        if coHandlerCount > 0 { out.append(("co_handlers.agreement", coHandlerAgreement)) }
        return out
    }

    /// The metrics as JSON.
    public var json: JSONValue {
        .object([
            ("messages", .number(Double(count))),
            ("failing", .number(Double(failing))),
            ("fields", .object(fields.map { f in
                var pairs: [(String, JSONValue)] = [
                    ("scored", .number(Double(f.count))), ("accuracy", .number(round6(f.accuracy))),
                ]
                if let p = f.positive {
                    pairs += [("precision", .number(round6(p.precision))), ("recall", .number(round6(p.recall))), ("f1", .number(round6(p.f1))),
                              ("tp", .number(Double(p.tp))), ("fp", .number(Double(p.fp))), ("fn", .number(Double(p.fn)))]
                } else if !f.hasClasses {
                } else if !f.labelsAreClasses {
                    pairs.append(("macro_f1", .number(round6(f.macroF1))))
                } else {
                    pairs.append(("macro_f1", .number(round6(f.macroF1))))
                    pairs.append(("per_label", .object(f.perLabel.map { s in
                        (s.label, .object([("precision", .number(round6(s.precision))), ("recall", .number(round6(s.recall))),
                                           ("f1", .number(round6(s.f1))), ("support", .number(Double(s.support)))]))
                    })))
                    pairs.append(("labels", .array(f.labels.map(JSONValue.string))))
                    pairs.append(("confusion", .array(f.confusion.map { .array($0.map { .number(Double($0)) }) })))
                }
                return (f.name, .object(pairs))
            })),
            ("co_handlers", .object([("agreement", .number(round6(coHandlerAgreement))), ("scored", .number(Double(coHandlerCount)))])),
        ])
    }
}

/// Rounds to six decimals so that JSON output is stable.
func round6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

/// `0.812`.
func fmt(_ x: Double) -> String { String(format: "%.3f", x) }
