internal import YAML

/// A pattern as written, before compiling.
struct RawPattern {
    /// The written text and where it is; fragments are expanded when compiling.
    var text: PatternText
    /// Where the YAML scalar starts.
    var location: SourceLocation { text.origin.location }
}

/// Examples as read: the text (span markers still in it) and where it was written.
struct RawExamples {
    var match: [(String, SourceLocation)] = []
    var noMatch: [(String, SourceLocation)] = []
    var isEmpty: Bool { match.isEmpty && noMatch.isEmpty }
}

/// Provenance as read.
struct RawMetadata {
    var status: RuleStatus?
    var owner: String?
    var added: LocalDate?
    var references: [String] = []
    var statusLocation: SourceLocation?
}

/// The fields every pattern rule has, as read.
struct RawCore {
    var id: String, description: String, patterns: [RawPattern], exclude: [RawPattern], examples: RawExamples
    var metadata: RawMetadata
    var location: SourceLocation
}

/// One section the engine reads: its declared fields and how one entry (or the mapping) is read.
struct EngineSection: Sendable {
    var schema: SectionSchema
    var read: @Sendable (inout RawRuleSet, MapReader) -> Void
}

struct RawRuleSet {
    /// The engine's sections, in the order they are read. To add one: declare its
    /// `SectionSchema`, write a reader, add it here, and compile it in `compile`.
    static let sections: [EngineSection] = [
        EngineSection(schema: .ruleset) { $0.readSettings($1) },
        EngineSection(schema: .categories) { $0.readCategory($1) },
        EngineSection(schema: .departments) { $0.readDepartment($1) },
        EngineSection(schema: .items) { $0.readItem($1) },
        EngineSection(schema: .combined) { $0.readCombined($1) },
        EngineSection(schema: .fragments) { $0.readFragment($1) },
        EngineSection(schema: .rules) { $0.readRule($1) },
        EngineSection(schema: .cues) { $0.readCue($1) },
        EngineSection(schema: .screening) { $0.readScreening($1) },
        EngineSection(schema: .escalation) { $0.readEscalation($1) },
        EngineSection(schema: .topics) { $0.readTopic($1) },
        EngineSection(schema: .fittedWeights) { $0.readFitted($1) },
        EngineSection(schema: .calendar) { $0.readCalendar($1) },
    ]

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
        var patterns: [RawPattern], exclude: [RawPattern], weight: Double?, isContext: Bool
        var description: String, examples: RawExamples, metadata: RawMetadata
        var location: SourceLocation
    }
    struct RawTopic {
        var id: String, name: String, description: String
        var departments: [(String, Double, SourceLocation)]
        var categories: [(String, Double, SourceLocation)]
        var words: [(text: String, weight: Double, location: SourceLocation)]
        var patterns: [(pattern: RawPattern, weight: Double)]
        var location: SourceLocation
    }
    struct RawFitted {
        var items: [(String, Double, SourceLocation)] = []
        var rules: [(String, Double, SourceLocation)] = []
        /// Topic id, word, weight.
        var topicWords: [(String, String, Double, SourceLocation)] = []
        var location: SourceLocation
    }
    struct RawCombined {
        var id: String, name: String, aliases: [(String, SourceLocation)], patterns: [RawPattern]
        var lead: (String, SourceLocation)?, departments: [(String, SourceLocation)], complexity: Complexity
        var description: String, examples: RawExamples, metadata: RawMetadata
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
    var fragments: [RawFragment] = []
    var rules: [RawRule] = []
    var cues: [RawCue] = []
    var screening: [RawScreening] = []
    var escalation: [RawEscalation] = []
    var calendars: [RawCalendarYear] = []
    var topics: [RawTopic] = []
    /// `fitted_weights` sections (at most one): weights `triage fit` wrote, overriding the
    /// hand-written ones at load time.
    var fitted: [RawFitted] = []

    // MARK: Reading

    /// Reads every engine section of one parsed file.
    mutating func read(_ file: RuleDocument.File, sink: DiagnosticSink) {
        for section in RawRuleSet.sections {
            file.forEach(section.schema, sink: sink) { section.read(&self, $0) }
        }
    }

    func patterns(_ r: MapReader, _ key: String) -> [RawPattern] {
        r.strings(key).map { text, node in
            let origin = r.origin(node)
            if origin.style == .folded {
                r.sink.error(origin.location, "a pattern written as a folded block (>) turns its line breaks into spaces; write a long pattern as a literal block (|-), whose line breaks are removed",
                             entry: r.entry, code: "type")
            }
            return RawPattern(text: PatternText.reading(text, origin: origin))
        }
    }

    /// Checks the id: required, and lower_snake_case (`tech_login_failure`), because ids are
    /// keys in corpus labels, registers and results.
    func id(_ r: MapReader) -> String {
        guard let id = r.string("id") else { return "" }
        let s = Array(id.unicodeScalars)
        let ok = !s.isEmpty && ("a"..."z").contains(s[0])
            && s.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        if !ok, let node = r.value("id") {
            r.sink.error(r.loc(node), "id '\(id)' must be lower_snake_case: lower-case letters, digits and '_', starting with a letter (e.g. '\(RawRuleSet.snakeCase(id))')",
                         entry: id, code: "id-format")
        }
        return id
    }

    /// `BizCamel` → `biz_camel`, `a-b.c` → `a_b_c`, for the hint.
    static func snakeCase(_ id: String) -> String {
        var out = ""
        var previousLower = false
        for s in id.unicodeScalars {
            if ("A"..."Z").contains(s) {
                if previousLower { out += "_" }
                out.unicodeScalars.append(Unicode.Scalar(s.value + 32)!)
                previousLower = false
            } else if ("a"..."z").contains(s) || ("0"..."9").contains(s) {
                out.unicodeScalars.append(s)
                previousLower = true
            } else {
                if !out.hasSuffix("_") && !out.isEmpty { out += "_" }
                previousLower = false
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        if let first = out.unicodeScalars.first, !("a"..."z").contains(first) { out = "x_" + out }
        return out.isEmpty ? "my_id" : out
    }

    func examples(_ r: MapReader) -> RawExamples {
        guard let m = r.mapping("examples") else { return RawExamples() }
        m.validate()
        return RawExamples(match: m.located("match"), noMatch: m.located("no_match"))
    }

    func metadata(_ r: MapReader) -> RawMetadata {
        var m = RawMetadata()
        m.status = r.choice("status", RuleStatus.self)
        m.statusLocation = r.value("status").map(r.loc)
        m.owner = r.string("owner")
        if let s = r.string("added"), let node = r.value("added") {
            m.added = LocalDate(s.trimmingSpaces)
            if m.added == nil { r.sink.error(r.loc(node), "'added' must be a date (YYYY-MM-DD), not '\(s)'", entry: r.entry, code: "type") }
        }
        m.references = r.strings("references").map(\.0)
        return m
    }

    mutating func readSettings(_ r: MapReader) {
        var s = Settings(location: r.location)
        s.name = r.string("name") ?? ""
        _ = r.string("description")
        if let f = r.number("format") {
            s.format = Int(f)
            if f != 1 { r.sink.error(r.loc(r.value("format")!), "unsupported rule-set format \(f); this engine reads format 1", code: "format") }
        }
        if let d = r.mapping("decision") {
            d.validate()
            if let v = d.number("min_score") { s.decision.minScore = v }
            if let v = d.value("precedence") { s.precedenceLocation = d.loc(v) }
            s.decision.precedence = d.strings("precedence").map { CategoryID($0.0) }
            if let v = d.value("fallback_category") { s.fallbackLocation = d.loc(v) }
            s.decision.fallbackCategory = d.string("fallback_category").map(CategoryID.init)
            func ranged(_ key: String, _ ok: (Double) -> Bool, _ range: String, _ set: (Double) -> Void) {
                guard let v = d.number(key) else { return }
                if !ok(v) { d.sink.error(d.loc(d.value(key) ?? d.node), "\(key) must be \(range)", code: "type") }
                set(v)
            }
            ranged("lead_balance", { $0 > 0 && $0 <= 1 }, "in (0, 1]") { s.decision.leadBalance = $0 }
            ranged("process_lead_ratio", { $0 >= 1 }, "at least 1") { s.decision.processLeadRatio = $0 }
            ranged("passed_balance", { $0 >= 0 && $0 <= 1 }, "in [0, 1]") { s.decision.passedBalance = $0 }
            ranged("complexity_ratio", { $0 >= 0 && $0 <= 1 }, "in [0, 1]") { s.decision.complexityRatio = $0 }
            ranged("multi_ratio", { $0 > 0 && $0 <= 1 }, "in (0, 1]") { s.decision.multiRatio = $0 }
            if let v = d.number("second_category_min") { s.decision.secondCategoryMin = v }
            if let v = d.number("subject_chars") { s.decision.subjectChars = max(0, Int(v)) }
            if let a = d.mapping("addressee") {
                a.validate()
                s.decision.addresseeWords = a.strings("words").map(\.0)
                if let v = a.number("window") { s.decision.addresseeWindow = max(0, Int(v)) }
            }
            if let v = d.choice("balanced_lead", BalancedLead.self) { s.decision.balancedLeadIsCoordinator = v == .coordinator }
            if let w = d.mapping("weights") {
                w.validate()
                if let v = w.number("topic_min_alone") { s.decision.weights.topicMinAlone = v }
                if let v = w.number("category_topic") { s.decision.weights.categoryTopic = v }
                if let v = w.number("topic_min") { s.decision.weights.topicMin = v }
                if let v = w.number("max_repeats") { s.decision.weights.maxRepeats = max(0, Int(v)) }
                if let v = w.number("subject") { s.decision.weights.subject = v }
                if let v = w.number("addressee") { s.decision.weights.addressee = v }
                if let v = w.number("context") { s.decision.weights.context = v }
                if let v = w.number("topic") { s.decision.weights.topic = v }
                if let v = w.number("topic_cap") { s.decision.weights.topicCap = v }
                if let v = w.number("repeated") { s.decision.weights.repeated = v }
                if let v = w.number("first") { s.decision.weights.first = v }
                if let v = w.number("item") { s.decision.weights.item = v }
                if let v = w.number("department") { s.decision.weights.department = v }
                if let v = w.number("combined") { s.decision.weights.combined = v }
            }
            if let v = d.mapping("vague") {
                v.validate()
                if let n = v.number("min_chars") { s.decision.vagueMinChars = Int(n) }
                if let n = v.number("no_matter_below") { s.decision.vagueNoMatterBelow = Int(n) }
            }
            if let v = d.mapping("screening") {
                v.validate()
                if let n = v.number("review_no_matter_below") { s.decision.reviewNoMatterBelow = Int(n) }
            }
        }
        if let h = r.mapping("handlers") {
            h.validate()
            if let v = h.one("coordinator") { s.handlers["coordinator"] = v }
        }
        settings.append(s)
    }

    mutating func readCategory(_ r: MapReader) {
        let id = id(r)
        var channel: Channel?
        var handler: String?
        var handlerLocation = r.location
        var co: [(String, SourceLocation)] = []
        if let route = r.mapping("route") {
            route.validate()
            channel = route.choice("channel", Channel.self)
            if let (h, l) = route.one("handler") {
                handler = h == "owner" ? nil : h
                handlerLocation = l
            }
            co = route.located("co_handlers")
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
        let combinedAll = (r.choice("combined_co_handlers", CombinedCoHandlers.self) ?? .all) == .all
        categories.append(RawCategory(
            id: id, name: r.string("name") ?? id, description: r.string("description") ?? "",
            channel: channel, handler: handler, coHandlers: co, neverEscalate: never, combinedCoHandlersAll: combinedAll,
            location: r.location, handlerLocation: handlerLocation))
    }

    mutating func readDepartment(_ r: MapReader) {
        let id = id(r)
        departments.append(RawDepartment(
            id: id, name: r.string("name") ?? id, fullName: r.string("full_name") ?? "",
            aliases: r.located("aliases"), role: r.choice("role", RuleSet.DepartmentRole.self) ?? .department, location: r.location))
    }

    mutating func readItem(_ r: MapReader) {
        items.append(RawItem(
            id: id(r), name: r.string("name") ?? "", department: r.one("department"),
            coDepartments: r.located("co_departments"), complexity: r.choice("complexity", Complexity.self) ?? .simple,
            category: r.one("category"), aliases: r.located("aliases"), patterns: patterns(r, "patterns"),
            exclude: patterns(r, "exclude"), weight: r.number("weight"), isContext: r.bool("context") ?? false,
            description: r.string("description") ?? "", examples: examples(r), metadata: metadata(r), location: r.location))
    }

    mutating func readCombined(_ r: MapReader) {
        combined.append(RawCombined(
            id: id(r), name: r.string("name") ?? "", aliases: r.located("aliases"),
            patterns: patterns(r, "patterns"), lead: r.one("lead"), departments: r.located("departments"),
            complexity: r.choice("complexity", Complexity.self) ?? .simple, description: r.string("description") ?? "",
            examples: examples(r), metadata: metadata(r), location: r.location))
    }

    /// Reads the fields every pattern rule has; `what` names the kind in messages.
    func core(_ r: MapReader, what: String) -> RawCore {
        let id = id(r)
        let p = patterns(r, "patterns")
        if p.isEmpty, r.value("patterns") != nil { r.sink.error(r.location, "\(what) needs at least one pattern", entry: id, code: "missing-key") }
        return RawCore(id: id, description: r.string("description") ?? "", patterns: p, exclude: patterns(r, "exclude"),
                       examples: examples(r), metadata: metadata(r), location: r.location)
    }

    mutating func readRule(_ r: MapReader) {
        rules.append(RawRule(core: core(r, what: "a rule"), category: r.one("category"), weight: r.number("weight") ?? 1,
                             veto: r.bool("veto") ?? false))
    }

    mutating func readCue(_ r: MapReader) {
        cues.append(RawCue(core: core(r, what: "a cue"), flag: r.choice("flag", CueFlag.self)))
    }

    mutating func readScreening(_ r: MapReader) {
        let core = core(r, what: "a screening rule")
        let action = r.choice("action", ScreeningAction.self)
        let reason = r.choice("reason", RejectReason.self)
        if let node = r.value("reason"), action != nil, action != .reject {
            r.sink.error(r.loc(node), "only a 'reject' rule takes a reason", entry: core.id, code: "type")
        } else if r.value("reason") == nil, action == .reject {
            let reasons = RejectReason.allCases.map(\.rawValue)
            r.sink.error(r.location, "a 'reject' rule needs a 'reason' (\(reasons.joined(separator: ", ")))", entry: core.id, code: "missing-key")
        }
        screening.append(RawScreening(core: core, action: action, reason: reason))
    }

    mutating func readEscalation(_ r: MapReader) {
        let core = core(r, what: "an escalation rule")
        let flag = r.choice("flag", EscalationFlag.self)
        let complex = r.bool("complex") ?? false
        let policy = r.bool("policy_question") ?? false
        if r.value("flag") == nil && !complex && !policy {
            r.sink.error(r.location, "an escalation rule needs a 'flag', 'complex: true' or 'policy_question: true'", entry: core.id, code: "missing-key")
        }
        escalation.append(RawEscalation(core: core, flag: flag, complex: complex, policyQuestion: policy,
                                        categories: r.located("categories")))
    }

    /// A mapping of names to numbers (`{business_deregistration: 2.3}`), each with where its name is.
    func numbers(_ r: MapReader, _ key: String) -> [(String, Double, SourceLocation)] {
        guard let m = r.value(key) else { return [] }
        guard let pairs = m.pairs else {
            r.sink.error(r.loc(m), "'\(key)' must be a mapping of names to numbers, not \(m.kindName)", entry: r.entry, code: "type")
            return []
        }
        var out: [(String, Double, SourceLocation)] = []
        for pair in pairs {
            guard let k = pair.key.scalar else { continue }
            guard let v = pair.value.scalar, pair.value.style == .plain, let d = Double(v), d.isFinite else {
                r.sink.error(r.loc(pair.value), "'\(key).\(k)' must be a number", entry: r.entry, code: "type")
                continue
            }
            out.append((k, d, r.loc(pair.key)))
        }
        return out
    }

    /// `fitted_weights: {corpus, fitted, method, items: {id: w}, rules: {id: w}, topic_words: {topic: {词: w}}}`.
    mutating func readFitted(_ r: MapReader) {
        _ = r.strings("corpus")
        _ = r.string("fitted")
        _ = r.string("method")
        var f = RawFitted(location: r.location)
        f.items = numbers(r, "items")
        f.rules = numbers(r, "rules")
        if let t = r.value("topic_words") {
            for pair in t.pairs ?? [] {
                guard let topic = pair.key.scalar else { continue }
                guard pair.value.pairs != nil else {
                    r.sink.error(r.loc(pair.value), "'topic_words.\(topic)' must be a mapping of words to weights", code: "type")
                    continue
                }
                for pair2 in pair.value.pairs ?? [] {
                    guard let word = pair2.key.scalar else { continue }
                    guard let v = pair2.value.scalar, pair2.value.style == .plain, let d = Double(v), d.isFinite else {
                        r.sink.error(r.loc(pair2.value), "'topic_words.\(topic).\(word)' must be a number", code: "type")
                        continue
                    }
                    f.topicWords.append((topic, word, d, r.loc(pair2.key)))
                }
            }
        }
        fitted.append(f)
    }

    /// `topics: [{id, name, description, departments: {dept: share}, categories: {cat: share},
    /// words: {词: weight}, patterns: [{pattern, weight}]}]`.
    mutating func readTopic(_ r: MapReader) {
        let id = id(r)
        var patternList: [(pattern: RawPattern, weight: Double)] = []
        if let list = r.value("patterns") {
            if list.elements == nil { r.sink.error(r.loc(list), "'patterns' must be a list of {pattern, weight}", entry: id, code: "type") }
            var fields: [Field] = []
            if case .list(.object(let f))? = r.field("patterns")?.type { fields = f }
            for element in list.elements ?? [] {
                guard element.pairs != nil else {
                    r.sink.error(r.loc(element), "each topic pattern must be {pattern, weight}", entry: id, code: "type")
                    continue
                }
                let e = MapReader(node: element, path: r.path, entry: id, sink: r.sink, fields: fields, what: "a topic pattern")
                e.validate()
                if let p = patterns(e, "pattern").first { patternList.append((p, e.number("weight") ?? 1)) }
            }
        }
        topics.append(RawTopic(
            id: id, name: r.string("name") ?? id, description: r.string("description") ?? "",
            departments: numbers(r, "departments"), categories: numbers(r, "categories"),
            words: numbers(r, "words").map { ($0.0, $0.1, $0.2) }, patterns: patternList, location: r.location))
    }

    /// `calendar: {year, notice, holidays: {名称: [dates]}, workdays: {名称: [dates]}}`. A date is
    /// `YYYY-MM-DD` or a range `YYYY-MM-DD..YYYY-MM-DD`.
    mutating func readCalendar(_ r: MapReader) {
        _ = r.string("notice")
        _ = r.string("description")
        var year: Int?
        if let y = r.number("year") {
            if y != y.rounded() || y < 1900 || y > 9999 {
                r.sink.error(r.loc(r.value("year")!), "calendar year must be a four-digit year", code: "type")
            } else {
                year = Int(y)
            }
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
