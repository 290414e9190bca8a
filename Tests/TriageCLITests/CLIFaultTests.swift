import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13: the CLI under faults and hostile input. Every write and read error is handled
/// (defect 2), long lines are linear and bounded (6, 10), rule files are never lost (4), and
/// the smaller gaps of defect 11.
@Suite(.serialized) struct CLIFaultTests {
    init() {
        // The child may exit before it has read all its input (the full-disk case): a write to
        // its closed pipe must fail with EPIPE here, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
    }

    /// 3,000 JSON Lines records from the corpus (repeated as needed).
    static let records: [UInt8] = {
        let dir = CLI.packageRoot.appendingPathComponent("corpus/tune").path
        var lines: [Substring] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted() ?? [] where name.hasSuffix(".jsonl") {
            let text = (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? ""
            lines += text.split(separator: "\n")
        }
        var out: [UInt8] = []
        for n in 0..<3000 { out += Array(lines[n % lines.count].utf8) + [0x0A] }
        return out
    }()

    /// Runs the binary with the given descriptors for its standard streams and no others.
    func spawn(_ args: [String], stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // The child keeps only 0, 1 and 2: an inherited end of its own input pipe (or of another
        // test's) would keep the pipe from ever reaching end of file.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        let argv = ([CLI.binary.path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, CLI.binary.path, &actions, nil, argv, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        return pid
    }

    func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) {
                usleep(1000)
                continue
            }
            if n <= 0 { return out }
            out += chunk[..<n]
        }
    }

    func writeAll(_ fd: Int32, _ bytes: [UInt8], pauseEvery: Int = 0) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, min(bytes.count - offset, pauseEvery > 0 ? pauseEvery : bytes.count)) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) {
                usleep(1000)
                continue
            }
            if n <= 0 { return }
            offset += n
            if pauseEvery > 0 { usleep(200) }
        }
    }

    func setNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    func lines(_ bytes: [UInt8]) -> Int { bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }

    // MARK: 2. No silent data loss

    @Test func aFullDiskIsAnErrorNotASuccess() throws {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(full >= 0, "no /dev/full on this machine")
        defer { close(full) }
        var input: [Int32] = [0, 0], err: [Int32] = [0, 0]
        pipe(&input)
        pipe(&err)
        let pid = try spawn(["classify", "--jsonl", "--rules", CLI.fixtureRules], stdin: input[0], stdout: full, stderr: err[1])
        close(input[0])
        close(err[1])
        let feeder = Thread { [input] in
            self.writeAll(input[1], Self.records)
            close(input[1])
        }
        feeder.start()
        let stderr = String(decoding: readAll(err[0]), as: UTF8.self)
        close(err[0])
        let status = wait(pid)
        #expect(status == 1, "exit \(status): \(stderr)")
        #expect(stderr.contains("cannot write standard output: No space left on device"))
    }

    @Test func aNonBlockingStandardOutputGetsEveryLine() throws {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        pipe(&input)
        pipe(&output)
        setNonBlocking(output[1])
        let devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(devnull) }
        let pid = try spawn(["classify", "--jsonl", "--rules", CLI.fixtureRules], stdin: input[0], stdout: output[1], stderr: devnull)
        close(input[0])
        close(output[1])
        let feeder = Thread { [input] in
            self.writeAll(input[1], Self.records)
            close(input[1])
        }
        feeder.start()
        usleep(500_000)  // let the pipe fill, so that writes meet EAGAIN
        let out = readAll(output[0])
        close(output[0])
        #expect(wait(pid) == 0)
        #expect(lines(out) == 3000)
    }

    @Test func aNonBlockingStandardInputIsReadToTheEnd() throws {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        pipe(&input)
        pipe(&output)
        setNonBlocking(input[0])
        let devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(devnull) }
        let pid = try spawn(["classify", "--jsonl", "--rules", CLI.fixtureRules], stdin: input[0], stdout: output[1], stderr: devnull)
        close(input[0])
        close(output[1])
        let feeder = Thread { [input] in
            // In small pieces with pauses: the reader meets an empty non-blocking pipe often.
            self.writeAll(input[1], Self.records, pauseEvery: 4096)
            close(input[1])
        }
        feeder.start()
        let out = readAll(output[0])
        close(output[0])
        #expect(wait(pid) == 0)
        #expect(lines(out) == 3000)
    }

    // MARK: 6 and 10. Long lines: bounded, and linear

    @Test func aLineOverTheLimitIsOneErrorAndTheNextLineIsClassified() throws {
        var input = Array(#"{"id": "big", "text": ""#.utf8) + [UInt8](repeating: 0x61, count: 3 << 20) + Array("\"}\n".utf8)
        input += Array(#"{"id": "next", "text": "网站登录不上"}"#.utf8) + [0x0A]
        let r = try CLI.run(["classify", "--jsonl", "--rules", CLI.fixtureRules], stdin: input)
        #expect(r.status == 3)
        #expect(r.lines.count == 2)
        let first = try CLI.json(r.lines[0])
        #expect((first["error"] as? [String: Any])?["code"] as? String == "too_long")
        #expect((first["error"] as? [String: Any])?["line"] as? Int == 1)
        #expect(try CLI.json(r.lines[1])["category"] as? String == "technical")
    }

    @Test func aTextOverTheCharacterLimitIsTooLong() throws {
        let input = Array(#"{"id": 1, "text": "\#(String(repeating: "字", count: 101))"}"#.utf8) + [0x0A]
        let r = try CLI.run(["classify", "--jsonl", "--max-text", "100", "--rules", CLI.fixtureRules], stdin: input)
        #expect(r.status == 3)
        #expect(r.stdout.contains(#""code":"too_long""#))
    }

    @Test func aHugeLineRejectedAtItsFirstByteTakesLinearTime() throws {
        // 0.41 s at 5 MB and 9.7 s at 50 MB before: the search for the newline restarted at every chunk.
        // Compare the two sizes in one run; linear time is a ratio near 4, quadratic near 16.
        func seconds(_ megabytes: Int) throws -> Double {
            let input = [UInt8](repeating: 0x78, count: max(megabytes << 20, 1)) + [0x0A]
            let start = Date()
            let r = try CLI.run(["classify", "--jsonl", "--max-input-bytes", "100000000", "--rules", CLI.fixtureRules], stdin: input)
            #expect(r.status == 3 && r.stdout.contains("invalid_json"))
            return Date().timeIntervalSince(start)
        }
        _ = try seconds(1)  // warm up
        let base = try seconds(0)
        let small = try seconds(8) - base
        let large = try seconds(32) - base
        #expect(large / max(small, 0.01) < 9, "8 MB: \(small) s, 32 MB: \(large) s")
    }

    // MARK: 11. Smaller gaps

    @Test func aByteOrderMarkBeforeTheFirstRecordIsSkipped() throws {
        let input: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"id": "a", "text": "网站登录不上"}"#.utf8) + [0x0A]
        let r = try CLI.run(["classify", "--jsonl", "--rules", CLI.fixtureRules], stdin: input)
        #expect(r.status == 0, "\(r.stdout)")
        #expect(try CLI.json(r.stdout)["category"] as? String == "technical")
    }

    @Test func aDispatchBeforeReceiptIsRefused() throws {
        let r = try CLI.run(["classify", "--rules", CLI.fixtureRules, "--received-at", "2026-03-02T10:00:00",
                             "--dispatched-at", "2026-03-01T10:00:00", "营业执照办理"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("is before --received-at"))
        let line = Array(#"{"id": 2, "text": "x", "received_at": "2026-03-02T10:00:00", "dispatched_at": "2026-03-01T10:00:00"}"#.utf8) + [0x0A]
        let jsonl = try CLI.run(["classify", "--jsonl", "--rules", CLI.fixtureRules], stdin: line)
        #expect(jsonl.status == 3)
        #expect(jsonl.stdout.contains(#""field":"dispatched_at""#))
    }

    @Test func aRepeatedKeyIsAnErrorObject() throws {
        let line = Array(#"{"id": 3, "text": "网站登录不上", "text": "营业执照"}"#.utf8) + [0x0A]
        let r = try CLI.run(["classify", "--jsonl", "--rules", CLI.fixtureRules], stdin: line)
        #expect(r.status == 3)
        #expect(r.stdout.contains("duplicate key"))
    }

    @Test func terminalEscapesInAMessageAreShownNotSent() throws {
        let text = "营业执照\u{1B}]0;owned\u{7}\u{1B}[2J办理\r"
        for command in [["classify", "--format", "text"], ["explain"]] {
            let r = try CLI.run(command + ["--rules", CLI.fixtureRules, text])
            #expect(r.status == 0)
            #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x0D }, "\(command)")
            #expect(r.stdout.contains("␛]0;owned␇"))
        }
    }

    // MARK: 10. A large rule set: check is not quadratic in its warnings

    @Test func twentyThousandRulesSharingOneAliasedListAreChecked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-alias-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: CLI.fixtureRules, toPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var text = "rules:\n  - id: gen_0\n    category: business\n    weight: 1\n    description: 生成\n"
            + "    patterns: &p ['营业执照办理', '发票(开具|领用)', '社保卡补办', '公积金提取', '居住证(办理|签注)']\n"
            + "    examples: {match: ['营业执照办理']}\n"
        for n in 1..<20_000 { text += "  - {id: gen_\(n), category: business, weight: 1, description: 生成, patterns: *p}\n" }
        try text.write(toFile: dir + "/gen.yaml", atomically: true, encoding: .utf8)
        let start = Date()
        let r = try CLI.run(["check", "--rules", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("0 error(s), 19999 warning(s)"))
        // More than 300 s before; a guard against that, not a timing figure.
        #expect(Date().timeIntervalSince(start) < 150)
    }

    // MARK: 4. Unreadable rule files (as a user other than root)

    @Test func anUnreadableFolderIsAnErrorWithItsPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-perm-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: CLI.bundledRulesPath, toPath: dir)
        defer {
            _ = chmod(dir + "/kb", 0o755)
            try? FileManager.default.removeItem(atPath: dir)
        }
        _ = chmod(dir, 0o755)
        #expect(chmod(dir + "/kb", 0o000) == 0)
        _ = chmod(dir + "/calendar/2026.yaml", 0o000)
        var args = ["check", "--rules", dir]
        var binary = CLI.binary.path
        if getuid() == 0 {
            // Root reads everything: run the check as nobody (CI runs as root).
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                Issue.record("running as root and setpriv is missing: cannot test unreadable files")
                return
            }
            args = ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + args
            binary = "/usr/bin/setpriv"
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1, "\(text)")
        #expect(text.contains("kb: error: cannot read the folder: Permission denied"), "\(text)")
        #expect(text.contains("calendar/2026.yaml: error: cannot read: Permission denied"), "\(text)")
    }
}
