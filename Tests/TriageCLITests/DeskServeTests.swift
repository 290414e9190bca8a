import Foundation
import Testing
import TriageKit

#if canImport(Glibc)
import Glibc
#endif

/// `triage serve` with the case database, as a process: a kill during batch intake over HTTP.
@Suite(.serialized) struct DeskServeTests {
    /// What the clients saw: the batches acknowledged (message id → case id) and those sent without a reply yet.
    final class Ledger: @unchecked Sendable {
        struct State {
            var acknowledged: [String: Int] = [:]
            var batchesAcknowledged = 0
            var inFlight: [String: Date] = [:]  // batch prefix → when it was sent
            var sent: Set<String> = []
        }
        private let lock = NSLock()
        private var value = State()
        func withLockedValue<T>(_ body: (inout State) -> T) -> T { lock.withLock { body(&value) } }
    }

    @Test func killingTheServerDuringBatchIntakeLosesNoAcknowledgedCase() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-desk-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("cases.sqlite").path
        let issued = try CLI.run(["tokens", "add", "intake", "--scope", "cases:read", "cases:write", "--db", db])
        #expect(issued.status == 0, "\(issued.stderr)")
        let token = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let headers = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
        // The repository's rules: classifying 1,000 messages takes long enough that a kill lands mid-batch.
        let server = try ServerProcess(arguments: ["--rules", CLI.bundledRulesPath, "--db", db])
        let texts = ["营业执照注销需要什么材料？", "一网通办网站登录不上，一直提示系统繁忙", "楼下饭店油烟扰民半年了，街道说归城管",
                     "建议区行政服务中心周六也开放几个窗口", "退休后医保关系转移接续要怎么办？"]
        let batchSize = 1000
        func body(_ prefix: String) -> String {
            let messages = (0..<batchSize).map { i in
                #"{"id": "\#(prefix)-\#(i)", "text": "\#(texts[i % texts.count])（\#(prefix)-\#(i)）", "received_at": "2026-11-30T09:30:00+08:00"}"#
            }
            return #"{"messages": [\#(messages.joined(separator: ","))]}"#
        }
        let ledger = Ledger()
        let port = server.port
        // Two clients post batches back to back until the server dies.
        let clients = Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<2 {
                    group.addTask {
                        for n in 0..<1000 {
                            let prefix = "c\(client)b\(n)"
                            ledger.withLockedValue { $0.inFlight[prefix] = Date(); $0.sent.insert(prefix) }
                            guard let (status, _, reply) = try? await server.request("/v1/cases/batch", method: "POST", body: body(prefix), headers: headers),
                                  status == 200, let results = reply["results"]?.array else { return }
                            ledger.withLockedValue { s in
                                s.inFlight[prefix] = nil
                                s.batchesAcknowledged += 1
                                for r in results {
                                    if let id = r["id"]?.string, let c = r["case_id"]?.number { s.acknowledged[id] = Int(c) }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Kill once 3 batches are acknowledged and another has been in flight for 100 ms: mid-classification or mid-write.
        let killed = waitFor(300) {
            ledger.withLockedValue { s in
                s.batchesAcknowledged >= 3 && s.inFlight.values.contains { Date().timeIntervalSince($0) > 0.1 }
            }
        }
        #expect(killed, "the clients never got 3 batches through")
        let inFlightAtKill = ledger.withLockedValue { Set($0.inFlight.keys) }
        server.signal(SIGKILL)
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .uncaughtSignal)
        _ = await clients.value
        #expect(server.port == port)

        let state = ledger.withLockedValue { $0 }
        #expect(!inFlightAtKill.isEmpty)
        #expect(state.acknowledged.count >= 3 * batchSize)

        // Restarted on the same file: every acknowledged case is there, with its message id.
        let again = try ServerProcess(arguments: ["--rules", CLI.bundledRulesPath, "--db", db])
        var stored: [String: Int] = [:]
        var offset = 0
        while true {
            let (status, _, page) = try await again.request("/v1/cases?limit=1000&offset=\(offset)", headers: headers)
            #expect(status == 200)
            let cases = page["cases"]?.array ?? []
            for c in cases {
                if let mid = c["message_id"]?.string, let id = c["id"]?.number { stored[mid] = Int(id) }
            }
            offset += cases.count
            if cases.count < 1000 { break }
        }
        let lost = state.acknowledged.filter { stored[$0.key] != $0.value }
        #expect(lost.isEmpty, "\(lost.count) acknowledged case(s) missing after the kill, e.g. \(lost.first.map { "\($0)" } ?? "")")
        // Each batch went in whole or not at all: the one the kill interrupted included.
        for prefix in state.sent {
            let n = (0..<batchSize).filter { stored["\(prefix)-\($0)"] != nil }.count
            #expect(n == 0 || n == batchSize, "batch \(prefix) is half stored: \(n) of \(batchSize)")
        }
        // One case in full, with its history.
        if let (mid, id) = state.acknowledged.first {
            let (status, _, c) = try await again.request("/v1/cases/\(id)", headers: headers)
            #expect(status == 200 && c["message_id"] == .string(mid) && c["history"]?.array?.count == 1)
        }
        again.signal(SIGTERM)
        again.process.waitUntilExit()
        #expect(again.process.terminationStatus == 0)
    }
}
