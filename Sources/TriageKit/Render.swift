/// Renders results and explanations for people, in Chinese, for a terminal.
public struct ResultRenderer: Sendable {
    /// The rule set, for names.
    public let ruleSet: RuleSet
    /// Use ANSI colours (only on a terminal).
    public let color: Bool

    /// Creates a renderer.
    public init(ruleSet: RuleSet, color: Bool) {
        self.ruleSet = ruleSet
        self.color = color
    }

    private func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    private func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }

    private static let palette: [Evidence.Kind: String] = [
        .category: "\u{1B}[30;43m", .item: "\u{1B}[30;46m", .department: "\u{1B}[30;42m", .cue: "\u{1B}[30;45m",
        .screening: "\u{1B}[30;41m", .escalation: "\u{1B}[30;44m",
    ]

    /// The original text with evidence marked: colours on a terminal, 【…】 otherwise.
    public func highlight(_ text: String, evidence: [Evidence]) -> String {
        let scalars = Array(text.unicodeScalars)
        var marks = [Evidence.Kind?](repeating: nil, count: scalars.count)
        // Items and departments over cues over category words over pre-review words.
        let order: [Evidence.Kind] = [.screening, .escalation, .category, .cue, .department, .item]
        for kind in order {
            for e in evidence where e.kind == kind {
                for i in e.start..<min(e.end, scalars.count) { marks[i] = kind }
            }
        }
        var out = ""
        var current: Evidence.Kind?
        for (i, s) in scalars.enumerated() {
            if marks[i] != current {
                if current != nil { out += color ? "\u{1B}[0m" : "】" }
                if let k = marks[i] { out += color ? ResultRenderer.palette[k]! : "【" }
                current = marks[i]
            }
            out.unicodeScalars.append(s)
        }
        if current != nil { out += color ? "\u{1B}[0m" : "】" }
        return out
    }

    /// A readable summary of one result.
    public func summary(_ r: TriageResult, text: String) -> String {
        var lines: [String] = []
        let catName = r.category.flatMap { ruleSet.category($0)?.name } ?? "未定"
        lines.append("\(bold("类别")) \(catName)\(r.category.map { " (\($0))" } ?? "")    " + dim(r.scores.map { "\($0.0) \(JSONValue.format($0.1))" }.joined(separator: " · ")))
        lines.append("\(bold("牵头")) \(r.lead.map { "\($0.name) (\($0.id))" } ?? (r.screening?.decision == .reject ? "无（预审拒收）" : "无"))")
        if !r.coHandlers.isEmpty { lines.append("\(bold("协办")) \(r.coHandlers.map(\.name).joined(separator: "、"))") }
        lines.append("\(bold("路由")) \(r.channel == .direct ? "直接处理" : "12345 派单") → \(r.handler.name)")
        var flags: [String] = []
        if r.vague { flags.append("模糊不清") }
        if r.multiDepartment { flags.append("多部门") }
        lines.append("\(bold("标记")) \(flags.isEmpty ? "无" : flags.joined(separator: "、"))")
        if !r.items.isEmpty || !r.combined.isEmpty {
            lines.append("\(bold("事项")) " + (r.combined.map { "\($0.name)（一件事）" } + r.items.map { "\($0.name)（\(name(ruleSet, $0.department))）" }).joined(separator: "、"))
        }
        if let sc = r.screening {
            let text: String
            switch sc.decision {
            case .accept: text = "受理"
            case .needsReview: text = "待人工复核"
            case .reject: text = "拒收（\(TriageEngine.rejectName(sc.reason ?? .spam))）"
            }
            lines.append("\(bold("预审")) \(text)")
        }
        if let d = r.deadlines {
            var parts = ["收到 \(d.receivedAt)\(d.receivedAtDefaulted ? "（未提供，按当前时间）" : "")"]
            if let p = d.preReviewDue { parts.append("预审截止 \(p)") }
            if let dispatched = d.dispatchedAt { parts.append("派单 \(dispatched)") }
            if let reply = d.replyDue {
                parts.append("答复截止 \(reply)（\(d.complexity == .complex ? "复杂" : "简单")，\(d.replyWorkingDays) 个工作日）")
            }
            if let e = d.error { parts.append("无法计算：工作日历缺少 \(e.missingYear) 年") }
            lines.append("\(bold("时限")) " + parts.joined(separator: " · "))
        }
        if let e = r.escalation {
            let names = EscalationFlag.allCases.filter(e.has).map { TriageEngine.flagName($0) }
            lines.append("\(bold("升级")) \(names.isEmpty ? "无" : names.joined(separator: "、"))")
        }
        lines.append(bold("理由"))
        let sectionReasons = (r.screening?.reasons ?? []) + (r.deadlines?.reasons ?? []) + (r.escalation?.reasons ?? [])
        for reason in r.reasons + sectionReasons { lines.append("  - \(reason.message) " + dim("[\(reason.code)]")) }
        if !text.isEmpty {
            lines.append(bold("证据"))
            lines.append("  " + highlight(text, evidence: r.evidence).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  "))
            for e in r.evidence { lines.append(dim("  \(e.start)..<\(e.end) \(e.kind.rawValue) \(e.rule): \(e.text)")) }
        }
        lines.append(dim("规则集 \(r.rulesetVersion)"))
        return lines.joined(separator: "\n")
    }

    /// Every rule and entry that fired, with scores.
    public func explain(_ r: TriageResult, _ x: Explanation, text: String) -> String {
        var lines: [String] = [summary(r, text: text), "", bold("类别得分")]
        for (id, score) in r.scores.sorted(by: { $0.1 > $1.1 }) {
            lines.append("  \(id) \(JSONValue.format(score))" + (id == r.category ? "  ← 选定" : ""))
            for f in x.fired where f.category == id {
                lines.append("    \(f.weight >= 0 ? "+" : "")\(JSONValue.format(f.weight)) \(f.rule)  「\(f.matches.joined(separator: "」「"))」  " + dim(f.location.description))
            }
        }
        if !x.vetoed.isEmpty {
            lines.append(bold("被排除的规则"))
            for v in x.vetoed { lines.append("  \(v.rule)：排除模式命中「\(v.by)」  " + dim(v.location.description)) }
        }
        if !x.cues.isEmpty {
            lines.append(bold("线索"))
            for c in x.cues { lines.append("  \(c.id) → \(c.flag.rawValue)  「\(c.matches.joined(separator: "」「"))」") }
        }
        lines.append(bold("部门证据"))
        if x.departmentScores.isEmpty { lines.append("  （无）") }
        for d in x.departmentScores {
            lines.append("  \(d.department.name) (\(d.department.id)) \(JSONValue.format(d.score))" + (d.department.id == r.lead?.id ? "  ← 牵头" : ""))
            for c in d.contributions { lines.append("    \(c)") }
        }
        if !x.preReview.isEmpty {
            lines.append(bold("预审与升级规则"))
            for p in x.preReview { lines.append("  \(p.id)  「\(p.matches.joined(separator: "」「"))」") }
        }
        if !x.failures.isEmpty {
            lines.append(bold("匹配失败"))
            for f in x.failures { lines.append("  \(f)") }
        }
        lines.append(dim("运行的模式 \(x.patternsRun) / 共 \(x.patternsTotal) 条匹配项"))
        return lines.joined(separator: "\n")
    }

    /// The explanation as JSON.
    public func explainJSON(_ r: TriageResult, _ x: Explanation) -> JSONValue {
        .object([
            ("result", r.json),
            ("fired", .array(x.fired.map {
                .object([("rule", .string($0.rule)), ("category", .string($0.category)), ("weight", .number($0.weight)),
                         ("matches", .array($0.matches.map(JSONValue.string))), ("location", .string($0.location.description))])
            })),
            ("vetoed", .array(x.vetoed.map { .object([("rule", .string($0.rule)), ("by", .string($0.by)), ("location", .string($0.location.description))]) })),
            ("cues", .array(x.cues.map { .object([("cue", .string($0.id)), ("flag", .string($0.flag.rawValue)), ("matches", .array($0.matches.map(JSONValue.string)))]) })),
            ("departments", .array(x.departmentScores.map {
                .object([("id", .string($0.department.id)), ("name", .string($0.department.name)), ("score", .number($0.score)),
                         ("contributions", .array($0.contributions.map(JSONValue.string)))])
            })),
            ("pre_review", .array(x.preReview.map { .object([("rule", .string($0.id)), ("matches", .array($0.matches.map(JSONValue.string)))]) })),
            ("failures", .array(x.failures.map(JSONValue.string))),
            ("patterns_run", .number(Double(x.patternsRun))),
            ("patterns_total", .number(Double(x.patternsTotal))),
        ])
    }
}
