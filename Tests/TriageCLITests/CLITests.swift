import Foundation
import Testing

/// Runs the built `triage` binary (built by `swift test` because this target depends on it).
enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtureRules = packageRoot.appendingPathComponent("Tests/TriageKitTests/Fixtures/minimal").path
    static let bundledRulesPath = packageRoot.appendingPathComponent("rules").path

    static var binary: URL {
        if let env = ProcessInfo.processInfo.environment["TRIAGE_BIN"] { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("triage")
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    static func run(_ args: [String], stdin: [UInt8] = [], cwd: String? = nil, env: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment["TRIAGE_RULES"] = nil
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        p.currentDirectoryURL = URL(fileURLWithPath: cwd ?? FileManager.default.temporaryDirectory.path)
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        let writer = Thread {
            inPipe.fileHandleForWriting.write(Data(stdin))
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    static func json(_ s: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
    }
}

@Suite(.serialized) struct CLITests {
    @Test func classifyPrintsJSONWithTheContractFields() throws {
        let r = try CLI.run(["classify", "--rules", CLI.fixtureRules, "--format", "json", "--id", "x1", "请问开具发票需要什么材料？"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try CLI.json(r.stdout)
        #expect(o["id"] as? String == "x1")
        #expect(o["category"] as? String == "business")
        #expect((o["lead"] as? [String: Any])?["id"] as? String == "tax")
        for key in ["scores", "co_handlers", "route", "items", "flags", "reasons", "evidence", "ruleset"] { #expect(o[key] != nil) }
    }

    @Test func maxEvidenceBoundsTheEvidenceAsTheServerDoes() throws {
        let text = "请问开具发票需要什么材料？网站登录不上"
        let all = try CLI.json(try CLI.run(["classify", "--rules", CLI.fixtureRules, "--format", "json", text]).stdout)
        let count = (all["evidence"] as? [Any])?.count ?? 0
        #expect(count > 1 && all["evidence_truncated"] as? Bool == false)
        let r = try CLI.run(["classify", "--rules", CLI.fixtureRules, "--format", "json", "--max-evidence", "1", text])
        let o = try CLI.json(r.stdout)
        #expect((o["evidence"] as? [Any])?.count == 1 && o["evidence_truncated"] as? Bool == true)
        #expect(try CLI.run(["classify", "--rules", CLI.fixtureRules, "--max-evidence", "-1", text]).status == 64)
    }

    @Test func classifyReadsStandardInput() throws {
        let r = try CLI.run(["classify", "--rules", CLI.fixtureRules, "--format", "json"], stdin: Array("网站登录不上".utf8))
        #expect(r.status == 0)
        #expect(try CLI.json(r.stdout)["category"] as? String == "technical")
    }

    @Test func textSummaryIsChinese() throws {
        let r = try CLI.run(["classify", "--rules", CLI.fixtureRules, "--format", "text", "营业执照注销，几个部门踢皮球"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("牵头 区市场监管局"))
        #expect(r.stdout.contains("多部门"))
        #expect(r.stdout.contains("【踢皮球】"))
    }

    @Test func jsonlKeepsOrderAndReportsBadLinesWithoutStopping() throws {
        var input: [UInt8] = []
        input += Array(#"{"id": "a", "text": "网站登录不上"}"#.utf8) + [0x0A]
        input += Array("this is not json".utf8) + [0x0A]
        input += Array(#"{"id": "c", "text": "发票"#.utf8) + [0xFF] + Array(#""}"#.utf8) + [0x0A]
        input += Array(#"{"id": "d"}"#.utf8) + [0x0A]
        input += [0x0A]
        input += Array(#"{"id": 5, "text": "请问开具发票需要什么材料"}"#.utf8)  // no final newline
        let r = try CLI.run(["classify", "--rules", CLI.fixtureRules, "--jsonl"], stdin: input)
        #expect(r.status == 3)
        #expect(r.stderr.contains("3 input line(s)"))
        let lines = try r.lines.map(CLI.json)
        #expect(lines.count == 5)
        #expect(lines[0]["id"] as? String == "a" && lines[0]["category"] as? String == "technical")
        #expect((lines[1]["error"] as? [String: Any])?["code"] as? String == "invalid_json")
        #expect((lines[1]["error"] as? [String: Any])?["line"] as? Int == 2)
        #expect(lines[2]["id"] as? String == "c")
        #expect((lines[2]["error"] as? [String: Any])?["code"] as? String == "invalid_utf8")
        #expect(lines[3]["id"] as? String == "d")
        #expect((lines[3]["error"] as? [String: Any])?["field"] as? String == "text")
        #expect(lines[4]["id"] as? Int == 5 && lines[4]["category"] as? String == "business")
    }

    @Test func jsonlEvidenceSlicesInput() throws {
        let texts = ["ＡＰＰ登陆失败😡营业执照注销", "欠薪\t拖欠工资 税务局", "跑了好几趟 \r 态度很差"]
        let input = texts.enumerated().map { #"{"id": \#($0.offset), "text": \#(String(data: try! JSONSerialization.data(withJSONObject: [$0.element]), encoding: .utf8)!.dropFirst().dropLast())}"# }.joined(separator: "\n")
        let r = try CLI.run(["classify", "--rules", CLI.fixtureRules, "--jsonl"], stdin: Array(input.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        for (n, line) in r.lines.enumerated() {
            let o = try CLI.json(line)
            let scalars = Array(texts[n].unicodeScalars)
            for e in o["evidence"] as! [[String: Any]] {
                let s = e["start"] as! Int, t = e["end"] as! Int
                #expect(String(String.UnicodeScalarView(scalars[s..<t])) == e["text"] as? String)
            }
        }
    }

    @Test func brokenRuleSetIsReportedAndNothingIsClassified() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["ruleset.yaml", "kb.yaml", "rules.yaml"] {
            try FileManager.default.copyItem(atPath: CLI.fixtureRules + "/" + name, toPath: dir.path + "/" + name)
        }
        try "rules:\n  - id: bad\n    category: complaint\n    patterns: ['(']\n".write(to: dir.appendingPathComponent("more.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["classify", "--rules", dir.path, "--format", "json", "随便"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("more.yaml:4:"))
        #expect(r.stderr.contains("error: pattern does not compile"))
        #expect(r.stderr.contains("[bad]"))
        #expect(r.stderr.contains("^"))
    }

    @Test func missingRulesFolderIsAOneLineError() throws {
        let r = try CLI.run(["classify", "--rules", "/no/such/rules", "x"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/no/such/rules: error: rule-set folder not found"))
    }

    @Test func invalidUTF8OnStandardInputIsAClearError() throws {
        let r = try CLI.run(["classify", "--rules", CLI.fixtureRules], stdin: [0xE4, 0xB8, 0x41])
        #expect(r.status == 1)
        #expect(r.stderr.contains("not valid UTF-8"))
    }

    @Test func rulesComeFromTheEnvironmentThenTheBundle() throws {
        let env = try CLI.run(["classify", "--format", "json", "网站登录不上"], env: ["TRIAGE_RULES": CLI.fixtureRules])
        #expect(env.status == 0)
        let bundled = try CLI.run(["classify", "--format", "json", "网站登录不上"], cwd: "/")
        #expect(bundled.status == 0, "\(bundled.stderr)")
        let a = try CLI.json(env.stdout)["ruleset"] as? [String: Any], b = try CLI.json(bundled.stdout)["ruleset"] as? [String: Any]
        #expect(a?["version"] as? String != b?["version"] as? String)
    }

    @Test func explainShowsRulesScoresAndDepartments() throws {
        let r = try CLI.run(["explain", "--rules", CLI.fixtureRules, "不是系统问题，登录不上，发票的事情跑了好几趟"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("complaint_runaround"))
        #expect(r.stdout.contains("被排除的规则"))
        #expect(r.stdout.contains("区税务局 (tax) 2"))
        let j = try CLI.run(["explain", "--rules", CLI.fixtureRules, "--format", "json", "跑了好几趟"])
        #expect(try CLI.json(j.stdout)["fired"] != nil)
    }

    @Test func usageErrorsExitNonZero() throws {
        let r = try CLI.run(["classify", "--jsonl", "text too"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--jsonl"))
    }
}
