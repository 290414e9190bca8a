import Foundation
public import TriageKit

/// A self-contained HTML report of a `triage test` run, in Chinese, for the knowledge-base team:
/// a table of contents, metric cards, thresholds, the category confusion matrix (each cell links
/// to its cases), per-category bars, per-department lead confusion, screening, deadlines and
/// escalation, the parts (held-out ones as aggregates only), the failing cases (filterable and
/// groupable by file, field, category, department and rule, evidence coloured by kind), the
/// registers, and the rule table. One file: the style and a small script are inline; nothing is
/// loaded from elsewhere. The markup is well-formed XML so tests can parse it.
public enum HTMLReport {
    static func e(_ s: String) -> String { JUnitReport.escape(s) }

    /// Evidence kinds in the order they win an overlap, with their legend text and colour.
    static let kinds: [(kind: TriageResult.Evidence.Kind, label: String, colour: String)] = [
        (.screening, "预审规则", "#f3b2b2"), (.escalation, "升级规则", "#f6c48f"), (.category, "分类规则", "#ffe27a"),
        (.item, "事项", "#b9e3b1"), (.department, "部门", "#b7d3f2"), (.cue, "线索", "#dcc6f0"),
    ]

    /// The text with every evidence span wrapped in `<mark>`; where spans overlap, the segment takes the
    /// class of the first kind in ``kinds`` among them and its title lists every entry.
    public static func highlight(_ text: String, _ evidence: [TriageResult.Evidence], names: [String: String] = [:]) -> String {
        let scalars = Array(text.unicodeScalars)
        var cover = [[Int]](repeating: [], count: scalars.count)
        for (n, ev) in evidence.enumerated() {
            let lo = max(0, ev.start), hi = min(scalars.count, ev.end)
            guard lo < hi else { continue }
            for i in lo..<hi where !cover[i].contains(where: { evidence[$0].rule == ev.rule }) { cover[i].append(n) }
        }
        var out = ""
        var i = 0
        while i < scalars.count {
            var j = i
            while j < scalars.count, cover[j] == cover[i] { j += 1 }
            var seg = ""
            seg.unicodeScalars.append(contentsOf: scalars[i..<j])
            if cover[i].isEmpty {
                out += e(seg)
            } else {
                let evs = cover[i].map { evidence[$0] }
                let rank = { (k: TriageResult.Evidence.Kind) in kinds.firstIndex { $0.kind == k } ?? kinds.count }
                let top = evs.min { rank($0.kind) < rank($1.kind) }!
                let title = evs.map { ev in names[ev.rule].map { "\($0)（\(ev.rule)）" } ?? ev.rule }.joined(separator: ", ")
                out += "<mark class=\"k-\(top.kind.rawValue)\" title=\"\(e(title))\">\(e(seg))</mark>"
            }
            i = j
        }
        return out
    }

    static let style = """
        :root{--line:#ddd;--muted:#666}
        *{box-sizing:border-box}
        body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222;line-height:1.5}
        header{padding:1em 1.5em .5em;border-bottom:1px solid var(--line)}
        h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.8em 0 .6em;border-bottom:1px solid var(--line);padding-bottom:.2em}
        h3{font-size:1em;margin:1.2em 0 .4em}
        .wrap{display:flex;align-items:flex-start}
        nav.toc{position:sticky;top:0;flex:0 0 13em;max-height:100vh;overflow:auto;padding:1em;border-right:1px solid var(--line);font-size:.9em}
        nav.toc a{display:block;padding:.15em 0;color:#235;text-decoration:none}nav.toc a:hover{text-decoration:underline}
        main{flex:1;min-width:0;padding:0 1.5em 3em;max-width:1150px}
        .scroll{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;font-size:.9em;margin:.3em 0}td,th{padding:.25em .55em;border:1px solid var(--line);text-align:right;vertical-align:top}
        th{background:#f4f4f4}td.l,th.l{text-align:left}
        table.heat td{min-width:3.2em;text-align:center;font-weight:600}table.heat td a{color:inherit;display:block}
        table.heat td a:hover{outline:2px solid #235}
        .bar{height:.75em;background:#4a7bd0;display:inline-block;vertical-align:middle}.bar.r{background:#d08a4a}.bar.f{background:#5aa55a}
        .barbox{width:180px;background:#eee;display:inline-block}
        .cards{display:flex;flex-wrap:wrap;gap:.5em;margin:.6em 0}
        .card{border:1px solid var(--line);border-radius:6px;padding:.5em .9em;min-width:9em}.card b{display:block;font-size:1.45em}
        .ok{color:#287a28}.fail{color:#b22}.muted,.meta{color:var(--muted);font-size:.85em}
        .case{border-left:4px solid #b22;padding:.35em .8em;margin:.7em 0;background:#fcf7f7}
        .case.known{border-color:#999;background:#f6f6f6}.case.miss{border-color:#d08a4a;background:#fdf7ef}
        .case ul{margin:.2em 0 .2em 1.2em;padding:0}
        mark{border-radius:2px;padding:0 1px}
        """ + kinds.map { "mark.k-\($0.kind.rawValue){background:\($0.colour)}" }.joined() + """

        .legend span{display:inline-block;margin-right:.8em}
        .msg{font-size:1.05em;margin:.3em 0;word-break:break-word}
        .filters{display:flex;flex-wrap:wrap;gap:.4em .8em;align-items:center;background:#f7f7f7;padding:.5em .7em;border:1px solid var(--line);border-radius:6px;position:sticky;top:0;z-index:1}
        .filters label{font-size:.9em}.filters select,.filters input{font:inherit;max-width:14em}
        .group{margin-top:1em;font-weight:600}
        table.rules{table-layout:fixed;width:100%}table.rules td,table.rules th{overflow-wrap:anywhere}
        table.rules col.id{width:28%}
        details summary{cursor:pointer;margin:.5em 0}
        abbr{text-decoration:none;border-bottom:1px dotted #999}
        @media (max-width:1000px){.wrap{display:block}nav.toc{position:static;max-height:none;border-right:0;border-bottom:1px solid var(--line);columns:2}main{padding:0 1em 2em}}
        """

    /// Filtering and grouping of the failing cases; everything else works without it.
    static let script = """
        (function(){
          var list = document.getElementById('case-list'); if (!list) return;
          var cases = Array.prototype.slice.call(list.querySelectorAll('.case'));
          var sel = function(id){ return document.getElementById(id); };
          var ids = ['f-file','f-field','f-category','f-department','f-rule'];
          var attrs = {'f-file':'data-file','f-field':'data-fields','f-category':'data-categories','f-department':'data-departments','f-rule':'data-rules'};
          function has(c, attr, v){ return !v || (' ' + (c.getAttribute(attr) || '') + ' ').indexOf(' ' + v + ' ') !== -1; }
          function keyOf(c, g){ if (!g) return ''; var v = (c.getAttribute(g) || '').split(' ')[0]; return v || '（无）'; }
          var cell = '';
          function apply(){
            var g = sel('f-group').value, shown = 0, groups = {}, order = [];
            cases.forEach(function(c){
              var ok = ids.every(function(id){ return has(c, attrs[id], sel(id).value); }) ? has(c, 'data-categories', cell) : false;
              c.hidden = !ok; if (ok) { shown++; var k = keyOf(c, g); if (!groups[k]) { groups[k] = []; order.push(k); } groups[k].push(c); }
            });
            Array.prototype.slice.call(list.querySelectorAll('.group')).forEach(function(h){ h.parentNode.removeChild(h); });
            order.sort();
            order.forEach(function(k){
              if (g) { var h = document.createElement('div'); h.className = 'group'; h.textContent = (labels[k] || k) + '（' + groups[k].length + '）'; list.appendChild(h); }
              groups[k].forEach(function(c){ list.appendChild(c); });
            });
            cases.forEach(function(c){ if (c.hidden) list.appendChild(c); });
            sel('f-count').textContent = shown + ' / ' + cases.length + (cell ? '（混淆矩阵格子 ' + cell + '）' : '');
          }
          var labels = {};
          Array.prototype.slice.call(document.querySelectorAll('#filters option')).forEach(function(o){ if (o.value) labels[o.value] = o.textContent; });
          ids.forEach(function(id){ sel(id).addEventListener('change', function(){ cell = ''; apply(); }); });
          sel('f-group').addEventListener('change', apply);
          Array.prototype.slice.call(document.querySelectorAll('a[data-filter-category]')).forEach(function(a){
            a.addEventListener('click', function(){
              ids.forEach(function(id){ sel(id).value = ''; });
              cell = a.getAttribute('data-filter-category'); apply();
            });
          });
          sel('f-reset').addEventListener('click', function(){ ids.forEach(function(id){ sel(id).value = ''; }); cell = ''; sel('f-group').value = ''; apply(); });
          apply();
        })();
        """

    /// Chinese names of the labelled fields.
    static let fieldNames: [String: String] = [
        "category": "类别", "lead": "牵头部门", "co_handlers": "协办部门", "vague": "含糊", "multi_department": "多部门",
    ]
    static func screeningName(_ label: String) -> String {
        switch label {
        case "accept": return "受理"
        case "needs_review": return "转人工审核"
        case "reject:spam": return "退回·广告"
        case "reject:abuse": return "退回·辱骂"
        case "reject:gibberish": return "退回·乱码"
        case "reject:off_topic": return "退回·无关"
        default: return label
        }
    }
    static let flagNames: [String: String] = [
        "vague": "含糊", "multi_department": "多部门", "escalation.leader_report": "专报", "escalation.coordination": "协调",
        "escalation.woodpecker_candidate": "啄木鸟",
    ]

    /// Renders the report. `ruleSet` gives the Chinese names of categories and departments.
    public static func render(_ run: TestRun, ruleSet rs: RuleSet, title: String = "规则测试报告") -> String {
        let m = run.metrics
        var names: [String: String] = [:]
        for d in rs.departments { names[d.id.rawValue] = d.name }
        for c in rs.categories { names[c.id.rawValue] = c.name }
        for i in rs.items { names[i.id] = i.name }
        for c in rs.combined { names[c.id] = c.name }
        for r in rs.allRules where !r.core.description.isEmpty { names[r.core.id] = r.core.description }
        func cat(_ id: String) -> String {
            if id == "none" || id == "null" { return "<abbr title=\"none\">无类别</abbr>" }
            return "<abbr title=\"\(e(id))\">\(e(rs.category(CategoryID(id))?.name ?? id))</abbr>"
        }
        func dept(_ id: String) -> String {
            if id == "none" || id == "null" { return "<abbr title=\"none\">无</abbr>" }
            return "<abbr title=\"\(e(id))\">\(e(rs.department(DepartmentID(id))?.name ?? id))</abbr>"
        }
        func value(_ field: String, _ v: String) -> String {
            switch field {
            case "category": return cat(v)
            case "lead": return dept(v)
            case "co_handlers":
                let ids = v.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                return ids.isEmpty ? "（无）" : ids.map(dept).joined(separator: "、")
            case "vague", "multi_department": return v == "true" ? "是" : "否"
            default: return e(v)
            }
        }

        var sections: [(id: String, title: String)] = []
        var body = ""
        func section(_ id: String, _ title: String, _ content: String) {
            sections.append((id, title))
            body += "<section id=\"\(id)\"><h2>\(e(title))</h2>\n\(content)</section>\n"
        }

        // Overview.
        var o = "<div class=\"cards\">"
        func card(_ label: String, _ v: String, _ id: String, _ hint: String) { o += "<div class=\"card\" id=\"\(id)\" title=\"\(e(hint))\">\(e(label))<b>\(v)</b></div>" }
        if let c = m.field("category") {
            card("类别准确率", fmt(c.accuracy), "m-category-accuracy", "category.accuracy")
            card("类别宏平均 F1", fmt(c.macroF1), "m-category-macro-f1", "category.macro_f1")
        }
        if let l = m.field("lead") { card("牵头部门准确率", fmt(l.accuracy), "m-lead-accuracy", "lead.accuracy") }
        if m.coHandlerCount > 0 { card("协办部门一致度", fmt(m.coHandlerAgreement), "m-co-handlers", "co_handlers.agreement") }
        if let s = m.field("screening") { card("预审准确率", fmt(s.accuracy), "m-screening", "screening.accuracy") }
        card("失败案例", String(run.failures.count), "m-failing", "failing cases shown")
        card("已知误报", String(run.knownFailures.count), "m-known", "known false positives")
        card("待改进", String(run.knownMisses.count), "m-misses", "known misses (todo)")
        if run.hiddenFailures > 0 { card("留出集失败（不显示）", String(run.hiddenFailures), "m-hidden", "failing messages of held-out parts") }
        o += "</div>\n"
        o += "<p class=\"meta\">\(run.messages.count) 条消息，\(run.files.count) 个文件 · 规则 \(e(run.ruleSet.origin)) · 版本 \(e(run.ruleSet.version))</p>\n"
        if !run.heldOutParts.isEmpty && !run.policy.reveal {
            o += "<p class=\"meta\">留出集（\(e(run.heldOutParts.map(\.name).joined(separator: "、")))）只计入汇总指标，不列出文本、编号和结果；不得据其失败案例修改规则。</p>\n"
        }
        section("overview", "概览", o)

        // Parts.
        if run.parts.count > 1 || !run.heldOutParts.isEmpty {
            var t = "<table><tr><th class=\"l\">语料部分</th><th>消息</th><th>失败</th><th>类别准确率</th><th>牵头准确率</th><th class=\"l\"></th></tr>"
            for p in run.parts {
                t += "<tr><td class=\"l\">\(e(p.name))</td><td>\(p.messages)</td><td>\(p.failing)</td><td>\(p.categoryAccuracy.map(fmt) ?? "-")</td><td>\(p.leadAccuracy.map(fmt) ?? "-")</td><td class=\"l\">\(p.heldOut ? "留出集（只看汇总）" : "")</td></tr>"
            }
            section("parts", "语料各部分", t + "</table>\n")
        }

        // Thresholds.
        if !run.checks.isEmpty || !run.notChecked.isEmpty {
            var t = "<table><tr><th class=\"l\">范围</th><th class=\"l\">指标</th><th>下限</th><th>实际</th><th>结果</th></tr>"
            for c in run.checks {
                t += "<tr><td class=\"l\" title=\"\(e(c.location.description))\">\(e(c.scope))</td><td class=\"l\">\(e(c.metric))</td><td>\(fmt(c.min))</td><td>\(c.value.map(fmt) ?? "未测")</td>"
                t += c.passed ? "<td class=\"ok\">达标</td></tr>" : "<td class=\"fail\">未达标</td></tr>"
            }
            t += "</table>\n"
            for n in run.notChecked { t += "<p class=\"meta\">\(e(n))</p>\n" }
            section("thresholds", "指标下限", t)
        }

        // Category confusion.
        if let c = m.field("category") {
            var visible: [String: Int] = [:]
            for f in run.failures where f.mismatches.contains(where: { $0.field == "category" }) {
                visible[(f.message.expected.category?.rawValue ?? "none") + "→" + (f.outcome.result.category?.rawValue ?? "none"), default: 0] += 1
            }
            var t = "<p class=\"meta\">行：标注类别；列：引擎给出的类别。点击带下划线的格子查看其中可显示的失败案例（留出集和已登记的除外）。</p>\n<div class=\"scroll\">" + heat(c, label: cat, links: visible) + "</div>"
            t += "<h3>各类别</h3><table><tr><th class=\"l\">类别</th><th>数量</th><th class=\"l\">精确率 / 召回率 / F1</th></tr>"
            for s in c.perLabel where s.support > 0 || s.tp + s.fp > 0 {
                t += "<tr data-label=\"\(e(s.label))\"><td class=\"l\">\(cat(s.label))</td><td>\(s.support)</td><td class=\"l\">"
                for (cls, v, name) in [("p", s.precision, "P"), ("r", s.recall, "R"), ("f", s.f1, "F1")] {
                    t += "<div><span class=\"barbox\"><span class=\"bar \(cls)\" style=\"width:\(Int((v * 100).rounded()))%\"></span></span> \(name) \(fmt(v))</div>"
                }
                t += "</td></tr>"
            }
            section("categories", "类别", t + "</table>\n")
        }

        // Lead, per department.
        if let l = m.field("lead") {
            var t = "<p>牵头部门准确率 <b>\(fmt(l.accuracy))</b>（\(l.count) 条）。每个标注部门：数量、判对的比例，以及最常被误判成的部门。</p>\n"
            t += "<div class=\"scroll\"><table><tr><th class=\"l\">标注牵头部门</th><th>数量</th><th>判对</th><th>准确率</th><th class=\"l\">误判为</th></tr>"
            let rows = l.labels.indices.filter { l.confusion[$0].reduce(0, +) > 0 }
                .sorted { (l.confusion[$1].reduce(0, +), l.labels[$0]) < (l.confusion[$0].reduce(0, +), l.labels[$1]) }
            for i in rows {
                let total = l.confusion[i].reduce(0, +), right = l.confusion[i][i]
                let wrong = l.labels.indices.filter { $0 != i && l.confusion[i][$0] > 0 }.sorted { l.confusion[i][$0] > l.confusion[i][$1] }
                let list = wrong.prefix(4).map { "\(dept(l.labels[$0])) \(l.confusion[i][$0])" }.joined(separator: "、")
                t += "<tr><td class=\"l\">\(dept(l.labels[i]))</td><td>\(total)</td><td>\(right)</td><td>\(fmt(Double(right) / Double(total)))</td><td class=\"l\">\(list)</td></tr>"
            }
            section("lead", "牵头部门", t + "</table></div>\n")
        }

        // Flags.
        let flags = m.fields.filter { $0.binary && !$0.name.hasPrefix("escalation.") }
        if !flags.isEmpty || m.coHandlerCount > 0 {
            var t = "<table><tr><th class=\"l\">标记</th><th>精确率</th><th>召回率</th><th>F1</th><th>准确率</th><th>数量</th></tr>"
            for f in flags {
                let p = f.positive!
                t += "<tr><td class=\"l\" title=\"\(e(f.name))\">\(e(flagNames[f.name] ?? f.name))</td><td>\(fmt(p.precision))</td><td>\(fmt(p.recall))</td><td>\(fmt(p.f1))</td><td>\(fmt(f.accuracy))</td><td>\(f.count)</td></tr>"
            }
            t += "</table>\n"
            if m.coHandlerCount > 0 { t += "<p>协办部门一致度（Jaccard）<b>\(fmt(m.coHandlerAgreement))</b>（\(m.coHandlerCount) 条）</p>\n" }
            section("flags", "含糊、多部门与协办", t)
        }

        // Screening.
        if let s = m.field("screening") {
            var t = "<p>预审准确率 <b>\(fmt(s.accuracy))</b>（\(s.count) 条）。行：标注；列：引擎的预审结论。把真实诉求退回是最严重的错误。</p>\n"
            t += "<div class=\"scroll\">" + heat(s, label: { "<abbr title=\"\(e($0))\">\(e(screeningName($0)))</abbr>" }, links: [:]) + "</div>"
            section("screening", "预审", t)
        }

        // Deadlines.
        let deadlineFields = m.fields.filter { $0.name.hasPrefix("deadlines.") }
        if !deadlineFields.isEmpty {
            var t = "<p class=\"meta\">只对标注了时限（并给出收到时间）的消息计分。</p><table><tr><th class=\"l\">时限</th><th>准确率</th><th>计分</th><th>错误</th></tr>"
            for f in deadlineFields {
                let label = f.name == "deadlines.pre_review_due" ? "预审截止日" : (f.name == "deadlines.reply_due" ? "答复截止日" : f.name)
                let wrong = f.count - f.labels.indices.reduce(0) { $0 + f.confusion[$1][$1] }
                t += "<tr><td class=\"l\" title=\"\(e(f.name))\">\(label)</td><td>\(fmt(f.accuracy))</td><td>\(f.count)</td><td>\(wrong)</td></tr>"
            }
            section("deadlines", "时限", t + "</table>\n")
        }

        // Escalation.
        let escalation = m.fields.filter { $0.name.hasPrefix("escalation.") }
        if !escalation.isEmpty {
            var t = "<table><tr><th class=\"l\">升级标记</th><th>精确率</th><th>召回率</th><th>F1</th><th>标注为是</th><th>判为是</th></tr>"
            for f in escalation {
                let p = f.positive!
                t += "<tr><td class=\"l\" title=\"\(e(f.name))\">\(e(flagNames[f.name] ?? f.name))</td><td>\(fmt(p.precision))</td><td>\(fmt(p.recall))</td><td>\(fmt(p.f1))</td><td>\(p.tp + p.fn)</td><td>\(p.tp + p.fp)</td></tr>"
            }
            section("escalation", "升级", t + "</table>\n")
        }

        // Failing cases.
        var cases = ""
        let all = run.failures
        if !all.isEmpty {
            cases += legend()
            cases += filters(all, dept: dept, cat: { rs.category(CategoryID($0))?.name ?? $0 }, deptName: { rs.department(DepartmentID($0))?.name ?? $0 })
        }
        cases += "<div id=\"case-list\">"
        for c in all { cases += failing(c, names: names, value: value) }
        cases += "</div>\n"
        if run.hiddenFailures > 0 && !run.policy.reveal {
            cases += "<p class=\"meta\">另有 \(run.hiddenFailures) 条留出集消息未通过，已计入上面的指标，但不列出。</p>\n"
        }
        section("cases", "失败案例（\(all.count)）", cases)

        if !run.knownMisses.isEmpty || !run.newlyFixed.isEmpty {
            var t = "<p class=\"meta\">todo 登记中的消息：规则应当处理但尚未处理。它们不算新失败；已经通过的请从登记中删除。</p>"
            if !run.newlyFixed.isEmpty {
                t += "<p class=\"ok\">新近修好（请从 todo 登记删除）：" + run.newlyFixed.map { "<span title=\"\(e($0.path)):\($0.line)\">\(e($0.id))</span>" }.joined(separator: "、") + "</p>"
            }
            for c in run.knownMisses { t += failing(c, names: names, value: value, cls: "miss") }
            section("misses", "待改进（\(run.knownMisses.count)）", t)
        }
        if !run.knownFailures.isEmpty {
            var t = "<p class=\"meta\">已登记的误报：不算新失败，指标不作调整。</p>"
            for c in run.knownFailures { t += failing(c, names: names, value: value, cls: "known") }
            section("known", "已知误报（\(run.knownFailures.count)）", t)
        }
        section("rules", "规则统计", "<details><summary>展开每条规则、线索和事项的命中情况（\(run.stats.entries.count) 条，\(run.stats.messages) 条可显示的消息）</summary>" + ruleTable(run.stats, names: names) + "</details>\n")

        var h = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>\(e(title))</title><style>\(style)</style></head><body>\n"
        h += "<header><h1>\(e(title))</h1></header>\n<div class=\"wrap\"><nav class=\"toc\" id=\"toc\"><b>目录</b>"
        for s in sections { h += "<a href=\"#\(s.id)\">\(e(s.title))</a>" }
        h += "</nav><main>\n" + body + "</main></div>\n"
        h += "<script>//<![CDATA[\n" + script + "\n//]]></script>\n</body></html>\n"
        return h
    }

    static func legend() -> String {
        "<p class=\"legend\">证据颜色：" + kinds.map { "<span><mark class=\"k-\($0.kind.rawValue)\">\(e($0.label))</mark></span>" }.joined() + "（悬停查看条目编号）</p>\n"
    }

    static func filters(_ cases: [FailingCase], dept: (String) -> String, cat: (String) -> String, deptName: (String) -> String) -> String {
        func options(_ values: [String], _ label: (String) -> String) -> String {
            "<option value=\"\">全部</option>" + values.map { "<option value=\"\(e($0))\">\(e(label($0)))</option>" }.joined()
        }
        func sorted(_ s: Set<String>) -> [String] { s.sorted() }
        let files = sorted(Set(cases.map(\.message.path)))
        let fields = LabelledField.allCases.map(\.rawValue).filter { f in cases.contains { $0.mismatches.contains { $0.field == f } } }
        let categories = sorted(Set(cases.flatMap { HTMLReport.categories(of: $0) }))
        let departments = sorted(Set(cases.flatMap { HTMLReport.departments(of: $0) }))
        let rules = sorted(Set(cases.flatMap { $0.outcome.entries }))
        var h = "<div class=\"filters\" id=\"filters\">"
        h += "<label>文件 <select id=\"f-file\">\(options(files) { $0 })</select></label>"
        h += "<label>字段 <select id=\"f-field\">\(options(fields) { fieldNames[$0] ?? $0 })</select></label>"
        h += "<label>类别 <select id=\"f-category\">\(options(categories, cat))</select></label>"
        h += "<label>部门 <select id=\"f-department\">\(options(departments, deptName))</select></label>"
        h += "<label>规则 <select id=\"f-rule\">\(options(rules) { $0 })</select></label>"
        h += "<label>分组 <select id=\"f-group\"><option value=\"\">不分组</option><option value=\"data-file\">按文件</option><option value=\"data-fields\">按字段</option><option value=\"data-categories\">按类别</option><option value=\"data-departments\">按部门</option><option value=\"data-rules\">按规则</option></select></label>"
        h += "<button type=\"button\" id=\"f-reset\">清除</button> <span class=\"muted\">显示 <span id=\"f-count\">\(cases.count) / \(cases.count)</span></span></div>\n"
        return h
    }

    /// The categories a case is about: the labelled one and the engine's.
    static func categories(of c: FailingCase) -> [String] {
        var out: [String] = []
        if let x = c.message.expected.category?.rawValue { out.append(x) } else if c.message.expected.hasCategory { out.append("none") }
        let a = c.outcome.result.category?.rawValue ?? "none"
        if !out.contains(a) { out.append(a) }
        return out
    }

    /// The departments a case is about: labelled lead and co-handlers, and the engine's.
    static func departments(of c: FailingCase) -> [String] {
        var out: [String] = []
        func add(_ s: String?) { if let s, !out.contains(s) { out.append(s) } }
        add(c.message.expected.lead?.rawValue)
        add(c.outcome.result.lead?.id.rawValue)
        for d in c.message.expected.coHandlers ?? [] { add(d.rawValue) }
        for d in c.outcome.result.coHandlers { add(d.id.rawValue) }
        return out
    }

    /// A confusion matrix as a heat map; a cell with shown cases (`links`: "expected→actual" → count) links to them.
    static func heat(_ f: FieldMetrics, label: (String) -> String, links: [String: Int]) -> String {
        let used = f.labels.indices.filter { i in f.confusion[i].reduce(0, +) > 0 || f.confusion.indices.contains { f.confusion[$0][i] > 0 } }
        var h = "<table class=\"heat\" id=\"confusion-\(e(f.name))\"><tr><th class=\"l\">标注 \\ 引擎</th>"
        for j in used { h += "<th>\(label(f.labels[j]))</th>" }
        h += "</tr>"
        for i in used {
            let rowTotal = max(1, f.confusion[i].reduce(0, +))
            h += "<tr><th class=\"l\">\(label(f.labels[i]))</th>"
            for j in used {
                let n = f.confusion[i][j]
                let share = Double(n) / Double(rowTotal)
                let color = i == j ? "74,160,90" : "210,60,60"
                let alpha = n == 0 ? 0 : 0.12 + 0.78 * share
                h += "<td data-expected=\"\(e(f.labels[i]))\" data-actual=\"\(e(f.labels[j]))\" style=\"background:rgba(\(color),\(String(format: "%.2f", alpha)))\">"
                let key = f.labels[i] + "→" + f.labels[j]
                if let shown = links[key], shown > 0, i != j {
                    h += "<a href=\"#cases\" data-filter-category=\"\(e(key))\" title=\"查看其中 \(shown) 个可显示的案例\">\(n)</a>"
                } else {
                    h += "\(n)"
                }
                h += "</td>"
            }
            h += "</tr>"
        }
        return h + "</table>\n"
    }

    static func failing(_ c: FailingCase, names: [String: String], value: (String, String) -> String, cls: String = "") -> String {
        let fields = c.mismatches.map(\.field)
        var cats = categories(of: c)
        // The confusion cell this case belongs to, for the links from the matrix.
        if fields.contains("category") {
            cats.append((c.message.expected.category?.rawValue ?? "none") + "→" + (c.outcome.result.category?.rawValue ?? "none"))
        }
        var h = "<div class=\"case\(cls.isEmpty ? "" : " " + cls)\" id=\"case-\(e(c.message.id))\" data-file=\"\(e(c.message.path))\" data-fields=\"\(e(fields.joined(separator: " ")))\""
        h += " data-categories=\"\(e(cats.joined(separator: " ")))\" data-departments=\"\(e(departments(of: c).joined(separator: " ")))\" data-rules=\"\(e(c.outcome.entries.joined(separator: " ")))\">"
        h += "<div class=\"meta\">\(e(c.message.id)) · \(e(c.message.path)):\(c.message.line)"
        if !c.knownBy.isEmpty { h += " · 已知误报：\(e(c.knownBy.joined(separator: ", ")))" }
        if let miss = c.knownMiss, !miss.note.isEmpty { h += " · 待改进：\(e(miss.note))" }
        h += "</div><div class=\"msg\">\(highlight(c.message.text, c.outcome.result.evidence, names: names))</div><ul>"
        for mm in c.mismatches {
            h += "<li>\(e(fieldNames[mm.field] ?? mm.field))：标注 <b>\(value(mm.field, mm.expected))</b>，引擎 <b>\(value(mm.field, mm.actual))</b></li>"
        }
        let rules = c.outcome.entries.map { id in "<abbr title=\"\(e(names[id] ?? id))\">\(e(id))</abbr>" }.joined(separator: "、")
        h += "</ul><div class=\"meta\">命中：\(rules.isEmpty ? "（无）" : rules)</div></div>\n"
        return h
    }

    static func ruleTable(_ s: RuleStats, names: [String: String]) -> String {
        let kind: [EntryStats.Kind: String] = [.rule: "规则", .counterRule: "反向规则", .cue: "线索", .item: "事项"]
        var h = "<table class=\"rules\" id=\"rules-table\"><colgroup><col class=\"id\"/></colgroup><tr><th class=\"l\">条目</th><th class=\"l\">目标</th><th>命中</th><th>精确率</th><th>对/标注</th><th>误报登记</th><th>冲突</th><th>胜出</th><th class=\"l\">状态</th></tr>"
        for x in s.entries {
            let status = x.dead ? "未命中" : (x.shadowed ? "被压制" : "")
            let target = (x.isCounter ? "非 " : "") + (names[x.target] ?? x.target)
            h += "<tr><td class=\"l\" title=\"\(e(x.location.description))\">\(e(kind[x.kind] ?? x.kind.rawValue)) <abbr title=\"\(e(names[x.id] ?? x.id))\">\(e(x.id))</abbr></td><td class=\"l\" title=\"\(e(x.target))\">\(e(target))</td><td>\(x.hits)</td>"
            h += "<td>\(x.precision.map(fmt) ?? "-")</td><td>\(x.correct) / \(x.labelled)</td><td>\(x.knownFalsePositives)</td><td>\(x.conflicts)</td><td>\(x.decided)</td><td class=\"l\">\(status)</td></tr>"
        }
        return h + "</table>\n"
    }
}
