internal import PCRE2
internal import YAML

extension RawRuleSet {
    /// Validates cross-references, expands fragments, compiles patterns and builds the rule set;
    /// then checks every example through the rule set's matcher. The rule set is built even when
    /// there are errors (without the parts that failed), so the linter can still look at it;
    /// ``RuleSetLoader`` never hands out a rule set with errors.
    func compile(sink: DiagnosticSink, version: String, origin: String, texts: [String: String], complete: Bool = true) -> RuleSet? {
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
        unique("fragment", fragments.map { ($0.id, $0.location) })
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
        if let h = coordinator { department(h, from: "ruleset", field: "handlers.coordinator") }
        for c in s.decision.precedence {
            category((c.rawValue, s.precedenceLocation ?? s.location), from: "ruleset", field: "decision.precedence")
        }
        if let f = s.decision.fallbackCategory {
            category((f.rawValue, s.fallbackLocation ?? s.location), from: "ruleset", field: "decision.fallback_category")
        }
        if categories.isEmpty { sink.error(s.location, "the rule set defines no categories", code: "missing-key") }

        let outDepartments = departments.map { d in
            RuleSet.Department(id: DepartmentID(d.id), name: d.name, fullName: d.fullName, aliases: d.aliases.map(\.0),
                               role: d.role, location: d.location)
        }
        let fragmentTable = compileFragments(departments: outDepartments, texts: texts, sink: sink, complete: complete)

        // Compile patterns.
        func compilePatterns(_ raw: [RawPattern], entry: String) -> [RulePattern] {
            raw.compactMap { p in
                let text = texts[p.text.origin.path]
                guard let expanded = fragmentTable.expand(p.text, in: text, sink: sink, entry: entry, reportUnknown: complete) else { return nil }
                do throws(PCRE2Error) {
                    let compiled = try Pattern(expanded.expanded)
                    var prefix: (literals: [String], anchored: Pattern)?
                    if let literals = RequiredLiterals.prefix(of: expanded.expanded) {
                        prefix = (literals, try Pattern(expanded.expanded, options: .anchored))
                    }
                    return RulePattern(
                        source: expanded.expanded, compiled: compiled, required: RequiredLiterals.clauses(of: expanded.expanded),
                        prefix: prefix, location: p.location, text: expanded)
                } catch {
                    RawRuleSet.report(error, expanded, in: text, sink: sink, entry: entry, wrapped: false)
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
        func examples(_ raw: RawExamples, entry: String) -> RuleExamples {
            func parse(_ list: [(String, SourceLocation)], markers: Bool) -> [RuleExamples.Example] {
                list.compactMap { written, loc in
                    let (text, spans, error) = ExampleCheck.parse(written)
                    if let error {
                        sink.error(loc, "example '\(written)': \(error)", entry: entry, code: "example-span")
                        return nil
                    }
                    if spans != nil && !markers {
                        sink.error(loc, "example '\(written)': a no_match example cannot mark a span", entry: entry, code: "example-span")
                        return nil
                    }
                    return RuleExamples.Example(text: text, written: written, spans: spans, location: loc)
                }
            }
            return RuleExamples(match: parse(raw.match, markers: true), noMatch: parse(raw.noMatch, markers: false))
        }
        func metadata(_ m: RawMetadata, examples: RawExamples, entry: String, location: SourceLocation) -> RuleMetadata {
            if m.status == .stable, examples.match.isEmpty {
                sink.error(m.statusLocation ?? location, "'\(entry)' is marked status: stable but has no examples.match; a stable entry proves itself with examples",
                           entry: entry, code: "stable-without-examples")
            }
            return RuleMetadata(status: m.status, owner: m.owner, added: m.added, references: m.references)
        }
        /// Compiles a rule's patterns and exclusions; `complete` is false when any failed.
        func compileCore(_ raw: RawCore) -> (core: RuleCore, complete: Bool) {
            let p = compilePatterns(raw.patterns, entry: raw.id)
            let x = compilePatterns(raw.exclude, entry: raw.id)
            let core = RuleCore(id: raw.id, description: raw.description, patterns: p, exclude: x,
                                examples: examples(raw.examples, entry: raw.id),
                                metadata: metadata(raw.metadata, examples: raw.examples, entry: raw.id, location: raw.location),
                                location: raw.location)
            return (core, p.count == raw.patterns.count && x.count == raw.exclude.count)
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
        // Examples are checked once the matcher exists; only those of entries whose patterns all compiled.
        var checkable = Set<String>()
        var outItems: [RuleSet.Item] = []
        for i in items {
            department(i.department, from: i.id, field: "department")
            for co in i.coDepartments { department(co, from: i.id, field: "co_departments") }
            if i.aliases.isEmpty && i.patterns.isEmpty {
                sink.warning(i.location, "item '\(i.id)' has no alias or pattern, so it can never match", entry: i.id, code: "no-alias")
            }
            category(i.category, from: i.id, field: "category")
            let patterns = compilePatterns(i.patterns, entry: i.id)
            if patterns.count == i.patterns.count { checkable.insert("item:\(outItems.count)") }
            outItems.append(RuleSet.Item(
                id: i.id, name: i.name, department: DepartmentID(i.department?.0 ?? ""),
                coDepartments: i.coDepartments.map { DepartmentID($0.0) }, complexity: i.complexity,
                category: i.category.map { CategoryID($0.0) }, aliases: aliases(i.aliases, entry: i.id),
                patterns: patterns, exclude: compilePatterns(i.exclude, entry: i.id),
                weight: i.weight ?? s.decision.weights.item, isContext: i.isContext, description: i.description,
                examples: examples(i.examples, entry: i.id), metadata: metadata(i.metadata, examples: i.examples, entry: i.id, location: i.location),
                location: i.location))
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
            let patterns = compilePatterns(c.patterns, entry: c.id)
            if patterns.count == c.patterns.count { checkable.insert("combined:\(outCombined.count)") }
            outCombined.append(RuleSet.CombinedMatter(
                id: c.id, name: c.name, aliases: aliases(c.aliases, entry: c.id), patterns: patterns,
                lead: DepartmentID(c.lead?.0 ?? ""), departments: c.departments.map { DepartmentID($0.0) },
                complexity: c.complexity, description: c.description, examples: examples(c.examples, entry: c.id),
                metadata: metadata(c.metadata, examples: c.examples, entry: c.id, location: c.location), location: c.location))
        }
        var outRules: [RuleSet.ClassificationRule] = []
        for r in rules {
            category(r.category, from: r.core.id, field: "category")
            let (core, complete) = compileCore(r.core)
            if complete { checkable.insert("rule:\(outRules.count)") }
            outRules.append(RuleSet.ClassificationRule(core: core, category: CategoryID(r.category?.0 ?? ""), weight: r.weight, vetoesCategory: r.veto))
        }
        var outCues: [RuleSet.Cue] = []
        for c in cues {
            let (core, complete) = compileCore(c.core)
            if complete { checkable.insert("cue:\(outCues.count)") }
            outCues.append(RuleSet.Cue(core: core, flag: c.flag ?? .vague))
        }
        var outScreening: [RuleSet.ScreeningRule] = []
        for r in screening {
            let (core, complete) = compileCore(r.core)
            if complete { checkable.insert("screening rule:\(outScreening.count)") }
            outScreening.append(RuleSet.ScreeningRule(core: core, action: r.action ?? .needsReview, reason: r.reason))
        }
        var outEscalation: [RuleSet.EscalationRule] = []
        for r in escalation {
            for c in r.categories { category(c, from: r.core.id, field: "categories") }
            let (core, complete) = compileCore(r.core)
            if complete { checkable.insert("escalation rule:\(outEscalation.count)") }
            outEscalation.append(RuleSet.EscalationRule(
                core: core, flag: r.flag, complex: r.complex, policyQuestion: r.policyQuestion, categories: r.categories.map { CategoryID($0.0) }))
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
                entries.append(.init(text: p.pattern.text.written, normalized: nil, pattern: compiled, weight: p.weight, location: compiled.location))
            }
            if entries.isEmpty { sink.warning(t.location, "topic '\(t.id)' has no words or patterns", entry: t.id, code: "no-alias") }
            outTopics.append(RuleSet.Topic(id: t.id, name: t.name, description: t.description, departments: shares,
                                           categories: categoryShares, entries: entries, location: t.location))
        }
        unique("topic", topics.map { ($0.id, $0.location) })
        applyFitted(items: &outItems, rules: &outRules, topics: &outTopics, sink: sink)
        let calendar = compileCalendar(sink: sink)

        let rs = RuleSet(
            name: s.name, version: String(version.prefix(16)), origin: origin, settings: s.decision,
            handlers: RuleSet.Handlers(coordinator: DepartmentID(coordinator?.0 ?? "")),
            categories: outCategories, departments: outDepartments, items: outItems, combined: outCombined,
            rules: outRules, cues: outCues, screening: outScreening, escalation: outEscalation, topics: outTopics,
            calendar: calendar, fragments: fragmentTable)

        for r in rs.allRules where checkable.contains("\(r.kind.rawValue):\(r.index)") {
            ExampleCheck.check(r.core.examples, owner: .rule(r.kind, r.index), id: r.core.id, what: r.kind.rawValue,
                               patterns: r.core.patterns + r.core.exclude, rs: rs, sink: sink)
        }
        for (n, i) in rs.items.enumerated() where checkable.contains("item:\(n)") && !i.examples.isEmpty {
            ExampleCheck.check(i.examples, owner: .item(n), id: i.id, what: "item", patterns: i.patterns, rs: rs, sink: sink)
        }
        for (n, c) in rs.combined.enumerated() where checkable.contains("combined:\(n)") && !c.examples.isEmpty {
            ExampleCheck.check(c.examples, owner: .combined(n), id: c.id, what: "combined matter", patterns: c.patterns, rs: rs, sink: sink)
        }
        return rs
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
            if let i = itemIndex[id] {
                items[i].handWrittenWeight = items[i].weight
                items[i].weight = w
            } else { unknown("item", id, loc, among: Array(itemIndex.keys)) }
        }
        let ruleIndex = Dictionary(rules.indices.map { (rules[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, w, loc) in f.rules {
            if let r = ruleIndex[id] {
                rules[r].handWrittenWeight = rules[r].weight
                rules[r].weight = w
            } else { unknown("rule", id, loc, among: Array(ruleIndex.keys)) }
        }
        let topicIndex = Dictionary(topics.indices.map { (topics[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        for (topic, word, w, loc) in f.topicWords {
            guard let t = topicIndex[topic] else {
                unknown("topic", topic, loc, among: Array(topicIndex.keys))
                continue
            }
            if let e = topics[t].entries.firstIndex(where: { $0.text == word }) {
                topics[t].entries[e].handWrittenWeight = topics[t].entries[e].weight
                topics[t].entries[e].weight = w
            } else {
                unknown("word of topic \(topic)", word, loc, among: topics[t].entries.map(\.text))
            }
        }
    }

    /// Compiles a fragment's expanded pattern on its own, so its errors are reported at its definition.
    static func compileError(_ p: PatternText, in text: String?, sink: DiagnosticSink, entry: String, wrap: Bool) -> Bool {
        do throws(PCRE2Error) {
            _ = try Pattern("(?:" + p.expanded + ")")
            return true
        } catch {
            report(error, p, in: text, sink: sink, entry: entry, wrapped: true)
            return false
        }
    }

    /// Reports a compile error at the character it concerns: PCRE2's byte offset into the compiled
    /// pattern becomes a character of the pattern as written (or the fragment reference it falls in);
    /// an unclosed group is reported at its `(`.
    static func report(_ error: PCRE2Error, _ p: PatternText, in text: String?, sink: DiagnosticSink, entry: String, wrapped: Bool) {
        let compiled = Array((wrapped ? "(?:" + p.expanded + ")" : p.expanded).utf8)
        let byteOffset = min(error.offset ?? 0, compiled.count)
        var k = String(decoding: compiled.prefix(byteOffset), as: UTF8.self).unicodeScalars.count - (wrapped ? 3 : 0)
        k = max(0, min(k, p.expanded.unicodeScalars.count))
        var what = error.message
        if error.code == 114, let open = unclosedGroup(p.expanded) {
            k = open
            what = "missing closing parenthesis: the '(' at character \(p.writtenOffset(ofExpanded: open).offset + 1) is never closed"
        }
        let (location, fragment) = p.location(ofExpanded: k, in: text)
        let w = p.writtenOffset(ofExpanded: k).offset
        var message = "pattern does not compile: \(what)"
        if error.code != 114 { message += " at character \(w + 1)" }
        message += " in '\(p.written)'"
        if let fragment { message += " (inside the expansion of fragment '{\(fragment)}')" }
        sink.error(location, message, entry: entry, code: "pattern-compile")
    }

    /// The scalar offset of the last `(` that is never closed, skipping escapes and classes.
    static func unclosedGroup(_ pattern: String) -> Int? {
        let s = Array(pattern.unicodeScalars)
        var stack: [Int] = []
        var i = 0
        while i < s.count {
            switch s[i] {
            case "\\":
                i += 2
                continue
            case "[":
                var k = i + 1
                if k < s.count, s[k] == "^" { k += 1 }
                if k < s.count, s[k] == "]" { k += 1 }
                while k < s.count, s[k] != "]" { if s[k] == "\\" { k += 1 }; k += 1 }
                i = k + 1
                continue
            case "(": stack.append(i)
            case ")": _ = stack.popLast()
            default: break
            }
            i += 1
        }
        return stack.last
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

}

extension RuleSet {
    /// Compiles a pattern typed on the command line (`triage try`) the way the loader compiles one
    /// of its own: fragments expanded (`{departments}` included), errors located by character in
    /// the pattern as typed (path `<pattern>`, line 1).
    package func trialPattern(_ pattern: String) -> (RulePattern?, Diagnostics) {
        let sink = DiagnosticSink()
        let origin = ScalarOrigin(path: "<pattern>", line: 1, column: 1, style: .plain)
        let text = PatternText(written: pattern, origin: origin)
        guard let expanded = fragments.expand(text, in: pattern, sink: sink, entry: nil) else { return (nil, sink.diagnostics) }
        do throws(PCRE2Error) {
            let compiled = try Pattern(expanded.expanded)
            return (RulePattern(source: expanded.expanded, compiled: compiled, required: nil, prefix: nil, location: origin.location, text: expanded),
                    sink.diagnostics)
        } catch {
            RawRuleSet.report(error, expanded, in: pattern, sink: sink, entry: "pattern", wrapped: false)
            return (nil, sink.diagnostics)
        }
    }
}

extension RulePattern {
    /// Every match in `text` (normalised as messages are), as scalar ranges of the original text.
    package func matches(in text: NormalizedText) throws(PatternFailure) -> [Range<Int>] {
        do throws(PCRE2Error) {
            return try compiled.matches(in: text.string).map(text.originalRange)
        } catch {
            throw PatternFailure(message: error.message)
        }
    }
}
