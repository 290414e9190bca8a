import Foundation
import GRDB
import Testing
import TriageCases

@Suite struct AccountTests {
    @Test func passwordsAreBcryptAndChecked() async throws {
        let t = try TempStore()
        let accounts = Accounts(store: t.store, cost: 4)
        let user = try await accounts.addUser(username: "zhangsan", displayName: "张三", password: "正确的密码-2026", role: .admin)
        #expect(user.role == .admin && user.displayName == "张三" && !user.disabled)
        let hash = try #require(try await t.store.storedUser(named: "zhangsan")).passwordHash
        #expect(hash.hasPrefix("$2b$04$") && hash.count == 60)
        #expect(!hash.contains("正确的密码"))
        #expect(try await accounts.authenticate(username: "zhangsan", password: "正确的密码-2026").id == user.id)
        #expect(try await accounts.authenticate(username: "ZhangSan", password: "正确的密码-2026").id == user.id, "usernames ignore case")
        await #expect(throws: AccountError.invalidCredentials) { _ = try await accounts.authenticate(username: "zhangsan", password: "正确的密码-2025") }
        await #expect(throws: AccountError.invalidCredentials) { _ = try await accounts.authenticate(username: "nobody", password: "whatever-1") }
        await #expect(throws: AccountError.exists("zhangsan")) {
            _ = try await accounts.addUser(username: "zhangsan", displayName: nil, password: "another-pass", role: .staff)
        }
    }

    @Test func defaultCostIsTwelve() async throws {
        let t = try TempStore()
        _ = try await Accounts(store: t.store).addUser(username: "slow", displayName: nil, password: "password-1", role: .staff)
        #expect(try await t.store.storedUser(named: "slow")?.passwordHash.hasPrefix("$2b$12$") == true)
    }

    @Test func passwordPolicy() async throws {
        #expect(throws: AccountError.self) { try Accounts.checkPassword("short") }
        #expect(throws: AccountError.self, "over 72 bytes: bcrypt would ignore the rest") { try Accounts.checkPassword(String(repeating: "密", count: 25)) }
        #expect(throws: AccountError.self) { try Accounts.checkPassword("password\u{0}tail") }
        try Accounts.checkPassword(String(repeating: "密", count: 24))
        #expect(throws: AccountError.self) { try Accounts.checkUsername("张三") }
        #expect(throws: AccountError.self) { try Accounts.checkUsername("a b") }
        try Accounts.checkUsername("zhang.san-2")
    }

    @Test func disabledUsersCannotSignInAndLoseTheirSessions() async throws {
        let t = try TempStore()
        let accounts = Accounts(store: t.store, cost: 4)
        _ = try await accounts.addUser(username: "li", displayName: nil, password: "password-1", role: .staff)
        let issued = try await accounts.signIn(username: "li", password: "password-1", at: Clock.monday)
        #expect(try await accounts.verifySession(token: issued.token, at: Clock.monday).user.username == "li")
        try await accounts.disable("li")
        await #expect(throws: AccountError.invalidSession) { _ = try await accounts.verifySession(token: issued.token, at: Clock.monday) }
        await #expect(throws: AccountError.invalidCredentials, "the same answer as a wrong password") {
            _ = try await accounts.signIn(username: "li", password: "password-1", at: Clock.monday)
        }
        await #expect(throws: AccountError.notFound("nobody")) { try await accounts.disable("nobody") }
        #expect(try await accounts.users().map(\.disabled) == [true])
    }

    @Test func sessionsExpireAndCarryACSRFToken() async throws {
        let t = try TempStore()
        let accounts = Accounts(store: t.store, cost: 4, sessionLifetime: 3600)
        _ = try await accounts.addUser(username: "wang", displayName: nil, password: "password-1", role: .staff)
        let issued = try await accounts.signIn(username: "wang", password: "password-1", at: Clock.monday)
        #expect(issued.token.count == 43 && issued.session.csrfToken.count == 43)
        #expect(issued.token != issued.session.csrfToken)
        // Only the SHA-256 of the token is stored.
        try await t.store.pool.read { (db: Database) throws in
            let stored = try #require(try String.fetchOne(db, sql: "SELECT token_hash FROM sessions"))
            #expect(stored == Secrets.hash(issued.token) && stored.count == 64 && stored != issued.token)
        }
        let session = try await accounts.verifySession(token: issued.token, at: Clock.monday.addingTimeInterval(3599))
        try accounts.verifyCSRF(issued.session.csrfToken, for: session)
        #expect(throws: AccountError.csrfMismatch) { try accounts.verifyCSRF(nil, for: session) }
        let csrf = issued.session.csrfToken
        let oneOff = String(csrf.dropLast()) + (csrf.hasSuffix("A") ? "B" : "A")
        #expect(throws: AccountError.csrfMismatch) { try accounts.verifyCSRF(oneOff, for: session) }
        await #expect(throws: AccountError.invalidSession) { _ = try await accounts.verifySession(token: issued.token, at: Clock.monday.addingTimeInterval(3600)) }
        await #expect(throws: AccountError.invalidSession) { _ = try await accounts.verifySession(token: "forged", at: Clock.monday) }
        #expect(try await t.store.deleteExpiredSessions(now: CaseTime.seconds(Clock.monday) + 7200) == 1)
        let second = try await accounts.signIn(username: "wang", password: "password-1", at: Clock.monday)
        try await accounts.signOut(token: second.token)
        await #expect(throws: AccountError.invalidSession) { _ = try await accounts.verifySession(token: second.token, at: Clock.monday) }
    }

    @Test func tokensHaveScopesAndCanBeRevoked() async throws {
        let t = try TempStore()
        let accounts = Accounts(store: t.store, cost: 4)
        let issued = try await accounts.addToken(name: "12345-platform", scopes: [.classify, .casesRead], at: Clock.monday)
        #expect(issued.secret.hasPrefix("trk_") && issued.secret.count == 47)
        try await t.store.pool.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "SELECT token_hash FROM api_tokens") == Secrets.hash(issued.secret))
        }
        let later = Clock.monday.addingTimeInterval(120)
        #expect(try await accounts.verifyToken(issued.secret, scope: .casesRead, at: later).name == "12345-platform")
        #expect(try await accounts.tokens().first?.lastUsedAt == CaseTime.seconds(later))
        await #expect(throws: AccountError.missingScope(.casesWrite)) { _ = try await accounts.verifyToken(issued.secret, scope: .casesWrite, at: later) }
        await #expect(throws: AccountError.invalidToken) { _ = try await accounts.verifyToken("trk_" + String(repeating: "A", count: 43), scope: .classify) }
        await #expect(throws: AccountError.exists("12345-platform")) { _ = try await accounts.addToken(name: "12345-platform", scopes: [.classify]) }
        try await accounts.revokeToken("12345-platform", at: later)
        await #expect(throws: AccountError.invalidToken) { _ = try await accounts.verifyToken(issued.secret, scope: .classify, at: later) }
        #expect(try await accounts.tokens().first?.revoked == true)
        await #expect(throws: AccountError.notFound("12345-platform"), "already revoked") { try await accounts.revokeToken("12345-platform") }
        await #expect(throws: AccountError.policy("a token needs at least one scope")) { _ = try await accounts.addToken(name: "x", scopes: []) }
    }

    @Test func secretsAreRandomAndComparedInConstantTime() {
        let a = Secrets.token(), b = Secrets.token()
        #expect(a != b && a.count == 43)
        #expect(a.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(Secrets.constantTimeEquals("abc", "abc"))
        #expect(!Secrets.constantTimeEquals("abc", "abd"))
        #expect(!Secrets.constantTimeEquals("abc", "abcd"))
        #expect(!Secrets.constantTimeEquals("", "a"))
        #expect(Secrets.constantTimeEquals([UInt8](), []))
        // The project's SHA-256 (TriageKit) against the FIPS 180-2 test vectors.
        #expect(Secrets.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Secrets.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Secrets.hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func constantTimeCompareTakesAsLongWhateverMatches() {
        // The loop has no early exit: comparing against a string that differs in the first byte
        // must take about as long as one that differs in the last. A coarse check, robust on a busy
        // machine: medians of many rounds within a factor of 2.
        let secret = Array(Secrets.hash("secret").utf8)
        var early = secret, late = secret
        early[0] ^= 1
        late[late.count - 1] ^= 1
        func median(_ other: [UInt8]) -> Double {
            var times: [Double] = []
            for _ in 0..<201 {
                let start = DispatchTime.now().uptimeNanoseconds
                var ok = false
                for _ in 0..<2000 { ok = ok != Secrets.constantTimeEquals(secret, other) }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start))
                #expect(!ok)
            }
            return times.sorted()[100]
        }
        let e = median(early), l = median(late)
        #expect(max(e, l) / min(e, l) < 2.0, "early \(e) ns, late \(l) ns")
    }
}
