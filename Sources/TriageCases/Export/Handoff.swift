import Foundation

/// The 12345 hand-off: dispatched cases, who handles them and by when, for the hotline platform.
/// No message text: the platform has the message under its own id.
public struct HandoffExport: Sendable {
    /// Department id → Chinese short name (from the rule set).
    public var departmentNames: [String: String]

    /// Creates the export.
    public init(departmentNames: [String: String] = [:]) { self.departmentNames = departmentNames }

    /// The columns, in order.
    public static let columns = [
        "case_id", "message_id", "channel", "received_at", "dispatched_at", "category", "handler", "handler_name",
        "co_handlers", "co_handler_names", "complexity", "pre_review_due", "reply_due",
    ]

    func values(_ c: CaseRecord) -> [String] {
        [
            String(c.id), c.messageID ?? "", c.channel.rawValue, CaseTime.iso(c.receivedAt), c.decidedAt.map(CaseTime.iso) ?? "",
            c.labels.category ?? "", c.labels.lead ?? "", c.labels.lead.flatMap { departmentNames[$0] } ?? "",
            c.labels.coHandlers.joined(separator: ";"), c.labels.coHandlers.map { departmentNames[$0] ?? $0 }.joined(separator: "；"),
            c.proposal.complexity ?? "", c.preReviewDue ?? "", c.replyDue ?? "",
        ]
    }

    /// CSV (UTF-8 with BOM, formula-safe cells). Co-handlers are separated by `;` (ids) and `；` (names).
    public func csv(_ cases: [CaseRecord]) -> String {
        var w = CSVWriter(header: Self.columns)
        for c in cases { w.row(values(c)) }
        return w.text
    }

    /// JSON: `{"cases": [{case_id, message_id, channel, received_at, dispatched_at, category,
    /// handler: {id, name}, co_handlers: [{id, name}], complexity, pre_review_due, reply_due}]}`.
    public func json(_ cases: [CaseRecord]) -> OrderedJSON {
        func dept(_ id: String) -> OrderedJSON { .object([("id", .string(id)), ("name", .optional(departmentNames[id]))]) }
        return .object([("cases", .array(cases.map { c in
            .object([
                ("case_id", .int(c.id)), ("message_id", .optional(c.messageID)), ("channel", .string(c.channel.rawValue)),
                ("received_at", .string(CaseTime.iso(c.receivedAt))), ("dispatched_at", .optional(c.decidedAt.map(CaseTime.iso))),
                ("category", .optional(c.labels.category)), ("handler", c.labels.lead.map(dept) ?? .null),
                ("co_handlers", .array(c.labels.coHandlers.map(dept))), ("complexity", .optional(c.proposal.complexity)),
                ("pre_review_due", .optional(c.preReviewDue)), ("reply_due", .optional(c.replyDue)),
            ])
        }))])
    }
}

/// The 啄木鸟 list: the year's cases whose decided labels carry the woodpecker flag (confirmed by
/// staff, whether the engine proposed it or staff added it), for the annual collection.
/// The message text is included, redacted unless asked otherwise.
public struct WoodpeckerExport: Sendable {
    /// Department id → name.
    public var departmentNames: [String: String]
    /// Redact personal details in the text (the default).
    public var redact: Bool

    /// Creates the export.
    public init(departmentNames: [String: String] = [:], redact: Bool = true) {
        self.departmentNames = departmentNames
        self.redact = redact
    }

    /// The columns, in order.
    public static let columns = ["case_id", "message_id", "received_at", "category", "lead", "lead_name", "decided_by", "decided_at",
                                 "proposed_by_engine", "text"]

    func text(_ c: CaseRecord) -> String { redact ? Redactor().redact(c.text).text : c.text }

    /// CSV (UTF-8 with BOM, formula-safe).
    public func csv(_ cases: [CaseRecord]) -> String {
        var w = CSVWriter(header: Self.columns)
        for c in cases {
            w.row([
                String(c.id), c.messageID ?? "", CaseTime.iso(c.receivedAt), c.labels.category ?? "", c.labels.lead ?? "",
                c.labels.lead.flatMap { departmentNames[$0] } ?? "", c.decidedBy ?? "", c.decidedAt.map(CaseTime.iso) ?? "",
                c.proposal.labels.woodpeckerCandidate ? "yes" : "no", text(c),
            ])
        }
        return w.text
    }

    /// JSON: `{"year", "cases": [{case_id, message_id, received_at, category, lead: {id, name}, decided_by,
    /// decided_at, proposed_by_engine, text}]}`.
    public func json(_ cases: [CaseRecord], year: Int) -> OrderedJSON {
        .object([("year", .int(Int64(year))), ("cases", .array(cases.map { c in
            .object([
                ("case_id", .int(c.id)), ("message_id", .optional(c.messageID)), ("received_at", .string(CaseTime.iso(c.receivedAt))),
                ("category", .optional(c.labels.category)),
                ("lead", c.labels.lead.map { .object([("id", .string($0)), ("name", .optional(departmentNames[$0]))]) } ?? .null),
                ("decided_by", .optional(c.decidedBy)), ("decided_at", .optional(c.decidedAt.map(CaseTime.iso))),
                ("proposed_by_engine", .bool(c.proposal.labels.woodpeckerCandidate)), ("text", .string(text(c))),
            ])
        }))])
    }
}
