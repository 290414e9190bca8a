import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TriageKit

/// Package root, found from this file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `triage` binary next to the test bundle.
var triageBinary: URL {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("triage"),
        Bundle.main.bundleURL.appendingPathComponent("triage"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("triage"),
        packageRoot.appendingPathComponent(".build/debug/triage"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
}

/// Waits up to `seconds` for `condition`; a guard against hangs, not a timing assertion.
func waitFor(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}

/// A `triage serve` child process on a free port of 127.0.0.1.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var stderrText = ""
    private(set) var port = 0

    /// A case database of its own (removed with the process) unless `arguments` name one with `--db`.
    private var ownDatabase: URL?

    init(arguments: [String]) throws {
        process.executableURL = triageBinary
        var arguments = arguments
        if !arguments.contains("--db") {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-serve-db-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            ownDatabase = dir
            arguments += ["--db", dir.appendingPathComponent("cases.sqlite").path]
        }
        process.arguments = ["serve", "--port", "0"] + arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        err.fileHandleForReading.readabilityHandler = { [weak self] h in
            let data = h.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.stderrText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let found = waitFor(60) {
            let text = log
            guard let r = text.range(of: "listening on http://127.0.0.1:") else { return false }
            port = Int(text[r.upperBound...].prefix { $0.isNumber }) ?? 0
            return port > 0
        }
        if !found {
            process.terminate()
            throw ServerError(message: "triage serve did not start:\n\(log)")
        }
    }

    struct ServerError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// Everything the server wrote to standard error so far.
    var log: String { lock.withLock { stderrText } }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Sends a request and returns status, headers and parsed JSON body (or `.null`).
    func request(_ path: String, method: String = "GET", body: String? = nil, headers: [String: String] = [:]) async throws
        -> (Int, [AnyHashable: Any], JSONValue)
    {
        let (status, fields, data) = try await raw(path, method: method, body: body, headers: headers)
        return (status, fields, (try? JSONValue.parse(Array(data))) ?? .null)
    }

    /// Sends a request and returns status, headers and the body's bytes.
    func raw(_ path: String, method: String = "GET", body: String? = nil, headers: [String: String] = [:]) async throws
        -> (Int, [AnyHashable: Any], Data)
    {
        var req = URLRequest(url: URL(string: base + path)!)
        req.httpMethod = method
        req.timeoutInterval = 120
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        if let body { req.httpBody = Data(body.utf8); req.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: req)
        let http = response as! HTTPURLResponse
        return (http.statusCode, http.allHeaderFields, data)
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if let ownDatabase { try? FileManager.default.removeItem(at: ownDatabase) }
    }
}

/// A temporary copy of the server tests' small rule set.
func copyOfServerFixtureRules() throws -> String {
    let src = packageRoot.appendingPathComponent("Tests/TriageServerTests/Fixtures/rules").path
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-serve-\(UUID().uuidString)")
    try FileManager.default.copyItem(atPath: src, toPath: dir.path)
    return dir.path
}
