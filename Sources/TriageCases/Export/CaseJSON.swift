import Foundation

/// Cases as JSON, the same for the CLI (`triage cases list --format json`, `cases show`) and the
/// HTTP API (`/v1/cases`), so that the two cannot drift apart.
public enum CaseJSON {
    /// Labels in the corpus's `expected` shape.
    public static func labels(_ l: CaseLabels) -> OrderedJSON { CorpusExport.expected(l) }

    /// One case without its history and result: ids, times, status, countdown, the proposal's labels
    /// and the labels in force, the decision, and the text (personal data: never log it).
    public static func summary(_ c: CaseRecord, now: Date) -> OrderedJSON {
        .object([
            ("id", .int(c.id)), ("message_id", .optional(c.messageID)), ("channel", .string(c.channel.rawValue)),
            ("received_at", .string(CaseTime.iso(c.receivedAt))), ("created_at", .string(CaseTime.iso(c.createdAt))),
            ("status", .string(c.status.rawValue)),
            ("overdue", .bool(c.isOverdue(at: now))), ("seconds_left", .optional(c.countdown(at: now))),
            ("deadline_at", .optional(c.activeDeadline.map(CaseTime.iso))),
            ("pre_review_due", .optional(c.preReviewDue)), ("reply_due", .optional(c.replyDue)),
            ("complexity", .optional(c.proposal.complexity)),
            ("proposal", labels(c.proposal.labels)), ("labels", labels(c.labels)),
            ("decision", .optional(c.decision?.rawValue)), ("decision_reason", .optional(c.decisionReason)),
            ("decided_by", .optional(c.decidedBy)), ("decided_at", .optional(c.decidedAt.map(CaseTime.iso))),
            ("replied_at", .optional(c.repliedAt.map(CaseTime.iso))),
            ("ruleset_version", .string(c.proposal.rulesetVersion)),
            ("text", .string(c.text)),
        ])
    }

    /// One history entry; `data` is the stored JSON as it is.
    public static func event(_ e: CaseEvent) -> OrderedJSON {
        .object([
            ("at", .string(CaseTime.iso(e.at))), ("actor", .string(e.actor)), ("kind", .string(e.kind.rawValue)),
            ("from", .optional(e.fromStatus?.rawValue)), ("to", .string(e.toStatus.rawValue)), ("data", .raw(e.data)),
        ])
    }

    /// One case with its history and, when the record carries it, the engine's full result.
    public static func detail(_ c: CaseRecord, history: [CaseEvent], now: Date) -> OrderedJSON {
        guard case .object(var pairs) = summary(c, now: now) else { return summary(c, now: now) }
        pairs.append(("history", .array(history.map(event))))
        pairs.append(("result", c.proposal.resultJSON.isEmpty ? .null : .raw(c.proposal.resultJSON)))
        return .object(pairs)
    }
}
