import Foundation
public import TriageKit

/// What a labeller expects for one message (corpus/README.md). Every field is
/// optional so that a corpus can label only what it knows; absent fields are not scored.
public struct Expectation: Sendable {
    /// True when `expected.category` is present (it may be `null`).
    public var hasCategory = false
    /// The expected category, or `nil` for "none of them".
    public var category: CategoryID?
    /// True when `expected.lead` is present (it may be `null`).
    public var hasLead = false
    /// The expected lead department.
    public var lead: DepartmentID?
    /// Departments that must take part, when given.
    public var coHandlers: [DepartmentID]?
    /// The expected vague flag, when given.
    public var vague: Bool?
    /// The expected multi-department flag, when given.
    public var multiDepartment: Bool?
    /// The whole `expected` object, for scorers of labels added later (screening, escalation).
    public var raw: JSONValue = .object([])
    /// False when the line has no `expected` object at all (an unlabelled message, such as an
    /// undecided case in `triage cases export`): then nothing is scored for it, not even the
    /// screening and escalation defaults.
    public var labelled = true

    /// Creates an empty expectation.
    public init() {}
}

/// One labelled message of a corpus, with the place it was read.
public struct LabelledMessage: Sendable {
    /// Unique id across the corpus.
    public var id: String
    /// The message as the citizen wrote it.
    public var text: String
    /// The labels.
    public var expected: Expectation
    /// Free tags (`hard`, `typo`, …).
    public var tags: [String]
    /// The corpus file.
    public var path: String
    /// 1-based line in that file.
    public var line: Int
    /// When the message was received (`received_at`), for deadlines; `nil`: the engine's clock.
    public var receivedAt: Timestamp?
    /// When it was dispatched (`dispatched_at`), if given.
    public var dispatchedAt: Timestamp?
    /// The corpus part it belongs to (its folder's name), when the folder has a manifest.
    public var part: String?
    /// True when its part is held out: only aggregates over it may be shown (``HeldOutPolicy``).
    public var isHeldOut = false

    /// Creates a message.
    public init(id: String, text: String, expected: Expectation, tags: [String] = [], path: String = "<memory>", line: Int = 1) {
        self.id = id
        self.text = text
        self.expected = expected
        self.tags = tags
        self.path = path
        self.line = line
    }

    /// The message as the engine reads it.
    public var record: MessageRecord {
        MessageRecord(text: text, id: .string(id), receivedAt: receivedAt, dispatchedAt: dispatchedAt)
    }
}

/// A loaded corpus: the messages that can run and every problem found on the way.
public struct Corpus: Sendable {
    /// Messages in file and line order.
    public var messages: [LabelledMessage]
    /// Problems: `path:line: error: …`. Lines with errors are left out; the others still run.
    public var diagnostics: Diagnostics
    /// The files read.
    public var files: [String]
    /// The parts the files belong to, in the order first met.
    public var parts: [CorpusPart] = []

    /// Creates a corpus.
    public init(messages: [LabelledMessage], diagnostics: Diagnostics = Diagnostics(), files: [String] = [], parts: [CorpusPart] = []) {
        self.messages = messages
        self.diagnostics = diagnostics
        self.files = files
        self.parts = parts
    }

    /// True when some message is in a held-out part.
    public var hasHeldOut: Bool { messages.contains { $0.isHeldOut } }
}

/// Reads JSON Lines corpora (corpus/README.md).
public enum CorpusLoader {
    /// Expands folders into their `*.jsonl` files (recursively, sorted by path); files are kept as given.
    public static func files(_ paths: [String]) -> (files: [String], diagnostics: [Diagnostic]) {
        let fm = FileManager.default
        var out: [String] = []
        var diags: [Diagnostic] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                diags.append(Diagnostic(.error, path: path, message: "corpus not found", code: "io"))
                continue
            }
            if !isDir.boolValue {
                out.append(path)
                continue
            }
            var found: [String] = []
            if let e = fm.enumerator(atPath: path) {
                while let rel = e.nextObject() as? String {
                    if rel.hasSuffix(".jsonl") { found.append((path as NSString).appendingPathComponent(rel)) }
                }
            }
            if found.isEmpty { diags.append(Diagnostic(.error, path: path, message: "no .jsonl files in the corpus folder", code: "io")) }
            out += found.sorted()
        }
        return (out, diags)
    }

    /// Loads every corpus file below `paths`. Bad lines become diagnostics; duplicate ids are errors.
    /// Each message is tagged with its part (``CorpusPart``); `knownMetrics` checks the parts' floors.
    public static func load(_ paths: [String], knownMetrics: [String]? = nil) -> Corpus {
        let (files, fileDiags) = files(paths)
        var diagnostics = Diagnostics(fileDiags)
        var messages: [LabelledMessage] = []
        let finder = CorpusPartFinder(knownMetrics: knownMetrics)
        var parts: [CorpusPart] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                diagnostics.append(Diagnostic(.error, path: file, message: "cannot read file", code: "io"))
                continue
            }
            let part = finder.part(of: file)
            if let part, !parts.contains(part) { parts.append(part) }
            var (m, d) = parse([UInt8](data), path: file)
            for i in m.indices {
                m[i].part = part?.name
                m[i].isHeldOut = part?.isHeldOut ?? false
            }
            messages += m
            // A bad line of a held-out file is reported by position only: no id, no text.
            for x in d { diagnostics.append(part?.isHeldOut == true ? x.withoutEntry : x) }
        }
        for d in finder.diagnostics { diagnostics.append(d) }
        return Corpus(messages: dedupe(messages, &diagnostics), diagnostics: diagnostics, files: files, parts: parts)
    }

    static func dedupe(_ messages: [LabelledMessage], _ diagnostics: inout Diagnostics) -> [LabelledMessage] {
        var seen: [String: LabelledMessage] = [:]
        var out: [LabelledMessage] = []
        for m in messages {
            if let first = seen[m.id] {
                let shown = m.isHeldOut || first.isHeldOut ? "" : " '\(m.id)'"
                diagnostics.append(Diagnostic(.error, path: m.path, line: m.line,
                    message: "duplicate id\(shown) (first at \(first.path):\(first.line))", entry: shown.isEmpty ? nil : m.id, code: "corpus-duplicate-id"))
                continue
            }
            seen[m.id] = m
            out.append(m)
        }
        return out
    }

    /// Parses one JSON Lines file. Blank lines are skipped.
    public static func parse(_ bytes: [UInt8], path: String) -> ([LabelledMessage], [Diagnostic]) {
        var messages: [LabelledMessage] = []
        var diags: [Diagnostic] = []
        var lineNumber = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(raw)
            if line.last == 0x0D { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            switch parseLine(line) {
            case .success(var m):
                m.path = path
                m.line = lineNumber
                messages.append(m)
            case .failure(let e):
                diags.append(Diagnostic(.error, path: path, line: lineNumber, message: e.message, entry: e.id, code: e.code))
            }
        }
        return (messages, diags)
    }

    struct LineError: Error {
        var code: String
        var message: String
        var id: String?
    }

    /// One corpus line: a message record (read by the same parser as `classify --jsonl` and
    /// the HTTP API, with the same error codes) plus `expected` and `tags`. A corpus message
    /// must have an id.
    static func parseLine(_ line: [UInt8]) -> Result<LabelledMessage, LineError> {
        let record: MessageRecord
        switch MessageRecord.parse(bytes: line) {
        case .success(let r): record = r
        case .failure(let e): return .failure(LineError(code: e.code.rawValue, message: e.message, id: e.id == .none ? nil : e.id.description))
        }
        guard record.id != .none else { return .failure(LineError(code: InputError.Code.missingField.rawValue, message: "missing field \"id\"")) }
        let id = record.id.description
        // The record parsed, so the line is a JSON object.
        let value = (try? JSONValue.parse(line)) ?? .object([])
        var e = Expectation()
        e.labelled = value["expected"] != nil
        if let exp = value["expected"] {
            switch expectation(exp, id: id) {
            case .success(let parsed): e = parsed
            case .failure(let err): return .failure(err)
            }
        }
        let tags = value["tags"]?.array?.compactMap(\.string) ?? []
        var message = LabelledMessage(id: id, text: record.text, expected: e, tags: tags)
        message.receivedAt = record.receivedAt
        message.dispatchedAt = record.dispatchedAt
        return .success(message)
    }

    /// The `expected` object of a corpus line.
    static func expectation(_ exp: JSONValue, id: String) -> Result<Expectation, LineError> {
        func wrong(_ message: String) -> Result<Expectation, LineError> {
            .failure(LineError(code: InputError.Code.wrongType.rawValue, message: message, id: id))
        }
        guard case .object = exp else { return wrong("\"expected\" must be an object, not \(exp.typeName)") }
        var e = Expectation()
        e.raw = exp
        for key in ["category", "lead"] {
            guard let v = exp[key] else { continue }
            guard v.isNull || v.string != nil else { return wrong("\"expected.\(key)\" must be a string or null, not \(v.typeName)") }
            if key == "category" {
                e.hasCategory = true
                e.category = v.string.map(CategoryID.init)
            } else {
                e.hasLead = true
                e.lead = v.string.map(DepartmentID.init)
            }
        }
        if let co = exp["co_handlers"], !co.isNull {
            guard let list = co.array, list.allSatisfy({ $0.string != nil }) else {
                return wrong("\"expected.co_handlers\" must be a list of department ids")
            }
            e.coHandlers = list.compactMap { $0.string.map(DepartmentID.init) }
        }
        if let flags = exp["flags"], !flags.isNull {
            guard case .object = flags else { return wrong("\"expected.flags\" must be an object") }
            for (key, target) in [("vague", \Expectation.vague), ("multi_department", \Expectation.multiDepartment)] {
                guard let v = flags[key], !v.isNull else { continue }
                guard let b = v.bool else { return wrong("\"expected.flags.\(key)\" must be true or false") }
                e[keyPath: target] = b
            }
        }
        return .success(e)
    }

    /// Checks every label against the rule set: an unknown category or department is an error.
    /// Returns the messages whose labels are all known, and the errors.
    public static func validate(_ messages: [LabelledMessage], against ruleSet: RuleSet) -> ([LabelledMessage], [Diagnostic]) {
        let categories = ruleSet.categories.map(\.id.rawValue)
        let departments = ruleSet.departments.map(\.id.rawValue)
        var ok: [LabelledMessage] = []
        var diags: [Diagnostic] = []
        for m in messages {
            var bad = false
            func report(_ kind: String, _ value: String, _ field: String, _ known: [String]) {
                var message = "unknown \(kind) '\(value)' in \"expected.\(field)\""
                if let hint = EditDistance.suggestion(for: value, among: known) { message += " (did you mean '\(hint)'?)" }
                diags.append(Diagnostic(.error, path: m.path, line: m.line, message: message, entry: m.id, code: "corpus-unknown-label"))
                bad = true
            }
            if let c = m.expected.category, ruleSet.category(c) == nil { report("category", c.rawValue, "category", categories) }
            if let l = m.expected.lead, ruleSet.department(l) == nil { report("department", l.rawValue, "lead", departments) }
            for d in m.expected.coHandlers ?? [] where ruleSet.department(d) == nil {
                report("department", d.rawValue, "co_handlers", departments)
            }
            if !bad { ok.append(m) }
        }
        return (ok, heldOutSafe(diags, messages))
    }

    /// Label errors of held-out messages without their ids.
    static func heldOutSafe(_ diags: [Diagnostic], _ messages: [LabelledMessage]) -> [Diagnostic] {
        let held = Set(messages.filter(\.isHeldOut).map(\.id))
        return diags.map { d in d.entry.map(held.contains) == true ? d.withoutEntry : d }
    }
}

extension Diagnostic {
    /// The diagnostic without its entry (a held-out message's id).
    var withoutEntry: Diagnostic {
        var d = self
        d.entry = nil
        return d
    }
}
