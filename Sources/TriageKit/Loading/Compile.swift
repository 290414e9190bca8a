internal import PCRE2
internal import YAML

extension RawRuleSet {
    /// Validates cross-references, compiles patterns, checks examples and builds the rule set.
    func compile(sink: DiagnosticSink, version: String, origin: String) -> RuleSet? {
        // Settings.
        guard let s = settings.first else {
            sink.error(SourceLocation(path: origin, line: 1, column: 1), "no 'ruleset' section: one file must hold the rule set's settings", code: "missing-key")
            return nil
        }
        for extra in settings.dropFirst() {
            sink.error(extra.location, "a second 'ruleset' section (the first is at \(s.location))", code: "duplicate-id")
        }

        // Duplicate ids per kind.
        func unique(_ kind: String, _ list: [(String, SourceLocation)]) {
            var seen: [String: SourceLocation] = [:]
            for (id, loc) in list where !id.isEmpty {
                if let first = seen[id] {
                    sink.error(loc, "duplicate \(kind) id '\(id)' (first defined at \(first))", entry: id, code: "duplicate-id")
                } else {
                    seen[id] = loc
                }
            }
        }
        unique("category", categories.map { ($0.id, $0.location) })
        unique("department", departments.map { ($0.id, $0.location) })
        unique("item", items.map { ($0.id, $0.location) })
        unique("combined matter", combined.map { ($0.id, $0.location) })
        unique("rule", rules.map { ($0.core.id, $0.core.location) })
        unique("cue", cues.map { ($0.core.id, $0.core.location) })
        unique("screening rule", screening.map { ($0.core.id, $0.core.location) })
        unique("escalation rule", escalation.map { ($0.core.id, $0.core.location) })

        let departmentIDs = Set(departments.map(\.id))
        let categoryIDs = Set(categories.map(\.id))
        func department(_ ref: (String, SourceLocation)?, from entry: String, field: String) {
            guard let (id, loc) = ref, !departmentIDs.contains(id) else { return }
            var message = "unknown department '\(id)' in '\(field)' of '\(entry)'"
            if let hint = EditDistance.suggestion(for: id, among: Array(departmentIDs)) { message += " (did you mean '\(hint)'?)" }
            sink.error(loc, message, entry: entry, code: "unknown-reference")
        }
        func category(_ ref: (String, SourceLocation)?, from entry: String, field: String) {
            guard let (id, loc) = ref, !categoryIDs.contains(id) else { return }
            var message = "unknown category '\(id)' in '\(field)' of '\(entry)'"
            if let hint = EditDistance.suggestion(for: id, among: Array(categoryIDs)) { message += " (did you mean '\(hint)'?)" }
            sink.error(loc, message, entry: entry, code: "unknown-reference")
        }

        let coordinator = s.handlers["coordinator"]
        if let h = coordinator {
            department(h, from: "ruleset", field: "handlers.coordinator")
        } else {
            sink.error(s.location, "missing handler 'handlers.coordinator'", code: "missing-key")
        }
        for c in s.decision.precedence {
            category((c.rawValue, s.precedenceLocation ?? s.location), from: "ruleset", field: "decision.precedence")
        }
        if let f = s.decision.fallbackCategory {
            category((f.rawValue, s.fallbackLocation ?? s.location), from: "ruleset", field: "decision.fallback_category")
        }
        if categories.isEmpty { sink.error(s.location, "the rule set defines no categories", code: "missing-key") }

        // Compile patterns.
        func compilePatterns(_ raw: [RawPattern], entry: String) -> [RulePattern] {
            raw.compactMap { p in
                let loc = SourceLocation(path: p.path, line: p.node.mark.line, column: p.node.mark.column)
                do throws(PCRE2Error) {
                    let compiled = try Pattern(p.source)
                    var prefix: (literals: [String], anchored: Pattern)?
                    if let literals = RequiredLiterals.prefix(of: p.source) {
                        prefix = (literals, try Pattern(p.source, options: .anchored))
                    }
                    return RulePattern(
                        source: p.source, compiled: compiled, required: RequiredLiterals.clauses(of: p.source),
                        prefix: prefix, location: loc)
                } catch {
                    var column = loc.column
                    let quoted = p.node.style == .singleQuoted || p.node.style == .doubleQuoted
                    if quoted { column += 1 }
                    let offset = error.offset ?? 0
                    column += String(decoding: Array(p.source.utf8).prefix(offset), as: UTF8.self).unicodeScalars.count
                    sink.diagnostics.append(Diagnostic(
                        .error, path: loc.path, line: loc.line, column: column,
                        message: "pattern does not compile: \(error.message) at offset \(offset) in '\(p.source)'",
                        entry: entry, code: "pattern-compile"))
                    return nil
                }
            }
        }
        func aliases(_ raw: [(String, SourceLocation)], entry: String) -> [RuleSet.Alias] {
            raw.compactMap { a in
                let n = normalizePhrase(a.0)
                if n.isEmpty {
                    sink.error(a.1, "empty alias", entry: entry, code: "type")
                    return nil
                }
                return RuleSet.Alias(text: a.0, normalized: n, location: a.1)
            }
        }
        /// Compiles a rule's patterns and exclusions and, when all compile, checks its examples.
        func compileCore(_ raw: RawCore, what: String) -> RuleCore {
            let p = compilePatterns(raw.patterns, entry: raw.id)
            let x = compilePatterns(raw.exclude, entry: raw.id)
            let e = RuleExamples(match: raw.examples.match.map { .init(text: $0.0, location: $0.1) },
                                 noMatch: raw.examples.noMatch.map { .init(text: $0.0, location: $0.1) })
            let core = RuleCore(id: raw.id, description: raw.description, patterns: p, exclude: x, examples: e, location: raw.location)
            if p.count == raw.patterns.count && x.count == raw.exclude.count {
                checkExamples(core, what: what, sink: sink)
            }
            return core
        }

        var outCategories: [RuleSet.Category] = []
        for c in categories {
            if let handler = c.handler { department((handler, c.handlerLocation), from: c.id, field: "route.handler") }
            for co in c.coHandlers { department(co, from: c.id, field: "route.co_handlers") }
            outCategories.append(RuleSet.Category(
                id: CategoryID(c.id), name: c.name, description: c.description, channel: c.channel ?? .hotline,
                handler: c.handler.map(DepartmentID.init), coHandlers: c.coHandlers.map { DepartmentID($0.0) },
                combinedCoHandlersAll: c.combinedCoHandlersAll, neverEscalate: c.neverEscalate, location: c.location))
        }
        let outDepartments = departments.map { d in
            RuleSet.Department(id: DepartmentID(d.id), name: d.name, fullName: d.fullName, aliases: d.aliases.map(\.0),
                               role: d.role, location: d.location)
        }
        var outItems: [RuleSet.Item] = []
        for i in items {
            department(i.department, from: i.id, field: "department")
            if i.department == nil { sink.error(i.location, "missing required key 'department'", entry: i.id, code: "missing-key") }
            for co in i.coDepartments { department(co, from: i.id, field: "co_departments") }
            if i.aliases.isEmpty && i.patterns.isEmpty {
                sink.warning(i.location, "item '\(i.id)' has no alias or pattern, so it can never match", entry: i.id, code: "no-alias")
            }
            category(i.category, from: i.id, field: "category")
            outItems.append(RuleSet.Item(
                id: i.id, name: i.name, department: DepartmentID(i.department?.0 ?? ""),
                coDepartments: i.coDepartments.map { DepartmentID($0.0) }, complexity: i.complexity,
                category: i.category.map { CategoryID($0.0) }, aliases: aliases(i.aliases, entry: i.id),
                patterns: compilePatterns(i.patterns, entry: i.id), exclude: compilePatterns(i.exclude, entry: i.id),
                weight: i.weight ?? s.decision.weights.item, isContext: i.isContext, location: i.location))
        }
        var outCombined: [RuleSet.CombinedMatter] = []
        for c in combined {
            department(c.lead, from: c.id, field: "lead")
            for d in c.departments { department(d, from: c.id, field: "departments") }
            if let lead = c.lead, !c.departments.contains(where: { $0.0 == lead.0 }) {
                sink.error(lead.1, "lead '\(lead.0)' of '\(c.id)' is not among its departments", entry: c.id, code: "unknown-reference")
            }
            if c.aliases.isEmpty && c.patterns.isEmpty {
                sink.warning(c.location, "combined matter '\(c.id)' has no alias or pattern, so it can never match", entry: c.id, code: "no-alias")
            }
            outCombined.append(RuleSet.CombinedMatter(
                id: c.id, name: c.name, aliases: aliases(c.aliases, entry: c.id), patterns: compilePatterns(c.patterns, entry: c.id),
                lead: DepartmentID(c.lead?.0 ?? ""), departments: c.departments.map { DepartmentID($0.0) },
                complexity: c.complexity, location: c.location))
        }
        var outRules: [RuleSet.ClassificationRule] = []
        for r in rules {
            category(r.category, from: r.core.id, field: "category")
            if r.category == nil { sink.error(r.core.location, "missing required key 'category'", entry: r.core.id, code: "missing-key") }
            outRules.append(RuleSet.ClassificationRule(
                core: compileCore(r.core, what: "rule"), category: CategoryID(r.category?.0 ?? ""), weight: r.weight,
                vetoesCategory: r.veto))
        }
        let outCues = cues.map { RuleSet.Cue(core: compileCore($0.core, what: "cue"), flag: $0.flag ?? .vague) }
        let outScreening = screening.map {
            RuleSet.ScreeningRule(core: compileCore($0.core, what: "screening rule"), action: $0.action ?? .needsReview, reason: $0.reason)
        }
        var outEscalation: [RuleSet.EscalationRule] = []
        for r in escalation {
            for c in r.categories { category(c, from: r.core.id, field: "categories") }
            outEscalation.append(RuleSet.EscalationRule(
                core: compileCore(r.core, what: "escalation rule"), flag: r.flag, complex: r.complex,
                policyQuestion: r.policyQuestion, categories: r.categories.map { CategoryID($0.0) }))
        }
        var outTopics: [RuleSet.Topic] = []
        for t in topics {
            var shares: [(DepartmentID, Double)] = []
            for (d, share, loc) in t.departments {
                department((d, loc), from: t.id, field: "departments")
                shares.append((DepartmentID(d), share))
            }
            var categoryShares: [(CategoryID, Double)] = []
            for (c, share, loc) in t.categories {
                category((c, loc), from: t.id, field: "categories")
                categoryShares.append((CategoryID(c), share))
            }
            if shares.isEmpty && categoryShares.isEmpty {
                sink.error(t.location, "topic '\(t.id)' names no departments and no categories", entry: t.id, code: "missing-key")
            }
            var entries: [RuleSet.Topic.Entry] = []
            for w in t.words {
                let n = normalizePhrase(w.text)
                if n.isEmpty {
                    sink.error(w.location, "empty topic word", entry: t.id, code: "type")
                    continue
                }
                entries.append(.init(text: w.text, normalized: n, pattern: nil, weight: w.weight, location: w.location))
            }
            for p in t.patterns {
                guard let compiled = compilePatterns([p.pattern], entry: t.id).first else { continue }
                entries.append(.init(text: p.pattern.source, normalized: nil, pattern: compiled, weight: p.weight, location: compiled.location))
            }
            if entries.isEmpty { sink.warning(t.location, "topic '\(t.id)' has no words or patterns", entry: t.id, code: "no-alias") }
            outTopics.append(RuleSet.Topic(id: t.id, name: t.name, description: t.description, departments: shares,
                                           categories: categoryShares, entries: entries, location: t.location))
        }
        unique("topic", topics.map { ($0.id, $0.location) })
        applyFitted(items: &outItems, rules: &outRules, topics: &outTopics, sink: sink)
        let calendar = compileCalendar(sink: sink)

        guard let coordinator else { return nil }
        return RuleSet(
            name: s.name, version: String(version.prefix(16)), origin: origin, settings: s.decision,
            handlers: RuleSet.Handlers(coordinator: DepartmentID(coordinator.0)),
            categories: outCategories, departments: outDepartments, items: outItems, combined: outCombined,
            rules: outRules, cues: outCues, screening: outScreening, escalation: outEscalation, topics: outTopics,
            calendar: calendar)
    }

    /// Applies the weights `triage fit` wrote (`fitted_weights`) over the hand-written ones.
    /// An entry naming an unknown item, rule or topic word is an error: the weights no longer
    /// fit the rule set and must be fitted again.
    func applyFitted(items: inout [RuleSet.Item], rules: inout [RuleSet.ClassificationRule], topics: inout [RuleSet.Topic],
                     sink: DiagnosticSink) {
        for extra in fitted.dropFirst() {
            sink.error(extra.location, "a second 'fitted_weights' section (the first is at \(fitted[0].location))", code: "duplicate-id")
        }
        guard let f = fitted.first else { return }
        func unknown(_ kind: String, _ id: String, _ loc: SourceLocation, among: [String]) {
            var message = "fitted weight for unknown \(kind) '\(id)'; run triage fit again"
            if let hint = EditDistance.suggestion(for: id, among: among) { message += " (did you mean '\(hint)'?)" }
            sink.error(loc, message, entry: id, code: "unknown-reference")
        }
        let itemIndex = Dictionary(items.indices.map { (items[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, w, loc) in f.items {
            if let i = itemIndex[id] { items[i].weight = w } else { unknown("item", id, loc, among: Array(itemIndex.keys)) }
        }
        let ruleIndex = Dictionary(rules.indices.map { (rules[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, w, loc) in f.rules {
            if let r = ruleIndex[id] { rules[r].weight = w } else { unknown("rule", id, loc, among: Array(ruleIndex.keys)) }
        }
        let topicIndex = Dictionary(topics.indices.map { (topics[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        for (topic, word, w, loc) in f.topicWords {
            guard let t = topicIndex[topic] else {
                unknown("topic", topic, loc, among: Array(topicIndex.keys))
                continue
            }
            if let e = topics[t].entries.firstIndex(where: { $0.text == word }) {
                topics[t].entries[e].weight = w
            } else {
                unknown("word of topic \(topic)", word, loc, among: topics[t].entries.map(\.text))
            }
        }
    }

    /// Merges the calendar files: one file per year, every day listed once.
    func compileCalendar(sink: DiagnosticSink) -> WorkingCalendar {
        var yearAt: [Int: SourceLocation] = [:]
        var years: [Int] = []
        var seen: [LocalDate: CalendarDay] = [:]
        var days: [CalendarDay] = []
        for c in calendars {
            if let y = c.year {
                if let first = yearAt[y] {
                    sink.error(c.location, "a second calendar for \(y) (the first is at \(first))", code: "calendar-duplicate")
                } else {
                    yearAt[y] = c.location
                    years.append(y)
                }
            }
            for d in c.days {
                if let first = seen[d.date] {
                    sink.error(d.location, "day \(d.date) is listed twice (first as \(first.isOff ? "a holiday" : "a make-up working day") of \(first.name) at \(first.location))",
                               code: "calendar-duplicate")
                    continue
                }
                seen[d.date] = d
                days.append(d)
                if !d.isOff && !d.date.isWeekend {
                    sink.warning(d.location, "make-up working day \(d.date) is a weekday, so listing it changes nothing", code: "calendar-weekday")
                }
            }
        }
        return WorkingCalendar(years: years, days: days, files: yearAt)
    }

    /// A rule's own examples must behave as declared. A pattern that fails on an
    /// example (backtracking limit) is reported as such, not as "does not match".
    func checkExamples(_ core: RuleCore, what: String, sink: DiagnosticSink) {
        for example in core.examples.match {
            switch RawRuleSet.fires(example.text, core) {
            case .success(true): continue
            case .success(false):
                let vetoed = (try? RawRuleSet.any(normalizePhrase(example.text), core.patterns)) == true
                sink.error(example.location, "example '\(example.text)' should match \(what) '\(core.id)' but \(vetoed ? "an exclude pattern vetoes it" : "no pattern matches it")",
                           entry: core.id, code: "example-failed")
            case .failure(let f):
                sink.error(example.location, "example '\(example.text)' of \(what) '\(core.id)': a pattern failed (\(f.message))",
                           entry: core.id, code: "example-failed")
            }
        }
        for example in core.examples.noMatch {
            switch RawRuleSet.fires(example.text, core) {
            case .success(false): continue
            case .success(true):
                sink.error(example.location, "example '\(example.text)' should not match \(what) '\(core.id)' but it does",
                           entry: core.id, code: "example-failed")
            case .failure(let f):
                sink.error(example.location, "example '\(example.text)' of \(what) '\(core.id)': a pattern failed (\(f.message))",
                           entry: core.id, code: "example-failed")
            }
        }
    }

    /// Whether some pattern matches the normalised `text` and no exclusion does.
    static func fires(_ text: String, _ core: RuleCore) -> Result<Bool, PatternFailure> {
        let normalised = normalizePhrase(text)
        do throws(PatternFailure) {
            guard try any(normalised, core.patterns) else { return .success(false) }
            return .success(!(try any(normalised, core.exclude)))
        } catch {
            return .failure(error)
        }
    }

    static func any(_ text: String, _ patterns: [RulePattern]) throws(PatternFailure) -> Bool {
        for p in patterns {
            if try p.matches(text) { return true }
        }
        return false
    }
}
