import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Testing
import TriageCases
import TriageKit
@testable import TriageServer

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let box: NIOLockedValueBox<Date>
    init(_ start: Date) { box = NIOLockedValueBox(start) }
    var now: Date { box.withLockedValue { $0 } }
    func set(_ date: Date) { box.withLockedValue { $0 = date } }
}

/// 2026-11-30 (Monday) at `hour`:`minute` Asia/Shanghai.
func shanghai(_ day: String, _ hour: Int, _ minute: Int = 0) -> Date {
    CaseTime.date(CaseTime.startOfDay(day)! + Int64(hour * 3600 + minute * 60))
}

/// A service with a desk over a fresh SQLite store in its own folder (removed with the value),
/// bcrypt at cost 4 and a clock the test controls; a staff user `wang` and tokens made on demand.
final class DeskFixture: @unchecked Sendable {
    let dir: URL
    let store: SQLiteCaseStore
    let desk: CaseDesk
    let service: TriageService
    let clock: TestClock
    static let password = "correct-horse-1"

    init(secureCookies: CaseDesk.SecureCookies = .auto, protectClassify: Bool = false, logger: Logger? = nil,
         now: Date = shanghai("2026-11-30", 14), configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-desk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try SQLiteCaseStore(path: dir.appendingPathComponent("cases.sqlite").path)
        let clock = TestClock(now)
        self.clock = clock
        desk = CaseDesk(store: store, bcryptCost: 4, secureCookies: secureCookies, protectClassify: protectClassify, clock: { clock.now })
        var config = ServerConfiguration()
        config.accessLog = logger != nil
        config.cases = desk
        configure(&config)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        // The fixture rules with the repository's 2026 calendar, so that deadlines are counted.
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.copyItem(atPath: fixtureRules, toPath: rules.path)
        try FileManager.default.createDirectory(at: rules.appendingPathComponent("calendar"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("rules/calendar/2026.yaml"),
                                         to: rules.appendingPathComponent("calendar/2026.yaml"))
        service = TriageService(store: RuleSetStore(directory: rules.path), configuration: config, logger: logger ?? quiet)
        await service.reload()
        _ = try await desk.accounts.addUser(username: "wang", displayName: "王芳", password: Self.password, role: .staff)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// A token's secret with these scopes.
    func token(_ name: String, _ scopes: Set<TokenScope>) async throws -> String {
        try await desk.accounts.addToken(name: name, scopes: scopes).secret
    }

    /// Runs `body` against the router in process.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: service.buildRouter(), logger: service.logger)
        try await app.test(.router) { client in try await body(client) }
    }
}

/// A signed-in browser as the tests play it: the cookie and the CSRF token.
struct Browser: Sendable {
    var cookie: String
    var csrf: String

    /// Headers for a read (`csrf: false`) or a write.
    func headers(csrf withToken: Bool = true, json: Bool = true) -> HTTPFields {
        var h: HTTPFields = [.cookie: cookie]
        if withToken { h[.csrfToken] = csrf }
        if json { h[.contentType] = "application/json" }
        return h
    }
}

extension TestClientProtocol {
    /// Signs `wang` in; the cookie from Set-Cookie and the CSRF token from the body.
    func signIn(password: String = DeskFixture.password, headers extra: HTTPFields = [:]) async throws -> Browser {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        let r = try await execute(uri: "/v1/session", method: .post, headers: headers,
                                  body: body(#"{"username": "wang", "password": "\#(password)"}"#))
        #expect(r.status == .ok, "sign-in: \(r.text)")
        let setCookie = try #require(r.headers[.setCookie])
        let pair = try #require(setCookie.split(separator: ";").first)
        return Browser(cookie: String(pair), csrf: try #require(r.json["csrf_token"]?.string))
    }

    /// A request with JSON, returning the response.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, _ text: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var h = headers
        if text != nil && h[.contentType] == nil { h[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: h, body: text.map(body))
    }
}

/// Bearer headers for a token.
func bearer(_ secret: String) -> HTTPFields { [.authorization: "Bearer \(secret)", .contentType: "application/json"] }

/// A message the fixture rules classify as business (material question).
let businessText = "请问办执照需要哪些材料"
