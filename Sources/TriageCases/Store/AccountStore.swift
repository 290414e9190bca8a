import Foundation

/// Storage of users, sessions and API tokens. It stores and finds rows; the rules (hashing,
/// expiry, scopes, constant-time checks) are in ``Accounts``, shared by every implementation.
/// Secrets arrive here already hashed: no method takes a password or a token.
public protocol AccountStore: Sendable {
    /// Adds a user; ``AccountError/exists(_:)`` when the username is taken.
    func insertUser(_ user: NewUser) async throws -> User
    /// A user with their password hash, by username (case-insensitive).
    func storedUser(named username: String) async throws -> StoredUser?
    /// Every user, by username.
    func users() async throws -> [User]
    /// Disables or enables a user; disabling also ends their sessions. False when there is no such user.
    func setDisabled(_ username: String, _ disabled: Bool) async throws -> Bool
    /// Stores a session (its token hashed).
    func insertSession(_ session: StoredSession) async throws
    /// A session and its user, by token hash.
    func session(tokenHash: String) async throws -> (StoredSession, StoredUser)?
    /// Ends a session.
    func deleteSession(tokenHash: String) async throws
    /// Removes sessions that expired before `now`; returns how many.
    func deleteExpiredSessions(now: Int64) async throws -> Int
    /// Stores an API token (hashed); ``AccountError/exists(_:)`` when the name is taken.
    func insertToken(_ token: StoredToken) async throws -> APIToken
    /// A token by hash.
    func storedToken(hash: String) async throws -> StoredToken?
    /// Every token, by name.
    func tokens() async throws -> [APIToken]
    /// Revokes a token by name; false when there is none (or it was already revoked).
    func revokeToken(named name: String, at: Int64) async throws -> Bool
    /// Sets `last_used_at`.
    func touchToken(id: Int64, at: Int64) async throws
}
