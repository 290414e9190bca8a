import Foundation
import Testing
import TriageCases
import TriageKit

/// A fresh store in its own temporary folder, removed when the test is done with it.
final class TempStore {
    let dir: URL
    let store: SQLiteCaseStore
    var path: String { dir.appendingPathComponent("cases.sqlite").path }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-cases-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try SQLiteCaseStore(path: dir.appendingPathComponent("cases.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }
}

/// Fixed instants, Asia/Shanghai.
enum Clock {
    /// 2026-11-30 (Monday) 09:30 +08:00.
    static let monday = at("2026-11-30", hour: 9, minute: 30)

    static func at(_ day: String, hour: Int, minute: Int = 0) -> Date {
        CaseTime.date(CaseTime.startOfDay(day)! + Int64(hour * 3600 + minute * 60))
    }
}

/// Builders for cases without the engine.
enum Make {
    static func labels(category: String? = "business", lead: String? = "market", co: [String] = [],
                       screening: ScreeningLabel = .accept, vague: Bool = false, multi: Bool = false,
                       woodpecker: Bool = false) -> CaseLabels {
        CaseLabels(category: category, lead: lead, coHandlers: co, screening: screening, vague: vague, multiDepartment: multi,
                   woodpeckerCandidate: woodpecker)
    }

    static func proposal(_ labels: CaseLabels = labels(), preReviewDue: String? = "2026-12-01", replyDue: String? = "2026-12-08",
                         rules: [String] = ["category:biz_materials", "item:license"]) -> CaseProposal {
        CaseProposal(labels: labels, complexity: "simple", preReviewDue: preReviewDue, replyDue: replyDue,
                     rulesetVersion: "testversion00001", evidenceRules: rules, resultJSON: #"{"id": null}"#)
    }

    static func newCase(_ id: String?, text: String = "营业执照注销需要什么材料？", channel: IntakeChannel = .online,
                        proposal: CaseProposal = proposal(), received: Date = Clock.monday) -> NewCase {
        NewCase(messageID: id, channel: channel, text: text, receivedAt: received, proposal: proposal)
    }
}

/// The repository's rule set, loaded once.
enum Rules {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = root.appendingPathComponent("rules").path
    static let ruleSet: RuleSet = {
        let loaded = RuleSetLoader.load(directory: path)
        guard let rs = loaded.ruleSet else { fatalError("rules/ does not load: \(loaded.diagnostics)") }
        return rs
    }()
    static let engine = TriageEngine(ruleSet: ruleSet)
}

/// Runs the built `triage` binary.
enum TriageBinary {
    static var url: URL {
        if let env = ProcessInfo.processInfo.environment["TRIAGE_BIN"] { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("triage")
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func process(_ args: [String], cwd: URL, stdin: [UInt8] = []) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = url
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["TRIAGE_RULES"] = nil
        env["TRIAGE_DB"] = nil
        p.environment = env
        p.currentDirectoryURL = cwd
        let inPipe = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = inPipe
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let bytes = stdin
        Thread {
            inPipe.fileHandleForWriting.write(Data(bytes))
            try? inPipe.fileHandleForWriting.close()
        }.start()
        return (p, out, err)
    }

    static func run(_ args: [String], cwd: URL, stdin: [UInt8] = []) throws -> Run {
        let (p, out, err) = try process(args, cwd: cwd, stdin: stdin)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
