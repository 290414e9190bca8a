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
        /// The text is over `--max-text` characters.
        case tooLong = "too_long"
        /// The body is over `--max-body`.
        case bodyTooLarge = "body_too_large"
        /// The batch is over `--max-batch`.
        case tooManyMessages = "too_many_messages"
        /// No such route.
        case notFound = "not_found"
        /// A method the route does not take (the `Allow` header lists those it does).
        case methodNotAllowed = "method_not_allowed"
        /// Too many classification requests are running and waiting.
        case overloaded = "overloaded"
        /// The connection limit is reached (health checks still answer from the reserve).
        case tooManyConnections = "too_many_connections"
        /// The request is not valid HTTP/1.1 (chunked framing, header syntax).
        case malformedRequest = "malformed_request"
        /// An HTTP/1.1 request without a Host header.
        case missingHost = "missing_host"
        /// Any other client error raised while reading the request.
        case badRequest = "bad_request"
        /// No valid rule set is loaded.
        case notReady = "not_ready"
        /// A bug.
        case internalError = "internal_error"

        // The pre-review desk (/v1/session, /v1/cases).
        /// No session cookie and no bearer token on a desk route.
        case unauthenticated = "unauthenticated"
        /// The session is unknown, expired, or its user was disabled.
        case invalidSession = "invalid_session"
        /// The bearer token is unknown, revoked or malformed.
        case invalidToken = "invalid_token"
        /// Wrong username or password, or a disabled user.
        case invalidCredentials = "invalid_credentials"
        /// A write with a session but without its X-CSRF-Token.
        case csrfFailed = "csrf_failed"
        /// A token on a route only signed-in staff may use.
        case staffOnly = "staff_only"
        /// A token without the scope the route needs.
        case missingScope = "missing_scope"
        /// No case with this id.
        case caseNotFound = "case_not_found"
        /// A query parameter that cannot be used.
        case invalidParameter = "invalid_parameter"
        /// The case's status does not allow the action.
        case invalidTransition = "invalid_transition"
        /// A pre-review decision that cannot be recorded.
        case invalidDecision = "invalid_decision"
        /// A desk request the store refuses.
        case invalidRequest = "invalid_request"
        /// A message of a batch the store refuses.
        case invalidItem = "invalid_item"
        /// The case database cannot be used (its schema is newer).
        case storeUnavailable = "store_unavailable"
        /// The account or token exists already.
        case exists = "exists"
        /// The message id exists already on its channel.
        case duplicate = "duplicate"
        /// Sign-in without a JSON body.
        case unsupportedMediaType = "unsupported_media_type"

        /// The code of an input error.
        public init(_ input: InputError.Code) {
            switch input {
            case .invalidUTF8: self = .invalidUTF8
            case .invalidJSON: self = .invalidJSON
            case .notAnObject: self = .notAnObject
            case .missingField: self = .missingField
            case .wrongType: self = .wrongType
            case .invalidField: self = .invalidField
            case .tooLong: self = .tooLong
            }
        }

        /// The status the code is answered with.
        public var status: HTTPResponse.Status {
            switch self {
            case .invalidUTF8, .invalidJSON, .notAnObject, .missingField, .wrongType, .invalidField, .badRequest: return .badRequest
            case .malformedRequest, .missingHost: return .badRequest
            case .tooLong: return .badRequest
            case .bodyTooLarge, .tooManyMessages: return .contentTooLarge
            case .notFound: return .notFound
            case .methodNotAllowed: return .methodNotAllowed
            case .overloaded, .tooManyConnections: return .serviceUnavailable
            case .notReady: return .serviceUnavailable
            case .internalError: return .internalServerError
            case .unauthenticated, .invalidSession, .invalidToken, .invalidCredentials: return .unauthorized
            case .csrfFailed, .staffOnly, .missingScope: return .forbidden
            case .caseNotFound: return .notFound
            case .invalidParameter, .invalidDecision, .invalidRequest, .invalidItem: return .badRequest
            case .invalidTransition, .exists, .duplicate: return .conflict
            case .storeUnavailable: return .serviceUnavailable
            case .unsupportedMediaType: return .unsupportedMediaType
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
            case .tooLong: return "the text is over `--max-text` characters (`field` is `text`; in a batch, that message's error)"
            case .notFound: return "unknown route"
            case .methodNotAllowed: return "a method the route does not take (GET on `/v1/triage`); `Allow` lists the methods it takes"
            case .overloaded: return "every worker is busy and the queue (`--max-queue`) is full; `Retry-After: 1`"
            case .tooManyConnections: return "the connection limit (`--max-connections`) is reached; only health checks answer from the reserve"
            case .malformedRequest: return "the request is not valid HTTP/1.1 (bad chunked framing, header syntax); the connection closes"
            case .missingHost: return "an HTTP/1.1 request without a `Host` header; the connection closes"
            case .badRequest: return "any other malformed request the HTTP layer refuses before a handler runs"
            case .notReady: return "no valid rule set is loaded yet"
            case .internalError: return "a bug; the server keeps running"
            case .unauthenticated: return "a desk route without a session cookie or a bearer token"
            case .invalidSession: return "the session cookie is unknown, expired, or its user was disabled"
            case .invalidToken: return "the bearer token is unknown, revoked or malformed"
            case .invalidCredentials: return "sign-in with a wrong username or password, or a disabled user (one answer for all three)"
            case .csrfFailed: return "a write with a session but without the session's `X-CSRF-Token`; nothing changes"
            case .staffOnly: return "a token on a route only signed-in staff may use (decisions, the session)"
            case .missingScope: return "a token without the scope the route needs (`cases:read`, `cases:write`)"
            case .caseNotFound: return "no case with this id"
            case .invalidParameter: return "a query parameter of the worklist that cannot be used (`field` names it)"
            case .invalidTransition: return "the case's status does not allow the action (e.g. replying to a rejected case)"
            case .invalidDecision: return "a pre-review decision that cannot be recorded (`field` names the field)"
            case .invalidRequest: return "any other desk request the case store refuses"
            case .invalidItem: return "a message of a batch the store refuses (`field` is `messages`)"
            case .storeUnavailable: return "the case database cannot be used (its schema is newer than this server)"
            case .exists: return "the account or token name exists already"
            case .duplicate: return "the message id exists already on its channel (`case_id` names the case)"
            case .unsupportedMediaType: return "sign-in without a JSON body (`Content-Type: application/json`)"
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
    jsonResponse(status: status, headers: headers) { value.write(to: &$0) }
}
