import Foundation
import HTTPTypes
import Hummingbird
import TriageCases

/// The session cookie: `triage_session=<token>; Path=/; HttpOnly; SameSite=Strict; Max-Age=…`, with
/// `Secure` as ``CaseDesk/SecureCookies`` says. The token is the only copy of the secret; the store
/// keeps its SHA-256.
enum SessionCookie {
    /// The cookie's name.
    static let name = "triage_session"

    /// The session token a request carries, if any.
    static func token(in request: Request) -> String? {
        guard let value = request.cookies[name]?.value, !value.isEmpty else { return nil }
        return value
    }

    /// Whether this response's cookie gets `Secure`.
    static func secure(_ request: Request, policy: CaseDesk.SecureCookies) -> Bool {
        switch policy {
        case .always: return true
        case .auto: return request.headers[.forwardedProto]?.lowercased() == "https"
        }
    }

    /// `Set-Cookie` for a new session lasting `maxAge` seconds.
    static func set(_ token: String, maxAge: Int64, secure: Bool) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(max(0, maxAge)); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` that removes the cookie.
    static func clear(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
