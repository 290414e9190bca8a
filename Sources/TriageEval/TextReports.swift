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
            out.append("\(f.name): accuracy \(fmt(f.accuracy))  macro-F1 \(fmt(f.macroF1))  (\(f.count) scored)")
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
        var lines = ["\(c.message.path):\(c.message.line): \(c.message.id)" + (c.knownBy.isEmpty ? "" : "  (known false positive of \(c.knownBy.joined(separator: ", ")))")]
        for mm in c.mismatches { lines.append("    \(mm.field): expected \(mm.expected), got \(mm.actual)") }
        lines.append("    text: \(c.message.text)")
        lines.append("    rules: \(c.outcome.entries.isEmpty ? "(none)" : c.outcome.entries.joined(separator: ", "))")
        lines.append("    evidence: \(evidence(c.outcome.result))")
        return lines.joined(separator: "\n")
    }

    /// The `triage test` report. At most `maxCases` failing cases are listed.
    public static func test(_ run: TestRun, maxCases: Int = 50) -> String {
        var out: [String] = []
        out.append("triage test: \(run.messages.count) messages from \(run.files.count) file(s); rules \(run.ruleSet.origin) (version \(run.ruleSet.version))")
        out.append("")
        out.append(metrics(run.metrics))
        out.append("")
        out.append("failing cases: \(run.failures.count)" + (run.knownFailures.isEmpty ? "" : "; known false positives: \(run.knownFailures.count)"))
        for c in run.failures.prefix(maxCases) { out.append(failing(c)) }
        if run.failures.count > maxCases { out.append("… \(run.failures.count - maxCases) more (use --max-cases, --format json or --html)") }
        if !run.knownFailures.isEmpty {
            out.append("")
            out.append("known false positives (in the register, not counted as new failures): \(run.knownFailures.count)")
            for c in run.knownFailures.prefix(maxCases) { out.append(failing(c)) }
        }
        if !run.checks.isEmpty {
            out.append("")
            out.append("thresholds:")
            for c in run.checks {
                let v = c.value.map(fmt) ?? "missing"
                out.append("  \(c.passed ? "ok  " : "FAIL") \(c.metric) \(v) (minimum \(fmt(c.min)))")
            }
        }
        return out.joined(separator: "\n")
    }

    /// The `triage test` report as JSON.
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
        return .object([
            ("ruleset", .object([("origin", .string(run.ruleSet.origin)), ("version", .string(run.ruleSet.version))])),
            ("files", .array(run.files.map(JSONValue.string))),
            ("metrics", run.metrics.json),
            ("failures", cases(run.failures)),
            ("known_false_positives", cases(run.knownFailures)),
            ("thresholds", .array(run.checks.map { c in
                .object([("metric", .string(c.metric)), ("min", .number(c.min)), ("value", c.value.map { .number(round6($0)) } ?? .null),
                         ("passed", .bool(c.passed))])
            })),
            ("passed", .bool(run.thresholdsMet)),
        ])
    }

    /// The `triage stats` report: the compact summary, then the lists that need attention, then
    /// (with `full`) one line per entry.
    public static func stats(_ s: RuleStats, full: Bool, limit: Int = 20) -> String {
        var out: [String] = []
        let sum = s.summary
        out.append("triage stats: \(s.messages) messages")
        out.append(indent(table([["", "total", "fired", "dead"]] + sum.counts.map { [$0.kind + "s", String($0.total), String($0.fired), String($0.dead)] })))
        out.append("shadowed rules: \(sum.shadowed)  low-precision entries: \(sum.lowPrecision)  conflicting rules: \(sum.conflicting)  known false positives: \(sum.knownFalsePositives)")
        func list(_ title: String, _ items: [EntryStats], _ line: (EntryStats) -> String) {
            guard !items.isEmpty else { return }
            out.append("")
            out.append("\(title) (\(items.count)):")
            for e in items.prefix(limit) { out.append("  " + line(e)) }
            if items.count > limit { out.append("  … \(items.count - limit) more (--limit N, --full or --format json)") }
        }
        let rules = s.of("rule")
        list("most hits", rules.filter { $0.hits > 0 }.sorted { ($1.hits, $0.id) < ($0.hits, $1.id) }) {
            "\($0.id) [\($0.target)] hits \($0.hits) coverage \(fmt($0.coverage)) precision \($0.precision.map(fmt) ?? "-")"
        }
        list("low precision", s.lowPrecision) {
            "\($0.location): \($0.kind) \($0.id) [\($0.target)] precision \(fmt($0.precision ?? 0)) (\($0.correct)/\($0.labelled), known \($0.knownFalsePositives))"
        }
        list("conflicts", rules.filter { $0.conflicts > 0 }.sorted { ($1.conflicts, $0.id) < ($0.conflicts, $1.id) }) {
            "\($0.id) [\($0.target)] conflicts \($0.conflicts), most with \($0.topConflict.map { "\($0.id) (\($0.count))" } ?? "-")"
        }
        list("shadowed (fired, never won)", rules.filter(\.shadowed)) {
            "\($0.location): rule \($0.id) [\($0.target)] fired \($0.hits), pre-empted by \($0.topConflict?.id ?? "a stronger rule")"
        }
        list("dead (never fired)", s.entries.filter(\.dead)) { "\($0.location): \($0.kind) \($0.id) [\($0.target)]" }
        if full {
            out.append("")
            var rows = [["entry", "target", "hits", "cover", "prec", "ok/lab", "known", "overlap", "conflict", "decided", "vetoed"]]
            for e in s.entries {
                rows.append(["\(e.kind):\(e.id)", e.target, String(e.hits), fmt(e.coverage), e.precision.map(fmt) ?? "-",
                             "\(e.correct)/\(e.labelled)", String(e.knownFalsePositives),
                             e.topOverlap.map { "\($0.id)×\($0.count)" } ?? "-", String(e.conflicts), String(e.decided), String(e.vetoed)])
            }
            out.append(table(rows))
        }
        return out.joined(separator: "\n")
    }

    /// The `triage diff` report.
    public static func diff(_ d: RuleDiff, maxCases: Int = 100) -> String {
        var out: [String] = []
        out.append("triage diff: \(d.count) messages; base \(d.base.origin) (\(d.base.version)) → head \(d.head.origin) (\(d.head.version))")
        out.append("changed \(d.entries.count): fixed \(d.count(.fixed)), broken \(d.count(.broken)), changed \(d.count(.changed))")
        for e in d.entries.prefix(maxCases) {
            out.append("")
            out.append("\(e.status.rawValue.uppercased()) \(e.message.path):\(e.message.line): \(e.message.id)")
            for c in e.changes { out.append("    \(c.field): \(c.old) → \(c.new)") }
            out.append("    text: \(e.message.text)")
            out.append("    rules: \(e.responsible.isEmpty ? "(same rules, different weights or settings)" : e.responsible.joined(separator: " "))")
        }
        if d.entries.count > maxCases { out.append("… \(d.entries.count - maxCases) more (--max-cases N or --format json)") }
        out.append("")
        out.append("metrics (base → head):")
        var rows = [["metric", "base", "head", "delta"]]
        for m in d.deltas {
            let delta = m.old != nil && m.new != nil ? String(format: "%+.3f", m.new! - m.old!) : "-"
            rows.append([m.metric, m.old.map(fmt) ?? "-", m.new.map(fmt) ?? "-", delta])
        }
        out.append(indent(table(rows)))
        return out.joined(separator: "\n")
    }
}
