public import Foundation
public import TriageCases

/// The pre-review desk behind `/v1/cases` and `/v1/session`: the case store, the account rules
/// and how sessions and the classify endpoints are protected. Given to the server through
/// ``ServerConfiguration/cases``; without it the case routes do not exist.
public final class CaseDesk: Sendable {
    /// When the session cookie carries `Secure`.
    public enum SecureCookies: String, Sendable, CaseIterable {
        /// When the request came over HTTPS as a TLS-terminating proxy says (`X-Forwarded-Proto: https`).
        /// Over plain http (a desk on 127.0.0.1) the cookie has no `Secure`, because browsers would
        /// then not send it back at all.
        case auto
        /// Always: for a deployment that is reached only over HTTPS.
        case always
    }

    /// Cases, users, sessions and tokens.
    public let store: any CaseStore & AccountStore
    /// Password, session and token rules over the store.
    public let accounts: Accounts
    /// Where the store lives, for the log.
    public let location: String
    /// When the session cookie is `Secure`.
    public let secureCookies: SecureCookies
    /// When true, `/v1/triage` and `/v1/triage/batch` need a signed-in user or a token with the
    /// `classify` scope; when false (the default) they stay open.
    public let protectClassify: Bool
    /// The clock (tests fix it).
    let now: @Sendable () -> Date
    /// Refreshes the store's query statistics when due; true when it did.
    let refreshStatistics: @Sendable () throws -> Bool

    /// A desk over the SQLite store.
    /// - Parameters:
    ///   - bcryptCost: cost of password hashing (12; tests use 4).
    ///   - sessionLifetime: seconds a session lasts from sign-in.
    public convenience init(store: SQLiteCaseStore, bcryptCost: UInt8 = 12, sessionLifetime: Int64 = 12 * 3600,
                            secureCookies: SecureCookies = .auto, protectClassify: Bool = false,
                            clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(store: store, location: store.path, bcryptCost: bcryptCost, sessionLifetime: sessionLifetime,
                  secureCookies: secureCookies, protectClassify: protectClassify, clock: clock,
                  refreshStatistics: { try store.updateStatistics() })
    }

    /// A desk over any store (a shared PostgreSQL one, say).
    public init(store: any CaseStore & AccountStore, location: String, bcryptCost: UInt8 = 12, sessionLifetime: Int64 = 12 * 3600,
                secureCookies: SecureCookies = .auto, protectClassify: Bool = false,
                clock: @escaping @Sendable () -> Date = { Date() },
                refreshStatistics: @escaping @Sendable () throws -> Bool = { false }) {
        self.store = store
        self.accounts = Accounts(store: store, cost: bcryptCost, sessionLifetime: sessionLifetime)
        self.location = location
        self.secureCookies = secureCookies
        self.protectClassify = protectClassify
        self.now = clock
        self.refreshStatistics = refreshStatistics
    }
}
