import PCRE2
import YAML

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
        unique("rule", rules.map { ($0.id, $0.location) })
        unique("cue", cues.map { ($0.id, $0.location) })
        unique("screening rule", screening.map { ($0.id, $0.location) })
        unique("escalation rule", escalation.map { ($0.id, $0.location) })

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

        var handlers: [String: String] = [:]
        for key in ["technical", "coordinator", "dispatch"] {
            if let h = s.handlers[key] {
                department(h, from: "ruleset", field: "handlers.\(key)")
                handlers[key] = h.0
            } else {
                sink.error(s.location, "missing handler 'handlers.\(key)'", code: "missing-key")
            }
        }
        for c in s.decision.precedence { category((c, s.precedenceLocation ?? s.location), from: "ruleset", field: "decision.precedence") }
        if let f = s.decision.fallbackCategory { category((f, s.fallbackLocation ?? s.location), from: "ruleset", field: "decision.fallback_category") }
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
        func aliases(_ raw: [(String, SourceLocation)], entry: String) -> [Alias] {
            raw.compactMap { a in
                let n = normalizePhrase(a.0)
                if n.isEmpty {
                    sink.error(a.1, "empty alias", entry: entry, code: "type")
                    return nil
                }
                return Alias(text: a.0, normalized: n, location: a.1)
            }
        }
        func examples(_ raw: RawExamples) -> RuleExamples {
            RuleExamples(match: raw.match.map { ($0.0, $0.1) }, noMatch: raw.noMatch.map { ($0.0, $0.1) })
        }
        /// Compiles a rule's patterns and exclusions and, when all compile, checks its examples.
        func guarded(
            _ patterns: [RawPattern], _ exclude: [RawPattern], _ raw: RawExamples, entry: String, what: String
        ) -> (patterns: [RulePattern], exclude: [RulePattern], examples: RuleExamples) {
            let p = compilePatterns(patterns, entry: entry)
            let x = compilePatterns(exclude, entry: entry)
            let e = examples(raw)
            if p.count == patterns.count && x.count == exclude.count {
                checkExamples(e, patterns: p, exclude: x, entry: entry, what: what, sink: sink)
            }
            return (p, x, e)
        }

        var outCategories: [Category] = []
        for c in categories {
            if c.handler != nil { department((c.handler!, c.handlerLocation), from: c.id, field: "route.handler") }
            for co in c.coHandlers { department(co, from: c.id, field: "route.co_handlers") }
            outCategories.append(Category(
                id: c.id, name: c.name, description: c.description, channel: c.channel ?? .hotline,
                handler: c.handler, coHandlers: c.coHandlers.map(\.0), location: c.location))
        }
        let outDepartments = departments.map { d in
            Department(id: d.id, name: d.name, fullName: d.fullName, aliases: d.aliases.map(\.0), role: d.role, location: d.location)
        }
        var outItems: [Item] = []
        for i in items {
            department(i.department, from: i.id, field: "department")
            if i.department == nil { sink.error(i.location, "missing required key 'department'", entry: i.id, code: "missing-key") }
            for co in i.coDepartments { department(co, from: i.id, field: "co_departments") }
            if i.aliases.isEmpty && i.patterns.isEmpty {
                sink.warning(i.location, "item '\(i.id)' has no alias or pattern, so it can never match", entry: i.id, code: "no-alias")
            }
            outItems.append(Item(
                id: i.id, name: i.name, department: i.department?.0 ?? "", coDepartments: i.coDepartments.map(\.0),
                complexity: i.complexity, aliases: aliases(i.aliases, entry: i.id), patterns: compilePatterns(i.patterns, entry: i.id),
                weight: i.weight ?? s.decision.weights.item, location: i.location))
        }
        var outCombined: [CombinedMatter] = []
        for c in combined {
            department(c.lead, from: c.id, field: "lead")
            for d in c.departments { department(d, from: c.id, field: "departments") }
            if let lead = c.lead, !c.departments.contains(where: { $0.0 == lead.0 }) {
                sink.error(lead.1, "lead '\(lead.0)' of '\(c.id)' is not among its departments", entry: c.id, code: "unknown-reference")
            }
            if c.aliases.isEmpty && c.patterns.isEmpty {
                sink.warning(c.location, "combined matter '\(c.id)' has no alias or pattern, so it can never match", entry: c.id, code: "no-alias")
            }
            outCombined.append(CombinedMatter(
                id: c.id, name: c.name, aliases: aliases(c.aliases, entry: c.id), patterns: compilePatterns(c.patterns, entry: c.id),
                lead: c.lead?.0 ?? "", departments: c.departments.map(\.0), complexity: c.complexity, location: c.location))
        }
        var outRules: [ClassificationRule] = []
        for r in rules {
            category(r.category, from: r.id, field: "category")
            if r.category == nil { sink.error(r.location, "missing required key 'category'", entry: r.id, code: "missing-key") }
            let g = guarded(r.patterns, r.exclude, r.examples, entry: r.id, what: "rule")
            outRules.append(ClassificationRule(
                id: r.id, category: r.category?.0 ?? "", weight: r.weight, description: r.description,
                patterns: g.patterns, exclude: g.exclude, examples: g.examples, location: r.location))
        }
        var outCues: [Cue] = []
        for c in cues {
            let g = guarded(c.patterns, c.exclude, c.examples, entry: c.id, what: "cue")
            outCues.append(Cue(
                id: c.id, flag: c.flag ?? .vague, description: c.description, patterns: g.patterns, exclude: g.exclude,
                examples: g.examples, location: c.location))
        }

        var outScreening: [ScreeningRule] = []
        for r in screening {
            let g = guarded(r.patterns, r.exclude, r.examples, entry: r.id, what: "screening rule")
            outScreening.append(ScreeningRule(
                id: r.id, action: r.action ?? .needsReview, reason: r.reason, description: r.description,
                patterns: g.patterns, exclude: g.exclude, examples: g.examples, location: r.location))
        }
        var outEscalation: [EscalationRule] = []
        for r in escalation {
            for c in r.categories { category(c, from: r.id, field: "categories") }
            let g = guarded(r.patterns, r.exclude, r.examples, entry: r.id, what: "escalation rule")
            outEscalation.append(EscalationRule(
                id: r.id, flag: r.flag, complex: r.complex, policyQuestion: r.policyQuestion, categories: r.categories.map(\.0),
                description: r.description, patterns: g.patterns, exclude: g.exclude, examples: g.examples, location: r.location))
        }
        let calendar = compileCalendar(sink: sink)

        guard let technical = handlers["technical"], let coordinator = handlers["coordinator"], let dispatch = handlers["dispatch"] else {
            return nil
        }
        return RuleSet(
            name: s.name, version: String(version.prefix(16)), origin: origin, settings: s.decision,
            handlers: Handlers(technical: technical, coordinator: coordinator, dispatch: dispatch),
            categories: outCategories, departments: outDepartments, items: outItems, combined: outCombined,
            rules: outRules, cues: outCues, screening: outScreening, escalation: outEscalation, calendar: calendar)
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
        return WorkingCalendar(years: years, days: days)
    }

    /// A rule's or cue's own examples must behave as declared.
    func checkExamples(
        _ examples: RuleExamples, patterns: [RulePattern], exclude: [RulePattern], entry: String, what: String, sink: DiagnosticSink
    ) {
        for (text, loc) in examples.match where !RawRuleSet.fires(text, patterns: patterns, exclude: exclude) {
            let vetoed = RawRuleSet.fires(text, patterns: patterns, exclude: [])
            sink.error(loc, "example '\(text)' should match \(what) '\(entry)' but \(vetoed ? "an exclude pattern vetoes it" : "no pattern matches it")",
                       entry: entry, code: "example-failed")
        }
        for (text, loc) in examples.noMatch where RawRuleSet.fires(text, patterns: patterns, exclude: exclude) {
            sink.error(loc, "example '\(text)' should not match \(what) '\(entry)' but it does", entry: entry, code: "example-failed")
        }
    }

    /// True when some pattern matches the normalised `text` and no exclusion does.
    static func fires(_ text: String, patterns: [RulePattern], exclude: [RulePattern]) -> Bool {
        let normalised = normalizePhrase(text)
        func any(_ list: [RulePattern]) -> Bool { list.contains { (try? $0.compiled.isMatch(normalised)) == true } }
        return any(patterns) && !any(exclude)
    }
}
