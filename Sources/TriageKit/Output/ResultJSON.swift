// The output contract (docs/output.md, docs/output.schema.json): every result type as JSON,
// written once against ``JSONEmitter``. `writeJSON(to:)` gives the bytes straight away;
// `json` builds the same document as a ``JSONValue`` tree.

extension TriageResult {
    /// The result as the JSON object of the output contract.
    public var json: JSONValue { JSONTreeBuilder.build { emit(into: &$0) } }

    /// Appends the result as compact JSON (UTF-8, the same text as `json.serialized`) to `bytes`.
    public func writeJSON(to bytes: inout [UInt8]) {
        var w = JSONWriter()
        emit(into: &w)
        w.finish(appendingTo: &bytes)
    }

    package func emit<E: JSONEmitter>(into e: inout E) {
        e.objectStart()
        e.key("id")
        id.emit(into: &e)
        e.key("category")
        e.string(category?.rawValue)
        e.key("scores")
        e.objectStart()
        for s in scores {
            e.dynamicKey(s.category.rawValue)
            e.number(s.score)
        }
        e.objectEnd()
        e.key("lead")
        if let lead { lead.emit(into: &e) } else { e.null() }
        e.key("co_handlers")
        e.arrayStart()
        for h in coHandlers { h.emit(into: &e) }
        e.arrayEnd()
        e.key("route")
        if let route {
            e.objectStart()
            e.field("channel", route.channel.rawValue)
            e.key("handler")
            route.handler.emit(into: &e)
            e.objectEnd()
        } else {
            e.null()
        }
        e.key("items")
        e.arrayStart()
        for i in items { i.emit(into: &e) }
        e.arrayEnd()
        e.key("combined")
        e.arrayStart()
        for c in combined { c.emit(into: &e) }
        e.arrayEnd()
        e.key("flags")
        e.objectStart()
        e.field("vague", flags.vague)
        e.field("multi_department", flags.multiDepartment)
        e.objectEnd()
        e.key("departments")
        e.arrayStart()
        for d in departments {
            e.objectStart()
            e.field("id", d.department.id.rawValue)
            e.field("name", d.department.name)
            e.key("score")
            e.number(d.score)
            e.objectEnd()
        }
        e.arrayEnd()
        e.key("reasons")
        Reason.emit(reasons, into: &e)
        e.key("evidence")
        e.arrayStart()
        for x in evidence { x.emit(into: &e) }
        e.arrayEnd()
        e.field("evidence_truncated", evidenceTruncated)
        e.key("screening")
        screening.emit(into: &e)
        e.key("deadlines")
        deadlines.emit(into: &e)
        e.key("escalation")
        escalation.emit(into: &e)
        e.key("ruleset")
        e.objectStart()
        e.field("version", rulesetVersion)
        e.objectEnd()
        e.objectEnd()
    }
}

extension JSONTreeBuilder {
    /// The tree `body` emits.
    static func build(_ body: (inout JSONTreeBuilder) -> Void) -> JSONValue {
        var b = JSONTreeBuilder()
        body(&b)
        return b.result
    }
}

extension MessageID {
    package func emit<E: JSONEmitter>(into e: inout E) {
        switch self {
        case .none: e.null()
        case .string(let s): e.string(s)
        case .number(let lexeme): e.lexeme(lexeme)
        }
    }
}

extension TriageResult.DepartmentRef {
    /// JSON `{id, name}`.
    public var json: JSONValue { JSONTreeBuilder.build { emit(into: &$0) } }

    package func emit<E: JSONEmitter>(into e: inout E) {
        e.objectStart()
        e.field("id", id.rawValue)
        e.field("name", name)
        e.objectEnd()
    }
}

extension TriageResult.ItemRef {
    /// JSON `{id, name, department, complexity}`.
    public var json: JSONValue { JSONTreeBuilder.build { emit(into: &$0) } }

    package func emit<E: JSONEmitter>(into e: inout E) {
        e.objectStart()
        e.field("id", id)
        e.field("name", name)
        e.field("department", department.rawValue)
        e.field("complexity", complexity.rawValue)
        e.objectEnd()
    }
}

extension TriageResult.CombinedRef {
    /// JSON `{id, name, lead}`.
    public var json: JSONValue { JSONTreeBuilder.build { emit(into: &$0) } }

    package func emit<E: JSONEmitter>(into e: inout E) {
        e.objectStart()
        e.field("id", id)
        e.field("name", name)
        e.field("lead", lead.rawValue)
        e.objectEnd()
    }
}

extension TriageResult.Evidence {
    /// JSON `{rule, kind, start, end, text}`.
    public var json: JSONValue { JSONTreeBuilder.build { emit(into: &$0) } }

    package func emit<E: JSONEmitter>(into e: inout E) {
        e.objectStart()
        e.field("rule", rule)
        e.field("kind", kind.rawValue)
        e.key("start")
        e.integer(start)
        e.key("end")
        e.integer(end)
        e.field("text", text)
        e.objectEnd()
    }
}

extension Reason {
    /// JSON `{code, message}`.
    public var json: JSONValue { JSONTreeBuilder.build { emit(into: &$0) } }

    package func emit<E: JSONEmitter>(into e: inout E) {
        e.objectStart()
        e.field("code", code.rawValue)
        e.field("message", message)
        e.objectEnd()
    }

    /// An array of reasons.
    package static func emit<E: JSONEmitter>(_ reasons: [Reason], into e: inout E) {
        e.arrayStart()
        for r in reasons { r.emit(into: &e) }
        e.arrayEnd()
    }
}

extension TriageResult.Screening {
    /// JSON `{decision, reason, reasons}`.
    public var json: JSONValue { JSONTreeBuilder.build { emit(into: &$0) } }

    package func emit<E: JSONEmitter>(into e: inout E) {
        e.objectStart()
        e.field("decision", decision.rawValue)
        e.key("reason")
        e.string(reason?.rawValue)
        e.key("reasons")
        Reason.emit(reasons, into: &e)
        e.objectEnd()
    }
}

extension TriageResult.Escalation {
    /// JSON `{leader_report, coordination, woodpecker_candidate, reasons}`.
    public var json: JSONValue { JSONTreeBuilder.build { emit(into: &$0) } }

    package func emit<E: JSONEmitter>(into e: inout E) {
        e.objectStart()
        for flag in EscalationFlag.allCases {
            e.dynamicKey(flag.rawValue)
            e.bool(flags.contains(flag))
        }
        e.key("reasons")
        Reason.emit(reasons, into: &e)
        e.objectEnd()
    }
}

extension TriageResult.Deadlines {
    /// JSON object of the output contract.
    public var json: JSONValue { JSONTreeBuilder.build { emit(into: &$0) } }

    package func emit<E: JSONEmitter>(into e: inout E) {
        e.objectStart()
        e.key("received_at")
        e.timestamp(receivedAt)
        e.field("received_at_defaulted", receivedAtDefaulted)
        e.key("dispatched_at")
        if let dispatchedAt { e.timestamp(dispatchedAt) } else { e.null() }
        e.field("complexity", complexity.rawValue)
        e.key("pre_review_due")
        if let preReviewDue { e.date(preReviewDue) } else { e.null() }
        e.key("reply_due")
        if let replyDue { e.date(replyDue) } else { e.null() }
        e.key("reply_working_days")
        e.integer(replyWorkingDays)
        e.field("reply_counted_from", dispatchedAt == nil ? "pre_review_due" : "dispatched_at")
        e.key("provisional")
        if provisionalYears.isEmpty {
            e.null()
        } else {
            e.objectStart()
            e.field("code", ReasonCode.calendarProvisionalYear.rawValue)
            e.field("message", Reason.calendarProvisionalYear(years: provisionalYears).message)
            e.key("years")
            e.arrayStart()
            for y in provisionalYears { e.integer(y) }
            e.arrayEnd()
            e.objectEnd()
        }
        e.key("reasons")
        Reason.emit(reasons, into: &e)
        if let missingYear {
            e.key("error")
            e.objectStart()
            e.field("code", "calendar_missing_year")
            e.field("message", Reason.calendarMissingYear(year: missingYear).message)
            e.key("year")
            e.integer(missingYear)
            e.objectEnd()
        }
        e.objectEnd()
    }
}

extension InputError {
    /// The error object written in place of a result; `line` (JSON Lines) or `index`
    /// (a batch request) says where the input was.
    public func json(line: Int? = nil, index: Int? = nil) -> JSONValue {
        JSONTreeBuilder.build { emit(into: &$0, line: line, index: index) }
    }

    /// Appends the error object as compact JSON to `bytes`.
    public func writeJSON(to bytes: inout [UInt8], line: Int? = nil, index: Int? = nil) {
        var w = JSONWriter(capacity: 256)
        emit(into: &w, line: line, index: index)
        w.finish(appendingTo: &bytes)
    }

    package func emit<E: JSONEmitter>(into e: inout E, line: Int?, index: Int?) {
        e.objectStart()
        e.key("id")
        id.emit(into: &e)
        e.key("error")
        e.objectStart()
        e.field("code", code.rawValue)
        e.field("message", message)
        if let field { e.field("field", field) }
        if let line {
            e.key("line")
            e.integer(line)
        }
        if let index {
            e.key("index")
            e.integer(index)
        }
        e.objectEnd()
        e.objectEnd()
    }
}
