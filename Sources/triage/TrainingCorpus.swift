import ArgumentParser
import Foundation
import TriageEval
import TriageKit

/// The labelled messages `triage fit` and `triage suggest` learn from. Given no paths: every part
/// of ./corpus whose manifest does not hold it out. Given paths: those, and a held-out part among
/// them is refused (``HeldOutPolicy/trainingMessages(_:)``), whatever the flags.
enum TrainingCorpus {
    /// The messages and the paths they came from; exits 3 on a held-out part or no message.
    static func load(_ paths: [String], against rs: RuleSet, command: String) throws -> (messages: [LabelledMessage], paths: [String]) {
        var corpus = CorpusLoader.load(paths.isEmpty ? ["corpus"] : paths)
        if paths.isEmpty { corpus.messages = corpus.messages.filter { !$0.isHeldOut } }
        let (ok, labelErrors) = CorpusLoader.validate(corpus.messages, against: rs)
        for d in corpus.diagnostics.sorted + labelErrors { Output.error(d.description) }
        let shown = paths.isEmpty ? tuningParts(ok) : paths
        switch HeldOutPolicy.trainingMessages(ok) {
        case .failure(let d):
            Output.error("triage \(command): \(d.message)")
            throw ExitCode(3)
        case .success(let messages):
            guard !messages.isEmpty else {
                Output.error("triage \(command): no labelled message in \(paths.isEmpty ? "the tuning parts of ./corpus" : paths.joined(separator: ", "))")
                throw ExitCode(3)
            }
            return (messages, shown)
        }
    }

    /// The parts the messages come from, in order, as `corpus/NAME`.
    static func tuningParts(_ messages: [LabelledMessage]) -> [String] {
        var seen: [String] = []
        for m in messages { if let p = m.part, !seen.contains(p) { seen.append(p) } }
        return seen.map { "corpus/\($0)" }
    }
}
