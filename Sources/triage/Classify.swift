import ArgumentParser
import Foundation
import TriageKit

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Shared input handling for classify and explain: TEXT argument or standard input.
struct TextInput: ParsableArguments {
    @Argument(help: "The message text. Read from standard input when omitted.")
    var text: String?

    @Option(name: .long, help: "An id to echo in the result.")
    var id: String?

    @Option(name: .customLong("max-text"), help: "Most characters in a message's text (longer: a too_long error).")
    var maxText = MessageRecord.defaultMaxTextLength

    @Option(name: .customLong("max-input-bytes"), help: "Most bytes in one JSON Lines record or in standard input (longer: a too_long error).")
    var maxInputBytes = 1 << 20

    func validate() throws {
        guard maxText > 0 else { throw ValidationError("--max-text must be positive") }
        guard maxInputBytes > 0 else { throw ValidationError("--max-input-bytes must be positive") }
    }

    func read() throws -> String {
        let s: String
        if let text {
            s = text
        } else {
            let bytes = Output.readAllInput(limit: maxInputBytes)
            guard let valid = String(validating: bytes, as: UTF8.self) else {
                let at = MessageRecord.firstInvalidUTF8(bytes) ?? 0
                Output.error("triage: standard input is not valid UTF-8 (first bad byte at offset \(at))")
                throw ExitCode(1)
            }
            s = valid
        }
        if MessageRecord.lengthError(s, max: maxText) != nil {
            Output.error("triage: the message has more than \(maxText) characters, the most --max-text allows")
            throw ExitCode(1)
        }
        return s
    }
}

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify a message: category, lead, co-handlers, flags and evidence.",
        discussion: """
            With --jsonl, reads JSON Lines {"id": ..., "text": ...} on standard input and writes one \
            JSON object per line in the same order. A record may carry "received_at" and \
            "dispatched_at" (ISO 8601; without an offset, Asia/Shanghai +08:00) for the deadlines. A bad line gets an error object with its id or \
            line number and processing goes on; the exit status is then 3. Blank lines are skipped.
            """)

    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var input: TextInput

    @Option(name: .long, help: "When the message was received (ISO 8601; without an offset, Asia/Shanghai). Default: now.")
    var receivedAt: String?

    @Option(name: .long, help: "When it was dispatched (ISO 8601); the reply deadline counts from this day.")
    var dispatchedAt: String?

    @Option(name: .long, help: "Output format for a single message: text or json.")
    var format: OutputFormat?

    @Flag(name: .long, help: "Read JSON Lines from standard input, write JSON Lines.")
    var jsonl = false

    @Option(name: .customLong("max-evidence"), help: "Most evidence spans in one result (each rule keeps its first; evidence_truncated says when some were left out).")
    var maxEvidence = TriageEngine.defaultMaxEvidence

    func validate() throws {
        guard maxEvidence >= 0 else { throw ValidationError("--max-evidence must not be negative") }
        if jsonl && input.text != nil { throw ValidationError("--jsonl reads standard input; do not also give TEXT") }
        if jsonl && format == .text { throw ValidationError("--jsonl always writes JSON") }
        if jsonl && (receivedAt != nil || dispatchedAt != nil) {
            throw ValidationError("with --jsonl, give received_at and dispatched_at in each record")
        }
        for (flag, value) in [("--received-at", receivedAt), ("--dispatched-at", dispatchedAt)] {
            if let value, Timestamp.parse(value) == nil {
                throw ValidationError("\(flag) '\(value)' is not an ISO 8601 time such as 2026-09-30T10:00:00+08:00")
            }
        }
        do throws(InputError) {
            try MessageRecord(text: "", receivedAt: receivedAt.flatMap(Timestamp.parse), dispatchedAt: dispatchedAt.flatMap(Timestamp.parse)).validate()
        } catch {
            throw ValidationError("--dispatched-at is before --received-at; a message is dispatched after it arrives")
        }
    }

    func run() throws {
        let ruleSet = try rulesOptions.load()
        let engine = TriageEngine(ruleSet: ruleSet, maxEvidence: maxEvidence)
        if jsonl {
            let failed = JSONLRunner(engine: engine, maxTextLength: input.maxText, maxLineBytes: input.maxInputBytes).run()
            Output.flush()
            if failed > 0 {
                Output.error("triage: \(failed) input line(s) could not be classified; see their error objects")
                throw ExitCode(3)
            }
            return
        }
        let text = try input.read()
        let result = engine.classify(MessageRecord(
            text: text, id: input.id.map(MessageID.string) ?? .none,
            receivedAt: receivedAt.flatMap(Timestamp.parse), dispatchedAt: dispatchedAt.flatMap(Timestamp.parse)))
        let fmt = format ?? (Output.stdoutIsTerminal ? .text : .json)
        switch fmt {
        case .json: Output.line { result.writeJSON(to: &$0) }
        case .text: Output.line(ResultRenderer(ruleSet: ruleSet, color: Output.stdoutIsTerminal).summary(result, text: text))
        }
        Output.flush()
    }
}

/// Classifies JSON Lines from standard input.
struct JSONLRunner {
    let engine: TriageEngine
    var maxTextLength = MessageRecord.defaultMaxTextLength
    var maxLineBytes = 1 << 20

    /// Returns the number of lines that produced an error object.
    func run() -> Int {
        var reader = LineReader(maxLineBytes: maxLineBytes)
        var lineNumber = 0
        var failed = 0
        while let next = reader.next() {
            lineNumber += 1
            let line: [UInt8]
            switch next {
            case .line(let bytes): line = bytes
            case .tooLong(let n):
                failed += 1
                let error = InputError(.tooLong, "the record has \(n) bytes; at most \(maxLineBytes) are read (--max-input-bytes)")
                Output.line(error.json(line: lineNumber).serialized)
                continue
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            switch MessageRecord.parse(bytes: line, maxTextLength: maxTextLength) {
            case .success(let message):
                let result = engine.classify(message)
                Output.line { result.writeJSON(to: &$0) }
            case .failure(let error):
                failed += 1
                Output.line { error.writeJSON(to: &$0, line: lineNumber) }
            }
        }
        return failed
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every rule and knowledge-base entry that fired, with scores: why this route and not another.")

    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var input: TextInput

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let ruleSet = try rulesOptions.load()
        let text = try input.read()
        let (result, explanation) = TriageEngine(ruleSet: ruleSet).explain(MessageRecord(text: text, id: input.id.map(MessageID.string) ?? .none))
        let renderer = ResultRenderer(ruleSet: ruleSet, color: Output.stdoutIsTerminal)
        switch format {
        case .json: Output.line(renderer.explainJSON(result, explanation).pretty)
        case .text: Output.line(renderer.explain(result, explanation, text: text))
        }
        Output.flush()
    }
}
