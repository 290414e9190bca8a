import Foundation
import HummingbirdBcrypt

/// Users, sessions and API tokens: the rules, over any ``AccountStore``.
///
/// - Passwords: bcrypt (hummingbird-auth's HummingbirdBcrypt), cost 12 by default; 8 characters at
///   least, 72 bytes at most (bcrypt ignores what follows, so longer ones are refused, not cut).
/// - Sign-in: a wrong password, an unknown user and a disabled user get the same error, and an
///   unknown user still costs one bcrypt check, so timing does not tell which usernames exist.
/// - Sessions: a random token for the cookie, stored as SHA-256; absolute expiry; a random CSRF token.
/// - API tokens: `trk_…`, stored as SHA-256, with scopes; revocation is immediate.
/// - Every secret comparison is constant-time.
public struct Accounts: Sendable {
    /// The storage.
    public let store: any AccountStore
    /// bcrypt cost (log2 rounds): 12 by default (about 0.2 s a check on the project machine). Tests use 4.
    public let cost: UInt8
    /// How long a session lasts from sign-in: 12 hours by default (a working day and some).
    public let sessionLifetime: Int64

    /// Creates the account rules over `store`.
    public init(store: any AccountStore, cost: UInt8 = 12, sessionLifetime: Int64 = 12 * 3600) {
        precondition((4...31).contains(cost), "bcrypt cost must be 4…31")
        self.store = store
        self.cost = cost
        self.sessionLifetime = sessionLifetime
    }

    // MARK: Users

    /// Checks a password against the policy.
    public static func checkPassword(_ password: String) throws(AccountError) {
        if password.count < 8 { throw .policy("the password must have at least 8 characters") }
        if password.utf8.count > 72 { throw .policy("the password must be at most 72 bytes of UTF-8 (bcrypt ignores the rest)") }
        if password.utf8.contains(0) { throw .policy("the password must not contain a NUL character") }
    }

    /// Checks a username: 1–64 characters of letters, digits, `.`, `_`, `-`.
    public static func checkUsername(_ name: String) throws(AccountError) {
        let ok = !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy {
            ($0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)))
        }
        if !ok { throw .policy("a username is 1–64 ASCII letters, digits, '.', '_' or '-'") }
    }

    /// Adds a user with a bcrypt hash of `password`.
    public func addUser(username: String, displayName: String?, password: String, role: Role, at now: Date = Date()) async throws -> User {
        try Self.checkUsername(username)
        try Self.checkPassword(password)
        let cost = self.cost
        let hash = await Self.offload { Bcrypt.hash(password, cost: cost) }
        return try await store.insertUser(NewUser(
            username: username, displayName: displayName ?? username, passwordHash: hash, role: role, createdAt: CaseTime.seconds(now)))
    }

    /// Checks a username and password. Throws ``AccountError/invalidCredentials`` for a wrong password,
    /// an unknown user and a disabled user alike.
    public func authenticate(username: String, password: String) async throws -> User {
        let cost = self.cost
        guard let stored = try await store.storedUser(named: username) else {
            // As long as a check: hashing at the same cost is the same work.
            _ = await Self.offload { Bcrypt.hash(password.utf8.count <= 72 ? password : "", cost: cost) }
            throw AccountError.invalidCredentials
        }
        // bcrypt's check compares the hashes in constant time (timingsafe_bcmp in CBcrypt).
        let hash = stored.passwordHash
        var ok = false
        if password.utf8.count <= 72 && !password.utf8.contains(0) {
            ok = await Self.offload { Bcrypt.verify(password, hash: hash) }
        }
        guard ok, !stored.user.disabled else { throw AccountError.invalidCredentials }
        return stored.user
    }

    /// Runs slow work (bcrypt: about 0.2 s at cost 12) on a Dispatch queue, so that it does not hold
    /// one of the few threads of Swift's cooperative pool, which a server's requests share.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    /// Every user.
    public func users() async throws -> [User] { try await store.users() }

    /// Disables a user and ends their sessions.
    public func disable(_ username: String) async throws {
        guard try await store.setDisabled(username, true) else { throw AccountError.notFound(username) }
    }

    // MARK: Sessions

    /// Signs in: checks the password and opens a session.
    public func signIn(username: String, password: String, at now: Date = Date()) async throws -> IssuedSession {
        let user = try await authenticate(username: username, password: password)
        let token = Secrets.token()
        let t = CaseTime.seconds(now)
        let stored = StoredSession(tokenHash: Secrets.hash(token), userID: user.id, csrfToken: Secrets.token(),
                                   createdAt: t, expiresAt: t + sessionLifetime)
        try await store.insertSession(stored)
        return IssuedSession(token: token, session: Session(user: user, csrfToken: stored.csrfToken, expiresAt: stored.expiresAt))
    }

    /// The session of a cookie's token. Throws ``AccountError/invalidSession`` when it is unknown,
    /// expired, or its user is disabled.
    public func verifySession(token: String, at now: Date = Date()) async throws -> Session {
        let hash = Secrets.hash(token)
        guard let (session, user) = try await store.session(tokenHash: hash),
              Secrets.constantTimeEquals(session.tokenHash, hash),
              session.expiresAt > CaseTime.seconds(now), !user.user.disabled else {
            throw AccountError.invalidSession
        }
        return Session(user: user.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt)
    }

    /// Checks the CSRF token a write carries against the session's, in constant time.
    public func verifyCSRF(_ presented: String?, for session: Session) throws(AccountError) {
        guard let presented, Secrets.constantTimeEquals(presented, session.csrfToken) else { throw .csrfMismatch }
    }

    /// Signs out.
    public func signOut(token: String) async throws { try await store.deleteSession(tokenHash: Secrets.hash(token)) }

    // MARK: API tokens

    /// Creates a token; the secret is returned once and never stored.
    public func addToken(name: String, scopes: Set<TokenScope>, at now: Date = Date()) async throws -> IssuedToken {
        try Self.checkUsername(name)
        guard !scopes.isEmpty else { throw AccountError.policy("a token needs at least one scope") }
        let secret = Secrets.token(prefix: "trk_")
        let token = try await store.insertToken(StoredToken(
            token: APIToken(id: 0, name: name, scopes: scopes, createdAt: CaseTime.seconds(now), lastUsedAt: nil, revokedAt: nil),
            hash: Secrets.hash(secret)))
        return IssuedToken(secret: secret, token: token)
    }

    /// The token of an `Authorization: Bearer` secret, if it is known, not revoked and has `scope`
    /// (`nil`: any scope; the caller then decides, e.g. a staff-only route refuses every token).
    /// Records the use (at most once a minute per token).
    public func verifyToken(_ secret: String, scope: TokenScope?, at now: Date = Date()) async throws -> APIToken {
        let hash = Secrets.hash(secret)
        guard let stored = try await store.storedToken(hash: hash), Secrets.constantTimeEquals(stored.hash, hash),
              !stored.token.revoked else {
            throw AccountError.invalidToken
        }
        if let scope, !stored.token.scopes.contains(scope) { throw AccountError.missingScope(scope) }
        let t = CaseTime.seconds(now)
        if (stored.token.lastUsedAt ?? 0) < t - 60 { try await store.touchToken(id: stored.token.id, at: t) }
        return stored.token
    }

    /// Every token.
    public func tokens() async throws -> [APIToken] { try await store.tokens() }

    /// Revokes a token.
    public func revokeToken(_ name: String, at now: Date = Date()) async throws {
        guard try await store.revokeToken(named: name, at: CaseTime.seconds(now)) else { throw AccountError.notFound(name) }
    }
}
