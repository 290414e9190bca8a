import Foundation
import GRDB
import TriageCases
import TriageKit

// Case-store benchmark, release build (scripts/bench-cases.sh):
//   intake: 10,000 classified messages into a fresh SQLite store, batches of 500, median of --runs;
//   worklist: a store of 100,000 cases (60% decided), each worklist query timed --queries times, median.
//   --fill PATH: only fill the store at PATH with --cases cases, as for the worklist, and stop
//   (scripts/bench-desk.sh serves it to time the worklist page).
// Files go to a temporary folder and are removed at the end.

var rulesDir = "rules", corpusDir = "corpus", runs = 7, queries = 21, intakeCount = 10_000, worklistCount = 100_000
var fillPath: String?
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--rules": rulesDir = args.next() ?? rulesDir
    case "--corpus": corpusDir = args.next() ?? corpusDir
    case "--runs": runs = Int(args.next() ?? "") ?? runs
    case "--queries": queries = Int(args.next() ?? "") ?? queries
    case "--cases": worklistCount = Int(args.next() ?? "") ?? worklistCount
    case "--fill": fillPath = args.next()
    default:
        FileHandle.standardError.write(Data("usage: triage-cases-bench [--rules DIR] [--corpus DIR] [--runs N] [--queries N] [--cases N] [--fill PATH]\n".utf8))
        exit(2)
    }
}

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

let loaded = RuleSetLoader.load(directory: rulesDir)
guard let ruleSet = loaded.ruleSet else { log("triage-cases-bench: the rule set has errors"); exit(1) }
let engine = TriageEngine(ruleSet: ruleSet)

var texts: [String] = []
if let e = FileManager.default.enumerator(atPath: corpusDir) {
    while let rel = e.nextObject() as? String {
        guard rel.hasSuffix(".jsonl") else { continue }
        for line in (FileManager.default.contents(atPath: corpusDir + "/" + rel) ?? Data()).split(separator: 0x0A) {
            if case .success(let m) = MessageRecord.parse(bytes: Array(line)) { texts.append(m.text) }
        }
    }
}
guard !texts.isEmpty else { log("triage-cases-bench: no messages in \(corpusDir)"); exit(1) }

// Classify once; cases differ in id, receipt time and text suffix.
let base = Timestamp.parse("2026-11-02T09:00:00+08:00")!.epochSeconds
let proposals: [(String, TriageResult)] = texts.enumerated().map { i, text in
    let received = Timestamp(epochSeconds: base + (i * 7919) % (28 * 86_400))
    return (text, engine.classify(MessageRecord(text: text, id: .string("p\(i)"), receivedAt: received)))
}
func newCase(_ i: Int) -> NewCase {
    let (text, result) = proposals[i % proposals.count]
    var c = NewCase(result: result, text: text + "（\(i)）", channel: i % 5 == 0 ? .window : .online)
    c.messageID = "m\(i)"
    return c
}

/// A store at `path` with `count` cases, 60% decided: dispatched (or rejected when the proposal rejects),
/// a tenth of those replied; statistics analysed.
func fill(_ path: String, _ count: Int) async throws -> SQLiteCaseStore {
    let store = try SQLiteCaseStore(path: path)
    let fillStart = Date()
    for chunk in stride(from: 0, to: count, by: 5000) {
        _ = try await store.createCases((chunk..<min(chunk + 5000, count)).map(newCase), duplicates: .fail,
                                        by: CaseActor(system: "bench"), at: Date())
    }
    let user = try await Accounts(store: store, cost: 4).addUser(username: "bench", displayName: nil, password: "bench-password", role: .staff)
    // Done in SQL for speed; the case rows end as decide() would leave them.
    let decidedAt = CaseTime.seconds(Date())
    try await store.pool.write { db in
        try db.execute(sql: """
            UPDATE cases SET status = CASE WHEN screening LIKE 'reject:%' THEN 'rejected' WHEN id % 50 = 1 THEN 'replied' ELSE 'dispatched' END,
              decision = 'accept', decided_by = ?, decided_at = ?, replied_at = CASE WHEN id % 50 = 1 THEN ? END
            WHERE id % 5 IN (1, 2, 3)
            """, arguments: [user.id, decidedAt, decidedAt])
        try db.execute(sql: "UPDATE case_departments SET status = (SELECT status FROM cases WHERE id = case_id)")
    }
    // What opening the store does when the case count has doubled since the last analysis.
    let analyseStart = Date()
    try store.updateStatistics(force: true)
    log(String(format: "ANALYZE at %d cases: %.2f s", count, Date().timeIntervalSince(analyseStart)))
    log(String(format: "filled %d cases in %.1f s", count, Date().timeIntervalSince(fillStart)))
    return store
}

if let fillPath {
    let store = try await fill(fillPath, worklistCount)
    let counts = try await store.counts(now: Date())
    log("statuses: " + CaseStatus.allCases.map { "\($0.rawValue) \(counts.byStatus[$0] ?? 0)" }.joined(separator: ", "))
    exit(0)
}

let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("triage-cases-bench-\(getpid())")
try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
// BENCH_KEEP=1 keeps the 100,000-case database for a look with sqlite3.
let keep = ProcessInfo.processInfo.environment["BENCH_KEEP"] == "1"
defer { if keep { log("kept \(tmp.path)") } else { try? FileManager.default.removeItem(at: tmp) } }

// MARK: Intake

let intake = (0..<intakeCount).map(newCase)
var rates: [Double] = []
for run in 1...runs {
    let path = tmp.appendingPathComponent("intake-\(run).sqlite").path
    let store = try SQLiteCaseStore(path: path)
    let start = Date()
    for chunk in stride(from: 0, to: intake.count, by: 500) {
        _ = try await store.createCases(Array(intake[chunk..<min(chunk + 500, intake.count)]), duplicates: .fail,
                                        by: CaseActor(system: "bench"), at: Date())
    }
    let seconds = Date().timeIntervalSince(start)
    rates.append(Double(intakeCount) / seconds)
    log(String(format: "intake run %d: %.0f cases/s", run, Double(intakeCount) / seconds))
    try? FileManager.default.removeItem(atPath: path)
}
print(String(format: "intake: %d cases in batches of 500 into SQLite (WAL, synchronous=FULL): %.0f cases/s (median of %d runs; min %.0f, max %.0f)",
             intakeCount, median(rates), runs, rates.min()!, rates.max()!))

// MARK: Worklist at 100,000 cases

let path = tmp.appendingPathComponent("worklist.sqlite").path
let store = try await fill(path, worklistCount)
let counts = try await store.counts(now: Date())
log("statuses: " + CaseStatus.allCases.map { "\($0.rawValue) \(counts.byStatus[$0] ?? 0)" }.joined(separator: ", "))

let now = Timestamp.parse("2026-11-20T10:00:00+08:00").map { Date(timeIntervalSince1970: TimeInterval($0.epochSeconds)) }!
let named: [(String, WorklistQuery)] = [
    ("awaiting review, page 1 (50), by 预审截止", .awaitingReview()),
    ("awaiting review, page 100", WorklistQuery.awaitingReview(limit: 50, offset: 4950)),
    ("awaiting review, overdue only", WorklistQuery(status: .awaitingReview, overdueOnly: true)),
    ("dispatched awaiting reply, by 答复截止", .awaitingReply()),
    ("awaiting review, department market", WorklistQuery(status: .awaitingReview, department: "market")),
    ("dispatched, department tax", WorklistQuery(status: .dispatched, department: "tax")),
    ("awaiting review, category complaint", WorklistQuery(status: .awaitingReview, category: "complaint")),
    ("awaiting review, flag vague", WorklistQuery(status: .awaitingReview, flag: .vague)),
    ("dispatched, flag woodpecker_candidate", WorklistQuery(status: .dispatched, flag: .woodpeckerCandidate)),
    ("awaiting review, department market, category business", WorklistQuery(status: .awaitingReview, department: "market", category: "business")),
    ("awaiting review, search 营业执照 (FTS5 trigram)", WorklistQuery(status: .awaitingReview, text: "营业执照")),
    ("awaiting review, search 油烟 (2 characters: LIKE)", WorklistQuery(status: .awaitingReview, text: "油烟")),
    ("any status, newest first", WorklistQuery()),
]
print("worklist at \(worklistCount) cases (page of 50 plus the total and overdue counts; median of \(queries)):")
for (name, q) in named {
    var ms: [Double] = []
    var total = 0
    for _ in 0..<queries {
        let start = Date()
        total = try await store.worklist(q, now: now).total
        ms.append(Date().timeIntervalSince(start) * 1000)
    }
    print("  " + name + ": " + String(format: "%.2f ms (%d match)", median(ms), total))
}
var countMs: [Double] = []
for _ in 0..<queries {
    let start = Date()
    _ = try await store.counts(now: now)
    countMs.append(Date().timeIntervalSince(start) * 1000)
}
print("  counts per status and overdue: " + String(format: "%.2f ms", median(countMs)))
