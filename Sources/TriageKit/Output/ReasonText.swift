/// The Chinese wording of every reason, in one place. Staff read these messages;
/// the codes and facts behind them are in ``Reason``.
package enum ReasonText {
    /// The message of one reason.
    // A catalogue: one exhaustive switch, so a new reason cannot lack its text.
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    package static func message(_ reason: Reason) -> String {
        switch reason {
        case .categoryRules(let category, let score, let rules, let tiedWith):
            let tie = tiedWith.isEmpty ? "" : "；与 \(tiedWith.map(\.rawValue).joined(separator: ", ")) 同分，按优先顺序取之"
            return "「\(category.name)」得分 \(number(score)) 最高（规则：\(rules.joined(separator: ", "))）" + tie
        case .categoryFallback(let category, let minScore):
            return "没有类别达到最低分 \(number(minScore))，但识别到具体事项或部门，按「\(category.name)」处理"
        case .categoryUndecided(let minScore):
            return "没有类别达到最低分 \(number(minScore))，也没有识别到具体事项"
        case .categoryVetoed(let category, let rule):
            return "排除「\(category.name)」：\(rule.name)（\(rule.id)），该类别的事项不作为部门证据"
        case .patternFailed(let owner, let message):
            return "\(owner) 的模式匹配失败（\(message)），按未命中处理"
        case .evidenceTruncated(let kept, let total):
            return "证据过多，只列出 \(kept) 条（共 \(total) 条）：每条规则或事项至少保留第一处"
        case .leadCategoryHandler(let category, let handler):
            return "「\(category.name)」由\(handler.name)直接处理"
        case .leadCombined(let matter, let lead):
            return "涉及一件事「\(matter.name)」，由声明的牵头部门\(lead.name)牵头"
        case .leadProcessUnit(let unit, let because):
            return "\(unit.name)证据远强于其他部门：\(joined(because))"
        case .leadPassedBetween(let top, let runnerUp, let cues, let coordinator):
            return "\(top.name)、\(runnerUp.name)等部门之间推诿或职责不清（\(cues.joined(separator: ", "))），由\(coordinator.name)协调"
        case .leadOwnerOfPassed(let top, let runnerUp, let cues):
            return "部门之间推诿（\(cues.joined(separator: ", "))），但事项归属清楚：\(top.name)为主要承办部门，\(runnerUp.name)等协办"
        case .leadTopOfBalanced(let top, let topScore, let runnerUp, let runnerUpScore):
            return "\(top.name)与\(runnerUp.name)证据相当（\(number(topScore)) 对 \(number(runnerUpScore))），由\(top.name)主办、\(runnerUp.name)协办"
        case .leadBalanced(let top, let topScore, let runnerUp, let runnerUpScore, let coordinator):
            return "\(top.name)与\(runnerUp.name)证据相当（\(number(topScore)) 对 \(number(runnerUpScore))），由\(coordinator.name)协调"
        case .leadItem(let department, let because), .leadDepartmentMentioned(let department, let because):
            return "\(department.name)证据最强：\(joined(because))"
        case .leadUnclear(let coordinator):
            return "没有识别到责任部门，由\(coordinator.name)协调"
        case .coHandlerSecondCategory(let category, let handler):
            return "同时涉及「\(category.name)」，\(handler.name)协办；事项仍由主管部门牵头"
        case .vagueEmpty:
            return "内容为空"
        case .vagueTooShort(let chars, let minimum):
            return "内容过短（\(chars) 个字，少于 \(minimum)）"
        case .vagueNoMatter:
            return "没有识别到具体事项或部门"
        case .vagueCue(let cues):
            return "指代不明或只有情绪（\(cues.joined(separator: ", "))）"
        case .multiDepartments(let departments):
            return "多个部门证据相当：" + departments.map { "\($0.department.name) \(number($0.score))" }.joined(separator: "、")
        case .multiCue(let cues):
            return "跨部门推诿或多部门线索（\(cues.joined(separator: ", "))）"
        case .multiCombined(let matter):
            return "一件事「\(matter.name)」涉及多个部门"
        case .routeDirect(let handler):
            return "直接由\(handler.name)处理，不派单"
        case .routeHotline(let handler):
            return "经12345派单至\(handler.name)"
        case .screeningRejected(let reason):
            return "预审拒收（\(rejectName(reason))），不分派牵头部门，不派单"
        case .screeningReject(let reason, let rule):
            return "\(rejectName(reason))：\(rule.name)（\(rule.id)）"
        case .screeningOverruled(let reason, let rule):
            return "有\(rejectName(reason))的用语（\(rule)），但有明确的诉求，不拒收"
        case .screeningConflict(let reason, let rule, let matterFound, let genuine):
            let why = matterFound ? "识别到事项或诉求" : "有真实诉求的迹象（\(genuine.joined(separator: ", "))）"
            return "像是\(rejectName(reason))（\(rule)），但\(why)，交人工"
        case .screeningVague:
            return "内容模糊，无法判断事项或部门，交人工预审"
        case .screeningReviewRule(let rule):
            return "\(rule.name)（\(rule.id)）"
        case .screeningPatternFailed(let rule):
            return "筛查规则 \(rule) 匹配失败，无法自动判断，交人工预审"
        case .screeningAccept:
            return "有明确的事项或诉求，受理"
        case .escalationRejected:
            return "预审拒收，不升级"
        case .escalationRule(let flag, let rule):
            return "\(flagName(flag))：\(rule.name)（\(rule.id)）"
        case .coordinationLead(let coordinator):
            return "\(flagName(.coordination))：部门间推诿、责任不清，由\(coordinator.name)牵头协调"
        case .coordinationShared(let lead, let coordinator):
            return "\(flagName(.coordination))：多个部门职责交叉或互相推诿，\(lead.name)主办，\(coordinator.name)跟进协调"
        case .complexItem(let item):
            return "复杂：事项「\(item.name)」为复杂事项"
        case .complexCombined(let matter):
            return "复杂：一件事「\(matter.name)」为复杂事项"
        case .complexMultiDepartment:
            return "复杂：涉及多个部门"
        case .complexPolicyQuestion(let rule):
            return "复杂：涉及政策问题（\(rule)）"
        case .complexRule(let rule):
            return "复杂：\(rule.name)（\(rule.id)）"
        case .simple:
            return "简单：未发现复杂事项、多部门或政策问题"
        case .preReviewDue(let received, let days, let due):
            return "\(received) 收到（当日不计），预审时限 \(days) 个工作日，至 \(due) 日终"
        case .replyDueFromPreReview(let from, let days, let complexity, let due):
            return "自预审时限 \(from) 起算 \(days) 个工作日（\(complexityName(complexity))事项），至 \(due) 日终"
        case .replyDueFromDispatch(let from, let days, let complexity, let due):
            return "自派单日 \(from) 起算 \(days) 个工作日（\(complexityName(complexity))事项），至 \(due) 日终"
        case .replyNotDue:
            return "预审拒收，无需答复，不计答复时限"
        case .calendarMissingYear(let year):
            return "工作日历缺少 \(year) 年，无法计算时限"
        case .calendarProvisionalYear(let years):
            let list = years.map { "\($0)" }.joined(separator: "、")
            return "工作日历尚无 \(list) 年的放假安排（国务院办公厅通知尚未发布或尚未录入），\(list) 年按《全国年节及纪念日放假办法》的法定节假日推算"
                + "（含周末补假，不含调休），时限为暂定，正式安排录入后以其为准"
        }
    }

    /// One line of department evidence.
    package static func contribution(_ c: Reason.Contribution) -> String {
        switch c {
        case .item(let item, let amount, let times, let inSubject, let context, let fitted):
            let notes = (times > 1 ? "，出现 \(times) 次" : "") + (inSubject ? "，在标题中" : "") + (context ? "，地点或机构" : "")
                + (fitted ? "，拟合权重" : "")
            return "事项「\(item.name)」(\(item.id))\(notes) +\(number(amount))"
        case .department(let name, let amount, let times, let inSubject, let addressed):
            let notes = (times > 1 ? "，\(times) 次" : "") + (inSubject ? "，在标题中" : "") + (addressed ? "，被点名要求处理" : "")
            return "提及「\(name)」\(notes) +\(number(amount))"
        case .combined(let matter, let amount):
            return "一件事「\(matter.name)」牵头 +\(number(amount))"
        case .topic(let topic, let amount, let words):
            return "话题「\(topic.name)」（\(words.prefix(6).joined(separator: "、"))\(words.count > 6 ? "…" : "")）+\(number(amount))"
        case .first(let amount):
            return "最先提及 +\(number(amount))"
        }
    }

    /// Contributions joined for one reason.
    private static func joined(_ contributions: [Reason.Contribution]) -> String {
        contributions.map(contribution).joined(separator: "；")
    }

    /// The Chinese name of a reject reason.
    package static func rejectName(_ r: RejectReason) -> String {
        switch r {
        case .spam: return "广告或垃圾信息"
        case .abuse: return "辱骂且无诉求"
        case .gibberish: return "无意义内容"
        case .offTopic: return "与政务服务无关"
        }
    }

    /// The Chinese name of an escalation flag.
    package static func flagName(_ f: EscalationFlag) -> String {
        switch f {
        case .leaderReport: return "专报"
        case .coordination: return "协调"
        case .woodpeckerCandidate: return "啄木鸟候选"
        }
    }

    /// 简单 or 复杂.
    package static func complexityName(_ c: Complexity) -> String { c == .complex ? "复杂" : "简单" }

    /// A score as people read it: integers without a point, others to at most six decimals.
    package static func number(_ n: Double) -> String { JSONValue.format(n) }
}
