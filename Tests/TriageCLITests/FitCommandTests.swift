import Foundation
import Testing

/// `triage fit` and `triage suggest` refuse held-out parts and write only where asked.
@Suite(.serialized) struct FitCommandTests {
    @Test(arguments: ["fit", "suggest"])
    func heldOutPartsAreRefused(_ command: String) throws {
        let r = try CLI.run([command, "--rules", CLI.bundledRulesPath, CLI.packageRoot.appendingPathComponent("corpus/test").path])
        #expect(r.status == 3)
        #expect(r.stderr.contains("held-out parts cannot be learned from: test (439 messages)"))
    }

    @Test func fitWritesTheWeightsFileAndTheRuleSetLoadsIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fit-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: CLI.fixtureRules, toPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpus = dir + "/tiny.jsonl"
        let lines = (0..<12).map { #"{"id": "f\#($0)", "text": "发票和拖欠工资的事第\#($0)次", "expected": {"category": "business", "lead": "hrss"}}"# }
        try lines.joined(separator: "\n").write(toFile: corpus, atomically: true, encoding: .utf8)
        let r = try CLI.run(["fit", "--rules", dir, "--folds", "3", "--lambda", "0.001", corpus])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("lead accuracy"))
        let written = try String(contentsOfFile: dir + "/fitted_weights.yaml", encoding: .utf8)
        #expect(written.contains("fitted_weights:"))
        let check = try CLI.run(["check", "--rules", dir])
        #expect(check.status != 1, "\(check.stdout)")
    }
}
