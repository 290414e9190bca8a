import Foundation
import Testing
import TriageKit

#if canImport(Glibc)
import Glibc
#endif

/// Debian's chromium, when installed.
let chromiumPath: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// The pre-review page in a real headless browser, driven over the DevTools protocol on a pipe.
@Suite struct PageBrowserTests {
    @Test(.enabled(if: chromiumPath != nil, "chromium is not installed; run scripts/ci-server-deps.sh (apt-get install chromium)"))
    func typedMessageShowsCategoryLeadAndHighlight() async throws {
        let dir = try copyOfServerFixtureRules()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try ServerProcess(arguments: ["--rules", dir])
        let browser = try DevToolsBrowser(chromium: chromiumPath!)
        defer { browser.close() }
        let page = try browser.openPage()
        try page.call("Emulation.setDeviceMetricsOverride", ["width": .number(1280), "height": .number(900), "deviceScaleFactor": .number(1), "mobile": .bool(false)])
        try page.call("Page.navigate", ["url": .string(server.base + "/")])
        #expect(try page.waitUntil("document.getElementById('ruleset').textContent.startsWith('规则集 ')"))

        // Type the message, then press 分析.
        try page.evaluate("document.getElementById('text').focus()")
        try page.call("Input.insertText", ["text": .string("网上办事系统打不开了，请尽快处理")])
        try page.evaluate("document.getElementById('analyze').click()")
        #expect(try page.waitUntil("!!document.getElementById('category-name')"))
        #expect(try page.evaluate("document.getElementById('batch').offsetParent === null") == .bool(true), "the batch panel shows on the single tab")

        let shown = try page.evaluate("""
            JSON.stringify({
              category: document.getElementById('category-name').textContent,
              lead: document.getElementById('lead-name').textContent,
              marks: [...document.querySelectorAll('#r-text mark')].map(m => ({ text: m.textContent, title: m.title })),
              json: JSON.parse(document.getElementById('r-json').textContent).category
            })
            """)
        let result = try JSONValue.parse(try #require(shown.string))
        #expect(result["category"] == .string("技术问题"))
        #expect(result["lead"] == .string("区电子政务中心"))
        #expect(result["json"] == .string("technical"))
        let mark = try #require(result["marks"]?.array?.first)
        #expect(mark["text"] == .string("系统打不开"))
        #expect(mark["title"]?.string?.contains("tech_page_broken") == true)

        try FileManager.default.createDirectory(at: packageRoot.appendingPathComponent("artifacts"), withIntermediateDirectories: true)
        try page.screenshot(to: packageRoot.appendingPathComponent("artifacts/page-desk.png"))
        try page.call("Emulation.setDeviceMetricsOverride", ["width": .number(820), "height": .number(1180), "deviceScaleFactor": .number(1), "mobile": .bool(true)])
        try page.screenshot(to: packageRoot.appendingPathComponent("artifacts/page-tablet.png"))
        server.signal(SIGTERM)
        server.process.waitUntilExit()
    }

    @Test(.enabled(if: chromiumPath != nil, "chromium is not installed; run scripts/ci-server-deps.sh (apt-get install chromium)"))
    func uploadedCSVBecomesATableWithFlaggedRowsFirst() async throws {
        let dir = try copyOfServerFixtureRules()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = (dir as NSString).appendingPathComponent("messages.csv")
        try "id,text\nc-1,网上办事系统打不开了，请尽快处理\nc-2,嗯嗯\nc-3,\"请问办执照需要哪些材料，谢谢\"\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let server = try ServerProcess(arguments: ["--rules", dir])
        let browser = try DevToolsBrowser(chromium: chromiumPath!)
        defer { browser.close() }
        let page = try browser.openPage()
        try page.call("Emulation.setDeviceMetricsOverride", ["width": .number(1280), "height": .number(800), "deviceScaleFactor": .number(1), "mobile": .bool(false)])
        try page.call("Page.navigate", ["url": .string(server.base + "/")])
        #expect(try page.waitUntil("document.getElementById('ruleset').textContent.startsWith('规则集 ')"))
        try page.evaluate("document.getElementById('tab-batch').click()")
        let document = try page.call("DOM.getDocument")
        let input = try page.call("DOM.querySelector", ["nodeId": document["root"]?["nodeId"] ?? .null, "selector": .string("#file")])
        try page.call("DOM.setFileInputFiles", ["nodeId": input["nodeId"] ?? .null, "files": .array([.string(csv)])])
        #expect(try page.waitUntil("document.querySelectorAll('#table tbody tr').length === 3"))
        let ids = try page.evaluate("JSON.stringify([...document.querySelectorAll('#table tbody tr')].map(r => r.cells[1].textContent))")
        // c-2 (too short) and c-3 (no matter named) carry the vague flag; c-1 has none.
        #expect(ids == .string(#"["c-2","c-3","c-1"]"#), "flagged rows first, then input order")
        #expect(try page.evaluate("document.getElementById('download').disabled") == .bool(false))
        try FileManager.default.createDirectory(at: packageRoot.appendingPathComponent("artifacts"), withIntermediateDirectories: true)
        try page.screenshot(to: packageRoot.appendingPathComponent("artifacts/page-batch.png"))
        server.signal(SIGTERM)
        server.process.waitUntilExit()
    }
}

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
        return Page(browser: self, session: session)
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

/// The page shows provisional deadlines: a message received on 2026-12-28, when the bundled
/// calendar has no 2027 notice.
@Suite struct PageProvisionalDeadlineTests {
    @Test(.enabled(if: chromiumPath != nil, "chromium is not installed; run scripts/ci-server-deps.sh (apt-get install chromium)"))
    func aMessageReceivedOn28DecemberShowsProvisionalDeadlines() async throws {
        let server = try ServerProcess(arguments: ["--rules", packageRoot.appendingPathComponent("rules").path])
        let browser = try DevToolsBrowser(chromium: chromiumPath!)
        defer { browser.close() }
        let page = try browser.openPage()
        try page.call("Emulation.setTimezoneOverride", ["timezoneId": .string("Asia/Shanghai")])
        try page.call("Page.navigate", ["url": .string(server.base + "/")])
        #expect(try page.waitUntil("document.getElementById('ruleset').textContent.startsWith('规则集 ')"))
        try page.evaluate("document.getElementById('received-at').value = '2026-12-28T10:00'")
        try page.evaluate("document.getElementById('text').value = '营业执照注销需要什么材料？'")
        try page.evaluate("document.getElementById('analyze').click()")
        #expect(try page.waitUntil("!!document.getElementById('reply-due')"))
        let shown = try page.evaluate("""
            JSON.stringify({
              pre: document.getElementById('pre-review-due').textContent,
              reply: document.getElementById('reply-due').textContent,
              mark: (document.getElementById('deadline-provisional') || {}).textContent || null
            })
            """)
        let result = try JSONValue.parse(try #require(shown.string))
        #expect(result["pre"] == .string("2026-12-29 日终（暂定）"))
        #expect(result["reply"] == .string("2027-01-20 日终（暂定）"))
        #expect(result["mark"]?.string?.contains("2027 年") == true)
        try FileManager.default.createDirectory(at: packageRoot.appendingPathComponent("artifacts"), withIntermediateDirectories: true)
        try page.screenshot(to: packageRoot.appendingPathComponent("artifacts/page-provisional.png"))
        server.signal(SIGTERM)
        server.process.waitUntilExit()
    }
}
