import PCRE2
import YAML

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

struct RawRuleSet {
    struct Settings {
        var name = ""
        var format = 1
        var decision = DecisionSettings()
        var handlers: [String: (String, SourceLocation)] = [:]
        var precedenceLocation: SourceLocation?
        var fallbackLocation: SourceLocation?
        var location: SourceLocation
    }
    struct RawCategory {
        var id: String, name: String, description: String, channel: Channel?, handler: String?
        var coHandlers: [(String, SourceLocation)], location: SourceLocation, handlerLocation: SourceLocation
    }
    struct RawDepartment {
        var id: String, name: String, fullName: String, aliases: [(String, SourceLocation)]
        var role: DepartmentRole, location: SourceLocation
    }
    struct RawItem {
        var id: String, name: String, department: (String, SourceLocation)?, coDepartments: [(String, SourceLocation)]
        var complexity: Complexity, aliases: [(String, SourceLocation)], patterns: [RawPattern], weight: Double?
        var location: SourceLocation
    }
    struct RawCombined {
        var id: String, name: String, aliases: [(String, SourceLocation)], patterns: [RawPattern]
        var lead: (String, SourceLocation)?, departments: [(String, SourceLocation)], complexity: Complexity
        var location: SourceLocation
    }
    struct RawRule {
        var id: String, category: (String, SourceLocation)?, weight: Double, description: String
        var patterns: [RawPattern], exclude: [RawPattern], examples: RawExamples, location: SourceLocation
    }
    struct RawCue {
        var id: String, flag: CueFlag?, description: String
        var patterns: [RawPattern], exclude: [RawPattern], examples: RawExamples, location: SourceLocation
    }

    var settings: [Settings] = []
    var categories: [RawCategory] = []
    var departments: [RawDepartment] = []
    var items: [RawItem] = []
    var combined: [RawCombined] = []
    var rules: [RawRule] = []
    var cues: [RawCue] = []

    // MARK: Reading

    mutating func read(_ file: MapReader) {
        if let s = file.mapping("ruleset") { readSettings(s) }
        forEachEntry(file, "categories") { readCategory($0) }
        forEachEntry(file, "departments") { readDepartment($0) }
        forEachEntry(file, "items") { readItem($0) }
        forEachEntry(file, "combined") { readCombined($0) }
        forEachEntry(file, "rules") { readRule($0) }
        forEachEntry(file, "cues") { readCue($0) }
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
            d.checkKeys(["min_score", "precedence", "fallback_category", "lead_balance", "weights", "vague"], what: "decision")
            if let v = d.number("min_score") { s.decision.minScore = v }
            if let v = d.value("precedence") { s.precedenceLocation = d.loc(v) }
            s.decision.precedence = d.strings("precedence").map(\.0)
            if let v = d.value("fallback_category") { s.fallbackLocation = d.loc(v) }
            s.decision.fallbackCategory = d.string("fallback_category")
            if let v = d.number("lead_balance") {
                if v <= 0 || v > 1 { d.sink.error(d.loc(d.value("lead_balance")!), "lead_balance must be in (0, 1]", code: "type") }
                s.decision.leadBalance = v
            }
            if let w = d.mapping("weights") {
                w.checkKeys(["item", "department", "combined"], what: "weights")
                if let v = w.number("item") { s.decision.weights.item = v }
                if let v = w.number("department") { s.decision.weights.department = v }
                if let v = w.number("combined") { s.decision.weights.combined = v }
            }
            if let v = d.mapping("vague") {
                v.checkKeys(["min_chars"], what: "vague")
                if let n = v.number("min_chars") { s.decision.vagueMinChars = Int(n) }
            }
        }
        if let h = r.mapping("handlers") {
            h.checkKeys(["technical", "coordinator", "dispatch"], what: "handlers")
            for key in ["technical", "coordinator", "dispatch"] {
                if let v = one(h, key) { s.handlers[key] = v }
            }
        } else {
            r.sink.error(r.location, "missing required key 'handlers'", code: "missing-key")
        }
        settings.append(s)
    }

    mutating func readCategory(_ r: MapReader) {
        r.checkKeys(["id", "name", "description", "route"], what: "a category")
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
        categories.append(RawCategory(
            id: id, name: r.string("name", required: true) ?? id, description: r.string("description") ?? "",
            channel: channel, handler: handler, coHandlers: co, location: r.location, handlerLocation: handlerLocation))
    }

    mutating func readDepartment(_ r: MapReader) {
        r.checkKeys(["id", "name", "full_name", "aliases", "role"], what: "a department")
        let id = id(r)
        var role = DepartmentRole.department
        if let s = r.string("role") {
            if let parsed = DepartmentRole(rawValue: s) {
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
        r.checkKeys(["id", "name", "department", "co_departments", "complexity", "aliases", "patterns", "weight", "description"], what: "an item")
        items.append(RawItem(
            id: id(r), name: r.string("name", required: true) ?? "", department: one(r, "department"),
            coDepartments: located(r, "co_departments"), complexity: complexity(r), aliases: located(r, "aliases"),
            patterns: patterns(r, "patterns"), weight: r.number("weight"), location: r.location))
    }

    mutating func readCombined(_ r: MapReader) {
        r.checkKeys(["id", "name", "aliases", "patterns", "lead", "departments", "complexity", "description"], what: "a combined matter")
        combined.append(RawCombined(
            id: id(r), name: r.string("name", required: true) ?? "", aliases: located(r, "aliases"),
            patterns: patterns(r, "patterns"), lead: one(r, "lead"), departments: located(r, "departments"),
            complexity: complexity(r), location: r.location))
    }

    mutating func readRule(_ r: MapReader) {
        r.checkKeys(["id", "category", "weight", "description", "patterns", "exclude", "examples"], what: "a rule")
        let id = id(r)
        let p = patterns(r, "patterns")
        if p.isEmpty { r.sink.error(r.location, "a rule needs at least one pattern", entry: id, code: "missing-key") }
        rules.append(RawRule(
            id: id, category: one(r, "category"), weight: r.number("weight") ?? 1, description: r.string("description") ?? "",
            patterns: p, exclude: patterns(r, "exclude"), examples: examples(r), location: r.location))
    }

    mutating func readCue(_ r: MapReader) {
        r.checkKeys(["id", "flag", "description", "patterns", "exclude", "examples"], what: "a cue")
        let id = id(r)
        var flag: CueFlag?
        if let f = r.string("flag", required: true) {
            flag = CueFlag(rawValue: f)
            if flag == nil {
                r.sink.error(r.loc(r.value("flag")!), "flag must be 'vague' or 'multi_department', not '\(f)'", entry: id, code: "type")
            }
        }
        let p = patterns(r, "patterns")
        if p.isEmpty { r.sink.error(r.location, "a cue needs at least one pattern", entry: id, code: "missing-key") }
        cues.append(RawCue(
            id: id, flag: flag, description: r.string("description") ?? "", patterns: p,
            exclude: patterns(r, "exclude"), examples: examples(r), location: r.location))
    }
}
