import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing
import TriageKit
@testable import TriageServer

@Suite struct ReloadTests {
    @Test func brokenRuleSetKeepsTheOldVersionAndAValidChangeSwapsIt() async throws {
        let dir = try copyOfFixtureRules()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let service = await makeService(directory: dir)
        let v1 = try #require(service.store.current).version
        let classify = (dir as NSString).appendingPathComponent("classify.yaml")
        let good = try String(contentsOfFile: classify, encoding: .utf8)

        // A broken copy: the old version keeps serving and the failure is counted.
        try (good + "  - id: broken\n    category: nonexistent\n    patterns: ['(']\n").write(toFile: classify, atomically: true, encoding: .utf8)
        let failed = await service.reload()
        guard case .failed(let diagnostics) = failed else {
            Issue.record("expected a failed reload, got \(failed)")
            return
        }
        #expect(diagnostics.contains { $0.contains("classify.yaml:") })
        #expect(service.store.current?.version == v1)
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"\#(technicalText)"}"#)) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.rulesetVersion] == v1)
                #expect(r.json["ruleset"]?["version"] == .string(v1))
            }
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.text.contains(#"triage_ruleset_reloads_total{result="failure"} 1"#))
                #expect(r.text.contains(#"triage_ruleset_info{version="\#(v1)"} 1"#))
            }
        }

        // A valid change: the version changes and responses say so.
        try (good + "  - id: biz_progress\n    category: business\n    weight: 2\n    description: 问进度\n    patterns: ['进度']\n")
            .write(toFile: classify, atomically: true, encoding: .utf8)
        let swapped = await service.reload()
        let v2 = try #require(service.store.current).version
        #expect(swapped == .swapped(from: v1, to: v2))
        #expect(v2 != v1)
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"想问一下审批进度到哪了"}"#)) { r in
                #expect(r.headers[.rulesetVersion] == v2)
                #expect(r.json["category"] == .string("business"))
            }
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.text.contains(#"triage_ruleset_info{version="\#(v2)"} 1"#))
                #expect(!r.text.contains(#"version="\#(v1)""#))
            }
        }
        #expect(await service.reload() == .unchanged(v2))
    }

    @Test func requestsDuringReloadsAllSucceedWithAWholeRuleSet() async throws {
        let dir = try copyOfFixtureRules()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 150 requests at once: let all of them queue for a worker (the queue bound is tested on its own).
        let service = await makeService(directory: dir) { $0.maxQueue = 200 }
        let v1 = try #require(service.store.current).version
        let classify = (dir as NSString).appendingPathComponent("classify.yaml")
        let good = try String(contentsOfFile: classify, encoding: .utf8)
        let changed = good + "  - id: biz_progress\n    category: business\n    weight: 2\n    description: 问进度\n    patterns: ['进度']\n"
        let served = NIOLockedValueBox<Set<String>>([v1])
        try await withRouter(service) { client in
            try await withThrowingTaskGroup(of: (Int, String?, String?).self) { group in
                group.addTask {
                    for i in 0..<6 {
                        let text = i % 3 == 2 ? "rules: [" : (i % 2 == 0 ? changed : good)
                        try text.write(toFile: classify, atomically: true, encoding: .utf8)
                        await service.reload()
                        if let v = service.store.current?.version { served.withLockedValue { _ = $0.insert(v) } }
                    }
                    return (0, nil, nil)
                }
                for _ in 0..<150 {
                    group.addTask {
                        try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"\#(technicalText)"}"#)) { r in
                            (Int(r.status.code), r.headers[.rulesetVersion], r.json["ruleset"]?["version"]?.string)
                        }
                    }
                }
                var versions = Set<String>()
                for try await (status, header, bodyVersion) in group where status != 0 {
                    #expect(status == 200)
                    #expect(header == bodyVersion)
                    if let header { versions.insert(header) }
                }
                #expect(versions.isSubset(of: served.withLockedValue { $0 }))
            }
        }
    }

    @Test func folderSignatureNoticesAnEdit() throws {
        let dir = try copyOfFixtureRules()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = FolderSignature(dir)
        #expect(FolderSignature(dir) == before)
        let file = (dir as NSString).appendingPathComponent("classify.yaml")
        try (String(contentsOfFile: file, encoding: .utf8) + "\n# edited\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(FolderSignature(dir) != before)
    }
}
