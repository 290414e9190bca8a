import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TriageKit
import TriageServer

/// Real responses checked against docs/openapi.yaml.
@Suite struct OpenAPIConformanceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var path: String
        var method: HTTPRequest.Method
        var body: String?
        var status: Int
        var testDescription: String { "\(method) \(path) → \(status)" }
    }

    static let cases: [Case] = [
        Case(path: "/v1/triage", method: .post, body: #"{"id":"x1","text":"\#(technicalText)"}"#, status: 200),
        Case(path: "/v1/triage", method: .post, body: #"{"id":7,"text":"请问办执照需要哪些材料"}"#, status: 200),
        Case(path: "/v1/triage", method: .post, body: #"{"text":"嗯"}"#, status: 200),
        Case(path: "/v1/triage", method: .post, body: #"{"text":1}"#, status: 400),
        Case(path: "/v1/triage", method: .post, body: String(repeating: "x", count: 200), status: 413),
        Case(path: "/v1/triage/batch", method: .post, body: #"{"messages":[{"text":"\#(technicalText)"},{"id":"b"},3]}"#, status: 200),
        Case(path: "/v1/triage/batch", method: .post, body: #"{"messages":1}"#, status: 400),
        Case(path: "/v1/ruleset", method: .get, body: nil, status: 200),
        Case(path: "/healthz", method: .get, body: nil, status: 200),
        Case(path: "/readyz", method: .get, body: nil, status: 200),
    ]

    @Test(arguments: cases)
    func responseMatchesTheDocument(_ c: Case) async throws {
        let schema = try OpenAPISchema(text: OpenAPIDocument.yaml)
        let responseSchema = try #require(
            schema.responseSchema(path: c.path, method: c.method.rawValue.lowercased(), status: c.status),
            "docs/openapi.yaml documents no \(c.status) for \(c.method) \(c.path)")
        let service = await makeService { $0.maxBodyBytes = 150 }
        try await withRouter(service) { client in
            try await client.execute(uri: c.path, method: c.method, body: c.body.map(body)) { r in
                #expect(r.status.code == c.status)
                let problems = schema.check(r.json, responseSchema)
                #expect(problems.isEmpty, "\(problems)")
            }
        }
    }

    @Test func notFoundMatchesTheErrorSchema() async throws {
        let schema = try OpenAPISchema(text: OpenAPIDocument.yaml)
        let error = try #require(schema.root["components"]?["schemas"]?["Error"])
        let service = await makeService()
        try await withRouter(service) { client in
            try await client.execute(uri: "/nope", method: .get) { r in
                #expect(schema.check(r.json, error).isEmpty)
            }
        }
    }

    /// The checker itself must reject a drifted response, or the tests above prove nothing.
    @Test func checkerRejectsAResponseMissingARequiredField() throws {
        let schema = try OpenAPISchema(text: OpenAPIDocument.yaml)
        let result = try #require(schema.root["components"]?["schemas"]?["Result"])
        let drifted = try JSONValue.parse(#"{"id":null,"category":3}"#)
        let problems = schema.check(drifted, result)
        #expect(problems.contains { $0.contains("missing required lead") })
        #expect(problems.contains { $0.contains("$.category") })
    }
}
