public import Hummingbird
import TriageKit

/// An error answered as `{"error": {"code", "message", "field"?}}` with its HTTP status.
public struct APIError: Error, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// Stable machine-readable code.
    public var code: String
    /// Human message naming what is wrong.
    public var message: String
    /// The offending field, when there is one.
    public var field: String?

    /// Creates an API error.
    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// A 400 from an input error of the library (`invalid_json`, `missing_field`, `wrong_type`, ...).
    init(_ input: InputError) {
        self.init(.badRequest, code: input.code.rawValue, message: input.message, field: input.field)
    }

    /// The JSON body.
    var json: JSONValue {
        var error: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
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
        case .notFound: return APIError(.notFound, code: "not_found", message: "no such route")
        case .methodNotAllowed: return APIError(.methodNotAllowed, code: "method_not_allowed", message: "method not allowed on this route")
        case .contentTooLarge: return APIError(.contentTooLarge, code: "body_too_large", message: "request body too large")
        default:
            return APIError(status, code: status.code >= 500 ? "internal_error" : "bad_request", message: status.reasonPhrase)
        }
    }
}

/// A JSON response with a trailing newline (the CLI's line format).
func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    jsonResponse(status: status, headers: headers) { value.write(to: &$0) }
}
