public import TriageKit

/// Risky aliases, for `triage check`.
///
/// Always (a warning):
/// - `alias-duplicate`: one phrase (normalised) is an alias or name of entries of two departments,
///   so every message naming it gives both departments evidence.
///
/// With `--aliases` (notes, which never fail `--strict`; a person decides):
/// - `alias-inside-alias`: a short alias (at most 3 characters) inside a topic word of another
///   department's topic. (Inside another *entity's* alias it is dropped when the longer one matches,
///   so that case needs no note; inside a topic word both count.)
/// - `alias-broad`: an alias of one or two characters that fires on at least ``broadShare`` of
///   the tuning messages while its department is the labelled lead of fewer than half of them.
/// - `alias-inside-word`: a short alias that matched, in at least two tuning messages, inside the
///   same longer run of Chinese characters (e.g. 制毒 inside 熏制毒), and none of those messages is
///   labelled with the alias's department as lead: the longer word probably means something else.
///   The note names the longer word so that it can go into the item's `exclude`.
///
/// Only messages of parts that are not held out are read (``HeldOutPolicy``).
public enum AliasLint {
    /// Coverage from which a one- or two-character alias counts as broad.
    public static let broadShare = 0.02

    /// The warnings that need no corpus.
    public static func duplicates(_ rs: RuleSet) -> [Diagnostic] {
        var owners: [String: [(entry: String, department: DepartmentID, location: SourceLocation)]] = [:]
        var order: [String] = []
        func add(_ phrase: String, _ entry: String, _ d: DepartmentID, _ l: SourceLocation) {
            guard !phrase.isEmpty else { return }
            if owners[phrase] == nil { order.append(phrase) }
            if !owners[phrase, default: []].contains(where: { $0.department == d }) { owners[phrase, default: []].append((entry, d, l)) }
        }
        for i in rs.items { for a in i.aliases { add(a.normalized, i.id, i.department, a.location) } }
        for d in rs.departments { for p in RuleSet.departmentPhrases(d) { add(p, d.id.rawValue, d.id, d.location) } }
        var out: [Diagnostic] = []
        for phrase in order {
            guard let list = owners[phrase], list.count >= 2 else { continue }
            let others = list.dropFirst().map { "\($0.entry) (\($0.department.rawValue), \($0.location))" }.joined(separator: ", ")
            for o in list.dropFirst() {
                out.append(Diagnostic(.warning, path: o.location.path, line: o.location.line, column: o.location.column,
                                      message: "alias '\(phrase)' of \(o.entry) (\(o.department.rawValue)) is also an alias of \(list[0].entry) (\(list[0].department.rawValue), \(list[0].location)): every message naming it gives both departments evidence",
                                      entry: o.entry, code: "alias-duplicate",
                                      hint: list.count > 2 ? "also: \(others)" : "make one of them longer (学生溺水, 河道溺水) or keep it on one entry"))
            }
        }
        return out
    }

    /// The notes: topic words that hold a short alias, and what the tuning messages show.
    public static func notes(_ rs: RuleSet, messages: [LabelledMessage]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func note(_ l: SourceLocation, _ m: String, _ entry: String, _ code: String, hint: String? = nil) {
            out.append(Diagnostic(.note, path: l.path, line: l.line, column: l.column, message: m, entry: entry, code: code, hint: hint))
        }
        // Short aliases inside another department's topic words.
        for i in rs.items {
            for a in i.aliases where a.normalized.unicodeScalars.count <= 3 {
                var seen = Set<String>()
                for t in rs.topics where !t.departments.contains(where: { $0.department == i.department && $0.share > 0 }) {
                    for e in t.entries {
                        guard let w = e.normalized, w != a.normalized, w.contains(a.normalized), seen.insert(w).inserted else { continue }
                        note(a.location, "alias '\(a.text)' of item \(i.id) (\(i.department.rawValue)) is inside '\(e.text)', a word of topic \(t.id), which does not belong to \(i.department.rawValue): both count when a message says '\(e.text)'",
                             i.id, "alias-inside-alias")
                    }
                }
            }
        }
        let training = messages.filter { !$0.isHeldOut }
        guard !training.isEmpty else { return out }
        // What each entity alias did on the tuning messages.
        struct Hit { var message: Int; var before: [Unicode.Scalar]; var after: [Unicode.Scalar] }
        struct Key: Hashable { var entry: String; var kindIsItem: Bool; var text: String }
        var hits: [Key: [Hit]] = [:]
        var order: [Key] = []
        let engine = TriageEngine(ruleSet: rs)
        var itemDepartment: [String: DepartmentID] = [:]
        var phrases: [Key: Bool] = [:]
        for i in rs.items {
            itemDepartment[i.id] = i.department
            for a in i.aliases { phrases[Key(entry: i.id, kindIsItem: true, text: a.normalized)] = true }
        }
        for d in rs.departments {
            for p in RuleSet.departmentPhrases(d) { phrases[Key(entry: d.id.rawValue, kindIsItem: false, text: p)] = true }
        }
        for (n, m) in training.enumerated() {
            let r = engine.classify(m.record)
            let scalars = Array(m.record.text.unicodeScalars)
            var counted = Set<Key>()
            for e in r.evidence where e.kind == .item || e.kind == .department {
                let key = Key(entry: e.rule, kindIsItem: e.kind == .item, text: normalizePhrase(e.text))
                // Aliases only: a pattern's or a combined matter's match is not an alias.
                guard phrases[key] != nil, counted.insert(key).inserted else { continue }
                let s = max(0, min(e.start, scalars.count)), t = max(s, min(e.end, scalars.count))
                if hits[key] == nil { order.append(key) }
                hits[key, default: []].append(Hit(message: n, before: Array(scalars[max(0, s - 2)..<s]), after: Array(scalars[t..<min(scalars.count, t + 2)])))
            }
        }
        var context = Set<String>()
        for i in rs.items where i.isContext { context.insert(i.id) }
        func department(_ k: Key) -> DepartmentID { k.kindIsItem ? itemDepartment[k.entry] ?? DepartmentID(k.entry) : DepartmentID(k.entry) }
        func location(_ k: Key) -> SourceLocation {
            if k.kindIsItem, let i = rs.items.first(where: { $0.id == k.entry }) {
                return i.aliases.first { $0.normalized == k.text }?.location ?? i.location
            }
            return rs.department(DepartmentID(k.entry))?.location ?? SourceLocation(path: "", line: 0, column: 0)
        }
        func isLead(_ k: Key, _ h: Hit) -> Bool? {
            let x = training[h.message].expected
            guard x.hasLead else { return nil }
            return x.lead == department(k)
        }
        let total = Double(training.count)
        for k in order {
            guard let list = hits[k], k.text.unicodeScalars.count <= 3 else { continue }
            let labelled = list.compactMap { isLead(k, $0) }
            let right = labelled.filter { $0 }.count
            let what = "\(k.kindIsItem ? "item" : "department") \(k.entry)"
            // A place (`context: true`) is known to be mentioned in passing.
            if !context.contains(k.entry) || !k.kindIsItem, k.text.unicodeScalars.count <= 2, Double(list.count) / total >= broadShare, labelled.count >= 3, right * 2 < labelled.count {
                note(location(k), "alias '\(k.text)' of \(what) fires on \(list.count) of \(training.count) tuning messages (\(percent(Double(list.count) / total))), and \(department(k).rawValue) is the labelled lead of only \(right) of the \(labelled.count) labelled ones",
                     k.entry, "alias-broad", hint: "mark a place or institution `context: true`, or make the alias longer")
            }
            // The same longer run of Chinese characters around the alias, in two messages or more,
            // none of them led by the alias's department.
            var runs: [String: [Hit]] = [:]
            for h in list {
                let shapes: [([Unicode.Scalar], [Unicode.Scalar])] = [(Array(h.before.suffix(1)), []), (h.before, []), ([], Array(h.after.prefix(1))), ([], h.after)]
                for (before, after) in shapes {
                    let extra = before + after
                    guard !extra.isEmpty, extra.allSatisfy(isContentHan) else { continue }
                    var s = String.UnicodeScalarView()
                    s.append(contentsOf: before)
                    s.append(contentsOf: k.text.unicodeScalars)
                    s.append(contentsOf: after)
                    runs[String(s), default: []].append(h)
                }
            }
            for (word, hs) in runs.sorted(by: { $0.key < $1.key }) {
                let messagesOfWord = Set(hs.map(\.message))
                let labels = messagesOfWord.compactMap { n in isLead(k, Hit(message: n, before: [], after: [])) }
                guard messagesOfWord.count >= 2, labels.count == messagesOfWord.count, !labels.contains(true) else { continue }
                // Report the longest run only: 熏制毒 rather than 熏制 and 熏制毒.
                if runs.contains(where: { $0.key != word && $0.key.contains(word) && Set($0.value.map(\.message)) == messagesOfWord }) { continue }
                note(location(k), "alias '\(k.text)' of \(what) matched inside '\(word)' in \(messagesOfWord.count) tuning messages, none of them led by \(department(k).rawValue)",
                     k.entry, "alias-inside-word", hint: k.kindIsItem ? "if '\(word)' means something else, add it to the item's exclude" : "if '\(word)' means something else, make the alias longer")
            }
        }
        return out
    }

    /// A Chinese character that carries meaning (not 的, 了, 说 … which only join words).
    static func isContentHan(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) && !joiners.contains(s)
    }

    static let joiners = Set("的了说在找去要是和也都把被让给向跟对由归问有没不这那里家个某就还又再已而与或及等很太更最能会可想请到从".unicodeScalars)

    static func percent(_ x: Double) -> String { String(Int((x * 1000).rounded()) / 10) + "." + String(Int((x * 1000).rounded()) % 10) + "%" }
}
