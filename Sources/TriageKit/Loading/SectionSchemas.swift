/// The declared fields of every section. Readers (Sections.swift) read exactly these keys;
/// `triage schema` and `triage doc` are generated from them.
extension SectionSchema {
    /// `ruleset:` (exactly one file has it).
    package static let ruleset = SectionSchema(
        "ruleset", .mapping, entryName: "ruleset",
        "The rule set's name, format version, decision settings and special handlers; exactly one file has it. 规则集设置",
        fields: [
            Field("name", .string, "The rule set's name. 名称"),
            Field("format", .integer, "Format version of these files; this engine reads 1. 格式版本"),
            Field("description", .string, "Free text. 说明"),
            Field("decision", .object([
                Field("min_score", .number, "A category needs at least this score. 类别最低分"),
                Field("precedence", .list(.string), "Category ids in tie-break order. 同分时的类别优先顺序"),
                Field("fallback_category", .string, "Category when none reaches min_score but a matter was found; omit for null. 兜底类别"),
                Field("lead_balance", .number, "Runner-up / top department score at or above which the coordinator leads, in (0, 1]."),
                Field("multi_ratio", .number, "A department is involved at this share of the top score, in (0, 1]."),
                Field("passed_balance", .number, "With a passed_between cue, the coordinator leads when the runner-up has this share, in [0, 1]."),
                Field("process_lead_ratio", .number, "A process unit leads when its score is this multiple of the top department's (>= 1)."),
                Field("complexity_ratio", .number, "A complex item counts for complexity at this share of the lead's score, in [0, 1]."),
                .choice("balanced_lead", BalancedLead.self, "Who leads when the top departments are balanced: top (default; coordination is flagged) or coordinator."),
                Field("second_category_min", .number, "A second category's handler co-handles from this score (e.g. a lost technical score). 第二类别协办的最低分"),
                Field("subject_chars", .integer, "The first this many characters are the subject line. 标题长度"),
                Field("addressee", .object([
                    Field("words", .list(.string), "Request words (请, 要求 …). 请求词"),
                    Field("window", .integer, "A department named within this many characters after one is addressed. 距离"),
                ]), "A department named right after a request word is the addressee. 被请求的部门"),
                Field("weights", .object([
                    Field("item", .number, "A matched item, for its exercising department."),
                    Field("department", .number, "An explicit mention of a department."),
                    Field("combined", .number, "A matched combined matter, for its lead."),
                    Field("repeated", .number, "Each further occurrence of the same item adds this share of its weight."),
                    Field("first", .number, "Bonus for the department of the matter named first."),
                    Field("max_repeats", .integer, "Repeats counted at most. 最多计入的重复次数"),
                    Field("subject", .number, "Evidence in the subject line counts (1 + this) times. 标题加权"),
                    Field("addressee", .number, "A department named right after a request word counts (1 + this) times. 被请求加权"),
                    Field("context", .number, "Weight of a context item (a place such as a school or hospital) instead of its own. 场所事项权重"),
                    Field("topic", .number, "A topic's capped score times a department's share, times this. 话题权重"),
                    Field("topic_cap", .number, "A topic's score counts at most this much. 话题封顶"),
                    Field("topic_min", .number, "A topic counts for departments from this score. 话题起算分"),
                    Field("topic_min_alone", .number, "With no knowledge-base evidence, a topic counts from this score. 无其他证据时的话题起算分"),
                    Field("category_topic", .number, "A topic's score times its category share, times this, adds to the category. 话题对类别的权重"),
                ]), "How much each kind of evidence counts for a department. 证据权重"),
                Field("vague", .object([
                    Field("min_chars", .integer, "Fewer meaningful characters than this is vague."),
                    Field("no_matter_below", .integer, "No identifiable matter makes a message vague only below this length."),
                ]), "When a message is vague. 含糊判定"),
                Field("screening", .object([
                    Field("review_no_matter_below", .integer, "No matter recognised sends a message to review only below this length."),
                ]), "Screening settings. 预审设置"),
            ]), "Decision settings. 决策参数"),
            Field("handlers", .object([
                Field("coordinator", .string, required: true, "Department that coordinates when responsibility is unclear. 协调部门"),
            ]), required: true, "Special handlers. 特殊承办方"),
        ])

    /// `categories:`.
    package static let categories = SectionSchema(
        "categories", .list, entryName: "a category", "The categories and how each routes. 类别及其流转",
        fields: [
            Field("id", .string, required: true, "Stable id, lower_snake_case. 编号"),
            Field("name", .string, required: true, "Chinese name. 名称"),
            Field("description", .string, "What belongs in it. 说明"),
            Field("route", .object([
                .choice("channel", Channel.self, required: true, "direct (handled by the e-government centre) or hotline (dispatched through 12345). 渠道"),
                Field("handler", .string, "A department id, or owner: the department that owns the matter. 承办部门"),
                Field("co_handlers", .list(.string), "Fixed co-handlers. 固定协办"),
            ]), required: true, "How its messages are routed. 流转"),
            Field("never_escalate", .list(.choice(EscalationFlag.allCases.map(\.rawValue))), "Escalation flags the engine never raises by itself for it. 不自动升级的标记"),
            .choice("combined_co_handlers", CombinedCoHandlers.self, "all (default): every department of a leading combined matter co-handles; evidence: only those with evidence."),
        ])

    /// `departments:`.
    package static let departments = SectionSchema(
        "departments", .list, entryName: "a department", "Departments and process units. 部门",
        fields: [
            Field("id", .string, required: true, "Stable id used everywhere else, lower_snake_case. 编号"),
            Field("name", .string, required: true, "Short name as used in Pudong documents; shown in results. 简称"),
            Field("full_name", .string, "Full official name. 全称"),
            Field("aliases", .list(.string), "How citizens write it (literal, normalised), one a line. 别名"),
            .choice("role", RuleSet.DepartmentRole.self, "department (default), process (a unit of the feedback process) or community (streets and towns). 角色"),
        ])

    /// `items:`.
    package static let items = SectionSchema(
        "items", .list, entryName: "an item", "Service items (办事事项) and responsibility matters (职责事项). 事项",
        fields: [
            Field("id", .string, required: true, "Stable id, lower_snake_case. 编号"),
            Field("name", .string, required: true, "Chinese name. 名称"),
            Field("description", .string, "Free text. 说明"),
            Field("department", .string, required: true, "The exercising department. 实施部门"),
            Field("co_departments", .list(.string), "Co-departments. 协办部门"),
            .choice("complexity", Complexity.self, "simple (5 working days) or complex (15). 复杂度"),
            Field("category", .string, "The category whose matters it describes (e.g. technical for platform items). 所属类别"),
            Field("aliases", .list(.string), "Literal phrases, one a line. 别名"),
            Field("patterns", .list(.pattern), "PCRE2 patterns. 模式"),
            Field("exclude", .list(.pattern), "Patterns that veto the item for a message (巾帼 not in a hotel's name). 排除模式"),
            Field("weight", .number, "Evidence weight; default decision.weights.item. 权重"),
            Field("context", .boolean, "true: a place (school, hospital) rather than a matter; counts decision.weights.context. 场所事项"),
            .examples,
        ] + Field.metadata)

    /// `combined:`.
    package static let combined = SectionSchema(
        "combined", .list, entryName: "a combined matter", "Combined matters (一件事) with a declared lead. 一件事",
        fields: [
            Field("id", .string, required: true, "Stable id, lower_snake_case. 编号"),
            Field("name", .string, required: true, "Chinese name. 名称"),
            Field("description", .string, "Free text. 说明"),
            Field("aliases", .list(.string), "Literal phrases, one a line. 别名"),
            Field("patterns", .list(.pattern), "PCRE2 patterns. 模式"),
            Field("lead", .string, required: true, "The declared lead department; one of departments. 牵头部门"),
            Field("departments", .list(.string), "Every department involved, lead included. 涉及部门"),
            .choice("complexity", Complexity.self, "simple or complex. 复杂度"),
            .examples,
        ] + Field.metadata)

    /// `rules:` (classification).
    package static let rules = SectionSchema(
        "rules", .list, entryName: "a rule", "Classification rules: patterns that score a category. 分类规则",
        fields: Field.ruleCore + [
            Field("category", .string, required: true, "The category it scores. 类别"),
            Field("weight", .number, "Added to the category's score when it fires; negative argues against it (a counter-rule). 权重"),
            Field("veto", .boolean, "true: when it fires, its category is ruled out for the message. 否决"),
        ])

    /// `cues:`.
    package static let cues = SectionSchema(
        "cues", .list, entryName: "a cue", "Patterns that raise the vague, multi_department or passed_between flag. 线索",
        fields: Field.ruleCore + [
            .choice("flag", CueFlag.self, required: true, "The flag it raises. 标记"),
        ])

    /// `screening:`.
    package static let screening = SectionSchema(
        "screening", .list, entryName: "a screening rule", "Pre-review rules: reject with a reason, send to review, or mark a genuine request. 预审规则",
        fields: Field.ruleCore + [
            .choice("action", ScreeningAction.self, required: true, "What it decides. 动作"),
            .choice("reason", RejectReason.self, "Only for reject: why. 退回原因"),
        ])

    /// `escalation:`.
    package static let escalation = SectionSchema(
        "escalation", .list, entryName: "an escalation rule", "Rules that raise leader_report, coordination or woodpecker_candidate, or mark a matter complex. 升级规则",
        fields: Field.ruleCore + [
            .choice("flag", EscalationFlag.self, "The flag it raises. 标记"),
            Field("complex", .boolean, "true: the matter is complex (15 working days). 复杂"),
            Field("policy_question", .boolean, "true: a policy question (also complex). 政策问题"),
            Field("categories", .list(.string), "Fire only for results of these categories; empty: any. 适用类别"),
        ])

    /// `topics:`.
    package static let topics = SectionSchema(
        "topics", .list, entryName: "a topic", "Topics: lexicons of signed words and patterns, and whose matters they describe. 话题",
        fields: [
            Field("id", .string, required: true, "Stable id, lower_snake_case. 编号"),
            Field("name", .string, required: true, "Chinese name. 名称"),
            Field("description", .string, "What belongs in it. 说明"),
            Field("departments", .dictionary(.number), "Department id → share of the topic's score. 部门及份额"),
            Field("categories", .dictionary(.number), "Category id → share of the topic's score. 类别及份额"),
            Field("words", .dictionary(.number), "Word (literal, normalised) → signed weight. 词及权重"),
            Field("patterns", .list(.object([
                Field("pattern", .pattern, required: true, "A PCRE2 pattern. 模式"),
                Field("weight", .number, "Its signed weight (default 1). 权重"),
            ])), "Patterns with signed weights. 模式及权重"),
        ])

    /// `fitted_weights:` (written by `triage fit`).
    package static let fittedWeights = SectionSchema(
        "fitted_weights", .mapping, entryName: "fitted_weights",
        "Weights triage fit wrote from a labelled corpus; loaded over the hand-written ones. Never edit by hand. 拟合权重",
        fields: [
            Field("corpus", .list(.string), "The corpus files it was fitted on. 语料"),
            Field("fitted", .string, "When. 时间"),
            Field("method", .string, "How, with the cross-validated figures. 方法"),
            Field("items", .dictionary(.number), "Item id → weight. 事项权重"),
            Field("rules", .dictionary(.number), "Classification rule id → weight. 规则权重"),
            Field("topic_words", .dictionary(.dictionary(.number)), "Topic id → word → weight. 话题词权重"),
        ])

    /// `calendar:` (one file per year).
    package static let calendar = SectionSchema(
        "calendar", .mapping, entryName: "a calendar", "One year of public holidays and make-up working days. 工作日历",
        fields: [
            Field("year", .integer, required: true, "The year. 年份"),
            Field("notice", .string, "The State Council notice it comes from. 通知"),
            Field("description", .string, "Free text. 说明"),
            Field("holidays", .dictionary(.list(.dateOrRange)), "Days off by festival: name → dates or ranges A..B. 放假"),
            Field("workdays", .dictionary(.list(.dateOrRange)), "Make-up working days by festival. 调休上班"),
        ])

    /// `known_false_positives:` (read by the QA tools).
    package static let knownFalsePositives = SectionSchema(
        "known_false_positives", .list, entryName: "a known false positive", consumer: .qa,
        "Corpus messages a rule, cue, item or combined matter is known to misfire on; read by triage test/stats. 已知误报登记",
        fields: [
            Field("rule", .string, required: true, "A rule, cue, item or combined-matter id. 规则编号"),
            Field("messages", .list(.string), required: true, "Corpus message ids (of tuning parts). 语料编号"),
            Field("note", .string, "Why it is accepted for now. 原因"),
        ])

    /// `todo:` (read by the QA tools): known misses, as Semgrep's todoruleid.
    package static let todo = SectionSchema(
        "todo", .list, entryName: "a known miss", consumer: .qa,
        "Known misses: corpus messages the rules should get right but do not yet; triage test lists them apart and reports a newly fixed one. 待改进登记",
        fields: [
            Field("messages", .list(.string), required: true, "Corpus message ids (of tuning parts). 语料编号"),
            Field("fields", .list(.choice(LabelledField.allCases.map(\.rawValue))), "Which labelled fields are wrong; empty: any. 错误字段"),
            Field("note", .string, "What is missing and why it is not fixed yet. 说明"),
            Field("owner", .string, "Who will fix it. 负责人"),
        ])
}

/// Who leads when the top departments' scores are balanced.
package enum BalancedLead: String, Sendable, CaseIterable {
    /// The top department, with coordination flagged.
    case top
    /// The coordinator.
    case coordinator
}

/// How a category's messages take co-handlers from a leading combined matter.
package enum CombinedCoHandlers: String, Sendable, CaseIterable {
    /// Every department of the matter.
    case all
    /// Only departments with evidence of their own.
    case evidence
}

/// The labelled fields a corpus message is judged on (corpus/README.md), as registers name them.
package enum LabelledField: String, Sendable, CaseIterable {
    case category, lead
    case coHandlers = "co_handlers"
    case vague
    case multiDepartment = "multi_department"
}
