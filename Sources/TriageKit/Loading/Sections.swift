internal import YAML

/// A pattern as written, before compiling.
struct RawPattern {
    var source: String
    var node: Node
    var path: String
}

struct RawExamples {
    var match: [(String, SourceLocation)] = []
    var noMatch: [(String, SourceLocation)] = []
}

/// The fields every pattern rule has, as read.
struct RawCore {
    var id: String, description: String, patterns: [RawPattern], exclude: [RawPattern], examples: RawExamples
    var location: SourceLocation
}

struct RawRuleSet {
    struct Settings {
        var name = ""
        var format = 1
        var decision = RuleSet.DecisionSettings()
        var handlers: [String: (String, SourceLocation)] = [:]
        var precedenceLocation: SourceLocation?
        var fallbackLocation: SourceLocation?
        var location: SourceLocation
    }
    struct RawCategory {
        var id: String, name: String, description: String, channel: Channel?, handler: String?
        var coHandlers: [(String, SourceLocation)], neverEscalate: Set<EscalationFlag>, combinedCoHandlersAll: Bool
        var location: SourceLocation, handlerLocation: SourceLocation
    }
    struct RawDepartment {
        var id: String, name: String, fullName: String, aliases: [(String, SourceLocation)]
        var role: RuleSet.DepartmentRole, location: SourceLocation
    }
    struct RawItem {
        var id: String, name: String, department: (String, SourceLocation)?, coDepartments: [(String, SourceLocation)]
        var complexity: Complexity, category: (String, SourceLocation)?, aliases: [(String, SourceLocation)]
        var patterns: [RawPattern], weight: Double?, location: SourceLocation
    }
    struct RawCombined {
        var id: String, name: String, aliases: [(String, SourceLocation)], patterns: [RawPattern]
        var lead: (String, SourceLocation)?, departments: [(String, SourceLocation)], complexity: Complexity
        var location: SourceLocation
    }
    struct RawRule {
        var core: RawCore, category: (String, SourceLocation)?, weight: Double, veto: Bool
    }
    struct RawCue {
        var core: RawCore, flag: CueFlag?
    }
    struct RawScreening {
        var core: RawCore, action: ScreeningAction?, reason: RejectReason?
    }
    struct RawEscalation {
        var core: RawCore, flag: EscalationFlag?, complex: Bool, policyQuestion: Bool, categories: [(String, SourceLocation)]
    }
    struct RawCalendarYear {
        var year: Int?
        var days: [CalendarDay]
        var location: SourceLocation
    }

    var settings: [Settings] = []
    var categories: [RawCategory] = []
    var departments: [RawDepartment] = []
    var items: [RawItem] = []
    var combined: [RawCombined] = []
    var rules: [RawRule] = []
    var cues: [RawCue] = []
    var screening: [RawScreening] = []
    var escalation: [RawEscalation] = []
    var calendars: [RawCalendarYear] = []

    // MARK: Reading

    mutating func read(_ file: MapReader) {
        if let s = file.mapping("ruleset") { readSettings(s) }
        forEachEntry(file, "categories") { readCategory($0) }
        forEachEntry(file, "departments") { readDepartment($0) }
        forEachEntry(file, "items") { readItem($0) }
        forEachEntry(file, "combined") { readCombined($0) }
        forEachEntry(file, "rules") { readRule($0) }
        forEachEntry(file, "cues") { readCue($0) }
        forEachEntry(file, "screening") { readScreening($0) }
        forEachEntry(file, "escalation") { readEscalation($0) }
        if let c = file.mapping("calendar") { readCalendar(c) }
    }

    /// Calls `body` with a reader for each mapping in the list under `key`.
    func forEachEntry(_ file: MapReader, _ key: String, _ body: (MapReader) -> Void) {
        guard let list = file.value(key) else { return }
        guard let elements = list.elements else {
            file.sink.error(file.loc(list), "'\(key)' must be a list of entries, not \(list.kindName)", code: "type")
            return
        }
        for element in elements {
            guard element.pairs != nil else {
                file.sink.error(file.loc(element), "each entry of '\(key)' must be a mapping, not \(element.kindName)", code: "type")
                continue
            }
            let id = element["id"]?.scalar
            body(MapReader(node: element, path: file.path, entry: id, sink: file.sink))
        }
    }

    func patterns(_ r: MapReader, _ key: String) -> [RawPattern] {
        r.strings(key).map { RawPattern(source: $0.0, node: $0.1, path: r.path) }
    }

    func located(_ r: MapReader, _ key: String) -> [(String, SourceLocation)] {
        r.strings(key).map { ($0.0, r.loc($0.1)) }
    }

    func one(_ r: MapReader, _ key: String, required: Bool = true) -> (String, SourceLocation)? {
        guard let s = r.string(key, required: required), let n = r.value(key) else { return nil }
        return (s, r.loc(n))
    }

    func id(_ r: MapReader) -> String {
        guard let id = r.string("id", required: true) else { return "" }
        if id.unicodeScalars.contains(where: { !($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == ".") }) {
            r.sink.error(r.loc(r.value("id")!), "id '\(id)' may hold only letters, digits, '_', '-' and '.'", entry: id, code: "type")
        }
        return id
    }

    func complexity(_ r: MapReader) -> Complexity {
        guard let s = r.string("complexity") else { return .simple }
        guard let c = Complexity(rawValue: s) else {
            r.sink.error(r.loc(r.value("complexity")!), "complexity must be 'simple' or 'complex', not '\(s)'", entry: r.entry, code: "type")
            return .simple
        }
        return c
    }

    func examples(_ r: MapReader) -> RawExamples {
        guard let m = r.mapping("examples") else { return RawExamples() }
        m.checkKeys(["match", "no_match"], what: "examples")
        return RawExamples(match: located(m, "match"), noMatch: located(m, "no_match"))
    }

    mutating func readSettings(_ r: MapReader) {
        r.checkKeys(["name", "format", "decision", "handlers", "description"], what: "ruleset")
        var s = Settings(location: r.location)
        s.name = r.string("name") ?? ""
        if let f = r.number("format") {
            s.format = Int(f)
            if f != 1 { r.sink.error(r.loc(r.value("format")!), "unsupported rule-set format \(f); this engine reads format 1", code: "format") }
        }
        if let d = r.mapping("decision") {
            d.checkKeys(["min_score", "precedence", "fallback_category", "lead_balance", "multi_ratio", "passed_balance", "process_lead_ratio", "complexity_ratio", "weights", "vague", "screening"],
                        what: "decision")
            if let v = d.number("min_score") { s.decision.minScore = v }
            if let v = d.value("precedence") { s.precedenceLocation = d.loc(v) }
            s.decision.precedence = d.strings("precedence").map { CategoryID($0.0) }
            if let v = d.value("fallback_category") { s.fallbackLocation = d.loc(v) }
            s.decision.fallbackCategory = d.string("fallback_category").map(CategoryID.init)
            if let v = d.number("lead_balance") {
                if v <= 0 || v > 1 { d.sink.error(d.loc(d.value("lead_balance")!), "lead_balance must be in (0, 1]", code: "type") }
                s.decision.leadBalance = v
            }
            if let v = d.number("process_lead_ratio") {
                if v < 1 { d.sink.error(d.loc(d.value("process_lead_ratio")!), "process_lead_ratio must be at least 1", code: "type") }
                s.decision.processLeadRatio = v
            }
            if let v = d.number("passed_balance") {
                if v < 0 || v > 1 { d.sink.error(d.loc(d.value("passed_balance")!), "passed_balance must be in [0, 1]", code: "type") }
                s.decision.passedBalance = v
            }
            if let v = d.number("complexity_ratio") {
                if v < 0 || v > 1 { d.sink.error(d.loc(d.value("complexity_ratio") ?? d.node), "complexity_ratio must be in [0, 1]", code: "type") }
                s.decision.complexityRatio = v
            }
            if let v = d.number("multi_ratio") {
                if v <= 0 || v > 1 { d.sink.error(d.loc(d.value("multi_ratio")!), "multi_ratio must be in (0, 1]", code: "type") }
                s.decision.multiRatio = v
            }
            if let w = d.mapping("weights") {
                w.checkKeys(["item", "department", "combined", "repeated", "first"], what: "weights")
                if let v = w.number("repeated") { s.decision.weights.repeated = v }
                if let v = w.number("first") { s.decision.weights.first = v }
                if let v = w.number("item") { s.decision.weights.item = v }
                if let v = w.number("department") { s.decision.weights.department = v }
                if let v = w.number("combined") { s.decision.weights.combined = v }
            }
            if let v = d.mapping("vague") {
                v.checkKeys(["min_chars", "no_matter_below"], what: "vague")
                if let n = v.number("min_chars") { s.decision.vagueMinChars = Int(n) }
                if let n = v.number("no_matter_below") { s.decision.vagueNoMatterBelow = Int(n) }
            }
            if let v = d.mapping("screening") {
                v.checkKeys(["review_no_matter_below"], what: "screening")
                if let n = v.number("review_no_matter_below") { s.decision.reviewNoMatterBelow = Int(n) }
            }
        }
        if let h = r.mapping("handlers") {
            h.checkKeys(["coordinator"], what: "handlers")
            if let v = one(h, "coordinator") { s.handlers["coordinator"] = v }
        } else {
            r.sink.error(r.location, "missing required key 'handlers'", code: "missing-key")
        }
        settings.append(s)
    }

    mutating func readCategory(_ r: MapReader) {
        r.checkKeys(["id", "name", "description", "route", "never_escalate", "combined_co_handlers"], what: "a category")
        let id = id(r)
        var channel: Channel?
        var handler: String?
        var handlerLocation = r.location
        var co: [(String, SourceLocation)] = []
        if let route = r.mapping("route") {
            route.checkKeys(["channel", "handler", "co_handlers"], what: "route")
            if let c = route.string("channel", required: true) {
                channel = Channel(rawValue: c)
                if channel == nil {
                    route.sink.error(route.loc(route.value("channel")!), "channel must be 'direct' or 'hotline', not '\(c)'", entry: id, code: "type")
                }
            }
            if let (h, l) = one(route, "handler") {
                handler = h == "owner" ? nil : h
                handlerLocation = l
            }
            co = located(route, "co_handlers")
        } else {
            r.sink.error(r.location, "missing required key 'route'", entry: id, code: "missing-key")
        }
        var never: Set<EscalationFlag> = []
        for (f, node) in r.strings("never_escalate") {
            if let flag = EscalationFlag(rawValue: f) {
                never.insert(flag)
            } else {
                let flags = EscalationFlag.allCases.map(\.rawValue)
                var message = "never_escalate entries must be one of \(flags.joined(separator: ", ")), not '\(f)'"
                if let hint = EditDistance.suggestion(for: f, among: flags) { message += " (did you mean '\(hint)'?)" }
                r.sink.error(r.loc(node), message, entry: id, code: "type")
            }
        }
        var combinedAll = true
        if let v = r.string("combined_co_handlers") {
            switch v {
            case "all": combinedAll = true
            case "evidence": combinedAll = false
            default:
                r.sink.error(r.loc(r.value("combined_co_handlers") ?? r.node), "combined_co_handlers must be 'all' or 'evidence', not '\(v)'",
                             entry: id, code: "type")
            }
        }
        categories.append(RawCategory(
            id: id, name: r.string("name", required: true) ?? id, description: r.string("description") ?? "",
            channel: channel, handler: handler, coHandlers: co, neverEscalate: never, combinedCoHandlersAll: combinedAll,
            location: r.location, handlerLocation: handlerLocation))
    }

    mutating func readDepartment(_ r: MapReader) {
        r.checkKeys(["id", "name", "full_name", "aliases", "role"], what: "a department")
        let id = id(r)
        var role = RuleSet.DepartmentRole.department
        if let s = r.string("role") {
            if let parsed = RuleSet.DepartmentRole(rawValue: s) {
                role = parsed
            } else {
                r.sink.error(r.loc(r.value("role")!), "role must be department, process or community, not '\(s)'", entry: id, code: "type")
            }
        }
        departments.append(RawDepartment(
            id: id, name: r.string("name", required: true) ?? id, fullName: r.string("full_name") ?? "",
            aliases: located(r, "aliases"), role: role, location: r.location))
    }

    mutating func readItem(_ r: MapReader) {
        r.checkKeys(["id", "name", "department", "co_departments", "complexity", "category", "aliases", "patterns", "weight", "description"],
                    what: "an item")
        items.append(RawItem(
            id: id(r), name: r.string("name", required: true) ?? "", department: one(r, "department"),
            coDepartments: located(r, "co_departments"), complexity: complexity(r), category: one(r, "category", required: false),
            aliases: located(r, "aliases"), patterns: patterns(r, "patterns"), weight: r.number("weight"), location: r.location))
    }

    mutating func readCombined(_ r: MapReader) {
        r.checkKeys(["id", "name", "aliases", "patterns", "lead", "departments", "complexity", "description"], what: "a combined matter")
        combined.append(RawCombined(
            id: id(r), name: r.string("name", required: true) ?? "", aliases: located(r, "aliases"),
            patterns: patterns(r, "patterns"), lead: one(r, "lead"), departments: located(r, "departments"),
            complexity: complexity(r), location: r.location))
    }

    /// The keys every pattern rule has.
    static let coreKeys = ["id", "description", "patterns", "exclude", "examples"]

    /// Reads the fields every pattern rule has; `what` names the kind in messages.
    func core(_ r: MapReader, what: String) -> RawCore {
        let id = id(r)
        let p = patterns(r, "patterns")
        if p.isEmpty { r.sink.error(r.location, "\(what) needs at least one pattern", entry: id, code: "missing-key") }
        return RawCore(id: id, description: r.string("description") ?? "", patterns: p, exclude: patterns(r, "exclude"),
                       examples: examples(r), location: r.location)
    }

    mutating func readRule(_ r: MapReader) {
        r.checkKeys(RawRuleSet.coreKeys + ["category", "weight", "veto"], what: "a rule")
        rules.append(RawRule(core: core(r, what: "a rule"), category: one(r, "category"), weight: r.number("weight") ?? 1,
                             veto: r.bool("veto") ?? false))
    }

    mutating func readCue(_ r: MapReader) {
        r.checkKeys(RawRuleSet.coreKeys + ["flag"], what: "a cue")
        let core = core(r, what: "a cue")
        let id = core.id
        var flag: CueFlag?
        if let f = r.string("flag", required: true) {
            flag = CueFlag(rawValue: f)
            if flag == nil {
                r.sink.error(r.loc(r.value("flag")!), "flag must be 'vague', 'multi_department' or 'passed_between', not '\(f)'", entry: id, code: "type")
            }
        }
        cues.append(RawCue(core: core, flag: flag))
    }

    mutating func readScreening(_ r: MapReader) {
        r.checkKeys(RawRuleSet.coreKeys + ["action", "reason"], what: "a screening rule")
        let core = core(r, what: "a screening rule")
        let id = core.id
        var action: ScreeningAction?
        if let a = r.string("action", required: true) {
            action = ScreeningAction(rawValue: a)
            if action == nil {
                r.sink.error(r.loc(r.value("action")!), "action must be 'reject', 'needs_review' or 'genuine', not '\(a)'", entry: id, code: "type")
            }
        }
        var reason: RejectReason?
        let reasons = RejectReason.allCases.map(\.rawValue)
        if let s = r.string("reason") {
            reason = RejectReason(rawValue: s)
            if reason == nil {
                var message = "reason must be one of \(reasons.joined(separator: ", ")), not '\(s)'"
                if let hint = EditDistance.suggestion(for: s, among: reasons) { message += " (did you mean '\(hint)'?)" }
                r.sink.error(r.loc(r.value("reason")!), message, entry: id, code: "type")
            } else if action != nil && action != .reject {
                r.sink.error(r.loc(r.value("reason")!), "only a 'reject' rule takes a reason", entry: id, code: "type")
            }
        } else if action == .reject {
            r.sink.error(r.location, "a 'reject' rule needs a 'reason' (\(reasons.joined(separator: ", ")))", entry: id, code: "missing-key")
        }
        screening.append(RawScreening(core: core, action: action, reason: reason))
    }

    mutating func readEscalation(_ r: MapReader) {
        r.checkKeys(RawRuleSet.coreKeys + ["flag", "complex", "policy_question", "categories"], what: "an escalation rule")
        let core = core(r, what: "an escalation rule")
        let id = core.id
        var flag: EscalationFlag?
        let flags = EscalationFlag.allCases.map(\.rawValue)
        if let f = r.string("flag") {
            flag = EscalationFlag(rawValue: f)
            if flag == nil {
                var message = "flag must be one of \(flags.joined(separator: ", ")), not '\(f)'"
                if let hint = EditDistance.suggestion(for: f, among: flags) { message += " (did you mean '\(hint)'?)" }
                r.sink.error(r.loc(r.value("flag")!), message, entry: id, code: "type")
            }
        }
        let complex = r.bool("complex") ?? false
        let policy = r.bool("policy_question") ?? false
        if r.value("flag") == nil && !complex && !policy {
            r.sink.error(r.location, "an escalation rule needs a 'flag', 'complex: true' or 'policy_question: true'", entry: id, code: "missing-key")
        }
        escalation.append(RawEscalation(core: core, flag: flag, complex: complex, policyQuestion: policy,
                                        categories: located(r, "categories")))
    }

    /// `calendar: {year, notice, holidays: {名称: [dates]}, workdays: {名称: [dates]}}`. A date is
    /// `YYYY-MM-DD` or a range `YYYY-MM-DD..YYYY-MM-DD`.
    mutating func readCalendar(_ r: MapReader) {
        r.checkKeys(["year", "notice", "description", "holidays", "workdays"], what: "a calendar")
        var year: Int?
        if let y = r.number("year") {
            if y != y.rounded() || y < 1900 || y > 9999 {
                r.sink.error(r.loc(r.value("year")!), "calendar year must be a four-digit year", code: "type")
            } else {
                year = Int(y)
            }
        } else if r.value("year") == nil {
            r.sink.error(r.location, "missing required key 'year'", code: "missing-key")
        }
        var days: [CalendarDay] = []
        for (key, isOff) in [("holidays", true), ("workdays", false)] {
            guard let group = r.mapping(key) else { continue }
            for pair in group.node.pairs ?? [] {
                guard let name = pair.key.scalar else { continue }
                let list: [Node]
                if pair.value.scalar != nil {
                    list = [pair.value]
                } else if let e = pair.value.elements {
                    list = e
                } else {
                    r.sink.error(r.loc(pair.value), "'\(key).\(name)' must be a list of dates", code: "type")
                    continue
                }
                for node in list {
                    guard let text = node.scalar else {
                        r.sink.error(r.loc(node), "'\(key).\(name)' entries must be dates (YYYY-MM-DD), not \(node.kindName)", code: "type")
                        continue
                    }
                    let loc = r.loc(node)
                    for date in calendarDates(text, loc: loc, year: year, sink: r.sink) {
                        days.append(CalendarDay(date: date, name: name, isOff: isOff, location: loc))
                    }
                }
            }
        }
        calendars.append(RawCalendarYear(year: year, days: days, location: r.location))
    }

    /// The dates a calendar entry names, with an error for each malformed, nonexistent or out-of-year one.
    func calendarDates(_ text: String, loc: SourceLocation, year: Int?, sink: DiagnosticSink) -> [LocalDate] {
        let parts = text.trimmingSpaces.split(separator: "..", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard parts.count <= 2 else {
            sink.error(loc, "'\(text)' is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD)", code: "calendar-date")
            return []
        }
        var dates: [LocalDate] = []
        for p in parts {
            guard let d = LocalDate(p) else {
                let shape = p.utf8.count == 10 && Array(p.utf8)[4] == 0x2D && Array(p.utf8)[7] == 0x2D
                sink.error(loc, shape ? "date '\(p)' does not exist" : "'\(p)' is not a date (YYYY-MM-DD)", code: "calendar-date")
                return []
            }
            if let year, d.year != year && !(d.year == year - 1 && d.month == 12) && !(d.year == year + 1 && d.month == 1) {
                sink.error(loc, "date \(d) does not belong to the \(year) calendar (only the neighbouring December or January may appear)", code: "calendar-date")
                return []
            }
            dates.append(d)
        }
        if dates.count == 1 { return dates }
        guard dates[0] < dates[1] else {
            sink.error(loc, "range '\(text)' must run forwards", code: "calendar-date")
            return []
        }
        // Without a valid year nothing else bounds a range; a holiday never lasts a year.
        guard dates[1].daysSinceEpoch - dates[0].daysSinceEpoch < 366 else {
            sink.error(loc, "range '\(text)' is longer than a year", code: "calendar-date")
            return []
        }
        return (0...(dates[1].daysSinceEpoch - dates[0].daysSinceEpoch)).map { dates[0].adding(days: $0) }
    }
}
