import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Testing
import TriageKit
import TriageServer

/// Collects log lines in memory.
final class CapturingLogHandler: LogHandler, Sendable {
    let lines = NIOLockedValueBox<[String]>([])
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }
    func log(event: LogEvent) {
        let meta = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.withLockedValue { $0.append("\(event.message) \(meta)") }
    }
}

@Suite struct PrivacyTests {
    @Test func accessLogsCarryMethodPathStatusLatencyAndVersionButNeverTheMessage() async throws {
        let handler = CapturingLogHandler()
        let logger = Logger(label: "test") { _ in handler }
        let service = TriageService(store: RuleSetStore(directory: fixtureRules), logger: logger)
        await service.reload()
        let version = try #require(service.store.current).version
        let secret = "我叫王小明，身份证号310115199001011234，系统打不开"
        let app = Application(router: service.buildRouter(), logger: logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"\#(secret)"}"#))
            try await client.execute(uri: "/v1/triage/batch", method: .post, body: body(#"{"messages":[{"text":"\#(secret)"}]}"#))
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"\#(secret)""#))
        }
        let lines = handler.lines.withLockedValue { $0 }
        let access = lines.filter { $0.hasPrefix("access ") }
        #expect(access.count == 3)
        let first = try #require(access.first)
        for part in ["method=POST", "path=/v1/triage", "status=200", "latency_ms=", "ruleset=\(version)"] {
            #expect(first.contains(part), "\(first) lacks \(part)")
        }
        #expect(access.last?.contains("status=400") == true)
        for line in lines {
            #expect(!line.contains("王小明") && !line.contains("310115199001011234"), "log line leaks the message: \(line)")
        }
    }
}
