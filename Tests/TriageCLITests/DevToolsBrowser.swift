import Foundation
import Testing
import TriageKit

#if canImport(Glibc)
import Glibc
#endif

// The DevTools-protocol driver the page's browser tests share (PageBrowserTests, DeskBrowserTests).

/// Debian's chromium, when installed.
let chromiumPath: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// A headless chromium spoken to with `--remote-debugging-pipe`: NUL-separated JSON on fds 3 and 4.
final class DevToolsBrowser {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer: [UInt8] = []
    private var nextID = 1
    private let profile = FileManager.default.temporaryDirectory.appendingPathComponent("triage-chromium-\(UUID().uuidString)")

    init(chromium: String) throws {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // fd 3 reads our commands, fd 4 carries the replies; chromium's own output goes to stderr.
        process.arguments = [
            "-c", #"exec "$0" "$@" 3<&0 4>&1 1>&2 0</dev/null"#, chromium,
            "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--hide-scrollbars", "--user-data-dir=\(profile.path)", "about:blank",
        ]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Sends a command and waits (up to 30 s) for its reply.
    @discardableResult
    func call(_ method: String, _ params: [String: JSONValue] = [:], session: String? = nil) throws -> JSONValue {
        let id = nextID
        nextID += 1
        var message: [(String, JSONValue)] = [("id", .number(Double(id))), ("method", .string(method)), ("params", .object(params.map { ($0.key, $0.value) }))]
        if let session { message.append(("sessionId", .string(session))) }
        input.fileHandleForWriting.write(Data(JSONValue.object(message).serialized.utf8) + Data([0]))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard let reply = try nextMessage(until: deadline) else { break }
            guard reply["id"] == .number(Double(id)) else { continue }
            if let error = reply["error"] { throw Failure(description: "\(method): \(error.serialized)") }
            return reply["result"] ?? .null
        }
        throw Failure(description: "\(method): no reply from chromium")
    }

    private func nextMessage(until deadline: Date) throws -> JSONValue? {
        let fd = output.fileHandleForReading.fileDescriptor
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let bytes = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                return try JSONValue.parse(bytes)
            }
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            if left == 0 { return nil }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, left) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { return nil }
            buffer += chunk[..<n]
        }
    }

    func openPage() throws -> Page {
        let target = try call("Target.createTarget", ["url": .string("about:blank")])
        let targetID = try target["targetId"].flatMap(\.string) ?? { throw Failure(description: "no targetId") }()
        let attached = try call("Target.attachToTarget", ["targetId": .string(targetID), "flatten": .bool(true)])
        let session = try attached["sessionId"].flatMap(\.string) ?? { throw Failure(description: "no sessionId") }()
        let page = Page(browser: self, session: session)
        // A headless tab is not the focused window: without this, focus() fires no focus event.
        try page.call("Emulation.setFocusEmulationEnabled", ["enabled": .bool(true)])
        return page
    }

    func close() {
        _ = try? call("Browser.close")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
    }

    /// One tab.
    struct Page {
        let browser: DevToolsBrowser
        let session: String

        @discardableResult
        func call(_ method: String, _ params: [String: JSONValue] = [:]) throws -> JSONValue {
            try browser.call(method, params, session: session)
        }

        @discardableResult
        func evaluate(_ expression: String) throws -> JSONValue {
            let r = try call("Runtime.evaluate", ["expression": .string(expression), "returnByValue": .bool(true), "awaitPromise": .bool(true)])
            if let exception = r["exceptionDetails"] { throw Failure(description: "script failed: \(exception.serialized)") }
            return r["result"]?["value"] ?? .null
        }

        /// Polls a boolean expression for up to 30 s.
        func waitUntil(_ expression: String) throws -> Bool {
            for _ in 0..<300 {
                if (try? evaluate(expression)) == .bool(true) { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }

        /// Saves a PNG; `full: false` captures the viewport only (a long report would be one huge image).
        func screenshot(to url: URL, full: Bool = true) throws {
            let shot = try call("Page.captureScreenshot", ["format": .string("png"), "captureBeyondViewport": .bool(full)])
            let data = try Data(base64Encoded: shot["data"]?.string ?? "") ?? { throw Failure(description: "no screenshot data") }()
            try data.write(to: url)
        }
    }
}

extension DevToolsBrowser.Page {
    /// The window size: desk 1400, tablet 820, phone 390 wide.
    func viewport(_ width: Int, _ height: Int, mobile: Bool = false) throws {
        try call("Emulation.setDeviceMetricsOverride", [
            "width": .number(Double(width)), "height": .number(Double(height)), "deviceScaleFactor": .number(1), "mobile": .bool(mobile),
        ])
    }

    /// Loads `url`.
    func navigate(_ url: String) throws { try call("Page.navigate", ["url": .string(url)]) }

    /// Types `text` into the focused element, as a keyboard would.
    func type(_ text: String) throws { try call("Input.insertText", ["text": .string(text)]) }

    /// Presses a key (`Enter`, `Tab`, `ArrowDown`, `Escape`) on the focused element.
    func press(_ key: String, code: Int) throws {
        for type in ["rawKeyDown", "keyUp"] {
            var params: [String: JSONValue] = ["type": .string(type), "key": .string(key), "code": .string(key),
                                               "windowsVirtualKeyCode": .number(Double(code))]
            if key == "Enter" && type == "rawKeyDown" { params["text"] = .string("\r") }
            try call("Input.dispatchKeyEvent", params)
        }
        if key == "Enter" { try call("Input.dispatchKeyEvent", ["type": .string("char"), "text": .string("\r"), "key": .string("Enter")]) }
    }

    /// Puts files into an `<input type=file>`, as choosing them would.
    func setFiles(_ selector: String, _ paths: [String]) throws {
        let document = try call("DOM.getDocument")
        let input = try call("DOM.querySelector", ["nodeId": document["root"]?["nodeId"] ?? .null, "selector": .string(selector)])
        try call("DOM.setFileInputFiles", ["nodeId": input["nodeId"] ?? .null, "files": .array(paths.map(JSONValue.string))])
    }

    /// Saves a full-page screenshot as `artifacts/NAME` under the package.
    func screenshot(artifact name: String) throws {
        let dir = packageRoot.appendingPathComponent("artifacts")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try screenshot(to: dir.appendingPathComponent(name))
    }

    /// The page printed to PDF on A4 with its print stylesheet.
    func printToPDF() throws -> Data {
        let r = try call("Page.printToPDF", ["paperWidth": .number(8.27), "paperHeight": .number(11.69), "preferCSSPageSize": .bool(true)])
        return try Data(base64Encoded: r["data"]?.string ?? "") ?? { throw DevToolsBrowser.Failure(description: "no PDF data") }()
    }

    /// The value of a script that returns a string (`JSON.stringify(…)` for structures).
    func string(_ expression: String) throws -> String {
        try evaluate(expression).string ?? { throw DevToolsBrowser.Failure(description: "not a string: \(expression)") }()
    }
}
