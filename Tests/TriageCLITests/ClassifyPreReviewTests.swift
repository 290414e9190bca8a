import Foundation
import Testing

/// Runs the built `triage` binary next to the test bundle.
private func triage(_ arguments: [String], input: String) throws -> (status: Int32, stdout: String) {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var binary = dir.appendingPathComponent("triage")
    if !FileManager.default.fileExists(atPath: binary.path) {
        binary = dir.deletingLastPathComponent().appendingPathComponent("triage")
    }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = Pipe()
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self))
}

@Suite struct ClassifyPreReviewTests {
    @Test func jsonlPassesReceivedAtAndReportsABadOneForThatLineOnly() throws {
        let input = """
            {"id": 1, "text": "网上办事大厅一直登录不上", "received_at": "2026-09-30T10:00:00+08:00"}
            {"id": 2, "text": "登录不上", "received_at": "昨天下午"}
            {"id": 3, "text": "网上办事大厅一直登录不上", "received_at": "2026-09-30T10:00", "dispatched_at": "2026-10-09T09:00"}

            """
        let (status, out) = try triage(["classify", "--jsonl"], input: input)
        let lines = out.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(status == 3)
        #expect(lines.count == 3)
        let first = try #require(lines[0]?["deadlines"] as? [String: Any])
        #expect(first["pre_review_due"] as? String == "2026-10-08")
        #expect(first["reply_due"] as? String == "2026-10-14")
        let error = try #require(lines[1]?["error"] as? [String: Any])
        #expect(error["field"] as? String == "received_at" && error["code"] as? String == "invalid_field")
        #expect(lines[1]?["id"] as? Int == 2)
        let third = try #require(lines[2]?["deadlines"] as? [String: Any])
        #expect(third["reply_due"] as? String == "2026-10-15")
        #expect(third["reply_counted_from"] as? String == "dispatched_at")
    }

    @Test func summaryShowsScreeningDeadlinesAndEscalationInChinese() throws {
        let (status, out) = try triage(
            ["classify", "--format", "text", "--received-at", "2026-09-30T10:00:00+08:00", "网上办事大厅一直登录不上"], input: "")
        #expect(status == 0)
        #expect(out.contains("预审 受理"))
        #expect(out.contains("预审截止 2026-10-08"))
        #expect(out.contains("答复截止 2026-10-14（简单，5 个工作日）"))
        #expect(out.contains("升级 无"))
    }

    @Test func aBadReceivedAtOptionIsAUsageError() throws {
        let (status, _) = try triage(["classify", "--received-at", "tomorrow", "登录不上"], input: "")
        #expect(status == 64)
    }
}
