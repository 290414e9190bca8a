import Foundation
public import TriageKit

/// Plain-text and JSON renderings of QA results, for terminals and CI logs.
public enum TextReport {
    static func pad(_ s: String, _ w: Int) -> String {
        let d = DisplayWidth.of(s)
        return d >= w ? s : s + String(repeating: " ", count: w - d)
    }
    static func lpad(_ s: String, _ w: Int) -> String {
        let d = DisplayWidth.of(s)
        return d >= w ? s : String(repeating: " ", count: w - d) + s
    }

    /// A table with a header row; the first column left-aligned, the others right-aligned.
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = first.indices.map { c in rows.map { c < $0.count ? DisplayWidth.of($0[c]) : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in c == 0 ? pad(cell, widths[c]) : lpad(cell, widths[c]) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// The metrics section shared by `test` and `diff`.
    public static func metrics(_ m: Metrics) -> String {
        var out: [String] = []
        if let c = m.field("category") {
            out.append("category: accuracy \(fmt(c.accuracy))  macro-F1 \(fmt(c.macroF1))  (\(c.count) scored)")
            var rows = [["", "precision", "recall", "f1", "support"]]
            for s in c.perLabel where s.support > 0 || s.tp + s.fp > 0 {
                rows.append([s.label, fmt(s.precision), fmt(s.recall), fmt(s.f1), String(s.support)])
            }
            out.append(indent(table(rows)))
            out.append("confusion matrix (rows: expected, columns: actual):")
            out.append(indent(confusion(c)))
        }
        if let l = m.field("lead") { out.append("lead: accuracy \(fmt(l.accuracy))  (\(l.count) scored)") }
        if m.coHandlerCount > 0 { out.append("co-handlers: agreement \(fmt(m.coHandlerAgreement))  (\(m.coHandlerCount) scored)") }
        for f in m.fields where f.binary {
            let p = f.positive!
            out.append("\(f.name): precision \(fmt(p.precision))  recall \(fmt(p.recall))  f1 \(fmt(p.f1))  (tp \(p.tp), fp \(p.fp), fn \(p.fn))")
        }
        for f in m.fields where !f.binary && f.name != "category" && f.name != "lead" {
            out.append("\(f.name): accuracy \(fmt(f.accuracy))" + (f.hasClasses ? "  macro-F1 \(fmt(f.macroF1))" : "") + "  (\(f.count) scored)")
        }
        return out.joined(separator: "\n")
    }

    static func indent(_ s: String) -> String { s.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") }

    static func confusion(_ f: FieldMetrics) -> String {
        let used = f.labels.indices.filter { i in f.confusion[i].reduce(0, +) > 0 || f.confusion.indices.contains { f.confusion[$0][i] > 0 } }
        var rows = [[""] + used.map { f.labels[$0] }]
        for i in used { rows.append([f.labels[i]] + used.map { String(f.confusion[i][$0]) }) }
        return table(rows)
    }

    /// Evidence as `rule「text」` items.
    static func evidence(_ r: TriageResult) -> String {
        r.evidence.isEmpty ? "(none)" : r.evidence.map { "\($0.rule)「\($0.text)」" }.joined(separator: " ")
    }

    static func failing(_ c: FailingCase) -> String {
        var note = ""
        if !c.knownBy.isEmpty { note = "  (known false positive of \(c.knownBy.joined(separator: ", ")))" }
        if let miss = c.knownMiss { note += "  (known miss\(miss.note.isEmpty ? "" : ": \(miss.note)"))" }
        var lines = ["\(c.message.path):\(c.message.line): \(c.message.id)" + note]
        for mm in c.mismatches { lines.append("    \(mm.field): expected \(mm.expected), got \(mm.actual)") }
        lines.append("    text: \(c.message.text)")
        lines.append("    rules: \(c.outcome.entries.isEmpty ? "(none)" : c.outcome.entries.joined(separator: ", "))")
        lines.append("    evidence: \(evidence(c.outcome.result))")
        return lines.joined(separator: "\n")
    }

    /// One line per part: messages, failing, category and lead accuracy (aggregates only).
    static func parts(_ parts: [PartSummary]) -> String {
        var rows = [["part", "messages", "failing", "category", "lead", ""]]
        for p in parts {
            rows.append([p.name, String(p.messages), String(p.failing), p.categoryAccuracy.map(fmt) ?? "-",
                         p.leadAccuracy.map(fmt) ?? "-", p.heldOut ? "held out" : ""])
        }
        return indent(table(rows))
    }

    /// The sentence that says held-out messages are counted but not shown.
    static func heldOutNote(_ parts: [String], what: String) -> String {
        "\(what) of held-out parts (\(parts.joined(separator: ", "))) are counted above but not shown; only aggregates of a held-out part may be read (--reveal-held-out shows them)"
    }

    /// The `triage test` report. At most `maxCases` failing cases are listed.
    public static func test(_ run: TestRun, maxCases: Int = 50) -> String {
        var out: [String] = []
        out.append("triage test: \(run.messages.count) messages from \(run.files.count) file(s); rules \(run.ruleSet.origin) (version \(run.ruleSet.version))")
        out.append("")
        out.append(metrics(run.metrics))
        if run.parts.count > 1 || !run.heldOutParts.isEmpty {
            out.append("")
            out.append("parts:")
            out.append(parts(run.parts))
        }
        out.append("")
        var summary = "failing cases: \(run.failures.count)"
        if !run.knownFailures.isEmpty { summary += "; known false positives: \(run.knownFailures.count)" }
        if !run.knownMisses.isEmpty { summary += "; known misses: \(run.knownMisses.count)" }
        if run.hiddenFailures > 0 { summary += "; in held-out parts: \(run.hiddenFailures) (not shown)" }
        out.append(summary)
        for c in run.failures.prefix(maxCases) { out.append(failing(c)) }
        if run.failures.count > maxCases { out.append("… \(run.failures.count - maxCases) more (use --max-cases, --format json or --html)") }
        if run.hiddenFailures > 0 && !run.policy.reveal {
            out.append(heldOutNote(run.heldOutParts.map(\.name), what: "failing cases"))
        }
        if !run.knownFailures.isEmpty {
            out.append("")
            out.append("known false positives (in the register, not counted as new failures): \(run.knownFailures.count)")
            for c in run.knownFailures.prefix(maxCases) { out.append(failing(c)) }
        }
        if !run.knownMisses.isEmpty {
            out.append("")
            out.append("known misses (todo register: not fixed yet, not new failures): \(run.knownMisses.count)")
            for c in run.knownMisses.prefix(maxCases) { out.append(failing(c)) }
        }
        if !run.newlyFixed.isEmpty {
            out.append("")
            out.append("newly fixed known misses (good news: they pass now; remove them from the todo register): \(run.newlyFixed.count)")
            for m in run.newlyFixed { out.append("  \(m.path):\(m.line): \(m.id)") }
        }
        if !run.checks.isEmpty || !run.notChecked.isEmpty {
            out.append("")
            out.append("thresholds:")
            var scope: String?
            for c in run.checks {
                if c.scope != scope {
                    scope = c.scope
                    out.append("  on \(c.scope) (\(c.location.path)):")
                }
                let v = c.value.map(fmt) ?? "not measured"
                out.append("    \(c.passed ? "ok  " : "FAIL") \(c.metric) \(v) (minimum \(fmt(c.min)))")
            }
            for n in run.notChecked { out.append("  note: \(n)") }
        }
        return out.joined(separator: "\n")
    }

    /// The `triage test` report as JSON. Held-out parts appear as aggregates only.
    public static func testJSON(_ run: TestRun) -> JSONValue {
        func cases(_ list: [FailingCase]) -> JSONValue {
            .array(list.map { c in
                .object([
                    ("id", .string(c.message.id)), ("location", .string("\(c.message.path):\(c.message.line)")),
                    ("text", .string(c.message.text)),
                    ("mismatches", .array(c.mismatches.map { .object([("field", .string($0.field)), ("expected", .string($0.expected)), ("actual", .string($0.actual))]) })),
                    ("rules", .array(c.outcome.entries.map(JSONValue.string))),
                    ("evidence", .array(c.outcome.result.evidence.map(\.json))),
                    ("known_by", .array(c.knownBy.map(JSONValue.string))),
                ])
            })
        }
        func opt(_ x: Double?) -> JSONValue { x.map { .number(round6($0)) } ?? .null }
        return .object([
            ("ruleset", .object([("origin", .string(run.ruleSet.origin)), ("version", .string(run.ruleSet.version))])),
            ("files", .array(run.files.map(JSONValue.string))),
            ("metrics", run.metrics.json),
            ("parts", .array(run.parts.map { p in
                .object([("name", .string(p.name)), ("held_out", .bool(p.heldOut)), ("messages", .number(Double(p.messages))),
                         ("failing", .number(Double(p.failing))), ("category_accuracy", opt(p.categoryAccuracy)), ("lead_accuracy", opt(p.leadAccuracy))])
            })),
            ("failures", cases(run.failures)),
            ("known_false_positives", cases(run.knownFailures)),
            ("known_misses", cases(run.knownMisses)),
            ("newly_fixed", .array(run.newlyFixed.map { .string($0.id) })),
            ("held_out_failures", .number(Double(run.hiddenFailures))),
            ("thresholds", .array(run.checks.map { c in
                .object([("metric", .string(c.metric)), ("scope", .string(c.scope)), ("min", .number(c.min)),
                         ("value", c.value.map { .number(round6($0)) } ?? .null), ("passed", .bool(c.passed))])
            })),
            ("not_checked", .array(run.notChecked.map(JSONValue.string))),
            ("passed", .bool(run.thresholdsMet)),
        ])
    }

    /// The `triage stats` report: the compact summary, then the lists that need attention, then
    /// (with `full`) one line per entry. `heldOut` names the held-out parts left out of the figures.
    public static func stats(_ s: RuleStats, full: Bool, limit: Int = 20, heldOut: [(name: String, count: Int)] = []) -> String {
        var out: [String] = []
        let sum = s.summary
        out.append("triage stats: \(s.messages) messages")
        if !heldOut.isEmpty {
            out.append("  (held-out parts left out of the per-entry figures: \(heldOut.map { "\($0.name) \($0.count)" }.joined(separator: ", ")); --reveal-held-out includes them)")
        }
        out.append(indent(table([["", "total", "fired", "dead"]] + sum.counts.map { [$0.kind.rawValue + "s", String($0.total), String($0.fired), String($0.dead)] })))
        out.append("shadowed rules: \(sum.shadowed)  low-precision entries: \(sum.lowPrecision)  conflicting rules: \(sum.conflicting)  known false positives: \(sum.knownFalsePositives)")
        func list(_ title: String, _ items: [EntryStats], _ line: (EntryStats) -> String) {
            guard !items.isEmpty else { return }
            out.append("")
            out.append("\(title) (\(items.count)):")
            for e in items.prefix(limit) { out.append("  " + line(e)) }
            if items.count > limit { out.append("  … \(items.count - limit) more (--limit N, --full or --format json)") }
        }
        let rules = s.of(.rule)
        list("most hits", rules.filter { $0.hits > 0 }.sorted { ($1.hits, $0.id) < ($0.hits, $1.id) }) {
            "\($0.id) [\($0.target)] hits \($0.hits) coverage \(fmt($0.coverage)) precision \($0.precision.map(fmt) ?? "-")"
        }
        list("low precision", s.lowPrecision) {
            let against = $0.isCounter ? "not " : ""
            return "\($0.location): \($0.kind.rawValue) \($0.id) [\(against)\($0.target)] precision \(fmt($0.precision ?? 0)) (\($0.correct)/\($0.labelled), known \($0.knownFalsePositives))"
        }
        list("counter-rules (negative weight; precision: hits on messages that are not of the category they push down)",
             s.of(.counterRule).filter { $0.hits > 0 }.sorted { ($1.hits, $0.id) < ($0.hits, $1.id) }) {
            "\($0.id) [against \($0.target), weight \(RuleReference.fmtWeight($0.weight))] hits \($0.hits) precision \($0.precision.map(fmt) ?? "-") (\($0.correct)/\($0.labelled))"
        }
        list("conflicts", rules.filter { $0.conflicts > 0 }.sorted { ($1.conflicts, $0.id) < ($0.conflicts, $1.id) }) {
            "\($0.id) [\($0.target)] conflicts \($0.conflicts), most with \($0.topConflict.map { "\($0.id) (\($0.count))" } ?? "-")"
        }
        list("items that decide wrong leads (their department led, the label names another)", s.wrongLeadItems) {
            "\($0.location): item \($0.id) [\($0.target)] wrong leads \($0.wrongLeads), lead precision \($0.leadPrecision.map(fmt) ?? "-") (\($0.leadCorrect)/\($0.leadLabelled))"
        }
        list("item lead precision below 0.5 (its department was the labelled lead; at least 3 hits)",
             s.itemLeadPrecision.filter { ($0.leadPrecision ?? 1) < 0.5 }) {
            "\($0.location): item \($0.id) [\($0.target)] lead precision \(fmt($0.leadPrecision ?? 0)) (\($0.leadCorrect)/\($0.leadLabelled)), hits \($0.hits)"
        }
        list("shadowed (fired, never won)", rules.filter(\.shadowed)) {
            "\($0.location): rule \($0.id) [\($0.target)] fired \($0.hits), pre-empted by \($0.topConflict?.id ?? "a stronger rule")"
        }
        list("dead (never fired)", s.entries.filter(\.dead)) { "\($0.location): \($0.kind.rawValue) \($0.id) [\($0.target)]" }
        if full {
            out.append("")
            var rows = [["entry", "target", "hits", "cover", "prec", "ok/lab", "known", "overlap", "conflict", "decided", "vetoed"]]
            for e in s.entries {
                rows.append(["\(e.kind.rawValue):\(e.id)", e.target, String(e.hits), fmt(e.coverage), e.precision.map(fmt) ?? "-",
                             "\(e.correct)/\(e.labelled)", String(e.knownFalsePositives),
                             e.topOverlap.map { "\($0.id)×\($0.count)" } ?? "-", String(e.conflicts), String(e.decided), String(e.vetoed)])
            }
            out.append(table(rows))
        }
        return out.joined(separator: "\n")
    }

    /// The warning when base and head are one version.
    public static func sameVersionWarning(_ d: RuleDiff) -> String {
        "warning: base and head are the same rule-set version (\(d.head.version)), so nothing can change. Did you commit on the branch you compare with? Work on a branch and compare with --base main, or use --base HEAD~1 or origin/main."
    }

    /// The `triage diff` report. Only metrics that moved are listed unless `allMetrics`.
    public static func diff(_ d: RuleDiff, maxCases: Int = 100, allMetrics: Bool = false) -> String {
        var out: [String] = []
        out.append("triage diff: \(d.count) messages; base \(d.base.origin) (\(d.base.version)) → head \(d.head.origin) (\(d.head.version))")
        if d.sameVersion { out.append(sameVersionWarning(d)) }
        out.append("changed \(d.changedCount): fixed \(d.count(.fixed)), broken \(d.count(.broken)), changed \(d.count(.changed))")
        let hidden = d.hidden.values.reduce(0, +)
        if hidden > 0 {
            out.append("  of which in held-out parts (counted, not shown): fixed \(d.hidden[.fixed] ?? 0), broken \(d.hidden[.broken] ?? 0), changed \(d.hidden[.changed] ?? 0)")
        }
        if !d.settingsChanges.isEmpty { out.append("settings changed: \(d.settingsChanges.joined(separator: ", "))") }
        for e in d.entries.prefix(maxCases) {
            out.append("")
            out.append("\(e.status.rawValue.uppercased()) \(e.message.path):\(e.message.line): \(e.message.id)")
            for c in e.changes { out.append("    \(c.field): \(c.old) → \(c.new)") }
            out.append("    text: \(e.message.text)")
            out.append("    because: \(e.responsible.isEmpty ? "(no entry that fired here changed; another entry's change moved the scores)" : e.responsible.map(\.description).joined(separator: " "))")
        }
        if d.entries.count > maxCases { out.append("… \(d.entries.count - maxCases) more (--max-cases N or --format json)") }
        out.append("")
        let shown = allMetrics ? d.deltas : d.changedDeltas
        if shown.isEmpty {
            out.append("metrics: none changed (--all-metrics lists all \(d.deltas.count))")
        } else {
            out.append(allMetrics ? "metrics (base → head):" : "metrics that changed (base → head; --all-metrics lists all \(d.deltas.count)):")
            var rows = [["metric", "base", "head", "delta"]]
            for m in shown {
                let delta = m.old != nil && m.new != nil ? String(format: "%+.3f", m.new! - m.old!) : "-"
                rows.append([m.metric, m.old.map(fmt) ?? "-", m.new.map(fmt) ?? "-", delta])
            }
            out.append(indent(table(rows)))
        }
        return out.joined(separator: "\n")
    }
}
