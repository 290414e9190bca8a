import Foundation
import TriageKit

// The one file of the `scale` and `callgrind` subcommands that calls TriageKit.
// TriageKit is being restructured; if a name below changes, only this file has
// to follow. Everything else in those subcommands sees `BenchRules`,
// `BenchEngine` and `readMessages(path:)`.

/// A failure that ends the benchmark with a message on standard error.
struct BenchFailure: Error {
    var message: String
}

/// Which matcher the engine uses: the literal prefilter (the engine as shipped)
/// or the plain loop (every pattern through PCRE2, the oracle for match sets).
enum BenchStrategy: String {
    case prefilter, plain
}

/// A loaded rule set.
struct BenchRules {
    fileprivate let ruleSet: RuleSet

    /// Loads the rule set in `directory`; a rule set with errors is a failure.
    static func load(directory: String) throws(BenchFailure) -> BenchRules {
        let loaded = RuleSetLoader.load(directory: directory)
        guard let ruleSet = loaded.ruleSet else {
            throw BenchFailure(message: "rule set \(directory) has errors:\n\(loaded.diagnostics)")
        }
        return BenchRules(ruleSet: ruleSet)
    }

    /// Number of classification rules.
    var ruleCount: Int { ruleSet.rules.count }

    /// An engine over this rule set with the given matcher.
    func engine(_ strategy: BenchStrategy) -> BenchEngine {
        let rs: RuleSet
        switch strategy {
        case .prefilter: rs = ruleSet.using(.prefilter)
        case .plain: rs = ruleSet.using(.plain)
        }
        return BenchEngine(engine: TriageEngine(ruleSet: rs, maxEvidence: .max))
    }
}

/// The triage engine, reduced to what the benchmark needs.
struct BenchEngine {
    fileprivate let engine: TriageEngine

    /// Classifies `text` the way `triage classify` does and returns a number
    /// derived from the result, so that the work cannot be optimised away.
    func classify(_ text: String) -> Int {
        engine.classify(text).evidence.count
    }

    /// What `triage classify --jsonl` does with one input line: parse the record, classify it,
    /// write the result (or the error object) as JSON, with a newline, onto `out`.
    func classifyLine(_ line: [UInt8], into out: inout [UInt8]) {
        switch MessageRecord.parse(bytes: line) {
        case .success(let message): engine.classify(message).writeJSON(to: &out)
        case .failure(let error): error.writeJSON(to: &out, line: 0)
        }
        out.append(0x0A)
    }

    /// The ids of the classification rules whose evidence is in the result:
    /// the patterns that matched, when every rule has a single pattern.
    func matchedRules(_ text: String) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for e in engine.classify(text).evidence where e.kind == .category {
            if seen.insert(e.rule).inserted { out.append(e.rule) }
        }
        return out
    }
}

/// The `text` of every line of a JSON Lines file, as `triage classify --jsonl` reads it.
func readMessages(path: String) throws(BenchFailure) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw BenchFailure(message: "cannot read \(path)")
    }
    var texts: [String] = []
    for (n, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
        switch MessageRecord.parse(bytes: Array(line)) {
        case .success(let m): texts.append(m.text)
        case .failure(let e): throw BenchFailure(message: "\(path):\(n + 1): \(e.message)")
        }
    }
    return texts
}

/// True when the engine's normaliser leaves `text` unchanged. The benchmark's
/// message sets are pre-normalised so that every engine, the anchors included,
/// sees the same bytes; this checks that they really are.
func isNormalized(_ text: String) -> Bool {
    NormalizedText(text).string == text
}
