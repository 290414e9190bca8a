import Foundation
import HTTPTypes
import Hummingbird
import TriageCases

/// What a desk route lets in.
enum DeskAccess: Sendable {
    /// Read cases: a signed-in user, or a token with `cases:read`.
    case read
    /// Create cases, record replies: a signed-in user with the CSRF token, or a token with `cases:write`.
    case write
    /// Signed-in staff only (a token gets 403): the session itself.
    case staff
    /// Signed-in staff only, with the CSRF token: decisions, signing out.
    case staffWrite
    /// The classify endpoints: open unless ``CaseDesk/protectClassify``; then a signed-in user or a
    /// token with `classify`. Classifying changes nothing, so a session needs no CSRF token here.
    case classify

    var scope: TokenScope? {
        switch self {
        case .read: return .casesRead
        case .write: return .casesWrite
        case .classify: return .classify
        case .staff, .staffWrite: return nil
        }
    }

    var needsCSRF: Bool { self == .write || self == .staffWrite }
}

/// Authenticates a desk request and puts the principal in the context (and in the access log's slot):
/// 401 without a valid session or token, 403 for a missing scope, a token on a staff-only route, or a
/// write without the session's CSRF token. A request with an `Authorization` header is judged by its
/// token alone, even if it also carries a cookie.
struct DeskAuthMiddleware: RouterMiddleware {
    typealias Context = DeskRequestContext
    /// `nil` when the server runs without a desk (then only `.classify` routes use this, and stay open).
    let desk: CaseDesk?
    let access: DeskAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let desk else {
            if access == .classify { return try await next(request, context) }
            throw DeskError.unauthenticated
        }
        if access == .classify && !desk.protectClassify { return try await next(request, context) }
        let principal: Principal
        do {
            principal = try await authenticate(request, desk: desk)
        } catch let error as APIError {
            var response = error.response
            if error.status == .unauthorized {
                response.headers[.wwwAuthenticate] = #"Bearer realm="triage""#
            }
            return response
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }

    func authenticate(_ request: Request, desk: CaseDesk) async throws -> Principal {
        let now = desk.now()
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw DeskError.invalidToken }
            let secret = parts[1].trimmingCharacters(in: .whitespaces)
            // Validity first, the scope second, so that the log names a known token that was refused.
            let token = try await deskErrors { try await desk.accounts.verifyToken(secret, scope: nil, at: now) }
            PrincipalSlot.current?.name = Principal.token(token).logName
            guard let scope = access.scope else { throw DeskError.staffOnly }
            guard token.scopes.contains(scope) else { throw DeskError.missingScope(scope) }
            return .token(token)
        }
        guard let cookie = SessionCookie.token(in: request) else { throw DeskError.unauthenticated }
        let session = try await deskErrors { try await desk.accounts.verifySession(token: cookie, at: now) }
        PrincipalSlot.current?.name = Principal.user(session).logName
        if access.needsCSRF {
            try await deskErrors { try desk.accounts.verifyCSRF(request.headers[.csrfToken], for: session) }
        }
        return .user(session)
    }
}
