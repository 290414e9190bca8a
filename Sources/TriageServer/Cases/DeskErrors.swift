import Foundation
import HTTPTypes
import Hummingbird
import TriageCases
import TriageKit

/// The desk's errors as API errors (`{"error": {"code", "message", "field"?}}`). Codes are stable;
/// messages are English for integrators; the page shows its own Chinese text for each code.
enum DeskError {
    /// No session cookie and no bearer token.
    static let unauthenticated = APIError(
        .unauthorized, code: .unauthenticated, message: "sign in (POST /v1/session) or send Authorization: Bearer <token>")
    /// The session cookie is unknown, expired, or its user was disabled.
    static let invalidSession = APIError(.unauthorized, code: .invalidSession, message: "not signed in or the session expired")
    /// The bearer token is unknown, revoked or malformed.
    static let invalidToken = APIError(.unauthorized, code: .invalidToken, message: "unknown or revoked token")
    /// Wrong username or password, or a disabled user (deliberately one answer).
    static let invalidCredentials = APIError(.unauthorized, code: .invalidCredentials, message: "wrong username or password")
    /// A write with a session but without the session's CSRF token.
    static let csrf = APIError(
        .forbidden, code: .csrfFailed, message: "missing or wrong X-CSRF-Token header (GET /v1/session returns the token)")
    /// A token on a route only signed-in staff may use.
    static let staffOnly = APIError(.forbidden, code: .staffOnly, message: "only signed-in staff may do this; tokens may not")

    /// A token without the scope the route needs.
    static func missingScope(_ scope: TokenScope) -> APIError {
        APIError(.forbidden, code: .missingScope, message: "the token lacks the scope \(scope.rawValue)")
    }

    /// No case with this id.
    static func caseNotFound(_ id: String) -> APIError {
        APIError(.notFound, code: .caseNotFound, message: "no case \(id)")
    }

    /// A query parameter that cannot be used.
    static func parameter(_ name: String, _ message: String) -> APIError {
        APIError(.badRequest, code: .invalidParameter, message: message, field: name)
    }

    /// A request body field that cannot be used.
    static func field(_ name: String, _ message: String) -> APIError {
        APIError(.badRequest, code: .invalidField, message: message, field: name)
    }

    /// A store error as the API answers it.
    static func from(_ error: CaseStoreError) -> APIError {
        switch error {
        case .notFound(let id): return caseNotFound(String(id))
        case .invalidTransition(let id, let from, let action):
            return APIError(.conflict, code: .invalidTransition, message: "case \(id) is \(from.rawValue): cannot \(action)", field: "status")
        case .decision(let problem):
            return APIError(.badRequest, code: .invalidDecision, message: problem.description, field: problem.field)
        case .invalid(let why): return APIError(.badRequest, code: .invalidRequest, message: why)
        case .batchItem(let index, let reason):
            return APIError(.badRequest, code: .invalidItem, message: "message \(index): \(reason)", field: "messages")
        case .schemaTooNew: return APIError(.serviceUnavailable, code: .storeUnavailable, message: error.description)
        }
    }

    /// An account error (sign-in, session, token) as the API answers it.
    static func from(_ error: AccountError) -> APIError {
        switch error {
        case .invalidCredentials, .policy: return invalidCredentials
        case .invalidSession: return invalidSession
        case .csrfMismatch: return csrf
        case .invalidToken: return invalidToken
        case .missingScope(let s): return missingScope(s)
        case .exists(let name): return APIError(.conflict, code: .exists, message: "'\(name)' exists already")
        case .notFound(let name): return APIError(.notFound, code: .notFound, message: "no '\(name)'")
        }
    }
}

/// Runs `body`, answering store and account errors as API errors.
func deskErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let e as CaseStoreError {
        throw DeskError.from(e)
    } catch let e as AccountError {
        throw DeskError.from(e)
    }
}

/// A JSON response from an ordered JSON value, with a trailing newline like every other reply.
func deskJSON(_ value: OrderedJSON, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    var headers = headers
    headers[.contentType] = "application/json; charset=utf-8"
    headers[.cacheControl] = "no-store"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.serialized + "\n")))
}

extension HTTPField.Name {
    /// `X-CSRF-Token`: the session's CSRF token, required on every write made with a session.
    static let csrfToken = Self("X-CSRF-Token")!
    /// `X-Forwarded-Proto`: set by a TLS-terminating proxy.
    static let forwardedProto = Self("X-Forwarded-Proto")!
}
