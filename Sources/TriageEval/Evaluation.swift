import Foundation
import Synchronization
public import TriageKit

/// The engine's answer for one corpus message and what fired to produce it.
public struct Outcome: Sendable {
    /// The result.
    public var result: TriageResult
    /// Classification rules that fired (not vetoed), in rule order.
    public var fired: [String]
    /// Rules and cues vetoed by an exclusion.
    public var vetoed: [String]
    /// Cues that fired.
    public var cues: [String]
    /// Items and combined matters that matched.
    public var items: [String]
    /// Departments named in the text (their names or aliases matched).
    public var mentions: [String] = []
    /// Screening and escalation rules that fired.
    public var preReview: [String] = []

    /// Every rule-set entry that fired: rules, cues, items.
    public var entries: [String] { fired + cues + items }
}

/// One labelled dimension that did not come out as expected.
public struct Mismatch: Sendable, Equatable {
    /// `category`, `lead`, `co_handlers`, `vague` or `multi_department`.
    public var field: String
    /// The label, as text (`null` for none).
    public var expected: String
    /// The engine's answer, as text.
    public var actual: String
}

/// Compares a result with its labels.
public enum Verdict {
    /// The labelled dimensions on which `result` disagrees with `expected`. Co-handlers
    /// disagree when a labelled co-handler is missing from the result (an empty label means "unclear").
    public static func mismatches(_ expected: Expectation, _ result: TriageResult) -> [Mismatch] {
        var out: [Mismatch] = []
        func text(_ s: String?) -> String { s ?? "null" }
        if expected.hasCategory, expected.category != result.category {
            out.append(Mismatch(field: "category", expected: text(expected.category?.rawValue), actual: text(result.category?.rawValue)))
        }
        if expected.hasLead, expected.lead != result.lead?.id {
            out.append(Mismatch(field: "lead", expected: text(expected.lead?.rawValue), actual: text(result.lead?.id.rawValue)))
        }
        if let co = expected.coHandlers, !Set(co).isSubset(of: Set(result.coHandlers.map(\.id))) {
            out.append(Mismatch(field: "co_handlers", expected: "[" + co.map(\.rawValue).joined(separator: ", ") + "]",
                                actual: "[" + result.coHandlers.map(\.id.rawValue).joined(separator: ", ") + "]"))
        }
        if let v = expected.vague, v != result.flags.vague {
            out.append(Mismatch(field: "vague", expected: String(v), actual: String(result.flags.vague)))
        }
        if let v = expected.multiDepartment, v != result.flags.multiDepartment {
            out.append(Mismatch(field: "multi_department", expected: String(v), actual: String(result.flags.multiDepartment)))
        }
        return out
    }
}

/// Runs labelled messages through an engine on every core, keeping corpus order.
public struct Evaluator: Sendable {
    /// The engine.
    public let engine: TriageEngine

    /// Creates an evaluator.
    public init(engine: TriageEngine) { self.engine = engine }

    /// Classifies one message, once.
    public func outcome(_ text: String, id: String) -> Outcome {
        outcome(MessageRecord(text: text, id: .string(id)))
    }

    /// Classifies one labelled message (with its receipt and dispatch times), once.
    public func outcome(_ m: LabelledMessage) -> Outcome {
        outcome(m.record)
    }

    /// Classifies one message record, once.
    public func outcome(_ record: MessageRecord) -> Outcome {
        let (result, explanation) = engine.explain(record)
        let rs = engine.ruleSet
        let firedSet = Set(explanation.fired.map(\.rule))
        var seen = Set<String>()
        let mentions = result.evidence.filter { $0.kind == .department && seen.insert($0.rule).inserted }.map(\.rule)
        return Outcome(
            result: result,
            fired: rs.rules.lazy.map(\.id).filter { firedSet.contains($0) },
            vetoed: explanation.vetoed.map(\.rule),
            cues: explanation.cues.map(\.id),
            items: result.items.map(\.id) + result.combined.map(\.id),
            mentions: mentions,
            preReview: explanation.preReview.map(\.id))
    }

    /// Classifies every message once. `progress` is called now and then with the number done.
    public func run(_ messages: [LabelledMessage], progress: (@Sendable (Int) -> Void)? = nil) -> [Outcome] {
        let n = messages.count
        guard n > 0 else { return [] }
        let chunk = 64
        let chunks = (n + chunk - 1) / chunk
        let done = Mutex(0)
        return Array(unsafeUninitializedCapacity: n) { buffer, count in
            let slots = Slots(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let range = (c * chunk)..<min(n, (c + 1) * chunk)
                for i in range { slots.buffer.initializeElement(at: i, to: outcome(messages[i])) }
                let total = done.withLock { value -> Int in
                    value += range.count
                    return value
                }
                progress?(total)
            }
            count = n
        }
    }
}

/// Distinct indices of one buffer are initialised from several threads; nothing is read until all are done.
private struct Slots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Outcome>
}
