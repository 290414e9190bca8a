import Foundation

/// What a user may do.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// Pre-review staff: read and decide cases.
    case staff
    /// Also manages users and tokens.
    case admin
}

/// A user, without secrets.
public struct User: Sendable, Hashable {
    /// Store-assigned id.
    public var id: Int64
    /// Sign-in name (unique, case-insensitive).
    public var username: String
    /// Name shown to people.
    public var displayName: String
    /// Role.
    public var role: Role
    /// When created (seconds since 1970).
    public var createdAt: Int64
    /// A disabled user cannot sign in and their sessions end.
    public var disabled: Bool

    /// The user as a case history names them.
    public var actor: CaseActor { CaseActor(userID: id, name: username) }
}

/// A user to add, with the password already hashed.
public struct NewUser: Sendable {
    /// Sign-in name.
    public var username: String
    /// Name shown to people.
    public var displayName: String
    /// bcrypt hash (`$2b$…`).
    public var passwordHash: String
    /// Role.
    public var role: Role
    /// When.
    public var createdAt: Int64
}

/// A user with their password hash, as the store holds them.
public struct StoredUser: Sendable {
    /// The user.
    public var user: User
    /// bcrypt hash.
    public var passwordHash: String
}

/// A session as stored: the token only as its SHA-256.
public struct StoredSession: Sendable {
    /// SHA-256 of the session token, lower-case hex.
    public var tokenHash: String
    /// The user.
    public var userID: Int64
    /// The per-session CSRF token (see docs/cases.md for why it is kept as is).
    public var csrfToken: String
    /// When created.
    public var createdAt: Int64
    /// When it stops being valid.
    public var expiresAt: Int64
}

/// A signed-in session, as a server sees it after verification.
public struct Session: Sendable {
    /// The user.
    public var user: User
    /// The CSRF token every write must carry.
    public var csrfToken: String
    /// When the session expires.
    public var expiresAt: Int64
}

/// A new session: the token to put in the cookie (shown once, never stored) and the session.
public struct IssuedSession: Sendable {
    /// The session token for the cookie.
    public var token: String
    /// The session.
    public var session: Session
}

/// What an API token may do.
public enum TokenScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// The classify endpoints.
    case classify
    /// Read cases.
    case casesRead = "cases:read"
    /// Create cases (batch intake).
    case casesWrite = "cases:write"
}

/// An API token for another system, without its secret.
public struct APIToken: Sendable, Hashable {
    /// Store-assigned id.
    public var id: Int64
    /// Unique name (`12345-platform`, `window-system` …).
    public var name: String
    /// Scopes.
    public var scopes: Set<TokenScope>
    /// When created.
    public var createdAt: Int64
    /// When last used, if ever.
    public var lastUsedAt: Int64?
    /// When revoked, if it was.
    public var revokedAt: Int64?
    /// True once revoked.
    public var revoked: Bool { revokedAt != nil }
}

/// A token as stored: its SHA-256.
public struct StoredToken: Sendable {
    /// The token.
    public var token: APIToken
    /// SHA-256 of the secret, lower-case hex.
    public var hash: String
}

/// A new token: the secret (shown once) and the token.
public struct IssuedToken: Sendable {
    /// The secret to give to the other system: `trk_` and 43 base64url characters.
    public var secret: String
    /// The token.
    public var token: APIToken
}

/// Account errors. Sign-in failures are deliberately not told apart.
public enum AccountError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Wrong username or password, or a disabled user: one answer for all three.
    case invalidCredentials
    /// A session token that is unknown, expired or whose user is disabled.
    case invalidSession
    /// The CSRF token is missing or wrong.
    case csrfMismatch
    /// A bearer token that is unknown or revoked.
    case invalidToken
    /// The token lacks the scope.
    case missingScope(TokenScope)
    /// Username or token name taken.
    case exists(String)
    /// No such user or token.
    case notFound(String)
    /// A password or name that breaks the policy.
    case policy(String)

    /// One line for people.
    public var description: String {
        switch self {
        case .invalidCredentials: return "wrong username or password"
        case .invalidSession: return "not signed in or the session expired"
        case .csrfMismatch: return "missing or wrong CSRF token"
        case .invalidToken: return "unknown or revoked token"
        case .missingScope(let s): return "the token lacks the scope \(s.rawValue)"
        case .exists(let name): return "'\(name)' exists already"
        case .notFound(let name): return "no '\(name)'"
        case .policy(let why): return why
        }
    }
}
