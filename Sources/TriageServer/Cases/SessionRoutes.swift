import Foundation
import HTTPTypes
import Hummingbird
import TriageCases
import TriageKit

/// Sign-in: `POST /v1/session` (username and password → cookie and CSRF token), `GET /v1/session`
/// (who is signed in, and the CSRF token again after a reload), `DELETE /v1/session` (sign out).
struct SessionEndpoints: Sendable {
    let desk: CaseDesk
    let endpoints: Endpoints

    /// The session as the page needs it; never the session token itself (that is only in the cookie).
    static func json(_ s: Session) -> OrderedJSON {
        .object([
            ("user", .object([
                ("username", .string(s.user.username)), ("name", .string(s.user.displayName)), ("role", .string(s.user.role.rawValue)),
            ])),
            ("csrf_token", .string(s.csrfToken)),
            ("expires_at", .string(CaseTime.iso(s.expiresAt))),
        ])
    }

    /// `POST /v1/session`. The body must be JSON (`Content-Type: application/json`): a cross-site
    /// form cannot send that, so nobody can sign a browser in to someone else's account.
    func signIn(_ request: Request, _ context: some RequestContext) async throws -> Response {
        guard let type = request.headers[.contentType].flatMap(MediaType.init(from:)), type.isType(.applicationJson) else {
            throw APIError(.unsupportedMediaType, code: .unsupportedMediaType, message: "sign in with a JSON body (Content-Type: application/json)")
        }
        let value = try await endpoints.json(request)
        guard case .object = value else { throw DeskError.field("username", "expected {\"username\": …, \"password\": …}") }
        guard let username = value["username"]?.string, !username.isEmpty else { throw DeskError.field("username", "\"username\" must be a non-empty string") }
        guard let password = value["password"]?.string else { throw DeskError.field("password", "\"password\" must be a string") }
        let now = desk.now()
        let issued = try await deskErrors { try await desk.accounts.signIn(username: username, password: password, at: now) }
        let cookie = SessionCookie.set(issued.token, maxAge: issued.session.expiresAt - CaseTime.seconds(now),
                                       secure: SessionCookie.secure(request, policy: desk.secureCookies))
        PrincipalSlot.current?.name = Principal.user(issued.session).logName
        return deskJSON(Self.json(issued.session), headers: [.setCookie: cookie])
    }

    /// `GET /v1/session`.
    func current(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        guard case .user(let session) = try context.requirePrincipal() else { throw DeskError.staffOnly }
        return deskJSON(Self.json(session))
    }

    /// `DELETE /v1/session`: ends the session and removes the cookie.
    func signOut(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        if let token = SessionCookie.token(in: request) {
            try await desk.accounts.signOut(token: token)
        }
        return Response(status: .noContent, headers: [
            .setCookie: SessionCookie.clear(secure: SessionCookie.secure(request, policy: desk.secureCookies)),
            .cacheControl: "no-store",
        ])
    }
}
