import Foundation
import Testing
import TriageKit

/// `triage serve` as a process: SIGHUP reload, --watch, SIGTERM.
@Suite(.serialized) struct ServeProcessTests {
    @Test func sighupKeepsTheOldVersionOnABrokenCopyAndSwapsOnAValidChange() async throws {
        let dir = try copyOfServerFixtureRules()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try ServerProcess(arguments: ["--rules", dir])
        let (_, _, info) = try await server.request("/v1/ruleset")
        let v1 = try #require(info["version"]?.string)

        // Replace the folder with a broken copy and send SIGHUP.
        let classify = (dir as NSString).appendingPathComponent("classify.yaml")
        let good = try String(contentsOfFile: classify, encoding: .utf8)
        try "rules:\n  - id: [\n".write(toFile: classify, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        #expect(waitFor(30) { server.log.contains("rule set reload failed") })
        #expect(server.log.contains("classify.yaml:"))
        let (status, _, result) = try await server.request("/v1/triage", method: "POST", body: #"{"text":"系统打不开"}"#)
        #expect(status == 200)
        #expect(result["ruleset"]?["version"] == .string(v1))
        let (_, _, after) = try await server.request("/v1/ruleset")
        #expect(after["version"] == .string(v1))

        // A valid change: the version changes.
        try (good + "  - id: biz_progress\n    category: business\n    weight: 2\n    description: 问进度\n    patterns: ['进度']\n")
            .write(toFile: classify, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        var v2 = v1
        #expect(try await pollVersion(server) { v2 = $0; return $0 != v1 })
        #expect(v2 != v1)

        server.signal(SIGTERM)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
    }

    @Test func watchReloadsOnAChangeToTheFolder() async throws {
        let dir = try copyOfServerFixtureRules()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try ServerProcess(arguments: ["--rules", dir, "--watch"])
        let (_, _, info) = try await server.request("/v1/ruleset")
        let v1 = try #require(info["version"]?.string)
        let classify = (dir as NSString).appendingPathComponent("classify.yaml")
        try (String(contentsOfFile: classify, encoding: .utf8) + "# edited\n").write(toFile: classify, atomically: true, encoding: .utf8)
        #expect(try await pollVersion(server) { $0 != v1 })
        server.signal(SIGTERM)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
    }

    @Test func watchWithoutAFolderIsRefused() throws {
        let p = Process()
        p.executableURL = triageBinary
        p.arguments = ["serve", "--watch", "--port", "0"]
        p.currentDirectoryURL = FileManager.default.temporaryDirectory
        var env = ProcessInfo.processInfo.environment
        env["TRIAGE_RULES"] = nil
        p.environment = env
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("--watch needs a rule-set folder"))
    }

    /// Polls /v1/ruleset (up to 30 s) until `accept` holds for the version.
    private func pollVersion(_ server: ServerProcess, _ accept: (String) -> Bool) async throws -> Bool {
        for _ in 0..<300 {
            let (_, _, info) = try await server.request("/v1/ruleset")
            if let v = info["version"]?.string, accept(v) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
