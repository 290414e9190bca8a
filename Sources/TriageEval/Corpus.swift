import Foundation
import TriageKit

/// What a labeller expects for one message (corpus/README.md). Every field is
/// optional so that a corpus can label only what it knows; absent fields are not scored.
public struct Expectation: Sendable {
    /// True when `expected.category` is present (it may be `null`).
    public var hasCategory = false
    /// The expected category id, or `nil` for "none of them".
    public var category: String?
    /// True when `expected.lead` is present (it may be `null`).
    public var hasLead = false
    /// The expected lead department id.
    public var lead: String?
    /// Departments that must take part, when given.
    public var coHandlers: [String]?
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

    /// Creates a message.
    public init(id: String, text: String, expected: Expectation, tags: [String] = [], path: String = "<memory>", line: Int = 1) {
        self.id = id
        self.text = text
        self.expected = expected
        self.tags = tags
        self.path = path
        self.line = line
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

    /// Creates a corpus.
    public init(messages: [LabelledMessage], diagnostics: Diagnostics = Diagnostics(), files: [String] = []) {
        self.messages = messages
        self.diagnostics = diagnostics
        self.files = files
    }
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
    public static func load(_ paths: [String]) -> Corpus {
        let (files, fileDiags) = files(paths)
        var diagnostics = Diagnostics(fileDiags)
        var messages: [LabelledMessage] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                diagnostics.append(Diagnostic(.error, path: file, message: "cannot read file", code: "io"))
                continue
            }
            let (m, d) = parse([UInt8](data), path: file)
            messages += m
            for x in d { diagnostics.append(x) }
        }
        return Corpus(messages: dedupe(messages, &diagnostics), diagnostics: diagnostics, files: files)
    }

    static func dedupe(_ messages: [LabelledMessage], _ diagnostics: inout Diagnostics) -> [LabelledMessage] {
        var seen: [String: LabelledMessage] = [:]
        var out: [LabelledMessage] = []
        for m in messages {
            if let first = seen[m.id] {
                diagnostics.append(Diagnostic(.error, path: m.path, line: m.line,
                    message: "duplicate id '\(m.id)' (first at \(first.path):\(first.line))", entry: m.id, code: "corpus-duplicate-id"))
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

    static func parseLine(_ line: [UInt8]) -> Result<LabelledMessage, LineError> {
        let value: JSONValue
        do {
            value = try JSONValue.parse(line)
        } catch {
            return .failure(LineError(code: "corpus-json", message: "not valid JSON: \(error.description)"))
        }
        guard case .object = value else {
            return .failure(LineError(code: "corpus-json", message: "a corpus line must be a JSON object, not \(value.typeName)"))
        }
        let id: String
        switch value["id"] {
        case .string(let s)?: id = s
        case .number(let n)?: id = JSONValue.number(n).serialized
        case nil, .null?: return .failure(LineError(code: "corpus-field", message: "missing field \"id\""))
        case let v?: return .failure(LineError(code: "corpus-field", message: "\"id\" must be a string, not \(v.typeName)"))
        }
        guard let textValue = value["text"] else {
            return .failure(LineError(code: "corpus-field", message: "missing field \"text\"", id: id))
        }
        guard let text = textValue.string else {
            return .failure(LineError(code: "corpus-field", message: "\"text\" must be a string, not \(textValue.typeName)", id: id))
        }
        var e = Expectation()
        e.labelled = value["expected"] != nil
        if let exp = value["expected"] {
            guard case .object = exp else {
                return .failure(LineError(code: "corpus-field", message: "\"expected\" must be an object, not \(exp.typeName)", id: id))
            }
            e.raw = exp
            func optionalString(_ key: String) -> Result<String?, LineError>? {
                guard let v = exp[key] else { return nil }
                switch v {
                case .null: return .success(nil)
                case .string(let s): return .success(s)
                default: return .failure(LineError(code: "corpus-field", message: "\"expected.\(key)\" must be a string or null, not \(v.typeName)", id: id))
                }
            }
            switch optionalString("category") {
            case .success(let c)?: e.hasCategory = true; e.category = c
            case .failure(let err)?: return .failure(err)
            case nil: break
            }
            switch optionalString("lead") {
            case .success(let l)?: e.hasLead = true; e.lead = l
            case .failure(let err)?: return .failure(err)
            case nil: break
            }
            if let co = exp["co_handlers"], !co.isNull {
                guard let list = co.array, list.allSatisfy({ $0.string != nil }) else {
                    return .failure(LineError(code: "corpus-field", message: "\"expected.co_handlers\" must be a list of department ids", id: id))
                }
                e.coHandlers = list.compactMap(\.string)
            }
            if let flags = exp["flags"], !flags.isNull {
                guard case .object = flags else {
                    return .failure(LineError(code: "corpus-field", message: "\"expected.flags\" must be an object", id: id))
                }
                for (key, target) in [("vague", \Expectation.vague), ("multi_department", \Expectation.multiDepartment)] {
                    guard let v = flags[key], !v.isNull else { continue }
                    guard let b = v.bool else {
                        return .failure(LineError(code: "corpus-field", message: "\"expected.flags.\(key)\" must be true or false", id: id))
                    }
                    e[keyPath: target] = b
                }
            }
        }
        let tags = value["tags"]?.array?.compactMap(\.string) ?? []
        var message = LabelledMessage(id: id, text: text, expected: e, tags: tags)
        for key in ["received_at", "dispatched_at"] {
            guard let v = value[key], !v.isNull else { continue }
            guard let raw = v.string, let t = Timestamp.parse(raw) else {
                return .failure(LineError(code: "corpus-field", message: "\"\(key)\" must be an ISO 8601 time such as 2026-09-30T10:00:00+08:00", id: id))
            }
            if key == "received_at" { message.receivedAt = t } else { message.dispatchedAt = t }
        }
        return .success(message)
    }

    /// Checks every label against the rule set: an unknown category or department is an error.
    /// Returns the messages whose labels are all known, and the errors.
    public static func validate(_ messages: [LabelledMessage], against ruleSet: RuleSet) -> ([LabelledMessage], [Diagnostic]) {
        let categories = ruleSet.categories.map(\.id)
        let departments = ruleSet.departments.map(\.id)
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
            if let c = m.expected.category, ruleSet.category(c) == nil { report("category", c, "category", categories) }
            if let l = m.expected.lead, ruleSet.department(l) == nil { report("department", l, "lead", departments) }
            for d in m.expected.coHandlers ?? [] where ruleSet.department(d) == nil { report("department", d, "co_handlers", departments) }
            if !bad { ok.append(m) }
        }
        return (ok, diags)
    }
}
