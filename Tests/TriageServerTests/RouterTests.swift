import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TriageKit
@testable import TriageServer

@Suite struct TriageEndpointTests {
    @Test func singleMessageReturnsExactlyTheCLIJSON() async throws {
        let service = await makeService()
        let engine = try #require(service.store.current).engine
        // With a receipt time, so that the deadlines do not depend on the clock.
        let received = Timestamp.parse("2026-09-30T10:00:00+08:00")
        let expected = engine.classify(MessageRecord(text: technicalText, id: .string("m-1"), receivedAt: received)).json.serialized + "\n"
        try await withRouter(service) { client in
            let request = #"{"id":"m-1","text":"\#(technicalText)","received_at":"2026-09-30T10:00:00+08:00"}"#
            try await client.execute(uri: "/v1/triage", method: .post, body: body(request)) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/json; charset=utf-8")
                #expect(r.text == expected)
                let json = r.json
                #expect(json["category"] == .string("technical"))
                #expect(json["lead"]?["id"] == .string("egov_center"))
                #expect(r.headers[.rulesetVersion] == json["ruleset"]?["version"]?.string)
            }
        }
    }

    @Test func numericIdAndReceivedAtAreAccepted() async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            let text = #"{"id": 42, "text": "\#(technicalText)", "received_at": "2026-11-28T09:00:00+08:00"}"#
            try await client.execute(uri: "/v1/triage", method: .post, body: body(text)) { r in
                #expect(r.status == .ok)
                #expect(r.json["id"] == .number(42))
            }
        }
    }

    @Test(arguments: [
        (#"{"text": "abc""#, "invalid_json", nil),
        (#"{"id": "x"}"#, "missing_field", "text"),
        (#"{"text": 5}"#, "wrong_type", "text"),
        (#"{"text": "abc", "id": [1]}"#, "wrong_type", "id"),
        (#"{"text": "abc", "received_at": 20261128}"#, "wrong_type", "received_at"),
        (#"["abc"]"#, "not_an_object", nil),
        ("", "invalid_json", nil),
    ] as [(String, String, String?)])
    func badBodiesGet400WithTheErrorShape(input: String, code: String, field: String?) async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage", method: .post, body: body(input)) { r in
                #expect(r.status == .badRequest)
                let error = try #require(r.json["error"])
                #expect(error["code"] == .string(code))
                #expect(error["message"]?.string?.isEmpty == false)
                #expect(error["field"] == field.map(JSONValue.string))
            }
        }
    }

    @Test func invalidUTF8Gets400() async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            var buffer = ByteBuffer(string: #"{"text": "ab"#)
            buffer.writeBytes([0xE6, 0xB5, 0x22, 0x7D])  // a cut-off 浦 then "}
            try await client.execute(uri: "/v1/triage", method: .post, body: buffer) { r in
                #expect(r.status == .badRequest)
                #expect(r.json["error"]?["code"] == .string("invalid_utf8"))
            }
        }
    }

    @Test func bodyOverTheLimitGets413() async throws {
        let service = await makeService { $0.maxBodyBytes = 64 }
        try await withRouter(service) { client in
            let text = String(repeating: "长", count: 40)
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"\#(text)"}"#)) { r in
                #expect(r.status == .contentTooLarge)
                #expect(r.json["error"]?["code"] == .string("body_too_large"))
            }
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"短一点的留言"}"#)) { r in
                #expect(r.status == .ok)
            }
        }
    }

    @Test func noRuleSetMeansNotReady() async throws {
        let service = await makeService(directory: "/nonexistent/rules")
        try await withRouter(service) { client in
            try await client.execute(uri: "/readyz", method: .get) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(r.json["status"] == .string("not_ready"))
            }
            try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"x"}"#)) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(r.json["error"]?["code"] == .string("not_ready"))
            }
            try await client.execute(uri: "/v1/ruleset", method: .get) { r in #expect(r.status == .serviceUnavailable) }
        }
    }
}

@Suite struct BatchEndpointTests {
    @Test func resultsComeBackInOrderWithErrorsInPlace() async throws {
        let service = await makeService()
        let request = #"{"messages": [{"id": "a", "text": "\#(technicalText)"}, {"id": "b"}, 7, {"id": "d", "text": "请问办执照需要哪些材料"}]}"#
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage/batch", method: .post, body: body(request)) { r in
                #expect(r.status == .ok)
                let json = r.json
                let results = try #require(json["results"]?.array)
                #expect(results.count == 4)
                #expect(results[0]["id"] == .string("a"))
                #expect(results[0]["category"] == .string("technical"))
                #expect(results[1]["id"] == .string("b"))
                #expect(results[1]["error"]?["code"] == .string("missing_field"))
                #expect(results[2]["error"]?["code"] == .string("not_an_object"))
                #expect(results[3]["category"] == .string("business"))
                #expect(json["count"] == .number(4))
                #expect(json["failed"] == .number(2))
                #expect(json["ruleset"]?["version"] == results[0]["ruleset"]?["version"])
            }
        }
    }

    @Test func tooManyMessagesGets413() async throws {
        let service = await makeService { $0.maxBatch = 3 }
        let four = Array(repeating: #"{"text":"x"}"#, count: 4).joined(separator: ",")
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage/batch", method: .post, body: body(#"{"messages":[\#(four)]}"#)) { r in
                #expect(r.status == .contentTooLarge)
                #expect(r.json["error"]?["code"] == .string("too_many_messages"))
            }
        }
    }

    @Test(arguments: [
        (#"{"items": []}"#, "missing_field"),
        (#"{"messages": {"text": "x"}}"#, "wrong_type"),
        (#"[{"text": "x"}]"#, "not_an_object"),
        (#"{"messages": [}"#, "invalid_json"),
    ])
    func malformedBatchesGet400(input: String, code: String) async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage/batch", method: .post, body: body(input)) { r in
                #expect(r.status == .badRequest)
                #expect(r.json["error"]?["code"] == .string(code))
            }
        }
    }
}

@Suite struct InfoEndpointTests {
    @Test func rulesetReportsVersionLoadTimeAndCounts() async throws {
        let service = await makeService()
        let version = try #require(service.store.current).version
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/ruleset", method: .get) { r in
                #expect(r.status == .ok)
                let json = r.json
                #expect(json["version"] == .string(version))
                #expect(json["counts"]?["rules"] == .number(2))
                #expect(json["counts"]?["departments"] == .number(5))
                #expect(json["counts"]?["items"] == .number(0))
                #expect(json["loaded_at"]?.string?.hasSuffix("Z") == true)
                #expect(json["categories"]?.array?.first?["name"] == .string("技术问题"))
            }
        }
    }

    @Test func healthAndReadiness() async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.json["status"] == .string("ok"))
            }
            try await client.execute(uri: "/readyz", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.json["ruleset"]?["version"] == .string(service.store.current!.version))
            }
        }
    }

    @Test func metricsExposeRequestsLatencyCategoriesReloadsAndVersion() async throws {
        let service = await makeService()
        let version = try #require(service.store.current).version
        try await withRouter(service) { client in
            try await client.execute(uri: "/v1/triage", method: .post, body: body(#"{"text":"\#(technicalText)"}"#))
            try await client.execute(uri: "/v1/triage", method: .post, body: body("{"))
            try await client.execute(uri: "/no/such/route", method: .get)
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = r.text
                #expect(text.contains(#"triage_http_requests_total{route="/v1/triage",method="POST",status="200"} 1"#))
                #expect(text.contains(#"triage_http_requests_total{route="/v1/triage",method="POST",status="400"} 1"#))
                #expect(text.contains(#"triage_http_requests_total{route="NotFound",method="GET",status="404"} 1"#))
                #expect(text.contains(#"triage_http_request_duration_seconds_count{route="/v1/triage"} 2"#))
                #expect(text.contains(#"triage_messages_classified_total{category="technical"} 1"#))
                #expect(text.contains(#"triage_ruleset_reloads_total{result="success"} 1"#))
                #expect(text.contains(#"triage_ruleset_info{version="\#(version)"} 1"#))
            }
        }
    }

    @Test func unknownRoutesGet404JSON() async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            for (uri, method) in [("/v2/triage", HTTPRequest.Method.post), ("/favicon.ico", .get)] {
                try await client.execute(uri: uri, method: method) { r in
                    #expect(r.status == .notFound)
                    #expect(r.json["error"]?["code"] == .string("not_found"))
                }
            }
        }
    }

    /// Issue 13 (11): an undeclared method on a known path was 404; it is 405 with `Allow`.
    @Test func undeclaredMethodsOnKnownPathsGet405WithAllow() async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            for (uri, method, allow) in [("/v1/triage", HTTPRequest.Method.get, "POST"), ("/healthz", .delete, "GET, HEAD"),
                                         ("/v1/triage/batch", .put, "POST"), ("/metrics", .post, "GET, HEAD")] {
                try await client.execute(uri: uri, method: method) { r in
                    #expect(r.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(r.headers[.allow] == allow)
                    #expect(r.json["error"]?["code"] == .string("method_not_allowed"))
                }
            }
        }
    }
}

@Suite struct PageAndDocumentTests {
    @Test func pageAndAssetsAreServed() async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            try await client.execute(uri: "/", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                #expect(r.text.contains(#"<html lang="zh-CN">"#))
                #expect(r.text.contains("/assets/app.js"))
            }
            try await client.execute(uri: "/assets/app.js", method: .get) { r in
                #expect(r.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(r.text.contains("/v1/triage"))
                // A rejected message (route null) does not break the batch table or the CSV.
                #expect(r.text.contains("r.route ? "))
            }
            try await client.execute(uri: "/assets/common.js", method: .get) { r in
                // Provisional deadlines are marked on the proposal.
                #expect(r.text.contains("d.provisional ? \"（暂定）\"") && r.text.contains("deadline-provisional"))
            }
            try await client.execute(uri: "/assets/app.css", method: .get) { r in
                #expect(r.headers[.contentType] == "text/css; charset=utf-8")
            }
            try await client.execute(uri: "/openapi.yaml", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text.hasPrefix("openapi: 3.1"))
            }
        }
    }

    /// The binary serves copies embedded at build time (Plugins/EmbedServerAssets); they must equal the files.
    @Test(arguments: [
        ("docs/openapi.yaml", OpenAPIDocument.yaml), ("Sources/TriageServer/Web/index.html", PageAssets.html),
        ("Sources/TriageServer/Web/app.css", PageAssets.css), ("Sources/TriageServer/Web/app.js", PageAssets.js),
    ])
    func embeddedAssetsMatchTheirFiles(path: String, embedded: String) throws {
        let onDisk = try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
        #expect(onDisk == embedded, "the embedded copy of \(path) differs from the file")
    }
}
