import Foundation
import HTTPTypes
import Hummingbird
import TriageKit

/// The classification and rule-set endpoints. Each request takes one snapshot of the store.
struct Endpoints: Sendable {
    let store: RuleSetStore
    let metrics: ServerMetrics
    let configuration: ServerConfiguration

    /// The snapshot to serve with, or 503 while no valid rule set is loaded.
    func snapshot() throws(APIError) -> RuleSetSnapshot {
        guard let s = store.current else {
            throw APIError(.notReady, message: "no valid rule set is loaded")
        }
        return s
    }

    /// Reads the body up to the limit and checks that it is UTF-8.
    func body(_ request: Request) async throws -> [UInt8] {
        var request = request
        // Refuse a declared oversize body at once, without reading it.
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
            throw tooLarge()
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge()
        }
        let bytes = Array(buffer.readableBytesView)
        if let at = MessageRecord.firstInvalidUTF8(bytes) {
            throw APIError(.invalidUTF8, message: "request body is not valid UTF-8 (first bad byte at offset \(at))")
        }
        return bytes
    }

    private func tooLarge() -> APIError {
        APIError(.bodyTooLarge, message: "request body exceeds \(configuration.maxBodyBytes) bytes")
    }

    /// Parses the body as JSON.
    func json(_ request: Request) async throws -> JSONValue {
        let bytes = try await body(request)
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw APIError(.invalidJSON, message: "invalid JSON: \(error.description)")
        }
    }

    /// `POST /v1/triage`.
    func triage(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let value = try await json(request)
        let message: MessageRecord
        switch MessageRecord.parse(value, maxTextLength: configuration.maxTextLength) {
        case .success(let m): message = m
        case .failure(let e): throw APIError(e)
        }
        let snapshot = try snapshot()
        let result = snapshot.engine.classify(message)
        metrics.classified([result.category])
        return jsonResponse(headers: versionHeader(snapshot.version)) { result.writeJSON(to: &$0) }
    }

    /// `POST /v1/triage/batch`: `{"messages": [...]}` → `{"results": [...], ...}` in order.
    func batch(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let value = try await json(request)
        guard case .object = value else {
            throw APIError(.notAnObject, message: "expected a JSON object with a \"messages\" array, got \(value.typeName)")
        }
        guard let field = value["messages"] else {
            throw APIError(.missingField, message: "missing field \"messages\"", field: "messages")
        }
        guard let messages = field.array else {
            throw APIError(.wrongType, message: "\"messages\" must be an array, not \(field.typeName)", field: "messages")
        }
        guard messages.count <= configuration.maxBatch else {
            throw APIError(
                .tooManyMessages,
                message: "a batch holds at most \(configuration.maxBatch) messages; this one has \(messages.count)", field: "messages")
        }
        let snapshot = try snapshot()
        var categories: [CategoryID?] = []
        var failed = 0
        // Each result is written as it is made: {"results": [...], "count", "failed", "ruleset"}.
        let response = jsonResponse(headers: versionHeader(snapshot.version)) { bytes in
            var w = JSONWriter(capacity: 4096 * messages.count)
            w.objectStart()
            w.key("results")
            w.arrayStart()
            for (index, item) in messages.enumerated() {
                switch MessageRecord.parse(item, maxTextLength: configuration.maxTextLength) {
                case .success(let message):
                    let result = snapshot.engine.classify(message)
                    categories.append(result.category)
                    result.emit(into: &w)
                case .failure(let error):
                    failed += 1
                    error.emit(into: &w, line: nil, index: index)
                }
            }
            w.arrayEnd()
            w.key("count")
            w.integer(messages.count)
            w.key("failed")
            w.integer(failed)
            w.key("ruleset")
            w.objectStart()
            w.key("version")
            w.string(snapshot.version)
            w.objectEnd()
            w.objectEnd()
            w.finish(appendingTo: &bytes)
        }
        metrics.classified(categories)
        return response
    }

    /// `GET /v1/ruleset`.
    func ruleset(_ request: Request, _ context: some RequestContext) throws -> Response {
        let s = try snapshot()
        let rs = s.ruleSet
        let body: JSONValue = .object([
            ("version", .string(rs.version)),
            ("name", .string(rs.name)),
            ("source", .string(store.label)),
            ("loaded_at", .string(s.loadedAt.formatted(.iso8601))),
            ("counts", .object(rs.counts.map { ($0.name, .number(Double($0.value))) })),
            ("categories", .array(rs.categories.map {
                .object([("id", .string($0.id.rawValue)), ("name", .string($0.name)), ("channel", .string($0.channel.rawValue))])
            })),
            ("departments", .array(rs.departments.map { .object([("id", .string($0.id.rawValue)), ("name", .string($0.name))]) })),
        ])
        return jsonResponse(body, headers: versionHeader(s.version))
    }

    /// `GET /healthz`: the process is up.
    func healthz(_ request: Request, _ context: some RequestContext) -> Response {
        jsonResponse(.object([("status", .string("ok"))]))
    }

    /// `GET /readyz`: 200 only with a valid rule set loaded.
    func readyz(_ request: Request, _ context: some RequestContext) -> Response {
        guard let s = store.current else {
            return jsonResponse(.object([("status", .string("not_ready")), ("ruleset", .null)]), status: .serviceUnavailable)
        }
        return jsonResponse(
            .object([("status", .string("ready")), ("ruleset", .object([("version", .string(s.version))]))]),
            headers: versionHeader(s.version))
    }

    /// `GET /metrics`.
    func metricsText(_ request: Request, _ context: some RequestContext) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
    }
}

extension HTTPField.Name {
    /// `X-Ruleset-Version`: the rule-set version that produced the response.
    static let rulesetVersion = Self("X-Ruleset-Version")!
}

func versionHeader(_ version: String) -> HTTPFields {
    [.rulesetVersion: version]
}

/// A static asset response.
func asset(_ text: String, type: String) -> Response {
    Response(
        status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
        body: .init(byteBuffer: ByteBuffer(string: text)))
}
