import Foundation
import TriageEval
import TriageKit

/// Paths of the fixtures next to these tests.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static func path(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

    /// Loads a fixture rule set that must load without errors.
    static func ruleSet(_ name: String) throws -> (RuleSet, RuleSource) {
        let source = try RuleSource.directory(path(name))
        let loaded = RuleSetLoader.load(source)
        guard let rs = loaded.ruleSet else { throw FixtureError(message: loaded.diagnostics.description) }
        return (rs, source)
    }

    /// The small labelled corpus.
    static func corpus() -> Corpus { CorpusLoader.load([path("corpus/small.jsonl")]) }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A message with labels, for metric tests.
func labelled(_ id: String, category: String?, lead: String? = nil, vague: Bool? = nil) -> LabelledMessage {
    var e = Expectation()
    e.hasCategory = true
    e.category = category.map(CategoryID.init)
    if let lead {
        e.hasLead = true
        e.lead = DepartmentID(lead)
    }
    e.vague = vague
    return LabelledMessage(id: id, text: "", expected: e)
}
