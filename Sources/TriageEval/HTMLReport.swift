import Foundation
public import TriageKit

/// A self-contained HTML report of a `triage test` run: confusion heat map, per-category
/// bars, flags, thresholds, failing cases with the evidence highlighted, and the per-rule
/// table. No scripts, no external files. The markup is well-formed XML so tests can parse it.
public enum HTMLReport {
    static func e(_ s: String) -> String { JUnitReport.escape(s) }

    /// The text with every evidence span wrapped in `<mark>`; overlapping spans are merged.
    public static func highlight(_ text: String, _ evidence: [TriageResult.Evidence]) -> String {
        let scalars = Array(text.unicodeScalars)
        var cover = [[String]](repeating: [], count: scalars.count)
        for ev in evidence {
            let lo = max(0, ev.start), hi = min(scalars.count, ev.end)
            guard lo < hi else { continue }
            for i in lo..<hi where !cover[i].contains(ev.rule) { cover[i].append(ev.rule) }
        }
        var out = ""
        var i = 0
        while i < scalars.count {
            var j = i
            while j < scalars.count, cover[j] == cover[i] { j += 1 }
            var seg = ""
            seg.unicodeScalars.append(contentsOf: scalars[i..<j])
            out += cover[i].isEmpty ? e(seg) : "<mark title=\"\(e(cover[i].joined(separator: ", ")))\">\(e(seg))</mark>"
            i = j
        }
        return out
    }

    static let style = """
        body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:2em;color:#222;max-width:1200px}
        h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;font-size:.9em}td,th{padding:.25em .6em;border:1px solid #ddd;text-align:right}
        th{background:#f4f4f4}td.l,th.l{text-align:left}
        table.heat td{min-width:3em;text-align:center;font-weight:600}
        .bar{height:.8em;background:#4a7bd0;display:inline-block;vertical-align:middle}
        .bar.r{background:#d08a4a}.bar.f{background:#5aa55a}
        .barbox{width:220px;background:#eee;display:inline-block}
        .card{display:inline-block;border:1px solid #ddd;border-radius:6px;padding:.6em 1em;margin:.3em;min-width:9em}
        .card b{display:block;font-size:1.5em}.ok{color:#287a28}.fail{color:#b22}
        .case{border-left:4px solid #b22;padding:.3em .8em;margin:.8em 0;background:#fcf7f7}
        .case.known{border-color:#aaa;background:#f7f7f7}
        mark{background:#ffe27a;border-radius:2px}
        .msg{font-size:1.05em;margin:.3em 0}.meta{color:#666;font-size:.85em}
        """

    /// Renders the report.
    public static func render(_ run: TestRun, title: String = "triage test") -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"/><title>\(e(title))</title><style>\(style)</style></head><body>\n"
        h += "<h1>\(e(title))</h1>\n"
        h += "<p class=\"meta\">\(run.messages.count) messages from \(run.files.count) file(s) · rules \(e(run.ruleSet.origin)) · version \(e(run.ruleSet.version))</p>\n"
        let m = run.metrics
        h += "<div>"
        func card(_ label: String, _ value: String, _ id: String) { h += "<div class=\"card\" id=\"\(id)\">\(e(label))<b>\(value)</b></div>" }
        if let c = m.field("category") {
            card("category accuracy", fmt(c.accuracy), "m-category-accuracy")
            card("category macro-F1", fmt(c.macroF1), "m-category-macro-f1")
        }
        if let l = m.field("lead") { card("lead accuracy", fmt(l.accuracy), "m-lead-accuracy") }
        if m.coHandlerCount > 0 { card("co-handler agreement", fmt(m.coHandlerAgreement), "m-co-handlers") }
        card("failing cases", String(run.failures.count), "m-failing")
        card("known false positives", String(run.knownFailures.count), "m-known")
        h += "</div>\n"

        if !run.checks.isEmpty {
            h += "<h2>Thresholds</h2>\n<table><tr><th class=\"l\">metric</th><th>minimum</th><th>value</th><th>result</th></tr>"
            for c in run.checks {
                h += "<tr><td class=\"l\">\(e(c.metric))</td><td>\(fmt(c.min))</td><td>\(c.value.map(fmt) ?? "missing")</td>"
                h += c.passed ? "<td class=\"ok\">ok</td></tr>" : "<td class=\"fail\">FAIL</td></tr>"
            }
            h += "</table>\n"
        }

        if let c = m.field("category") {
            h += "<h2>Confusion matrix</h2>\n<p class=\"meta\">Rows: expected category. Columns: the engine's category.</p>\n"
            h += heat(c)
            h += "<h2>Per category</h2>\n<table><tr><th class=\"l\">category</th><th>support</th><th class=\"l\">precision / recall / F1</th></tr>"
            for s in c.perLabel where s.support > 0 || s.tp + s.fp > 0 {
                h += "<tr data-label=\"\(e(s.label))\"><td class=\"l\">\(e(s.label))</td><td>\(s.support)</td><td class=\"l\">"
                for (cls, v, name) in [("p", s.precision, "P"), ("r", s.recall, "R"), ("f", s.f1, "F1")] {
                    h += "<div><span class=\"barbox\"><span class=\"bar \(cls)\" style=\"width:\(Int((v * 100).rounded()))%\"></span></span> \(name) \(fmt(v))</div>"
                }
                h += "</td></tr>"
            }
            h += "</table>\n"
        }
        let flags = m.fields.filter(\.binary)
        if !flags.isEmpty || m.field("lead") != nil {
            h += "<h2>Lead and flags</h2>\n<table><tr><th class=\"l\">metric</th><th>precision</th><th>recall</th><th>F1</th><th>accuracy</th><th>scored</th></tr>"
            if let l = m.field("lead") { h += "<tr><td class=\"l\">lead</td><td></td><td></td><td></td><td>\(fmt(l.accuracy))</td><td>\(l.count)</td></tr>" }
            for f in flags {
                let p = f.positive!
                h += "<tr><td class=\"l\">\(e(f.name))</td><td>\(fmt(p.precision))</td><td>\(fmt(p.recall))</td><td>\(fmt(p.f1))</td><td>\(fmt(f.accuracy))</td><td>\(f.count)</td></tr>"
            }
            h += "</table>\n"
        }

        h += "<h2>Failing cases (\(run.failures.count))</h2>\n"
        for c in run.failures { h += failing(c) }
        if !run.knownFailures.isEmpty {
            h += "<h2>Known false positives (\(run.knownFailures.count))</h2>\n"
            for c in run.knownFailures { h += failing(c) }
        }
        h += "<h2>Rules</h2>\n" + ruleTable(run.stats)
        h += "</body></html>\n"
        return h
    }

    static func heat(_ f: FieldMetrics) -> String {
        let used = f.labels.indices.filter { i in f.confusion[i].reduce(0, +) > 0 || f.confusion.indices.contains { f.confusion[$0][i] > 0 } }
        var h = "<table class=\"heat\" id=\"confusion\"><tr><th class=\"l\">expected \\ actual</th>"
        for j in used { h += "<th>\(e(f.labels[j]))</th>" }
        h += "</tr>"
        for i in used {
            let rowTotal = max(1, f.confusion[i].reduce(0, +))
            h += "<tr><th class=\"l\">\(e(f.labels[i]))</th>"
            for j in used {
                let n = f.confusion[i][j]
                let share = Double(n) / Double(rowTotal)
                let color = i == j ? "74,160,90" : "210,60,60"
                let alpha = n == 0 ? 0 : 0.12 + 0.78 * share
                h += "<td data-expected=\"\(e(f.labels[i]))\" data-actual=\"\(e(f.labels[j]))\" style=\"background:rgba(\(color),\(String(format: "%.2f", alpha)))\">\(n)</td>"
            }
            h += "</tr>"
        }
        return h + "</table>\n"
    }

    static func failing(_ c: FailingCase) -> String {
        var h = "<div class=\"case\(c.knownBy.isEmpty ? "" : " known")\" id=\"case-\(e(c.message.id))\">"
        h += "<div class=\"meta\">\(e(c.message.id)) · \(e(c.message.path)):\(c.message.line)"
        if !c.knownBy.isEmpty { h += " · known false positive of \(e(c.knownBy.joined(separator: ", ")))" }
        h += "</div><div class=\"msg\">\(highlight(c.message.text, c.outcome.result.evidence))</div><ul>"
        for mm in c.mismatches { h += "<li>\(e(mm.field)): expected <b>\(e(mm.expected))</b>, got <b>\(e(mm.actual))</b></li>" }
        h += "</ul><div class=\"meta\">rules: \(e(c.outcome.entries.isEmpty ? "(none)" : c.outcome.entries.joined(separator: ", ")))</div></div>\n"
        return h
    }

    static func ruleTable(_ s: RuleStats) -> String {
        var h = "<table id=\"rules\"><tr><th class=\"l\">entry</th><th class=\"l\">target</th><th>hits</th><th>coverage</th><th>precision</th><th>right / labelled</th><th>known FP</th><th class=\"l\">top overlap</th><th>conflicts</th><th>decided</th><th class=\"l\">status</th></tr>"
        for x in s.entries {
            let status = x.dead ? "dead" : (x.shadowed ? "shadowed" : "")
            h += "<tr><td class=\"l\" title=\"\(e(x.location.description))\">\(e(x.kind)):\(e(x.id))</td><td class=\"l\">\(e(x.target))</td><td>\(x.hits)</td><td>\(fmt(x.coverage))</td>"
            h += "<td>\(x.precision.map(fmt) ?? "-")</td><td>\(x.correct) / \(x.labelled)</td><td>\(x.knownFalsePositives)</td>"
            h += "<td class=\"l\">\(e(x.topOverlap.map { "\($0.id) ×\($0.count)" } ?? "-"))</td><td>\(x.conflicts)</td><td>\(x.decided)</td><td class=\"l\">\(status)</td></tr>"
        }
        return h + "</table>\n"
    }
}
