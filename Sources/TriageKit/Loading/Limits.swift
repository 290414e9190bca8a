internal import YAML

/// Enforces ``RuleSetLimits`` on a rule set as read, before anything is compiled.
extension RawRuleSet {
    /// Reports every pattern and alias over the length bound (and drops it, so that it is not
    /// compiled), and the entry count when it is over its bound.
    mutating func enforce(_ limits: RuleSetLimits, sink: DiagnosticSink, origin: String) {
        let entries = settings.count + categories.count + departments.count + items.count + combined.count
            + rules.count + cues.count + screening.count + escalation.count + topics.count + fragments.count
        if entries > limits.maxEntries {
            sink.error(SourceLocation(path: origin, line: 1, column: 1),
                       "the rule set has \(entries) entries; at most \(limits.maxEntries) are allowed", code: "limit")
        }
        let max = limits.maxPatternLength
        func patterns(_ list: [RawPattern], entry: String) -> [RawPattern] {
            list.filter { p in
                let n = p.text.written.unicodeScalars.count
                guard n > max else { return true }
                sink.error(p.location,
                           "pattern has \(n) characters; at most \(max) are allowed", entry: entry, code: "limit")
                return false
            }
        }
        func aliases(_ list: [(String, SourceLocation)], entry: String) -> [(String, SourceLocation)] {
            list.filter { a in
                let n = a.0.unicodeScalars.count
                guard n > max else { return true }
                sink.error(a.1, "alias has \(n) characters; at most \(max) are allowed", entry: entry, code: "limit")
                return false
            }
        }
        func core(_ c: inout RawCore) {
            c.patterns = patterns(c.patterns, entry: c.id)
            c.exclude = patterns(c.exclude, entry: c.id)
        }
        for i in rules.indices { core(&rules[i].core) }
        for i in cues.indices { core(&cues[i].core) }
        for i in screening.indices { core(&screening[i].core) }
        for i in escalation.indices { core(&escalation[i].core) }
        for i in items.indices {
            items[i].patterns = patterns(items[i].patterns, entry: items[i].id)
            items[i].aliases = aliases(items[i].aliases, entry: items[i].id)
        }
        for i in combined.indices {
            combined[i].patterns = patterns(combined[i].patterns, entry: combined[i].id)
            combined[i].aliases = aliases(combined[i].aliases, entry: combined[i].id)
        }
        for i in departments.indices { departments[i].aliases = aliases(departments[i].aliases, entry: departments[i].id) }
    }
}
