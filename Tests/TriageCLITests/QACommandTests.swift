import Foundation
import Testing

/// Runs the built `triage` binary. `swift test` builds it first (this test target depends on
/// the executable), at `.build/debug/triage` under the package root.
enum QACLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let binary = packageRoot + "/.build/debug/triage"
    static let fixtures = packageRoot + "/Tests/TriageEvalTests/Fixtures"
    static let golden = packageRoot + "/Tests/TriageCLITests/Golden"

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `triage args…` in `directory` (default: the QA fixtures).
    static func run(_ args: [String], in directory: String = fixtures) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw CLIError(message: "\(binary) is missing: run `swift build` first")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TRIAGE_RULES")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read both pipes concurrently so a full stderr pipe cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Run(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Compares `text` with the golden file `name`; `UPDATE_GOLDEN=1` rewrites it instead.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = golden + "/" + name
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: golden, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected, "output differs from \(name); rerun with UPDATE_GOLDEN=1 to accept", sourceLocation: sourceLocation)
    }
}

struct CLIError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

@Suite(.serialized) struct CheckCommandTests {
    @Test func cleanRuleSetExitsZero() throws {
        let r = try QACLI.run(["check", "--rules", "rules-good", "--strict"])
        #expect(r.status == 0)
        #expect(r.stdout == "rules-good: 0 error(s), 0 warning(s)\n")
    }

    @Test func brokenRuleSetTextGolden() throws {
        let r = try QACLI.run(["check", "--rules", "rules-broken"])
        #expect(r.status == 1)
        try QACLI.expectGolden(r.stdout, "check-broken.txt")
    }

    @Test func brokenRuleSetJSONGolden() throws {
        let r = try QACLI.run(["check", "--rules", "rules-broken", "--format", "json"])
        #expect(r.status == 1)
        try QACLI.expectGolden(r.stdout, "check-broken.json")
    }

    @Test func warningsExitTwoOnlyWithStrict() throws {
        let lax = try QACLI.run(["check", "--rules", "rules-warn"])
        #expect(lax.status == 0)
        try QACLI.expectGolden(lax.stdout, "check-warn.txt")
        let strict = try QACLI.run(["check", "--rules", "rules-warn", "--strict"])
        #expect(strict.status == 2)
    }

    @Test func missingFolderIsOneLine() throws {
        let r = try QACLI.run(["check", "--rules", "no-such-rules"])
        #expect(r.status == 1)
        #expect(r.stderr == "no-such-rules: error: rule-set folder not found [io]\n")
    }
}

@Suite(.serialized) struct TestCommandTests {
    @Test func textGoldenAndThresholdExit() throws {
        let r = try QACLI.run(["test", "--rules", "rules-good", "corpus"])
        #expect(r.status == 1, "category.complaint.recall is below its threshold")
        #expect(r.stderr == "triage: 1 threshold(s) not met\n")
        try QACLI.expectGolden(r.stdout, "test-good.txt")
    }

    @Test func jsonGolden() throws {
        let r = try QACLI.run(["test", "--rules", "rules-good", "corpus", "--format", "json"])
        try QACLI.expectGolden(r.stdout, "test-good.json")
    }

    @Test func passesWithLowerThresholds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-thr-\(UUID().uuidString).yaml").path
        try "thresholds:\n  category.accuracy: 0.5\n".write(toFile: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try QACLI.run(["test", "--rules", "rules-good", "corpus", "--thresholds", dir])
        #expect(r.status == 0)
    }

    @Test func corpusErrorsExitThreeAndTheRestRuns() throws {
        let r = try QACLI.run(["test", "--rules", "rules-good", "corpus-bad"])
        #expect(r.status == 3)
        try QACLI.expectGolden(r.stderr, "test-bad-corpus.stderr")
        #expect(r.stdout.hasPrefix("triage test: 1 messages from 1 file(s)"))
    }

    @Test func noCorpusAtAllIsOneErrorAndExitThree() throws {
        let r = try QACLI.run(["test", "--rules", "rules-good", "no-such-corpus"])
        #expect(r.status == 3)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "no-such-corpus: error: corpus not found [io]\ntriage: no labelled message to run in no-such-corpus\n")
    }

    @Test func htmlAndJUnitFiles() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("triage-rep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        _ = try QACLI.run(["test", "--rules", "rules-good", "corpus", "--html", tmp + "/r.html", "--junit", tmp + "/r.xml"])
        let html = try String(contentsOfFile: tmp + "/r.html", encoding: .utf8)
        #expect(html.contains("data-expected=\"complaint\" data-actual=\"business\""))
        let xml = try String(contentsOfFile: tmp + "/r.xml", encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"thresholds\" tests=\"4\" failures=\"1\">"))
    }
}

@Suite(.serialized) struct DiffCommandTests {
    @Test func knownDiffTextAndJSON() throws {
        let text = try QACLI.run(["diff", "--base", "rules-good", "--head", "rules-head", "corpus"])
        #expect(text.status == 0)
        try QACLI.expectGolden(text.stdout, "diff-good-head.txt")
        let json = try QACLI.run(["diff", "--base", "rules-good", "--head", "rules-head", "corpus", "--format", "json"])
        try QACLI.expectGolden(json.stdout, "diff-good-head.json")
    }

    @Test func failOnBroken() throws {
        let r = try QACLI.run(["diff", "--base", "rules-good", "--head", "rules-head", "corpus", "--fail-on-broken"])
        #expect(r.status == 1)
        #expect(r.stderr == "triage: 1 message(s) broken by the change\n")
        let reverse = try QACLI.run(["diff", "--base", "rules-good", "--head", "rules-good", "corpus", "--fail-on-broken"])
        #expect(reverse.status == 0)
    }

    @Test func unknownRevisionIsOneLine() throws {
        let r = try QACLI.run(["diff", "--base", "no-such-revision-xyz", "--head", "rules-good", "corpus"])
        #expect(r.status == 1)
        #expect(r.stderr == "triage: 'no-such-revision-xyz' is neither a rules folder nor a known git revision\n")
    }
}

@Suite(.serialized) struct StatsCommandTests {
    @Test func textAndJSONGolden() throws {
        let text = try QACLI.run(["stats", "--rules", "rules-good", "corpus", "--full"])
        #expect(text.status == 0)
        try QACLI.expectGolden(text.stdout, "stats-good.txt")
        let json = try QACLI.run(["stats", "--rules", "rules-good", "corpus", "--format", "json"])
        try QACLI.expectGolden(json.stdout, "stats-good.json")
    }
}
