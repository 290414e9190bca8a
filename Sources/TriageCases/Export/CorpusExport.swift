import Foundation

/// Decided cases as a labelled corpus (corpus/README.md) that `triage test`, `diff` and `stats` read.
///
/// One JSON object a line:
/// `{"id", "text", "received_at", "expected": {category, lead, co_handlers, flags, screening, escalation},
/// "tags", "provenance": {case_id, message_id, channel, ruleset_version, decision, decided_at, decided_by}}`.
/// The labels are the staff decision's (an accepted proposal's are the proposal's). A case not decided
/// yet has no `expected` and the tag `undecided`: `diff` and `stats` use it, `test` scores nothing for it.
/// Text is redacted unless `redact` is false.
public struct CorpusExport: Sendable {
    /// What the export did.
    public struct Summary: Sendable, Hashable {
        /// Lines written.
        public var cases = 0
        /// Of which decided (labelled).
        public var decided = 0
        /// Of which corrected by staff.
        public var corrected = 0
        /// Details replaced, by kind.
        public var redactions: [Redactor.Kind: Int] = [:]
    }

    /// Redact personal details (the default).
    public var redact: Bool
    /// The redactor.
    public var redactor = Redactor()

    /// Creates an export.
    public init(redact: Bool = true) { self.redact = redact }

    /// The corpus line of one case, and the redactions made in it.
    public func line(_ c: CaseRecord) -> (String, [Redactor.Kind: Int]) {
        let (text, counts) = redact ? redactor.redact(c.text) : (c.text, [:])
        var pairs: [(String, OrderedJSON)] = [
            ("id", .string("case-\(c.id)")),
            ("text", .string(text)),
            ("received_at", .string(CaseTime.iso(c.receivedAt))),
        ]
        var tags: [OrderedJSON] = [.string("channel_\(c.channel.rawValue)")]
        if let decision = c.decision {
            pairs.append(("expected", Self.expected(c.labels)))
            tags.insert(.string(decision == .accept ? "staff_accepted" : "staff_corrected"), at: 0)
        } else {
            tags.insert(.string("undecided"), at: 0)
        }
        pairs.append(("tags", .array(tags)))
        pairs.append(("provenance", .object([
            ("case_id", .int(c.id)),
            ("message_id", .optional(c.messageID)),
            ("channel", .string(c.channel.rawValue)),
            ("ruleset_version", .string(c.proposal.rulesetVersion)),
            ("decision", .optional(c.decision?.rawValue)),
            ("decided_at", .optional(c.decidedAt.map(CaseTime.iso))),
            ("decided_by", .optional(c.decidedBy)),
        ])))
        return (OrderedJSON.object(pairs).serialized, counts)
    }

    /// The `expected` object of the corpus format.
    public static func expected(_ l: CaseLabels) -> OrderedJSON {
        .object([
            ("category", .optional(l.category)),
            ("lead", .optional(l.lead)),
            ("co_handlers", .array(l.coHandlers.map(OrderedJSON.string))),
            ("flags", .object([("vague", .bool(l.vague)), ("multi_department", .bool(l.multiDepartment))])),
            ("screening", .string(l.screening.description)),
            ("escalation", .object([
                ("leader_report", .bool(l.leaderReport)), ("coordination", .bool(l.coordination)),
                ("woodpecker_candidate", .bool(l.woodpeckerCandidate)),
            ])),
        ])
    }

    /// Writes every selected case, page by page, to `write` (one line each, without the newline).
    public func run(_ store: any CaseStore, _ selection: CaseSelection, write: (String) throws -> Void) async throws -> Summary {
        var summary = Summary()
        var after: Int64 = 0
        while true {
            let page = try await store.cases(selection, afterID: after, limit: 1000)
            for c in page {
                let (line, counts) = self.line(c)
                try write(line)
                summary.cases += 1
                if c.isDecided { summary.decided += 1 }
                if c.decision == .correct { summary.corrected += 1 }
                for (k, n) in counts { summary.redactions[k, default: 0] += n }
            }
            guard let last = page.last, page.count == 1000 else { return summary }
            after = last.id
        }
    }
}
