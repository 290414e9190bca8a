public import Hummingbird
public import TriageKit

/// An error answered as `{"error": {"code", "message", "field"?}}` with its HTTP status.
public struct APIError: Error, Sendable {
    /// Every error code of the HTTP API: the input codes every reader of a message shares
    /// (``TriageKit/InputError/Code``), then the server's own. docs/http.md's table and the
    /// OpenAPI `ErrorCode` enum are checked against this list.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The body is not UTF-8.
        case invalidUTF8 = "invalid_utf8"
        /// The body is not JSON.
        case invalidJSON = "invalid_json"
        /// The JSON is not an object.
        case notAnObject = "not_an_object"
        /// A required field is missing.
        case missingField = "missing_field"
        /// A field has the wrong JSON type.
        case wrongType = "wrong_type"
        /// A field has a bad value.
        case invalidField = "invalid_field"
        /// The body is over `--max-body`.
        case bodyTooLarge = "body_too_large"
        /// The batch is over `--max-batch`.
        case tooManyMessages = "too_many_messages"
        /// No such route, or a method the route does not take.
        case notFound = "not_found"
        /// Any other client error raised while reading the request.
        case badRequest = "bad_request"
        /// No valid rule set is loaded.
        case notReady = "not_ready"
        /// A bug.
        case internalError = "internal_error"

        /// The code of an input error.
        public init(_ input: InputError.Code) {
            switch input {
            case .invalidUTF8: self = .invalidUTF8
            case .invalidJSON: self = .invalidJSON
            case .notAnObject: self = .notAnObject
            case .missingField: self = .missingField
            case .wrongType: self = .wrongType
            case .invalidField: self = .invalidField
            }
        }

        /// The status the code is answered with.
        public var status: HTTPResponse.Status {
            switch self {
            case .invalidUTF8, .invalidJSON, .notAnObject, .missingField, .wrongType, .invalidField, .badRequest: return .badRequest
            case .bodyTooLarge, .tooManyMessages: return .contentTooLarge
            case .notFound: return .notFound
            case .notReady: return .serviceUnavailable
            case .internalError: return .internalServerError
            }
        }

        /// When the server answers with it, in one line (docs/http.md's table is generated from it).
        package var summary: String {
            switch self {
            case .invalidUTF8, .invalidJSON, .notAnObject, .missingField, .wrongType, .invalidField:
                return "the body is not a message; the input codes of [output.md](output.md#input-errors)"
                    + (self == .invalidField || self == .wrongType || self == .missingField ? ", `field` names the field" : "")
            case .bodyTooLarge: return "the body is over `--max-body` bytes"
            case .tooManyMessages: return "a batch holds more than `--max-batch` messages (`field` is `messages`)"
            case .notFound: return "unknown route, or a method the route does not take (GET on `/v1/triage`)"
            case .badRequest: return "any other malformed request the HTTP layer refuses before a handler runs"
            case .notReady: return "no valid rule set is loaded yet"
            case .internalError: return "a bug; the server keeps running"
            }
        }
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// Stable machine-readable code.
    public var code: Code
    /// Human message naming what is wrong.
    public var message: String
    /// The offending field, when there is one.
    public var field: String?

    /// Creates an API error with the code's own status.
    public init(_ code: Code, message: String, field: String? = nil) {
        self.init(code.status, code: code, message: message, field: field)
    }

    /// Creates an API error.
    public init(_ status: HTTPResponse.Status, code: Code, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// A 400 from an input error of the library (`invalid_json`, `missing_field`, `wrong_type`, ...).
    init(_ input: InputError) {
        self.init(Code(input.code), message: input.message, field: input.field)
    }

    /// The JSON body.
    var json: JSONValue {
        var error: [(String, JSONValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
        if let field { error.append(("field", .string(field))) }
        return .object([("error", .object(error))])
    }

    /// The response.
    var response: Response {
        jsonResponse(json, status: status)
    }

    /// The error for a status raised inside Hummingbird (unknown route, body too large, ...).
    static func from(status: HTTPResponse.Status) -> APIError {
        switch status {
        case .notFound, .methodNotAllowed: return APIError(.notFound, message: "no such route")
        case .contentTooLarge: return APIError(.bodyTooLarge, message: "request body too large")
        default:
            return APIError(status, code: status.code >= 500 ? .internalError : .badRequest, message: status.reasonPhrase)
        }
    }

    /// The JSON error response for anything a handler or middleware threw.
    static func response(for error: any Error) -> Response {
        switch error {
        case let error as APIError: return error.response
        case let error as any HTTPResponseError: return from(status: error.status).response
        default: return APIError(.internalError, message: "internal error").response
        }
    }
}

/// A JSON response with a trailing newline (the CLI's line format).
func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    var text = value.serialized
    text.append("\n")
    var headers = headers
    headers[.contentType] = "application/json; charset=utf-8"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}
