import Foundation
import GRDB
import Testing
import TriageCases
import TriageEval

/// The `triage users|tokens|cases` commands, run as the built binary.
@Suite(.serialized) struct CaseCLITests {
    static let messages = [
        "营业执照注销需要什么材料？",
        "一网通办网站登录不上，一直提示系统繁忙",
        "楼下饭店油烟扰民半年了，街道说归城管，城管又说要街道先协调",
        "建议区行政服务中心周六也开放几个窗口",
        "公司拖欠工资三个月了，找谁投诉？",
    ]

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func jsonl(_ count: Int) -> String {
        (1...count).map { i in
            #"{"id": "m\#(i)", "text": "\#(Self.messages[i % Self.messages.count])（\#(i)）", "received_at": "2026-11-30T09:30:00+08:00"}"#
        }.joined(separator: "\n") + "\n"
    }

    @Test func exportedCasesAreReadByTriageTest() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try jsonl(5).write(to: dir.appendingPathComponent("in.jsonl"), atomically: true, encoding: .utf8)
        let add = try TriageBinary.run(["users", "add", "zhangsan", "--name", "张三"], cwd: dir, stdin: Array("a-good-password\n".utf8))
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stderr.contains("case database triage-cases.sqlite"), "the default database is said")
        #expect(add.stderr.contains("added staff zhangsan (张三)"))
        let imp = try TriageBinary.run(["cases", "import", "in.jsonl", "--rules", Rules.path], cwd: dir)
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stderr.contains("5 case(s) created"))
        #expect(!imp.stderr.contains("营业执照"), "no message text on standard error")
        let accept = try TriageBinary.run(["cases", "decide", "1", "--user", "zhangsan", "--accept", "--rules", Rules.path], cwd: dir)
        #expect(accept.status == 0, "\(accept.stderr)")
        let correct = try TriageBinary.run(["cases", "decide", "3", "--user", "zhangsan", "--category", "complaint", "--lead", "admin_service_center",
                                            "--co-handlers", "street_town,city_management", "--set", "coordination,multi_department",
                                            "--reason", "推诿", "--rules", Rules.path], cwd: dir)
        #expect(correct.status == 0, "\(correct.stderr)")
        let bad = try TriageBinary.run(["cases", "decide", "2", "--user", "zhangsan", "--lead", "nowhere", "--reason", "x", "--rules", Rules.path], cwd: dir)
        #expect(bad.status == 1 && bad.stderr.contains("unknown department 'nowhere'"), "\(bad.stderr)")
        let noReason = try TriageBinary.run(["cases", "decide", "2", "--user", "zhangsan", "--lead", "tax"], cwd: dir)
        #expect(noReason.status == 64 && noReason.stderr.contains("--reason"))

        let export = try TriageBinary.run(["cases", "export", "--decided-only", "-o", "decided.jsonl"], cwd: dir)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("exported 2 case(s): 2 decided (1 corrected)"))
        let test = try TriageBinary.run(["test", "--rules", Rules.path, "decided.jsonl"], cwd: dir)
        #expect(test.status == 0, "\(test.stdout)\n\(test.stderr)")
        #expect(test.stdout.contains("2 messages from 1 file(s)"))
        #expect(test.stdout.contains("category: accuracy"))
        #expect(test.stderr.isEmpty, "no corpus diagnostics: \(test.stderr)")

        // Every case, undecided ones without labels: `triage test` reads them too and scores only the decided.
        let all = try TriageBinary.run(["cases", "export"], cwd: dir)
        #expect(all.stdout.split(separator: "\n").count == 5)
        try all.stdout.write(to: dir.appendingPathComponent("all.jsonl"), atomically: true, encoding: .utf8)
        let testAll = try TriageBinary.run(["test", "--rules", Rules.path, "--format", "json", "all.jsonl"], cwd: dir)
        #expect(testAll.status == 0, "\(testAll.stderr)")
        #expect(testAll.stdout.contains("\"messages\" : 5") || testAll.stdout.contains("\"messages\": 5") || testAll.stdout.contains("5"))

        let overrides = try TriageBinary.run(["cases", "overrides", "--rules", Rules.path], cwd: dir)
        #expect(overrides.status == 0 && overrides.stdout.contains("decided cases: 2"), "\(overrides.stdout)")
        let handoff = try TriageBinary.run(["cases", "handoff", "--rules", Rules.path], cwd: dir)
        #expect(handoff.status == 0 && handoff.stdout.hasPrefix("\u{FEFF}case_id,message_id"))
        #expect(handoff.stdout.contains("区行政服务中心"))
        let list = try TriageBinary.run(["cases", "list", "--format", "json"], cwd: dir)
        #expect(list.status == 0 && list.stdout.contains("\"total\": 3"), "\(list.stdout)")
    }

    @Test func passwordsComeFromStandardInputNeverTheCommandLine() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try TriageBinary.run(["users", "add", "li", "--db", "x.sqlite", "--password", "secret"], cwd: dir)
        #expect(r.status == 64, "there is no --password option")
        let empty = try TriageBinary.run(["users", "add", "li", "--db", "x.sqlite"], cwd: dir)
        #expect(empty.status == 1 && empty.stderr.contains("no password on standard input"))
        let weak = try TriageBinary.run(["users", "add", "li", "--db", "x.sqlite"], cwd: dir, stdin: Array("short\n".utf8))
        #expect(weak.status == 1 && weak.stderr.contains("at least 8 characters"))
        let ok = try TriageBinary.run(["users", "add", "li", "--role", "admin", "--db", "x.sqlite"], cwd: dir, stdin: Array("long enough pass\n".utf8))
        #expect(ok.status == 0, "\(ok.stderr)")
        let disable = try TriageBinary.run(["users", "disable", "li", "--db", "x.sqlite"], cwd: dir)
        #expect(disable.status == 0)
        let list = try TriageBinary.run(["users", "list", "--db", "x.sqlite", "--format", "json"], cwd: dir)
        #expect(list.stdout.contains("\"disabled\": true") && list.stdout.contains("\"role\": \"admin\""))
        #expect(!list.stdout.contains("$2b$"), "no hashes in listings")
    }

    @Test func tokensArePrintedOnceAndRevocable() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let add = try TriageBinary.run(["tokens", "add", "12345-platform", "--scope", "classify", "cases:read", "--db", "t.sqlite"], cwd: dir)
        #expect(add.status == 0, "\(add.stderr)")
        let secret = add.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("trk_") && secret.count == 47)
        let list = try TriageBinary.run(["tokens", "list", "--db", "t.sqlite"], cwd: dir)
        #expect(list.stdout.contains("12345-platform") && list.stdout.contains("cases:read classify") && !list.stdout.contains(secret))
        let revoke = try TriageBinary.run(["tokens", "revoke", "12345-platform", "--db", "t.sqlite"], cwd: dir)
        #expect(revoke.status == 0)
        let again = try TriageBinary.run(["tokens", "revoke", "12345-platform", "--db", "t.sqlite"], cwd: dir)
        #expect(again.status == 1)
        let noScope = try TriageBinary.run(["tokens", "add", "x", "--db", "t.sqlite"], cwd: dir)
        #expect(noScope.status == 64)
    }

    @Test func importReportsBadLinesAndDuplicates() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
            {"id": "a", "text": "网站登录不上"}

            not json
            {"id": "b", "text": "营业执照怎么办", "channel": "window"}
            {"id": "c", "text": "x", "channel": "phone"}
            {"id": "d", "text": "x", "received_at": "yesterday"}

            """
        try text.write(to: dir.appendingPathComponent("in.jsonl"), atomically: true, encoding: .utf8)
        let r = try TriageBinary.run(["cases", "import", "in.jsonl", "--db", "c.sqlite", "--rules", Rules.path], cwd: dir)
        #expect(r.status == 3)
        #expect(r.stderr.contains("in.jsonl:3: error: invalid JSON"), "line numbers count blank lines: \(r.stderr)")
        #expect(r.stderr.contains("in.jsonl:5: error: \"channel\" must be"))
        #expect(r.stderr.contains("in.jsonl:6: error:") && r.stderr.contains("[invalid_field]"))
        #expect(r.stderr.contains("2 case(s) created, 3 bad line(s) left out"))
        let again = try TriageBinary.run(["cases", "import", "in.jsonl", "--db", "c.sqlite", "--rules", Rules.path], cwd: dir)
        #expect(again.status == 1 && again.stderr.contains("message id exists already"), "\(again.stderr)")
        let skip = try TriageBinary.run(["cases", "import", "in.jsonl", "--db", "c.sqlite", "--rules", Rules.path, "--skip-duplicates"], cwd: dir)
        #expect(skip.status == 3 && skip.stderr.contains("0 case(s) created, 2 duplicate(s) skipped"), "\(skip.stderr)")
    }

    /// Kills `triage cases import` with SIGKILL in the middle of an intake: every committed batch is
    /// intact, the database opens cleanly, and a second run with --skip-duplicates completes the file.
    @Test func aKilledImportLeavesEveryCommittedCaseIntact() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let total = 10_000, batch = 50
        try jsonl(total).write(to: dir.appendingPathComponent("in.jsonl"), atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("crash.sqlite").path
        let (p, out, err) = try TriageBinary.process(
            ["cases", "import", "in.jsonl", "--db", db, "--rules", Rules.path, "--batch-size", String(batch)], cwd: dir)
        // Drain the pipes so the child never blocks on them.
        Thread { _ = out.fileHandleForReading.readDataToEndOfFile() }.start()
        Thread { _ = err.fileHandleForReading.readDataToEndOfFile() }.start()

        var readOnly = Configuration()
        readOnly.readonly = true
        readOnly.busyMode = .timeout(5)
        let deadline = Date().addingTimeInterval(120)
        var seen = 0
        while p.isRunning, Date() < deadline {
            if FileManager.default.fileExists(atPath: db), let q = try? DatabaseQueue(path: db, configuration: readOnly) {
                seen = (try? q.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM cases") ?? 0 }) ?? 0
                try? q.close()
                if seen >= 3 * batch { break }
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        try #require(p.isRunning, "the import ended before it could be killed (\(seen) cases seen)")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL)

        let store = try SQLiteCaseStore(path: db)
        let committed = try store.pool.read { (db: Database) throws -> Int in
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            let n = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases")!
            #expect(n % batch == 0, "only whole batches: \(n)")
            #expect(n >= seen && n < total)
            // Every committed case is whole: contiguous ids in file order, one history entry, its departments, its text indexed.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE message_id = 'm' || id") == n)
            #expect(try Int.fetchOne(db, sql: "SELECT MAX(id) FROM cases") == n)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_events WHERE kind = 'created'") == n)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT case_id) FROM case_departments WHERE role = 'lead'")
                    == Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE lead IS NOT NULL"))
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE length(result_json) < 100") == 0)
            return n
        }
        try store.pool.write { (db: Database) throws in try db.execute(sql: "INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')") }
        #expect(committed > 0)

        let rest = try TriageBinary.run(["cases", "import", "in.jsonl", "--db", db, "--rules", Rules.path, "--skip-duplicates"], cwd: dir)
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(rest.stderr.contains("\(total - committed) case(s) created, \(committed) duplicate(s) skipped"), "\(rest.stderr)")
        #expect(try store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM cases") } == total)
    }
}
