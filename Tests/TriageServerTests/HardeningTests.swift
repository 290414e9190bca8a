import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing
import TriageKit
@testable import TriageServer

/// Issue 13, in process: bounded classification work (6), limits with their errors, the
/// security headers (11). The connection-level faults are in scripts/fault-tests.py.
@Suite struct ServerHardeningTests {
    @Test func aFullWorkQueueIsRefusedAtOnceAndTheTurnsAreHandedOn() async throws {
        let limiter = WorkLimiter(workers: 1, maxQueue: 1)
        let gate = AsyncStream.makeStream(of: Void.self)
        let started = AsyncStream.makeStream(of: Void.self)
        let order = NIOLockedValueBox<[Int]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await limiter.run {
                    started.continuation.yield()
                    for await _ in gate.stream { break }
                    order.withLockedValue { $0.append(1) }
                }
            }
            for await _ in started.stream { break }
            group.addTask { try await limiter.run { order.withLockedValue { $0.append(2) } } }
            // One runs, one waits: a third is refused at once.
            while limiter.load.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
            await #expect(throws: WorkLimiter.Overloaded.self) { try await limiter.run { order.withLockedValue { $0.append(3) } } }
            gate.continuation.yield()
            try await group.waitForAll()
        }
        #expect(order.withLockedValue { $0 } == [1, 2])
        #expect(limiter.load.running == 0 && limiter.load.waiting == 0)
    }

    @Test func classificationRunsOnTheWorkerThreads() async throws {
        let limiter = WorkLimiter(workers: 2, maxQueue: 4)
        #expect(try await limiter.run { onWorker() })
        #expect(!onWorker())
    }

    @Test func anOverloadedServerAnswers503WithRetryAfter() async throws {
        let service = await makeService { $0.workers = 1; $0.maxQueue = 0 }
        let release = AsyncStream.makeStream(of: Void.self)
        try await withRouter(service) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Hold the only worker.
                group.addTask {
                    try await service.work.run { for await _ in release.stream { break } }
                }
                while service.work.load.running < 1 { try await Task.sleep(for: .milliseconds(5)) }
                try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"系统打不开"}"#)) { r in
                    #expect(r.status == .serviceUnavailable)
                    #expect(r.headers[.retryAfter] == "1")
                    #expect(r.json["error"]?["code"] == .string("overloaded"))
                }
                // Health checks do not queue behind classification.
                try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
                release.continuation.yield()
                try await group.waitForAll()
            }
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"系统打不开"}"#)) { r in
                #expect(r.status == .ok)
            }
        }
    }

    @Test func limitsAnswerWithTheirErrors() async throws {
        var config = ServerConfiguration()
        config.accessLog = false
        config.maxTextLength = 10
        // Evidence is bounded by the engines the store builds.
        let service = TriageService(store: RuleSetStore(directory: fixtureRules, maxEvidence: 1), configuration: config)
        await service.reload()
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"\#(String(repeating: "字", count: 11))"}"#)) { r in
                #expect(r.status == .badRequest)
                #expect(r.json["error"]?["code"] == .string("too_long"))
            }
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"系统打不开系统打不开"}"#)) { r in
                #expect(r.status == .ok)
                #expect(r.json["evidence"]?.array?.count == 1)
                #expect(r.json["evidence_truncated"] == .bool(true))
            }
        }
    }

    @Test func thePageAndEveryResponseCarryTheSecurityHeaders() async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            try await client.execute(uri: "/", method: .get) { r in
                let csp = try #require(r.headers[.contentSecurityPolicy])
                #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"))
                #expect(r.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
            try await client.execute(uri: "/healthz", method: .get) { r in
                #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(r.headers[.contentSecurityPolicy] == nil)
            }
        }
    }
}

/// True on a worker thread (synchronous, so it may ask `Thread.current`).
func onWorker() -> Bool { WorkerPool.isWorkerThread }
