import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TriageCases
import TriageKit
@testable import TriageServer

/// Every case route, as a method, a path and a body that would be valid.
let caseRoutes: [(HTTPRequest.Method, String, String?)] = [
    (.get, "/v1/cases", nil),
    (.get, "/v1/cases/1", nil),
    (.post, "/v1/cases", #"{"text": "请问办执照需要哪些材料"}"#),
    (.post, "/v1/cases/batch", #"{"messages": [{"text": "请问办执照需要哪些材料"}]}"#),
    (.post, "/v1/cases/1/decision", #"{"action": "accept"}"#),
    (.post, "/v1/cases/1/reply", "{}"),
    (.get, "/v1/session", nil),
    (.delete, "/v1/session", nil),
]

@Suite struct DeskAuthTests {
    @Test func everyCaseRouteWithoutASessionOrTokenIs401() async throws {
        let f = try await DeskFixture()
        try await f.run { client in
            for (method, path, text) in caseRoutes {
                let r = try await client.send(method, path, text)
                #expect(r.status == .unauthorized, "\(method) \(path): \(r.status)")
                #expect(r.json["error"]?["code"] == .string("unauthenticated"), "\(method) \(path)")
                #expect(r.headers[.wwwAuthenticate] == #"Bearer realm="triage""#)
                // A made-up session cookie or token is no better.
                let forged = try await client.send(method, path, text, headers: [.cookie: "triage_session=" + String(repeating: "A", count: 43)])
                #expect(forged.status == .unauthorized && forged.json["error"]?["code"] == .string("invalid_session"), "\(method) \(path)")
                let token = try await client.send(method, path, text, headers: bearer("trk_" + String(repeating: "B", count: 43)))
                #expect(token.status == .unauthorized && token.json["error"]?["code"] == .string("invalid_token"), "\(method) \(path)")
            }
        }
    }

    @Test func aTokenCannotReachStaffOnlyRoutesAndNeedsItsScope() async throws {
        let f = try await DeskFixture()
        let all = try await f.token("platform", [.classify, .casesRead, .casesWrite])
        let readOnly = try await f.token("reader", [.casesRead])
        let writeOnly = try await f.token("intake", [.casesWrite])
        try await f.run { client in
            // The token with every scope creates and reads cases...
            let created = try await client.send(.post, "/v1/cases", #"{"id": "t-1", "text": "\#(businessText)"}"#, headers: bearer(all))
            #expect(created.status == .created)
            #expect(created.json["history"]?.array?.first?["actor"] == .string("token:platform"))
            #expect(try await client.send(.get, "/v1/cases/1", headers: bearer(all)).status == .ok)
            // ...but may not decide, nor use the session routes.
            for (method, path, text) in [(HTTPRequest.Method.post, "/v1/cases/1/decision", #"{"action": "accept"}"#),
                                         (.get, "/v1/session", nil), (.delete, "/v1/session", nil)] {
                let r = try await client.send(method, path, text, headers: bearer(all))
                #expect(r.status == .forbidden, "\(method) \(path)")
                #expect(r.json["error"]?["code"] == .string("staff_only"), "\(method) \(path)")
            }
            // Scopes: reading needs cases:read, writing cases:write.
            let noWrite = try await client.send(.post, "/v1/cases", #"{"text": "\#(businessText)"}"#, headers: bearer(readOnly))
            #expect(noWrite.status == .forbidden && noWrite.json["error"]?["code"] == .string("missing_scope"))
            #expect(try await client.send(.get, "/v1/cases", headers: bearer(readOnly)).status == .ok)
            let noRead = try await client.send(.get, "/v1/cases", headers: bearer(writeOnly))
            #expect(noRead.status == .forbidden && noRead.json["error"]?["code"] == .string("missing_scope"))
            #expect(try await client.send(.post, "/v1/cases/batch", #"{"messages": [{"text": "\#(businessText)"}]}"#,
                                          headers: bearer(writeOnly)).status == .ok)
            // The case is still undecided: the token's attempt changed nothing.
            let after = try await client.send(.get, "/v1/cases/1", headers: bearer(all))
            #expect(after.json["status"] == .string("awaiting_review"))
        }
        // Revocation is immediate.
        try await f.desk.accounts.revokeToken("platform")
        try await f.run { client in
            let r = try await client.send(.get, "/v1/cases", headers: bearer(all))
            #expect(r.status == .unauthorized && r.json["error"]?["code"] == .string("invalid_token"))
        }
    }

    @Test func aWriteWithASessionButWithoutTheCSRFTokenIsRefused() async throws {
        let f = try await DeskFixture()
        try await f.run { client in
            let browser = try await client.signIn()
            #expect(try await client.send(.post, "/v1/cases", #"{"text": "\#(businessText)"}"#, headers: browser.headers()).status == .created)
            let writes = caseRoutes.filter { $0.0 != .get }
            for (method, path, text) in writes {
                let missing = try await client.send(method, path, text, headers: browser.headers(csrf: false))
                #expect(missing.status == .forbidden, "\(method) \(path) without the token: \(missing.status)")
                #expect(missing.json["error"]?["code"] == .string("csrf_failed"))
                var wrong = browser
                wrong.csrf = String(browser.csrf.reversed())
                let bad = try await client.send(method, path, text, headers: wrong.headers())
                #expect(bad.status == .forbidden && bad.json["error"]?["code"] == .string("csrf_failed"), "\(method) \(path) with a wrong token")
            }
            // Nothing was written by the refused requests: still one case, undecided, and still signed in.
            let list = try await client.send(.get, "/v1/cases", headers: browser.headers(csrf: false))
            #expect(list.json["total"] == .number(1))
            #expect(list.json["cases"]?.array?.first?["status"] == .string("awaiting_review"))
            // Reads need no CSRF token; with it, the writes go through.
            #expect(try await client.send(.post, "/v1/cases/1/decision", #"{"action": "accept"}"#, headers: browser.headers()).status == .ok)
            #expect(try await client.send(.delete, "/v1/session", headers: browser.headers()).status == .noContent)
        }
    }

    @Test func signInSetsAStrictHttpOnlyCookieAndSigningOutEndsTheSession() async throws {
        let f = try await DeskFixture()
        try await f.run { client in
            let wrong = try await client.send(.post, "/v1/session", #"{"username": "wang", "password": "wrong-password"}"#)
            #expect(wrong.status == .unauthorized && wrong.json["error"]?["code"] == .string("invalid_credentials"))
            #expect(wrong.headers[.setCookie] == nil)
            let nobody = try await client.send(.post, "/v1/session", #"{"username": "nobody", "password": "wrong-password"}"#)
            #expect(nobody.json["error"] == wrong.json["error"], "an unknown user gets the same answer")
            // A form post cannot sign anyone in: the body must be JSON.
            let form = try await client.execute(uri: "/v1/session", method: .post, headers: [.contentType: "text/plain"],
                                                body: body(#"{"username": "wang", "password": "\#(DeskFixture.password)"}"#))
            #expect(form.status == .unsupportedMediaType)

            let r = try await client.send(.post, "/v1/session", #"{"username": "wang", "password": "\#(DeskFixture.password)"}"#)
            let cookie = try #require(r.headers[.setCookie])
            for part in ["triage_session=", "Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200"] {
                #expect(cookie.contains(part), "\(cookie) lacks \(part)")
            }
            #expect(!cookie.contains("Secure"), "plain http to 127.0.0.1: a Secure cookie would never come back")
            #expect(r.json["user"]?["name"] == .string("王芳"))
            #expect(!r.text.contains(String(cookie.split(separator: ";")[0].dropFirst("triage_session=".count))), "the session token is only in the cookie")
            // Behind a TLS proxy the cookie is Secure.
            let tls = try await client.signIn(headers: [.forwardedProto: "https"])
            let viaProxy = try await client.send(.post, "/v1/session", #"{"username": "wang", "password": "\#(DeskFixture.password)"}"#,
                                                 headers: [.forwardedProto: "https"])
            #expect(viaProxy.headers[.setCookie]?.hasSuffix("; Secure") == true)

            let session = try await client.send(.get, "/v1/session", headers: tls.headers(csrf: false))
            #expect(session.json["csrf_token"] == .string(tls.csrf))
            let out = try await client.send(.delete, "/v1/session", headers: tls.headers())
            #expect(out.status == .noContent)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.send(.get, "/v1/session", headers: tls.headers(csrf: false)).status == .unauthorized)
        }
    }

    @Test func secureCookiesAlways() async throws {
        let f = try await DeskFixture(secureCookies: .always)
        try await f.run { client in
            let r = try await client.send(.post, "/v1/session", #"{"username": "wang", "password": "\#(DeskFixture.password)"}"#)
            #expect(r.headers[.setCookie]?.hasSuffix("; Secure") == true)
        }
    }

    @Test func theClassifyEndpointsCanBeProtected() async throws {
        let f = try await DeskFixture(protectClassify: true)
        let classify = try await f.token("classifier", [.classify])
        let reader = try await f.token("reader", [.casesRead])
        try await f.run { client in
            let open = try await client.send(.post, "/v1/triage", #"{"text": "\#(technicalText)"}"#)
            #expect(open.status == .unauthorized)
            #expect(try await client.send(.post, "/v1/triage", #"{"text": "\#(technicalText)"}"#, headers: bearer(classify)).status == .ok)
            #expect(try await client.send(.post, "/v1/triage/batch", #"{"messages": []}"#, headers: bearer(reader)).status == .forbidden)
            // A signed-in user classifies without a CSRF token: classifying changes nothing.
            let browser = try await client.signIn()
            #expect(try await client.send(.post, "/v1/triage", #"{"text": "\#(technicalText)"}"#, headers: browser.headers(csrf: false)).status == .ok)
        }
        // Open by default.
        let g = try await DeskFixture()
        try await g.run { client in
            let r = try await client.send(.post, "/v1/triage", #"{"text": "\#(technicalText)"}"#)
            #expect(r.status == .ok)
        }
    }

    @Test func theAccessLogNamesTheUserOrTokenAndNeverTheMessage() async throws {
        let handler = CapturingLogHandler()
        let f = try await DeskFixture(logger: Logger(label: "test") { _ in handler })
        let token = try await f.token("platform", [.casesRead, .casesWrite])
        let secret = "我叫王小明，电话13812345678，请问办执照需要哪些材料"
        try await f.run { client in
            let browser = try await client.signIn()
            try await client.send(.post, "/v1/cases", #"{"text": "\#(secret)"}"#, headers: browser.headers())
            try await client.send(.post, "/v1/cases/batch", #"{"messages": [{"text": "\#(secret)"}]}"#, headers: bearer(token))
            try await client.send(.post, "/v1/cases/1/decision", #"{"action": "accept"}"#, headers: bearer(token))
            try await client.send(.get, "/v1/cases?q=王小明", headers: browser.headers(csrf: false))
        }
        let access = handler.lines.withLockedValue { $0 }.filter { $0.hasPrefix("access ") }
        #expect(access.contains { $0.contains("path=/v1/cases ") && $0.contains("principal=user:wang") && $0.contains("status=201") })
        #expect(access.contains { $0.contains("path=/v1/cases/batch") && $0.contains("principal=token:platform") })
        // A refused token is still named.
        #expect(access.contains { $0.contains("/decision") && $0.contains("principal=token:platform") && $0.contains("status=403") })
        #expect(access.contains { $0.contains("path=/v1/session") && $0.contains("principal=user:wang") })
        for line in handler.lines.withLockedValue({ $0 }) {
            #expect(!line.contains("王小明") && !line.contains("13812345678"), "log line leaks the message: \(line)")
            #expect(!line.contains(DeskFixture.password))
        }
    }
}

@Suite struct DeskCaseTests {
    @Test func aDecisionIsStoredAndShowsInTheHistory() async throws {
        let f = try await DeskFixture()
        try await f.run { client in
            let browser = try await client.signIn()
            let created = try await client.send(.post, "/v1/cases",
                #"{"id": "12345-0001", "text": "\#(businessText)", "received_at": "2026-11-30T09:30:00+08:00", "channel": "window"}"#,
                headers: browser.headers())
            #expect(created.status == .created)
            let c = created.json
            #expect(c["status"] == .string("awaiting_review"))
            #expect(c["channel"] == .string("window"))
            #expect(c["proposal"]?["category"] == .string("business"))
            #expect(c["result"]?["category"] == .string("business"), "the engine's full result")
            #expect(c["history"]?.array?.first?["actor"] == .string("wang"))

            // A correction without a reason is refused, and so is an unknown department.
            let noReason = try await client.send(.post, "/v1/cases/1/decision", #"{"action": "correct", "labels": {"lead": "market"}}"#, headers: browser.headers())
            #expect(noReason.status == .badRequest && noReason.json["error"]?["field"] == .string("reason"))
            let unknown = try await client.send(.post, "/v1/cases/1/decision",
                #"{"action": "correct", "labels": {"co_handlers": ["markt"]}, "reason": "x"}"#, headers: browser.headers())
            #expect(unknown.json["error"]?["code"] == .string("invalid_decision"))
            #expect(unknown.json["error"]?["message"] == .string("unknown department 'markt'"))
            let badKey = try await client.send(.post, "/v1/cases/1/decision",
                #"{"action": "correct", "labels": {"leader": "market"}, "reason": "x"}"#, headers: browser.headers())
            #expect(badKey.json["error"]?["field"] == .string("labels.leader"))

            // The correction: keys left out keep the proposal's value.
            f.clock.set(shanghai("2026-11-30", 15))
            let decided = try await client.send(.post, "/v1/cases/1/decision", #"""
                {"action": "correct", "reason": "执照由市场监管局办，城运中心协办", "labels": {"lead": "market", "co_handlers": ["city_ops"], "escalation": {"woodpecker_candidate": true}}}
                """#, headers: browser.headers())
            #expect(decided.status == .ok, "\(decided.text)")
            let d = decided.json
            #expect(d["status"] == .string("dispatched"))
            #expect(d["decision"] == .string("correct"))
            #expect(d["decided_by"] == .string("wang"))
            #expect(d["decision_reason"] == .string("执照由市场监管局办，城运中心协办"))
            #expect(d["labels"]?["lead"] == .string("market"))
            #expect(d["labels"]?["co_handlers"] == .array([.string("city_ops")]))
            #expect(d["labels"]?["category"] == .string("business"))
            #expect(d["labels"]?["escalation"]?["woodpecker_candidate"] == .bool(true))
            // Recounted from the day of dispatch (Mon 11-30): 5 working days → Mon 12-07.
            #expect(d["reply_due"] == .string("2026-12-07"))
            let history = try #require(d["history"]?.array)
            #expect(history.map { $0["kind"] } == [.string("created"), .string("decided")])
            #expect(history[1]["actor"] == .string("wang"))
            #expect(history[1]["data"]?["reason"] == .string("执照由市场监管局办，城运中心协办"))
            #expect(history[1]["data"]?["changed"]?.array?.contains(.string("co_handlers")) == true)
            #expect(history[1]["from"] == .string("awaiting_review") && history[1]["to"] == .string("dispatched"))

            // Once only.
            let again = try await client.send(.post, "/v1/cases/1/decision", #"{"action": "accept"}"#, headers: browser.headers())
            #expect(again.status == .conflict && again.json["error"]?["code"] == .string("invalid_transition"))
            // The reply closes it.
            let replied = try await client.send(.post, "/v1/cases/1/reply", #"{"note": "已答复"}"#, headers: browser.headers())
            #expect(replied.json["status"] == .string("replied"))
            #expect(replied.json["history"]?.array?.last?["data"]?["note"] == .string("已答复"))
        }
        // Kept in the store: a new server on the same file sees the decision.
        let reopened = try SQLiteCaseStore(path: f.store.path)
        let record = try #require(try await reopened.record(1))
        #expect(record.decision == .correct && record.labels.coHandlers == ["city_ops"] && record.status == .replied)
    }

    @Test func aRejectionClearsTheHandlers() async throws {
        let f = try await DeskFixture()
        try await f.run { client in
            let browser = try await client.signIn()
            try await client.send(.post, "/v1/cases", #"{"text": "\#(businessText)"}"#, headers: browser.headers())
            let r = try await client.send(.post, "/v1/cases/1/decision",
                #"{"action": "correct", "reason": "广告", "labels": {"screening": "reject:spam"}}"#, headers: browser.headers())
            #expect(r.json["status"] == .string("rejected"))
            #expect(r.json["labels"]?["lead"] == .null && r.json["labels"]?["category"] == .null)
            let list = try await client.send(.get, "/v1/cases?flag=rejected", headers: browser.headers(csrf: false))
            #expect(list.json["total"] == .number(1))
        }
    }

    @Test func theWorklistCountsDownAndPutsOverdueCasesFirst() async throws {
        let f = try await DeskFixture(now: shanghai("2026-12-01", 10))
        let token = try await f.token("intake", [.casesRead, .casesWrite])
        try await f.run { client in
            // Received Friday 11-27 (due Mon 11-30, overdue now), Monday 11-30 (due Tue 12-01), Tuesday 12-01 (due Wed 12-02).
            let batch = #"""
                {"messages": [
                  {"id": "b", "text": "请问办执照需要哪些材料，谢谢", "received_at": "2026-11-30T09:30:00+08:00"},
                  {"id": "a", "text": "网上办事系统打不开了，请尽快处理", "received_at": "2026-11-27T16:40:00+08:00"},
                  {"id": "c", "text": "请问办执照需要哪些材料，急", "received_at": "2026-12-01T09:00:00+08:00"}
                ]}
                """#
            let r = try await client.send(.post, "/v1/cases/batch", batch, headers: bearer(token))
            #expect(r.json["created"] == .number(3))
            let list = try await client.send(.get, "/v1/cases?status=awaiting_review", headers: bearer(token))
            let cases = try #require(list.json["cases"]?.array)
            #expect(cases.map { $0["message_id"] } == [.string("a"), .string("b"), .string("c")], "by 预审截止, overdue first")
            #expect(cases.map { $0["pre_review_due"] } == [.string("2026-11-30"), .string("2026-12-01"), .string("2026-12-02")])
            // Now is 12-01 10:00: a is 10 hours late; b has until 12-02 00:00 (14 h); c until 12-03 00:00 (38 h).
            #expect(cases.map { $0["seconds_left"] } == [.number(-36_000), .number(50_400), .number(136_800)])
            #expect(cases.map { $0["overdue"] } == [.bool(true), .bool(false), .bool(false)])
            #expect(list.json["overdue"] == .number(1))
            #expect(list.json["counts"]?["awaiting_review"] == .number(3))
            #expect(list.json["counts"]?["overdue_review"] == .number(1))
            // Filters and search.
            let technical = try await client.send(.get, "/v1/cases?status=awaiting_review&category=technical", headers: bearer(token))
            #expect(technical.json["cases"]?.array?.map { $0["message_id"] } == [.string("a")])
            // Lead or co-handler: the business messages go to the coordinator, the technical one to the
            // e-government centre with the e-government office as co-handler.
            let coordinator = try await client.send(.get, "/v1/cases?department=admin_service_center", headers: bearer(token))
            #expect(coordinator.json["total"] == .number(2))
            let co = try await client.send(.get, "/v1/cases?department=egov_office", headers: bearer(token))
            #expect(co.json["cases"]?.array?.map { $0["message_id"] } == [.string("a")])
            let search = try await client.send(.get, "/v1/cases?q=%E8%B0%A2%E8%B0%A2", headers: bearer(token))  // 谢谢
            #expect(search.json["cases"]?.array?.map { $0["message_id"] } == [.string("b")])
            let overdue = try await client.send(.get, "/v1/cases?status=awaiting_review&overdue=true", headers: bearer(token))
            #expect(overdue.json["total"] == .number(1))
            let page = try await client.send(.get, "/v1/cases?status=awaiting_review&limit=1&offset=1", headers: bearer(token))
            #expect(page.json["cases"]?.array?.map { $0["message_id"] } == [.string("b")])
            #expect(page.json["total"] == .number(3))
            // Bad parameters say which.
            for (query, name) in [("status=open", "status"), ("flag=urgent", "flag"), ("limit=0", "limit"), ("colour=red", "colour"),
                                  ("status=rejected&overdue=true", "overdue")] {
                let bad = try await client.send(.get, "/v1/cases?" + query, headers: bearer(token))
                #expect(bad.status == .badRequest, "\(query)")
                #expect(bad.json["error"]?["field"] == .string(name), "\(query): \(bad.text)")
            }
        }
    }

    @Test func batchIntakeReportsEachMessageAndStoresTheGoodOnesTogether() async throws {
        let f = try await DeskFixture()
        let token = try await f.token("intake", [.casesRead, .casesWrite])
        try await f.run { client in
            let first = try await client.send(.post, "/v1/cases/batch", #"""
                {"channel": "window", "messages": [
                  {"id": "w-1", "text": "请问办执照需要哪些材料"},
                  {"id": "w-2"},
                  {"id": "w-3", "text": "   "},
                  {"id": "w-4", "text": "网上办事系统打不开了", "received_at": "yesterday"},
                  7,
                  {"id": 42, "text": "网上办事系统打不开了", "channel": "online"}
                ]}
                """#, headers: bearer(token))
            #expect(first.status == .ok)
            let results = try #require(first.json["results"]?.array)
            #expect(results.map { $0["outcome"] } == ["created", "error", "error", "error", "error", "created"].map(JSONValue.string))
            #expect(results[1]["error"]?["code"] == .string("missing_field"))
            #expect(results[2]["error"]?["field"] == .string("text"))
            #expect(results[3]["error"]?["field"] == .string("received_at"))
            #expect(results[4]["error"]?["code"] == .string("not_an_object"))
            #expect(results[5]["id"] == .number(42))
            #expect(first.json["created"] == .number(2) && first.json["failed"] == .number(4))
            let one = try await client.send(.get, "/v1/cases/1", headers: bearer(token))
            #expect(one.json["channel"] == .string("window"))
            let two = try await client.send(.get, "/v1/cases/2", headers: bearer(token))
            #expect(two.json["channel"] == .string("online") && two.json["message_id"] == .string("42"))

            // Sent again, the duplicates are reported with the cases that exist: a retry is harmless.
            let retry = try await client.send(.post, "/v1/cases/batch",
                #"{"channel": "window", "messages": [{"id": "w-1", "text": "x"}, {"id": "w-5", "text": "请问办执照需要哪些材料"}]}"#, headers: bearer(token))
            let again = try #require(retry.json["results"]?.array)
            #expect(again[0]["outcome"] == .string("duplicate") && again[0]["case_id"] == .number(1))
            #expect(again[1]["outcome"] == .string("created"))
            // With "fail", one duplicate stops the whole batch and nothing is stored.
            let strict = try await client.send(.post, "/v1/cases/batch",
                #"{"duplicates": "fail", "channel": "window", "messages": [{"id": "w-6", "text": "请问办执照需要哪些材料"}, {"id": "w-1", "text": "x"}]}"#,
                headers: bearer(token))
            #expect(strict.status == .conflict)
            #expect(strict.json["error"]?["index"] == .number(1))
            let list = try await client.send(.get, "/v1/cases", headers: bearer(token))
            #expect(list.json["total"] == .number(3))
            // One message: a duplicate is 409 with the existing case.
            let dup = try await client.send(.post, "/v1/cases", #"{"id": "w-1", "channel": "window", "text": "x"}"#, headers: bearer(token))
            #expect(dup.status == .conflict && dup.json["error"]?["case_id"] == .number(1))
            let empty = try await client.send(.post, "/v1/cases", #"{"text": ""}"#, headers: bearer(token))
            #expect(empty.status == .badRequest && empty.json["error"]?["field"] == .string("text"))
            #expect(try await client.send(.get, "/v1/cases/99", headers: bearer(token)).status == .notFound)
            #expect(try await client.send(.get, "/v1/cases/abc", headers: bearer(token)).status == .notFound)
        }
    }

    /// Intake classifies, so it waits for the same workers as /v1/triage and is refused when they
    /// and the queue are full; a reply (no classification) is not held up.
    @Test func intakeSharesTheWorkerPoolAndIsRefusedWhenItIsFull() async throws {
        let f = try await DeskFixture { $0.workers = 1; $0.maxQueue = 0 }
        let token = try await f.token("intake", [.casesWrite, .casesRead])
        let release = AsyncStream.makeStream(of: Void.self)
        try await f.run { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await f.service.work.run { for await _ in release.stream { break } } }
                while f.service.work.load.running < 1 { try await Task.sleep(for: .milliseconds(5)) }
                for path in ["/v1/cases", "/v1/cases/batch"] {
                    let text = path == "/v1/cases" ? #"{"text": "营业执照怎么办"}"# : #"{"messages": [{"text": "营业执照怎么办"}]}"#
                    let r = try await client.send(.post, path, text, headers: bearer(token))
                    #expect(r.status == .serviceUnavailable && r.json["error"]?["code"] == .string("overloaded"), "\(path): \(r.text)")
                    #expect(r.headers[.retryAfter] == "1")
                }
                let missing = try await client.send(.post, "/v1/cases/99/reply", #"{"note": "已答复"}"#, headers: bearer(token))
                #expect(missing.status == .notFound, "a reply does not wait for a worker: \(missing.text)")
                release.continuation.yield()
                try await group.waitForAll()
            }
            let r = try await client.send(.post, "/v1/cases/batch", #"{"messages": [{"text": "营业执照怎么办"}]}"#, headers: bearer(token))
            #expect(r.status.code < 300, "\(r.text)")
        }
    }

    @Test func aBatchOverTheLimitIs413() async throws {
        let f = try await DeskFixture()
        let token = try await f.token("intake", [.casesWrite])
        let many = Array(repeating: #"{"text": "x"}"#, count: 1001).joined(separator: ",")
        try await f.run { client in
            let r = try await client.send(.post, "/v1/cases/batch", #"{"messages": [\#(many)]}"#, headers: bearer(token))
            #expect(r.status == .contentTooLarge && r.json["error"]?["code"] == .string("too_many_messages"))
        }
    }
}

@Suite struct DeskDocumentTests {
    @Test func theGlossaryGivesEachRuleItsDescription() async throws {
        let f = try await DeskFixture()
        try await f.run { client in
            let g = try await client.send(.get, "/v1/ruleset/glossary")
            #expect(g.status == .ok)
            #expect(g.json["rules"]?["category"]?["tech_page_broken"] == .string("页面或系统打不开"))
            #expect(g.json["departments"]?.array?.contains { $0["id"] == .string("market") && $0["name"] == .string("区市场监管局") } == true)
            #expect(g.json["categories"]?.array?.first?["name"] == .string("技术问题"))
        }
    }

    @Test func withoutADeskTheCaseRoutesDoNotExist() async throws {
        let service = await makeService()
        try await withRouter(service) { client in
            let cases = try await client.execute(uri: "/v1/cases", method: .get)
            let session = try await client.execute(uri: "/v1/session", method: .get)
            let glossary = try await client.execute(uri: "/v1/ruleset/glossary", method: .get)
            #expect(cases.status == .notFound && session.status == .notFound && glossary.status == .ok)
        }
    }

    @Test func thePrintViewAndTheDeskScriptsAreServed() async throws {
        let f = try await DeskFixture()
        try await f.run { client in
            let print = try await client.send(.get, "/cases/12/print")
            #expect(print.status == .ok && print.text.contains("/assets/print.js"))
            for file in PageAssets.deskFiles {
                let r = try await client.send(.get, "/assets/" + file.name)
                #expect(r.status == .ok && r.headers[.contentType] == file.type && r.text == file.text)
            }
        }
    }

    @Test(arguments: ["common.js", "desk.js", "print.js", "print.css"])
    func embeddedDeskFilesMatchTheirFiles(name: String) throws {
        let onDisk = try String(contentsOf: packageRoot.appendingPathComponent("Sources/TriageServer/Web/" + name), encoding: .utf8)
        #expect(PageAssets.deskFiles.first { $0.name == name }?.text == onDisk)
        let print = try String(contentsOf: packageRoot.appendingPathComponent("Sources/TriageServer/Web/print.html"), encoding: .utf8)
        #expect(PageAssets.printHTML == print)
    }

    /// The case routes' replies against their schemas in docs/openapi.yaml, checked by the same
    /// maintained validators as every other response (scripts/contract.py, openapi-schema-validator).
    @Test func caseResponsesMatchTheDocument() async throws {
        let f = try await DeskFixture()
        let token = try await f.token("platform", [.casesRead, .casesWrite])
        let recorded = RecordedResponse.Box()
        try await f.run { client in
            let browser = try await client.signIn()
            var local: [RecordedResponse] = []
            func check(_ method: String, _ template: String, _ r: TestResponse) {
                local.append(RecordedResponse(method: method, path: template, status: Int(r.status.code),
                                              contentType: r.headers[.contentType] ?? "", body: r.text))
            }
            check("get", "/v1/session", try await client.send(.get, "/v1/session", headers: browser.headers(csrf: false)))
            check("post", "/v1/cases", try await client.send(.post, "/v1/cases", #"{"id": "x", "text": "\#(businessText)"}"#, headers: browser.headers()))
            check("post", "/v1/cases", try await client.send(.post, "/v1/cases", #"{"id": "x", "text": "\#(businessText)"}"#, headers: browser.headers()))
            check("post", "/v1/cases/batch", try await client.send(.post, "/v1/cases/batch",
                #"{"messages": [{"text": "\#(technicalText)"}, {"id": 3}]}"#, headers: bearer(token)))
            check("get", "/v1/cases", try await client.send(.get, "/v1/cases?status=awaiting_review", headers: bearer(token)))
            check("get", "/v1/cases", try await client.send(.get, "/v1/cases?limit=0", headers: bearer(token)))
            check("get", "/v1/cases/{id}", try await client.send(.get, "/v1/cases/1", headers: bearer(token)))
            check("get", "/v1/cases/{id}", try await client.send(.get, "/v1/cases/9", headers: bearer(token)))
            check("post", "/v1/cases/{id}/decision", try await client.send(.post, "/v1/cases/1/decision",
                #"{"action": "correct", "reason": "城运中心协办", "labels": {"co_handlers": ["city_ops"]}}"#, headers: browser.headers()))
            check("post", "/v1/cases/{id}/decision", try await client.send(.post, "/v1/cases/1/decision",
                #"{"action": "accept"}"#, headers: browser.headers()))
            check("post", "/v1/cases/{id}/decision", try await client.send(.post, "/v1/cases/1/decision",
                #"{"action": "accept"}"#, headers: bearer(token)))
            check("post", "/v1/cases/{id}/reply", try await client.send(.post, "/v1/cases/1/reply", "{}", headers: bearer(token)))
            check("get", "/v1/cases", try await client.send(.get, "/v1/cases"))
            check("get", "/v1/ruleset/glossary", try await client.send(.get, "/v1/ruleset/glossary"))
            check("post", "/v1/session", try await client.send(.post, "/v1/session", #"{"username": "wang", "password": "nope-nope-1"}"#))
            recorded.set(local)
        }
        #expect(recorded.value.count == 15)
        let r = try RecordedResponse.validate(recorded.value)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("15 checked, 0 failed"), "\(r.output)")
    }

    /// The validator must reject a case that drifted, or the test above proves nothing.
    @Test func theCaseSchemaRejectsADriftedCase() throws {
        let drifted = RecordedResponse(method: "get", path: "/v1/cases/{id}", status: 200, contentType: "application/json",
                                       body: #"{"id": "1", "status": "open"}"#)
        let r = try RecordedResponse.validate([drifted])
        #expect(r.status == 1)
        #expect(r.output.contains("'labels' is a required property"), "\(r.output)")
        #expect(r.output.contains("id: '1' is not of type 'integer'"), "\(r.output)")
        #expect(r.output.contains("status: 'open' is not one of"), "\(r.output)")
    }
}

/// One response as the router tests saw it, for scripts/contract.py responses.
struct RecordedResponse: Sendable {
    var method: String, path: String, status: Int, contentType: String, body: String

    /// Hands the responses out of the router's closure.
    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var responses: [RecordedResponse] = []
        func set(_ r: [RecordedResponse]) { lock.withLock { responses = r } }
        var value: [RecordedResponse] { lock.withLock { responses } }
    }

    var json: JSONValue {
        .object([("method", .string(method)), ("path", .string(path)), ("status", .number(Double(status))),
                 ("content_type", .string(contentType)), ("body", .string(body))])
    }

    /// Runs `python3 scripts/contract.py responses` on `responses`; its exit status and output.
    static func validate(_ responses: [RecordedResponse]) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("desk-responses-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try (responses.map(\.json.serialized).joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", packageRoot.appendingPathComponent("scripts/contract.py").path, "responses", file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
