/// A department as it appears in results: id and Chinese short name.
public struct DepartmentRef: Sendable, Hashable {
    /// Department id.
    public var id: String
    /// Chinese short name.
    public var name: String
    /// JSON `{id, name}`.
    public var json: JSONValue { .object([("id", .string(id)), ("name", .string(name))]) }
}

/// A department's evidence score in a result.
public struct DepartmentScore: Sendable, Hashable {
    /// The department.
    public var department: DepartmentRef
    /// Sum of its evidence weights.
    public var score: Double
}

/// One piece of evidence: a span of the original text and what it supports.
public struct Evidence: Sendable, Hashable {
    /// What the evidence supports.
    public enum Kind: String, Sendable, Hashable {
        case category, item, department, cue
        /// A screening rule's match (spam, abuse, a genuine request …).
        case screening
        /// An escalation rule's match.
        case escalation
    }
    /// The rule, item, department, combined matter or cue id.
    public var rule: String
    /// Its kind.
    public var kind: Kind
    /// Start, in Unicode scalars of the original text.
    public var start: Int
    /// End (exclusive), in Unicode scalars of the original text.
    public var end: Int
    /// The original text of the span.
    public var text: String

    /// JSON `{rule, kind, start, end, text}`.
    public var json: JSONValue {
        .object([
            ("rule", .string(rule)), ("kind", .string(kind.rawValue)),
            ("start", .number(Double(start))), ("end", .number(Double(end))), ("text", .string(text)),
        ])
    }
}

/// A machine-readable reason with a Chinese message for people.
public struct Reason: Sendable, Hashable {
    /// Stable code, e.g. `lead_item`, `vague_no_matter`.
    public var code: String
    /// Human message.
    public var message: String
    /// JSON `{code, message}`.
    public var json: JSONValue { .object([("code", .string(code)), ("message", .string(message))]) }
}

/// A matched item in a result.
public struct ItemRef: Sendable, Hashable {
    /// Item id.
    public var id: String
    /// Item name.
    public var name: String
    /// Exercising department id.
    public var department: String
    /// Simple or complex.
    public var complexity: Complexity
}

/// A matched combined matter in a result.
public struct CombinedRef: Sendable, Hashable {
    /// Combined matter id.
    public var id: String
    /// Name.
    public var name: String
    /// Declared lead id.
    public var lead: String
}

/// The engine's decision about one message, with evidence for every part.
public struct TriageResult: Sendable {
    /// The caller's id, echoed.
    public var id: JSONValue
    /// The category id, or `nil` when undecided.
    public var category: String?
    /// Score per category id, in definition order.
    public var scores: [(String, Double)]
    /// The proposed lead handler.
    public var lead: DepartmentRef?
    /// Co-handlers.
    public var coHandlers: [DepartmentRef]
    /// Channel and handler.
    public var channel: Channel
    /// Who handles it on that channel.
    public var handler: DepartmentRef
    /// Matched items.
    public var items: [ItemRef]
    /// Matched combined matters.
    public var combined: [CombinedRef]
    /// The vague flag.
    public var vague: Bool
    /// The multi-department flag.
    public var multiDepartment: Bool
    /// Departments with evidence and their scores, strongest first (process units excluded).
    public var departments: [DepartmentScore]
    /// Why.
    public var reasons: [Reason]
    /// The evidence, ordered by start.
    public var evidence: [Evidence]
    /// The rule-set version (content hash).
    public var rulesetVersion: String
    /// The pre-review (screening) decision.
    public var screening: Screening? = nil
    /// Working-day deadlines.
    public var deadlines: Deadlines? = nil
    /// Escalation signals.
    public var escalation: Escalation? = nil

    /// The result as the JSON object of the output contract (docs/output.md).
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", id),
            ("category", category.map(JSONValue.string) ?? .null),
            ("scores", .object(scores.map { ($0.0, .number($0.1)) })),
            ("lead", lead?.json ?? .null),
            ("co_handlers", .array(coHandlers.map(\.json))),
            ("route", .object([("channel", .string(channel.rawValue)), ("handler", handler.json)])),
            ("items", .array(items.map {
                .object([("id", .string($0.id)), ("name", .string($0.name)), ("department", .string($0.department)),
                         ("complexity", .string($0.complexity.rawValue))])
            })),
            ("combined", .array(combined.map {
                .object([("id", .string($0.id)), ("name", .string($0.name)), ("lead", .string($0.lead))])
            })),
            ("flags", .object([("vague", .bool(vague)), ("multi_department", .bool(multiDepartment))])),
            ("departments", .array(departments.map {
                .object([("id", .string($0.department.id)), ("name", .string($0.department.name)), ("score", .number($0.score))])
            })),
            ("reasons", .array(reasons.map(\.json))),
            ("evidence", .array(evidence.map(\.json))),
        ]
        if let screening { pairs.append(("screening", screening.json)) }
        if let deadlines { pairs.append(("deadlines", deadlines.json)) }
        if let escalation { pairs.append(("escalation", escalation.json)) }
        pairs.append(("ruleset", .object([("version", .string(rulesetVersion))])))
        return .object(pairs)
    }
}

/// The JSON error object written in place of a result for input that cannot be classified.
public func errorResult(id: JSONValue, line: Int?, code: String, message: String, field: String? = nil) -> JSONValue {
    var error: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
    if let field { error.append(("field", .string(field))) }
    if let line { error.append(("line", .number(Double(line)))) }
    return .object([("id", id), ("error", .object(error))])
}
