// The output contract (docs/output.md, docs/output.schema.json): every result type as JSON.

extension TriageResult {
    /// The result as the JSON object of the output contract.
    public var json: JSONValue {
        .object([
            ("id", id.json),
            ("category", category.map { .string($0.rawValue) } ?? .null),
            ("scores", .object(scores.map { ($0.category.rawValue, .number($0.score)) })),
            ("lead", lead?.json ?? .null),
            ("co_handlers", .array(coHandlers.map(\.json))),
            ("route", route.map { .object([("channel", .string($0.channel.rawValue)), ("handler", $0.handler.json)]) } ?? .null),
            ("items", .array(items.map(\.json))),
            ("combined", .array(combined.map(\.json))),
            ("flags", .object([("vague", .bool(flags.vague)), ("multi_department", .bool(flags.multiDepartment))])),
            ("departments", .array(departments.map {
                .object([("id", .string($0.department.id.rawValue)), ("name", .string($0.department.name)), ("score", .number($0.score))])
            })),
            ("reasons", .array(reasons.map(\.json))),
            ("evidence", .array(evidence.map(\.json))),
            ("evidence_truncated", .bool(evidenceTruncated)),
            ("screening", screening.json),
            ("deadlines", deadlines.json),
            ("escalation", escalation.json),
            ("ruleset", .object([("version", .string(rulesetVersion))])),
        ])
    }
}

extension TriageResult.DepartmentRef {
    /// JSON `{id, name}`.
    public var json: JSONValue { .object([("id", .string(id.rawValue)), ("name", .string(name))]) }
}

extension TriageResult.ItemRef {
    /// JSON `{id, name, department, complexity}`.
    public var json: JSONValue {
        .object([("id", .string(id)), ("name", .string(name)), ("department", .string(department.rawValue)),
                 ("complexity", .string(complexity.rawValue))])
    }
}

extension TriageResult.CombinedRef {
    /// JSON `{id, name, lead}`.
    public var json: JSONValue { .object([("id", .string(id)), ("name", .string(name)), ("lead", .string(lead.rawValue))]) }
}

extension TriageResult.Evidence {
    /// JSON `{rule, kind, start, end, text}`.
    public var json: JSONValue {
        .object([
            ("rule", .string(rule)), ("kind", .string(kind.rawValue)),
            ("start", .number(Double(start))), ("end", .number(Double(end))), ("text", .string(text)),
        ])
    }
}

extension Reason {
    /// JSON `{code, message}`.
    public var json: JSONValue { .object([("code", .string(code.rawValue)), ("message", .string(message))]) }
}

extension TriageResult.Screening {
    /// JSON `{decision, reason, reasons}`.
    public var json: JSONValue {
        .object([
            ("decision", .string(decision.rawValue)),
            ("reason", reason.map { .string($0.rawValue) } ?? .null),
            ("reasons", .array(reasons.map(\.json))),
        ])
    }
}

extension TriageResult.Escalation {
    /// JSON `{leader_report, coordination, woodpecker_candidate, reasons}`.
    public var json: JSONValue {
        .object(EscalationFlag.allCases.map { ($0.rawValue, .bool(flags.contains($0))) } + [("reasons", .array(reasons.map(\.json)))])
    }
}

extension TriageResult.Deadlines {
    /// JSON object of the output contract.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("received_at", .string(receivedAt.description)),
            ("received_at_defaulted", .bool(receivedAtDefaulted)),
            ("dispatched_at", dispatchedAt.map { .string($0.description) } ?? .null),
            ("complexity", .string(complexity.rawValue)),
            ("pre_review_due", preReviewDue.map { .string($0.description) } ?? .null),
            ("reply_due", replyDue.map { .string($0.description) } ?? .null),
            ("reply_working_days", .number(Double(replyWorkingDays))),
            ("reply_counted_from", .string(dispatchedAt == nil ? "pre_review_due" : "dispatched_at")),
            ("provisional", provisionalYears.isEmpty ? .null : .object([
                ("code", .string(ReasonCode.calendarProvisionalYear.rawValue)),
                ("message", .string(Reason.calendarProvisionalYear(years: provisionalYears).message)),
                ("years", .array(provisionalYears.map { .number(Double($0)) })),
            ])),
            ("reasons", .array(reasons.map(\.json))),
        ]
        if let missingYear {
            pairs.append(("error", .object([
                ("code", .string("calendar_missing_year")),
                ("message", .string(Reason.calendarMissingYear(year: missingYear).message)),
                ("year", .number(Double(missingYear))),
            ])))
        }
        return .object(pairs)
    }
}

extension InputError {
    /// The error object written in place of a result; `line` (JSON Lines) or `index`
    /// (a batch request) says where the input was.
    public func json(line: Int? = nil, index: Int? = nil) -> JSONValue {
        var error: [(String, JSONValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
        if let field { error.append(("field", .string(field))) }
        if let line { error.append(("line", .number(Double(line)))) }
        if let index { error.append(("index", .number(Double(index)))) }
        return .object([("id", id.json), ("error", .object(error))])
    }
}
