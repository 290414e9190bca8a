import Foundation
import HTTPTypes
import Hummingbird
import TriageCases
import TriageKit

/// The case routes under `/v1/cases`: the worklist, intake (one message or a batch, classified
/// with the rule set being served), one case with its history, the staff decision and the reply.
/// Every route needs a principal (``DeskAuthMiddleware``); the decision needs signed-in staff.
struct CaseEndpoints: Sendable {
    let desk: CaseDesk
    let endpoints: Endpoints

    var store: any CaseStore & AccountStore { desk.store }

    // MARK: GET /v1/cases

    /// The worklist with the filters as query parameters, plus counts per status.
    func list(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where parameters[String(key)] == nil {
            parameters[String(key)] = String(value)
        }
        let query = try Self.worklistQuery(parameters)
        let now = desk.now()
        let (page, counts) = try await deskErrors {
            (try await store.worklist(query, now: now), try await store.counts(now: now))
        }
        let items: [OrderedJSON] = page.items.map { CaseJSON.summary($0, now: now) }
        let pairs: [(String, OrderedJSON)] = [
            ("now", .string(CaseTime.iso(CaseTime.seconds(now)))),
            ("total", .int(Int64(page.total))), ("overdue", .int(Int64(page.overdue))),
            ("offset", .int(Int64(page.offset))), ("limit", .int(Int64(page.limit))),
            ("counts", Self.json(counts)),
            ("cases", .array(items)),
        ]
        return deskJSON(.object(pairs))
    }

    static func json(_ c: CaseCounts) -> OrderedJSON {
        .object(CaseStatus.allCases.map { ($0.rawValue, .int(Int64(c.byStatus[$0] ?? 0))) } + [
            ("overdue_review", .int(Int64(c.overdueReview))), ("overdue_reply", .int(Int64(c.overdueReply))),
            ("total", .int(Int64(c.total))),
        ])
    }

    /// `status`, `department`, `category`, `flag`, `q`, `overdue`, `order`, `limit`, `offset`.
    static func worklistQuery(_ parameters: [String: String]) throws -> WorklistQuery {
        var q = WorklistQuery()
        let known: Set<String> = ["status", "department", "category", "flag", "q", "overdue", "order", "limit", "offset"]
        for (key, _) in parameters where !known.contains(key) {
            throw DeskError.parameter(key, "unknown query parameter '\(key)' (\(known.sorted().joined(separator: ", ")))")
        }
        func value(_ name: String) -> String? {
            guard let v = parameters[name], !v.isEmpty else { return nil }
            return v
        }
        if let s = value("status"), s != "all" {
            guard let status = CaseStatus(rawValue: s) else {
                throw DeskError.parameter("status", "status must be all, \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            q.status = status
        }
        q.department = value("department")
        q.category = value("category")
        if let f = value("flag") {
            guard let flag = CaseFlag(rawValue: f) else {
                throw DeskError.parameter("flag", "flag must be one of \(CaseFlag.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            q.flag = flag
        }
        q.text = value("q")
        if let o = value("overdue") {
            guard let b = ["true": true, "1": true, "false": false, "0": false][o] else {
                throw DeskError.parameter("overdue", "overdue must be true or false")
            }
            q.overdueOnly = b
        }
        if let o = value("order") {
            guard let order = WorklistQuery.Order(rawValue: o) else { throw DeskError.parameter("order", "order must be deadline or newest") }
            q.order = order
        }
        if let l = value("limit") {
            guard let n = Int(l), (1...1000).contains(n) else { throw DeskError.parameter("limit", "limit must be 1…1000") }
            q.limit = n
        }
        if let o = value("offset") {
            guard let n = Int(o), n >= 0 else { throw DeskError.parameter("offset", "offset must be 0 or more") }
            q.offset = n
        }
        do {
            try q.validate()
        } catch {
            throw DeskError.parameter(q.overdueOnly ? "overdue" : "order", error.description)
        }
        return q
    }

    // MARK: POST /v1/cases, POST /v1/cases/batch

    /// One message → one case: `{"text", "id"?, "received_at"?, "dispatched_at"?, "channel"?}`.
    /// 201 with the case; 409 `duplicate` (with `case_id`) when the channel already has that message id.
    func create(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let value = try await endpoints.json(request)
        let snapshot = try endpoints.snapshot()
        let intake: Intake
        switch Intake.parse(value, defaultChannel: .online, engine: snapshot.engine) {
        case .success(let i): intake = i
        case .failure(let e): throw APIError(e)
        }
        endpoints.metrics.classified([intake.category])
        let now = desk.now()
        let outcome = try await deskErrors {
            try await store.createCases([intake.newCase], duplicates: .skip, by: principal.actor, at: now)
        }
        switch outcome.first {
        case .created(let id)?:
            return try await detail(id, status: .created, version: snapshot.version)
        case .duplicate(let existing)?:
            return deskJSON(.object([("error", .object([
                ("code", .string(APIError.Code.duplicate.rawValue)),
                ("message", .string("message id exists already on channel \(intake.newCase.channel.rawValue) (case \(existing))")),
                ("field", .string("id")), ("case_id", .int(existing)),
            ]))]), status: .conflict)
        case nil:
            throw APIError(.internalServerError, code: .internalError, message: "the store returned no outcome")
        }
    }

    /// `{"messages": [...], "channel"?: "online"|"window", "duplicates"?: "skip"|"fail"}` → one case per
    /// valid message, all stored in one transaction: when the reply comes, every created case is
    /// committed. A bad message gets an error in its place and is left out; a duplicate message id is
    /// reported with the existing case (`skip`, the default, so a retried batch is harmless) or
    /// fails the whole batch with 409 (`fail`).
    func batch(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let value = try await endpoints.json(request)
        guard case .object = value else {
            throw APIError(.badRequest, code: .notAnObject, message: "expected a JSON object with a \"messages\" array, got \(value.typeName)")
        }
        guard let field = value["messages"] else {
            throw APIError(.badRequest, code: .missingField, message: "missing field \"messages\"", field: "messages")
        }
        guard let messages = field.array else {
            throw APIError(.badRequest, code: .wrongType, message: "\"messages\" must be an array, not \(field.typeName)", field: "messages")
        }
        let limit = endpoints.configuration.maxBatch
        guard messages.count <= limit else {
            throw APIError(.contentTooLarge, code: .tooManyMessages,
                           message: "a batch holds at most \(limit) messages; this one has \(messages.count)", field: "messages")
        }
        var channel = IntakeChannel.online
        if let c = value["channel"], !c.isNull {
            guard let name = c.string, let parsed = IntakeChannel(rawValue: name) else {
                throw DeskError.field("channel", "\"channel\" must be \"online\" or \"window\"")
            }
            channel = parsed
        }
        var policy = DuplicatePolicy.skip
        if let d = value["duplicates"], !d.isNull {
            switch d.string {
            case "skip": policy = .skip
            case "fail": policy = .fail
            default: throw DeskError.field("duplicates", "\"duplicates\" must be \"skip\" or \"fail\"")
            }
        }
        let snapshot = try endpoints.snapshot()
        var slots: [Slot] = []
        var valid: [NewCase] = []
        var categories: [CategoryID?] = []
        for item in messages {
            switch Intake.parse(item, defaultChannel: channel, engine: snapshot.engine) {
            case .success(let intake):
                slots.append(.pending(valid.count, intake.id))
                valid.append(intake.newCase)
                categories.append(intake.category)
            case .failure(let error):
                slots.append(.failed(error))
            }
        }
        endpoints.metrics.classified(categories)
        let now = desk.now()
        let outcomes: [IntakeOutcome]
        do {
            outcomes = valid.isEmpty ? [] : try await store.createCases(valid, duplicates: policy, by: principal.actor, at: now)
        } catch CaseStoreError.batchItem(let index, let reason) {
            // Only a duplicate under "fail" gets here: every other problem was caught per message above.
            let original = slots.firstIndex { if case .pending(index, _) = $0 { return true } else { return false } } ?? index
            return deskJSON(.object([("error", .object([
                ("code", .string(APIError.Code.duplicate.rawValue)), ("message", .string("message \(original): \(reason)")),
                ("field", .string("messages")), ("index", .int(Int64(original))),
            ]))]), status: .conflict)
        } catch let e as CaseStoreError {
            throw DeskError.from(e)
        }
        var results: [OrderedJSON] = []
        results.reserveCapacity(slots.count)
        var created = 0, duplicates = 0, failed = 0
        for (index, slot) in slots.enumerated() {
            switch slot {
            case .failed(let error):
                failed += 1
                results.append(.object([
                    ("index", .int(Int64(index))), ("id", Self.json(error.id)), ("outcome", .string("error")),
                    ("error", .object([("code", .string(error.code.rawValue)), ("message", .string(error.message))]
                        + (error.field.map { [("field", OrderedJSON.string($0))] } ?? []))),
                ]))
            case .pending(let k, let id):
                let (outcome, caseID): (String, Int64)
                switch outcomes[k] {
                case .created(let id): (outcome, caseID) = ("created", id); created += 1
                case .duplicate(let id): (outcome, caseID) = ("duplicate", id); duplicates += 1
                }
                results.append(.object([
                    ("index", .int(Int64(index))), ("id", Self.json(id)), ("outcome", .string(outcome)), ("case_id", .int(caseID)),
                ]))
            }
        }
        return deskJSON(.object([
            ("results", .array(results)), ("count", .int(Int64(slots.count))), ("created", .int(Int64(created))),
            ("duplicates", .int(Int64(duplicates))), ("failed", .int(Int64(failed))),
            ("ruleset", .object([("version", .string(snapshot.version))])),
        ]), headers: versionHeader(snapshot.version))
    }

    enum Slot {
        /// To be stored as item `k` of the store's batch; the message's id as given.
        case pending(Int, MessageID)
        case failed(InputError)
    }

    static func json(_ id: MessageID) -> OrderedJSON {
        switch id {
        case .none: return .null
        case .string(let s): return .string(s)
        case .number(let lexeme): return .raw(lexeme)
        }
    }

    // MARK: GET /v1/cases/{id}

    /// One case with its history and the engine's full result.
    func read(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        try await detail(try Self.caseID(context), status: .ok, version: nil)
    }

    static func caseID(_ context: DeskRequestContext) throws -> Int64 {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int64(raw), id > 0 else { throw DeskError.caseNotFound(raw) }
        return id
    }

    func detail(_ id: Int64, status: HTTPResponse.Status, version: String?) async throws -> Response {
        let now = desk.now()
        let (record, history) = try await deskErrors { (try await store.record(id), try await store.history(id)) }
        guard let record else { throw DeskError.caseNotFound(String(id)) }
        return deskJSON(CaseJSON.detail(record, history: history, now: now), status: status, headers: version.map(versionHeader) ?? [:])
    }

    // MARK: POST /v1/cases/{id}/decision

    /// `{"action": "accept"|"correct", "reason"?, "labels"?}`: staff only. A correction's `labels`
    /// take the shape of a case's `labels`; keys left out keep the proposal's value. The reply
    /// deadline is counted again from now with the rule set's calendar.
    func decide(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        guard case .user(let session) = try context.requirePrincipal() else { throw DeskError.staffOnly }
        let id = try Self.caseID(context)
        let value = try await endpoints.json(request)
        guard case .object = value else { throw DeskError.field("action", "expected {\"action\": \"accept\" | \"correct\", …}") }
        let snapshot = try endpoints.snapshot()
        let now = desk.now()
        guard let record = try await deskErrors({ try await store.record(id) }) else { throw DeskError.caseNotFound(String(id)) }
        let reason: String?
        switch value["reason"] {
        case nil, .null?: reason = nil
        case .string(let s)?: reason = s
        case let other?: throw DeskError.field("reason", "\"reason\" must be a string, not \(other.typeName)")
        }
        let replyDue = CaseProposal.replyDue(dispatchedAt: now, complexity: record.proposal.complexity, ruleSet: snapshot.ruleSet)
        let decision: CaseDecision
        switch value["action"]?.string {
        case "accept"?:
            if let l = value["labels"], !l.isNull { throw DeskError.from(.decision(.labelsOnAccept)) }
            decision = .accept(reason: reason, replyDue: replyDue)
        case "correct"?:
            guard let patch = value["labels"], !patch.isNull else { throw DeskError.from(.decision(.labelsMissing)) }
            decision = .correct(try LabelPatch.apply(patch, to: record.proposal.labels), reason: reason ?? "", replyDue: replyDue)
        default:
            throw DeskError.field("action", "\"action\" must be \"accept\" or \"correct\"")
        }
        _ = try await deskErrors {
            try await store.decide(id, decision, by: session.user.actor, at: now, vocabulary: CaseVocabulary(ruleSet: snapshot.ruleSet))
        }
        return try await detail(id, status: .ok, version: nil)
    }

    // MARK: POST /v1/cases/{id}/reply

    /// `{"note"?}`: the department replied to a dispatched case.
    func reply(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let id = try Self.caseID(context)
        let bytes = try await endpoints.body(request)
        var note: String?
        if !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            let value: JSONValue
            do {
                value = try JSONValue.parse(bytes)
            } catch {
                throw APIError(.badRequest, code: .invalidJSON, message: "invalid JSON: \(error.description)")
            }
            switch value["note"] {
            case nil, .null?: note = nil
            case .string(let s)?: note = s.isEmpty ? nil : s
            case let other?: throw DeskError.field("note", "\"note\" must be a string, not \(other.typeName)")
            }
        }
        _ = try await deskErrors { try await store.markReplied(id, by: principal.actor, at: desk.now(), note: note) }
        return try await detail(id, status: .ok, version: nil)
    }
}

/// One message of an intake request, classified.
struct Intake {
    var newCase: NewCase
    var category: CategoryID?
    /// The id as the request gave it (a number stays a number in the reply).
    var id: MessageID

    /// `{"text", "id"?, "received_at"?, "dispatched_at"?, "channel"?}`, classified with `engine`.
    static func parse(_ value: JSONValue, defaultChannel: IntakeChannel, engine: TriageEngine) -> Result<Intake, InputError> {
        let message: MessageRecord
        switch MessageRecord.parse(value) {
        case .success(let m): message = m
        case .failure(let e): return .failure(e)
        }
        var channel = defaultChannel
        if let c = value["channel"], !c.isNull {
            guard let name = c.string, let parsed = IntakeChannel(rawValue: name) else {
                return .failure(InputError(.invalidField, "\"channel\" must be \"online\" or \"window\"", field: "channel", id: message.id))
            }
            channel = parsed
        }
        if message.text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            return .failure(InputError(.invalidField, "\"text\" is empty", field: "text", id: message.id))
        }
        let result = engine.classify(message)
        let newCase = NewCase(result: result, text: message.text, channel: channel)
        if let problem = newCase.problem {
            return .failure(InputError(.invalidField, problem.description, field: problem.field, id: message.id))
        }
        return .success(Intake(newCase: newCase, category: result.category, id: message.id))
    }
}

/// A correction's labels: the shape of a case's `labels` (`category`, `lead`, `co_handlers`,
/// `screening`, `flags.{vague, multi_department}`, `escalation.{leader_report, coordination,
/// woodpecker_candidate}`), every key optional; a key left out keeps the proposal's value.
enum LabelPatch {
    static func apply(_ patch: JSONValue, to base: CaseLabels) throws -> CaseLabels {
        guard case .object(let pairs) = patch else { throw bad("labels", "\"labels\" must be an object") }
        var l = base
        for (key, v) in pairs {
            switch key {
            case "category": l.category = try optionalString(v, "labels.category")
            case "lead": l.lead = try optionalString(v, "labels.lead")
            case "co_handlers":
                guard let items = v.array else { throw bad("labels.co_handlers", "\"co_handlers\" must be an array of department ids") }
                l.coHandlers = try items.map {
                    guard let s = $0.string, !s.isEmpty else { throw bad("labels.co_handlers", "\"co_handlers\" must hold department ids") }
                    return s
                }
            case "screening":
                guard let s = v.string, let label = ScreeningLabel(s) else {
                    throw bad("labels.screening", "\"screening\" must be accept, needs_review or reject:<\(ScreeningLabel.rejectReasons.joined(separator: "|"))>")
                }
                l.screening = label
            case "flags":
                try flags(v, "labels.flags", ["vague": \.vague, "multi_department": \.multiDepartment], into: &l)
            case "escalation":
                try flags(v, "labels.escalation", [
                    "leader_report": \.leaderReport, "coordination": \.coordination, "woodpecker_candidate": \.woodpeckerCandidate,
                ], into: &l)
            default:
                throw bad("labels.\(key)", "unknown label '\(key)' (category, lead, co_handlers, screening, flags, escalation)")
            }
        }
        return l
    }

    static func flags(_ v: JSONValue, _ field: String, _ keys: [String: WritableKeyPath<CaseLabels, Bool>], into l: inout CaseLabels) throws {
        guard case .object(let pairs) = v else { throw bad(field, "\"\(field)\" must be an object of booleans") }
        for (key, value) in pairs {
            guard let path = keys[key] else { throw bad("\(field).\(key)", "unknown flag '\(key)' (\(keys.keys.sorted().joined(separator: ", ")))") }
            guard let b = value.bool else { throw bad("\(field).\(key)", "'\(key)' must be true or false") }
            l[keyPath: path] = b
        }
    }

    static func optionalString(_ v: JSONValue, _ field: String) throws -> String? {
        if v.isNull { return nil }
        guard let s = v.string, !s.isEmpty else { throw bad(field, "\"\(field)\" must be an id or null") }
        return s
    }

    static func bad(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, code: .invalidDecision, message: message, field: field)
    }
}
