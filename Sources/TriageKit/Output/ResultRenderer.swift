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

    private static let palette: [TriageResult.Evidence.Kind: String] = [
        .category: "\u{1B}[30;43m", .item: "\u{1B}[30;46m", .department: "\u{1B}[30;42m", .cue: "\u{1B}[30;45m",
        .screening: "\u{1B}[30;41m", .escalation: "\u{1B}[30;44m", .topic: "\u{1B}[4m",
    ]

    /// The original text with evidence marked: colours on a terminal, 【…】 otherwise.
    public func highlight(_ text: String, evidence: [TriageResult.Evidence]) -> String {
        let scalars = Array(text.unicodeScalars)
        var marks = [TriageResult.Evidence.Kind?](repeating: nil, count: scalars.count)
        // Items and departments over cues over category words over pre-review words.
        let order: [TriageResult.Evidence.Kind] = [.topic, .screening, .escalation, .category, .cue, .department, .item]
        for kind in order {
            for e in evidence where e.kind == kind {
                for i in e.start..<min(e.end, scalars.count) { marks[i] = kind }
            }
        }
        var out = ""
        var current: TriageResult.Evidence.Kind?
        for (i, s) in scalars.enumerated() {
            if marks[i] != current {
                if current != nil { out += color ? "\u{1B}[0m" : "】" }
                if let k = marks[i] { out += color ? ResultRenderer.palette[k, default: ""] : "【" }
                current = marks[i]
            }
            ResultRenderer.appendVisible(s, to: &out)
        }
        if current != nil { out += color ? "\u{1B}[0m" : "】" }
        return out
    }

    /// `text` safe to print on a terminal: a message is citizen input, and control characters
    /// in it (an escape sequence, a carriage return, a direction override) must not act on
    /// the terminal. Each is shown instead: C0 controls as their control pictures (␛, ␍ …),
    /// C1 and bidirectional controls as `\u{…}`. Line breaks and tabs stay.
    package static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for s in text.unicodeScalars { appendVisible(s, to: &out) }
        return out
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v)
    }

    private static func appendVisible(_ s: Unicode.Scalar, to out: inout String) {
        guard isControl(s) else {
            out.unicodeScalars.append(s)
            return
        }
        let v = s.value
        if v < 0x20 {
            out.unicodeScalars.append(Unicode.Scalar(0x2400 + v)!)  // ␀ … ␟
        } else if v == 0x7F {
            out += "␡"
        } else {
            out += "\\u{\(String(v, radix: 16, uppercase: true))}"
        }
    }

    /// A readable summary of one result.
    public func summary(_ r: TriageResult, text: String) -> String {
        var lines: [String] = []
        let rejected = r.screening.decision == .reject
        if rejected {
            lines.append("\(bold("预审")) 拒收（\(ReasonText.rejectName(r.screening.reason ?? .spam))）：不分派牵头部门，不派单，无答复时限")
        }
        let catName = r.category.flatMap { ruleSet.category($0)?.name } ?? (rejected ? "无（预审拒收）" : "未定")
        lines.append("\(bold("类别")) \(catName)\(r.category.map { " (\($0))" } ?? "")    "
            + dim(r.scores.map { "\($0.category) \(ReasonText.number($0.score))" }.joined(separator: " · ")))
        lines.append("\(bold("牵头")) \(r.lead.map { "\($0.name) (\($0.id))" } ?? (rejected ? "无（预审拒收）" : "无"))")
        if !r.coHandlers.isEmpty { lines.append("\(bold("协办")) \(r.coHandlers.map(\.name).joined(separator: "、"))") }
        if let route = r.route {
            lines.append("\(bold("路由")) \(route.channel == .direct ? "直接处理" : "12345 派单") → \(route.handler.name)")
        } else {
            lines.append("\(bold("路由")) 不派单（预审拒收）")
        }
        var flags: [String] = []
        if r.flags.vague { flags.append("模糊不清") }
        if r.flags.multiDepartment { flags.append("多部门") }
        lines.append("\(bold("标记")) \(flags.isEmpty ? "无" : flags.joined(separator: "、"))")
        if !r.items.isEmpty || !r.combined.isEmpty {
            let names = r.combined.map { "\($0.name)（一件事）" }
                + r.items.map { "\($0.name)（\(ruleSet.department($0.department)?.name ?? $0.department.rawValue)）" }
            lines.append("\(bold("事项")) " + names.joined(separator: "、"))
        }
        if !rejected {
            let verdict = r.screening.decision == .accept ? "受理" : "待人工复核"
            lines.append("\(bold("预审")) \(verdict)")
        }
        lines.append("\(bold("时限")) " + deadlineParts(r.deadlines).joined(separator: " · "))
        let names = EscalationFlag.allCases.filter(r.escalation.has).map { ReasonText.flagName($0) }
        lines.append("\(bold("升级")) \(names.isEmpty ? "无" : names.joined(separator: "、"))")
        lines.append(bold("理由"))
        let sectionReasons = r.screening.reasons + r.deadlines.reasons + r.escalation.reasons
        for reason in r.reasons + sectionReasons { lines.append("  - \(reason.message) " + dim("[\(reason.code.rawValue)]")) }
        if !text.isEmpty {
            lines.append(bold("证据"))
            lines.append("  " + highlight(text, evidence: r.evidence).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  "))
            for e in r.evidence { lines.append(dim("  \(e.start)..<\(e.end) \(e.kind.rawValue) \(e.rule): \(Self.visible(e.text))")) }
        }
        lines.append(dim("规则集 \(r.rulesetVersion)"))
        return lines.joined(separator: "\n")
    }

    private func deadlineParts(_ d: TriageResult.Deadlines) -> [String] {
        var parts = ["收到 \(d.receivedAt)\(d.receivedAtDefaulted ? "（未提供，按当前时间）" : "")"]
        if let p = d.preReviewDue { parts.append("预审截止 \(p)") }
        if let dispatched = d.dispatchedAt { parts.append("派单 \(dispatched)") }
        if let reply = d.replyDue {
            parts.append("答复截止 \(reply)（\(ReasonText.complexityName(d.complexity))，\(d.replyWorkingDays) 个工作日）")
        }
        if let year = d.missingYear { parts.append("无法计算：工作日历缺少 \(year) 年") }
        if !d.provisionalYears.isEmpty {
            let years = d.provisionalYears.map { "\($0)" }.joined(separator: "、")
            parts.append(bold("暂定") + "（\(years) 年放假安排未发布，按法定节假日推算）")
        }
        return parts
    }

    /// Every rule and entry that fired, with scores.
    public func explain(_ r: TriageResult, _ x: Explanation, text: String) -> String {
        var lines: [String] = [summary(r, text: text), "", bold("类别得分")]
        for s in r.scores.sorted(by: { $0.score > $1.score }) {
            lines.append("  \(s.category) \(ReasonText.number(s.score))" + (s.category == r.category ? "  ← 选定" : ""))
            for t in x.categoryTopics where t.category == s.category {
                lines.append("    +\(ReasonText.number(t.amount)) 话题 \(t.topic)")
            }
            for f in x.fired where f.category == s.category {
                lines.append("    \(f.weight >= 0 ? "+" : "")\(ReasonText.number(f.weight)) \(f.rule)  「\(Self.visible(f.matches.joined(separator: "」「")))」  "
                    + dim(f.location.description) + (f.handWrittenWeight.map { "  拟合权重（手写 \(ReasonText.number($0))）" } ?? ""))
            }
        }
        if !x.vetoed.isEmpty {
            lines.append(bold("被排除的规则"))
            for v in x.vetoed { lines.append("  \(v.rule)：排除模式命中「\(Self.visible(v.by))」  " + dim(v.location.description)) }
        }
        if !x.cues.isEmpty {
            lines.append(bold("线索"))
            for c in x.cues { lines.append("  \(c.id) → \(c.flag.rawValue)  「\(Self.visible(c.matches.joined(separator: "」「")))」") }
        }
        if !x.topics.isEmpty {
            lines.append(bold("话题"))
            for t in x.topics { lines.append("  \(t.name) (\(t.id)) \(ReasonText.number(t.score))  " + dim(t.words.joined(separator: "、"))) }
        }
        lines.append(bold("部门证据"))
        if x.departmentScores.isEmpty { lines.append("  （无）") }
        for d in x.departmentScores {
            lines.append("  \(d.department.name) (\(d.department.id)) \(ReasonText.number(d.score))" + (d.department.id == r.lead?.id ? "  ← 牵头" : ""))
            for c in d.contributions { lines.append("    \(c.text)") }
        }
        if !x.preReview.isEmpty {
            lines.append(bold("预审与升级规则"))
            for p in x.preReview { lines.append("  \(p.id)  「\(Self.visible(p.matches.joined(separator: "」「")))」") }
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
        func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        return .object([
            ("result", r.json),
            ("fired", .array(x.fired.map {
                .object([("rule", .string($0.rule)), ("category", .string($0.category.rawValue)), ("weight", .number($0.weight)),
                         ("matches", strings($0.matches)), ("location", .string($0.location.description))]
                        + ($0.handWrittenWeight.map { [("hand_written_weight", JSONValue.number($0))] } ?? []))
            })),
            ("vetoed", .array(x.vetoed.map {
                .object([("rule", .string($0.rule)), ("by", .string($0.by)), ("location", .string($0.location.description))])
            })),
            ("cues", .array(x.cues.map { .object([("cue", .string($0.id)), ("flag", .string($0.flag.rawValue)), ("matches", strings($0.matches))]) })),
            ("departments", .array(x.departmentScores.map {
                .object([("id", .string($0.department.id.rawValue)), ("name", .string($0.department.name)), ("score", .number($0.score)),
                         ("contributions", strings($0.contributions.map(\.text)))])
            })),
            ("topics", .array(x.topics.map {
                .object([("id", .string($0.id)), ("name", .string($0.name)), ("score", .number($0.score)), ("words", strings($0.words))])
            })),
            ("pre_review", .array(x.preReview.map { .object([("rule", .string($0.id)), ("matches", strings($0.matches))]) })),
            ("failures", strings(x.failures)),
            ("patterns_run", .number(Double(x.patternsRun))),
            ("patterns_total", .number(Double(x.patternsTotal))),
        ])
    }
}
