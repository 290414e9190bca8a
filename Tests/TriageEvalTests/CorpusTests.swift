import Foundation
import Testing
import TriageKit
@testable import TriageEval

@Suite struct CorpusTests {
    @Test func readsLabelsAndKeepsLineNumbers() {
        let corpus = Fixture.corpus()
        #expect(corpus.diagnostics.all.isEmpty)
        #expect(corpus.messages.count == 8)
        let m = corpus.messages[7]
        #expect(m.id == "q-08")
        #expect(m.line == 8)
        #expect(m.expected.category == "complaint")
        #expect(m.expected.coHandlers == ["market", "tax"])
        #expect(m.expected.multiDepartment == true)
        #expect(m.expected.vague == false)
    }

    @Test func badLinesAreReportedAndTheOthersStillRun() throws {
        let (rs, _) = try Fixture.ruleSet("rules-good")
        let corpus = CorpusLoader.load([Fixture.path("corpus-bad")])
        let (ok, labelErrors) = CorpusLoader.validate(corpus.messages, against: rs)
        let all = corpus.diagnostics.all + labelErrors
        #expect(ok.map(\.id) == ["b-01"])
        #expect(all.allSatisfy { $0.severity == .error && $0.column == nil })
        let byLine = Dictionary(all.map { ($0.line!, $0.code) }, uniquingKeysWith: { a, _ in a })
        #expect(byLine == [2: "invalid_json", 3: "missing_field", 4: "corpus-unknown-label", 5: "corpus-unknown-label", 6: "corpus-duplicate-id"])
        let unknown = all.first { $0.line == 4 }!
        #expect(unknown.description.hasSuffix("bad.jsonl:4: error: unknown category 'busines' in \"expected.category\" (did you mean 'business'?) [b-04]"))
    }

    @Test func nullCategoryIsALabelButAbsentIsNot() {
        let (m, d) = CorpusLoader.parse(Array("""
            {"id": "a", "text": "x", "expected": {"category": null}}
            {"id": "b", "text": "y"}
            """.utf8), path: "t.jsonl")
        #expect(d.isEmpty)
        #expect(m[0].expected.hasCategory && m[0].expected.category == nil)
        #expect(!m[1].expected.hasCategory)
    }

    @Test func missingCorpusIsAnError() {
        let corpus = CorpusLoader.load([Fixture.path("no-such-corpus")])
        #expect(corpus.diagnostics.errors.count == 1)
        #expect(corpus.messages.isEmpty)
    }
}
