import Foundation
import Testing

/// The bundled rules must keep the corpus at or above its committed floors: corpus/thresholds.yaml
/// on the parts it names, and each part's own floors (corpus/test/part.yaml). This is the CI
/// recipe (scripts/qa-ci.sh), and it must not print a text or an id of a held-out part.
@Suite(.serialized) struct CorpusThresholdTests {
    @Test func theCorpusMeetsItsFloorsAndTheHeldOutPartsStayOutOfSight() throws {
        let junit = FileManager.default.temporaryDirectory.appendingPathComponent("triage-ci-\(UUID().uuidString).xml").path
        defer { try? FileManager.default.removeItem(atPath: junit) }
        let r = try CLI.run(
            ["test", "--rules", CLI.bundledRulesPath, "--no-progress", "--max-cases", "1000", "--junit", junit, "corpus"],
            cwd: CLI.packageRoot.path)
        #expect(r.status == 0, "triage test corpus: \(r.stdout.suffix(2500)) \(r.stderr)")
        #expect(r.stdout.contains("on tune+tune2+test (corpus/thresholds.yaml):"))
        #expect(r.stdout.contains("on test (corpus/test/part.yaml):"))
        #expect(r.stdout.contains("on test2 (corpus/test2/part.yaml):"))
        #expect(!r.stdout.contains("FAIL"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        for text in [r.stdout, r.stderr, xml] {
            #expect(text.range(of: #"test2?-\d{4}"#, options: .regularExpression) == nil, "a held-out id is printed")
            #expect(text.range(of: #"corpus/test2?/[a-z_]+\.jsonl"#, options: .regularExpression) == nil, "a held-out case is printed")
        }
    }

    /// As the QA gate checks them: the calendar-horizon warning depends on today's date and is
    /// allowed (printed, not failing); ContractCLITests covers it.
    @Test func bundledRulesAreClean() throws {
        let r = try CLI.run(["check", "--strict", "--allow-warning", "calendar-horizon", "--rules", CLI.bundledRulesPath], cwd: CLI.packageRoot.path)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test func theGeneratedPagesAreCurrent() throws {
        let doc = try CLI.run(["doc", "--rules", CLI.bundledRulesPath, "--check", "docs/rules-reference.md"], cwd: CLI.packageRoot.path)
        #expect(doc.status == 0, "\(doc.stderr)")
        let schema = try CLI.run(["schema", "--check", "docs/rules.schema.json"], cwd: CLI.packageRoot.path)
        #expect(schema.status == 0, "\(schema.stderr)")
    }
}
