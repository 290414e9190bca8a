import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TriageKit
import TriageServer

/// Package root, found from this file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The small rule set next to these tests.
let fixtureRules = packageRoot.appendingPathComponent("Tests/TriageServerTests/Fixtures/rules").path

/// A message the fixture rules classify as technical (evidence 系统打不开 at scalars 4..<9).
let technicalText = "网上办事系统打不开了，请尽快处理"

/// A service over `directory`, with the first rule set loaded; access logging off to keep test output short.
func makeService(directory: String = fixtureRules, configure: (inout ServerConfiguration) -> Void = { _ in }) async -> TriageService {
    var config = ServerConfiguration()
    config.accessLog = false
    configure(&config)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let service = TriageService(store: RuleSetStore(directory: directory), configuration: config, logger: logger)
    await service.reload()
    return service
}

/// Runs `body` against the service's router in process.
func withRouter(_ service: TriageService, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let app = Application(router: service.buildRouter(), logger: service.logger)
    try await app.test(.router) { client in try await body(client) }
}

extension TestResponse {
    /// The body parsed as JSON.
    var json: JSONValue { (try? JSONValue.parse(Array(body.readableBytesView))) ?? .null }
    /// The body as text.
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }
}

/// A JSON request body.
func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

/// A temporary copy of the fixture rule set.
func copyOfFixtureRules() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-server-\(UUID().uuidString)")
    try FileManager.default.copyItem(atPath: fixtureRules, toPath: dir.path)
    return dir.path
}
