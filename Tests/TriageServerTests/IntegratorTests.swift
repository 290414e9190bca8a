import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Testing
import TriageKit
@testable import TriageServer

/// The bundled rule set, for results that depend on its calendar.
let bundledRules = packageRoot.appendingPathComponent("rules").path

/// What an integrator (the 12345 platform, the online hall, the window system) relies on:
/// the receipt time is honoured, ids come back as written, errors say where.
@Suite struct IntegratorTests {
    @Test func receivedAtAndDispatchedAtAreHonouredAndGiveTheEngineDeadlines() async throws {
        let service = await makeService(directory: bundledRules)
        let engine = try #require(service.store.current).engine
        let received = "2026-09-30T10:00:00+08:00", dispatched = "2026-10-09T16:00:00+08:00"
        let direct = engine.classify(MessageRecord(
            text: "网上办事大厅一直登录不上", id: .string("r1"), receivedAt: Timestamp.parse(received), dispatchedAt: Timestamp.parse(dispatched)))
        try await withRouter(service) { client in
            let request = #"{"id":"r1","text":"网上办事大厅一直登录不上","received_at":"\#(received)","dispatched_at":"\#(dispatched)"}"#
            try await client.execute(uri: "/v1/triage", method: .post, body: body(request)) { r in
                #expect(r.status == .ok)
                let d = try #require(r.json["deadlines"])
                #expect(d["received_at"] == .string(received))
                #expect(d["received_at_defaulted"] == .bool(false))
                #expect(d["dispatched_at"] == .string(dispatched))
                #expect(d["reply_counted_from"] == .string("dispatched_at"))
                // 10-10 (a make-up Saturday), 10-12, 10-13, 10-14, 10-15.
                #expect(d["reply_due"] == .string("2026-10-15"))
                #expect(r.text == direct.json.serialized + "\n")
            }
            // Without an offset the time is Shanghai time, as on the CLI.
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"登录不上","received_at":"2026-09-30T10:00"}"#)) { r in
                #expect(r.json["deadlines"]?["received_at"] == .string(received))
            }
        }
    }

    @Test func aMessageReceivedOn28DecemberGetsProvisional2027Deadlines() async throws {
        let service = await makeService(directory: bundledRules)
        try await withRouter(service) { client in
            let request = #"{"messages":[{"id":1,"text":"营业执照注销需要什么材料？","received_at":"2026-12-28T10:00:00+08:00"}]}"#
            try await client.execute(uri: "/v1/triage/batch", method: .post, body: body(request)) { r in
                let d = try #require(r.json["results"]?.array?.first?["deadlines"])
                #expect(d["pre_review_due"] == .string("2026-12-29"))
                #expect(d["reply_due"]?.string?.hasPrefix("2027-") == true)
                #expect(d["provisional"]?["years"] == .array([.number(2027)]))
                #expect(d["provisional"]?["code"] == .string("calendar_provisional_year"))
                #expect(d["reasons"]?.array?.contains { $0["code"] == .string("calendar_provisional_year") } == true)
            }
        }
    }

    @Test(arguments: [
        (#"{"id":"a","text":"登录不上","received_at":"2026-02-30T10:00"}"#, "received_at"),
        (#"{"id":"a","text":"登录不上","received_at":"上周三"}"#, "received_at"),
        (#"{"id":"a","text":"登录不上","dispatched_at":"tomorrow"}"#, "dispatched_at"),
        (#"{"id":"a","text":"登录不上","received_at":"2026-10-09T10:00","dispatched_at":"2026-10-08T10:00"}"#, "dispatched_at"),
    ])
    func anInvalidTimeIs400InvalidFieldNamingTheField(_ request: String, _ field: String) async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage", method: .post, body: body(request)) { r in
                #expect(r.status == .badRequest)
                #expect(r.json["error"]?["code"] == .string("invalid_field"))
                #expect(r.json["error"]?["field"] == .string(field))
                #expect(r.json["error"]?["message"]?.string?.contains(field) == true)
            }
        }
    }

    @Test func aBatchItemWithAnInvalidTimeGetsAnErrorObjectWithItsIndexInPlace() async throws {
        let service = await makeService()
        let request = #"""
            {"messages": [{"text": "\#(technicalText)"}, {"text": "x", "received_at": "2026-13-01"}, {"id": 9, "text": 5},
                          {"text": "\#(technicalText)", "received_at": "2026-09-30T10:00:00+08:00"}, "not a message"]}
            """#
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage/batch", method: .post, body: body(request)) { r in
                #expect(r.status == .ok)
                let results = try #require(r.json["results"]?.array)
                #expect(results.count == 5)
                #expect(results[0]["category"] == .string("technical"))
                #expect(results[1]["id"] == .null)
                #expect(results[1]["error"]?["code"] == .string("invalid_field"))
                #expect(results[1]["error"]?["field"] == .string("received_at"))
                #expect(results[1]["error"]?["index"] == .number(1))
                #expect(results[2]["id"] == .number(9))
                #expect(results[2]["error"]?["code"] == .string("wrong_type"))
                #expect(results[2]["error"]?["index"] == .number(2))
                #expect(results[3]["deadlines"]?["received_at"] == .string("2026-09-30T10:00:00+08:00"))
                #expect(results[4]["error"]?["code"] == .string("not_an_object"))
                #expect(results[4]["error"]?["index"] == .number(4))
                #expect(r.json["failed"] == .number(3))
                for result in results where result["error"] == nil { #expect(result["error"]?["line"] == nil) }
            }
        }
    }

    static let bigIDs = [
        "9007199254740993", "12345678901234567890", "1234567890123456", "12345678901234567", "123456789012345678",
        "1234567890123456789", "99999999999999999999", "-9007199254740993", "1e400", "0.10",
    ]

    @Test func numericIDsRoundTripDigitForDigit() async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            for id in Self.bigIDs {
                try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"id": \#(id), "text": "x"}"#)) { r in
                    #expect(r.status == .ok)
                    #expect(r.text.hasPrefix(#"{"id":\#(id),"#), "\(id) came back as \(r.text.prefix(40))")
                }
            }
            let batch = Self.bigIDs.map { #"{"id": \#($0), "text": "x"}"# } + [#"{"id": 12345678901234567890}"#]
            try await client.execute(uri: "/v1/triage/batch", method: .post, body: body(#"{"messages": [\#(batch.joined(separator: ","))]}"#)) { r in
                for id in Self.bigIDs { #expect(r.text.contains(#"{"id":\#(id),"category""#), "\(id)") }
                #expect(r.text.contains(#"{"id":12345678901234567890,"error":{"code":"missing_field""#))
            }
        }
    }
}

/// A log handler that keeps every line with its logger's and its event's metadata.
struct RecordingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.withLockedValue { $0.append("\(event.message) \(meta)") }
    }
}

@Suite struct RequestIDTests {
    @Test(arguments: ["abc-123", "0f3c9e2a-6b1d-4c8e-9f00-1a2b3c4d5e6f", "12345:WO/2026-0001", String(repeating: "a", count: 128)])
    func aValidClientIDIsEchoedAndLogged(_ id: String) async throws {
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "test") { _ in RecordingLogHandler(lines: lines) }
        let service = TriageService(store: RuleSetStore(directory: fixtureRules), logger: logger)
        await service.reload()
        let app = Application(router: service.buildRouter(), logger: logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/triage", method: .post, headers: [.requestID: id], body: body(#"{"text":"x"}"#)) { r in
                #expect(r.headers[.requestID] == id)
            }
        }
        let access = lines.withLockedValue { $0 }.filter { $0.hasPrefix("access ") }
        #expect(access.count == 1)
        #expect(access.first?.contains("hb.request.id=\(id)") == true, "\(access)")
    }

    @Test(arguments: ["", "has space", "quote\"", "中文", "line\u{0B}break", String(repeating: "a", count: 129)])
    func anInvalidClientIDIsReplacedByAGeneratedOne(_ id: String) async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            let headers: HTTPFields = id.isEmpty ? [:] : [.requestID: id]
            try await client.execute(uri: "/v1/triage", method: .post, headers: headers, body: body(#"{"text":"x"}"#)) { r in
                let generated = try #require(r.headers[.requestID])
                #expect(generated != id)
                #expect(RequestIDMiddleware<BasicRequestContext>.isValid(generated))
            }
        }
    }

    @Test func everyResponseCarriesAnIDAndGeneratedOnesDiffer() async throws {
        let service = await makeService { $0.maxBodyBytes = 64 }
        let notReady = await makeService(directory: "/nonexistent/rules")
        let seen = NIOLockedValueBox<Set<String>>([])
        try await withRouter(service) { client in
            let calls: [(String, HTTPRequest.Method, String?, HTTPResponse.Status)] = [
                ("/v1/triage", .post, #"{"text":"x"}"#, .ok), ("/v1/triage", .post, "{", .badRequest),
                ("/v1/triage", .post, String(repeating: "x", count: 100), .contentTooLarge), ("/nope", .get, nil, .notFound),
                ("/v1/triage", .get, nil, .methodNotAllowed), ("/healthz", .get, nil, .ok), ("/metrics", .get, nil, .ok),
                ("/", .get, nil, .ok), ("/openapi.yaml", .get, nil, .ok), ("/v1/ruleset", .get, nil, .ok),
            ]
            for (uri, method, text, status) in calls {
                try await client.execute(uri: uri, method: method, body: text.map(body)) { r in
                    #expect(r.status == status, "\(method) \(uri)")
                    let id = try #require(r.headers[.requestID], "\(method) \(uri) has no X-Request-Id")
                    #expect(seen.withLockedValue { $0.insert(id).inserted }, "\(id) repeated")
                }
            }
        }
        try await withRouter(notReady) { client in
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"x"}"#)) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(r.headers[.requestID] != nil)
            }
        }
    }
}
