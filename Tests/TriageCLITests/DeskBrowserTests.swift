import Foundation
import Testing
import TriageKit

#if canImport(Glibc)
import Glibc
#endif

/// The pre-review desk in headless Chromium, as an officer uses it: sign in, the worklist with its
/// countdowns, a typed message registered, a case opened and corrected by keyboard, the worklist
/// after, a restart, the print view, a GBK CSV from Excel uploaded as cases, and the phone width.
/// Screenshots go to artifacts/desk-*.png. Then the correction, exported, is read by `triage test`.
@Suite(.serialized) struct DeskBrowserTests {
    static let password = "desk-password-1"

    @Test(.enabled(if: chromiumPath != nil, "chromium is not installed; run scripts/ci-server-deps.sh (apt-get install chromium)"))
    func signInWorklistCorrectionPrintUploadAndPhone() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-desk-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("cases.sqlite").path
        let rules = CLI.bundledRulesPath
        let added = try CLI.run(["users", "add", "wang", "--name", "王芳", "--db", db], stdin: Array((Self.password + "\n").utf8))
        #expect(added.status == 0, "\(added.stderr)")
        // Two cases from the window system, fixed in 2026 so that the deadlines do not depend on today:
        // spam from Friday 11-27 (due Monday 11-30) and a complaint from Tuesday 12-01 (due 12-02).
        let seed = dir.appendingPathComponent("seed.jsonl")
        try """
            {"id": "W-1127-01", "channel": "window", "text": "专业代办各类资质，营业执照三天下证，包过，价格优惠", "received_at": "2026-11-27T16:40:00+08:00"}
            {"id": "W-1201-02", "channel": "window", "text": "楼下饭店油烟扰民半年了，街道说归城管，城管又说要街道先协调。\(String(repeating: "每天晚上十点以后还在营业，排风机的声音很大，家里老人孩子都睡不好，打过好几次电话也没有结果。", count: 4))", "received_at": "2026-12-01T10:05:00+08:00"}

            """.write(to: seed, atomically: true, encoding: .utf8)
        let imported = try CLI.run(["cases", "import", seed.path, "--rules", rules, "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")

        var server = try ServerProcess(arguments: ["--rules", rules, "--db", db])
        let browser = try DevToolsBrowser(chromium: chromiumPath!)
        defer { browser.close() }
        let page = try browser.openPage()
        try page.call("Runtime.enable")
        try page.viewport(1400, 1000)

        // 1. Sign-in: the page opens on the sign-in form; a wrong password is refused in Chinese.
        try page.navigate(server.base + "/")
        #expect(try page.waitUntil("document.body.dataset.ready === '1' && !document.getElementById('signin').hidden"))
        try signIn(page, password: "wrong-password-9")
        #expect(try page.waitUntil("!document.getElementById('si-error').hidden"))
        #expect(try page.string("document.getElementById('si-error').textContent") == "用户名或密码不正确")
        try signIn(page, password: Self.password)
        #expect(try page.waitUntil("!document.getElementById('worklist').hidden && document.querySelectorAll('#list-review tbody tr').length === 2"))
        #expect(try page.string("document.getElementById('who-name').textContent") == "王芳（wang）")

        // 2. A typed message becomes a case: 单条留言 → 登记为案件 opens it.
        try page.evaluate("location.hash = '#/single'")
        #expect(try page.waitUntil("!document.getElementById('single').hidden && !document.getElementById('register').disabled"))
        try page.evaluate("document.getElementById('text').focus()")
        try page.type("营业执照注销需要什么材料？我的电话13812345678")
        try page.evaluate("document.getElementById('msg-id').value = '12345-1201-0001'; document.getElementById('received-at').value = '2026-12-01T09:30'")
        try page.evaluate("document.getElementById('register').click()")
        #expect(try page.waitUntil("location.hash === '#/case/3' && document.body.dataset.case === '3'"))
        #expect(try page.string("document.querySelector('#case-proposal .lead-name').textContent") == "区市场监管局")

        // 3. The worklist: overdue first, then by 预审截止, each countdown as the server counts it.
        try page.evaluate("location.hash = '#/'")
        #expect(try page.waitUntil("document.querySelectorAll('#list-review tbody tr').length === 3"))
        let rows = try JSONValue.parse(page.string("""
            JSON.stringify([...document.querySelectorAll('#list-review tbody tr')].map(r => ({ id: r.dataset.id,
              left: r.querySelector('.countdown').textContent, late: r.classList.contains('overdue') })))
            """))
        #expect(rows.array?.map { $0["id"] } == [.string("1"), .string("2"), .string("3")], "spam from 11-27 first, then the two due 12-02 by case number")
        for row in rows.array ?? [] {
            let id = try #require(row["id"]?.string)
            let seconds = try #require(try page.evaluate("fetch('/v1/cases/\(id)').then(r => r.json()).then(c => c.seconds_left)").number)
            #expect(row["left"]?.string == countdown(Int(seconds)) || row["left"]?.string == countdown(Int(seconds) + 60),
                    "case \(id): the page shows \(row["left"]?.string ?? "nothing"), the server counts \(seconds) s")
            #expect(row["late"] == .bool(seconds <= 0))
        }
        // The text of the rejected spam leads with its verdict, not a dispatch.
        #expect(try page.string("document.querySelector('#list-review tbody tr').textContent").contains("拒收：广告或垃圾信息"))
        #expect(try page.evaluate(Self.fits) == .bool(true), "the worklist is wider than the window at 1400 px")
        try page.screenshot(artifact: "desk-worklist.png")

        // 4. Open case 3 by keyboard and correct it: add 区税务局 as co-handler, found by searching 税务.
        try page.evaluate("document.querySelector('#list-review a[href=\"#/case/3\"]').focus()")
        try page.press("Enter", code: 13)
        #expect(try page.waitUntil("document.body.dataset.case === '3' && !document.getElementById('case').hidden && !document.getElementById('decide').hidden"))
        // Evidence opens on focus, with the rule's description rather than its id.
        try page.evaluate("document.querySelector('#case-proposal mark.ev').focus()")
        #expect(try page.waitUntil("document.querySelector('#case-proposal .ev-details .rid') !== null"))
        #expect(try page.string("document.querySelector('#case-proposal .ev-details').textContent").range(of: "[a-z]+_[a-z_]+", options: .regularExpression) == nil)
        try page.evaluate("document.getElementById('correct-open').focus()")
        try page.press("Enter", code: 13)
        #expect(try page.waitUntil("!document.getElementById('correct').hidden"))
        try page.evaluate("document.getElementById('d-co-input').focus()")
        try page.type("税务")
        #expect(try page.waitUntil("!document.getElementById('d-co-list').hidden"))
        try page.press("Enter", code: 13)
        #expect(try page.waitUntil("document.getElementById('d-co-chips').textContent.includes('区税务局')"))
        try page.evaluate("document.getElementById('d-reason').focus()")
        try page.type("注销须先办清税，税务局协办")
        try page.screenshot(artifact: "desk-correction.png")
        try page.evaluate("document.getElementById('d-submit').focus()")
        try page.press("Enter", code: 13)

        // 5. The worklist after: case 3 left 待预审 and waits for a reply, with its 答复截止.
        #expect(try page.waitUntil("!document.getElementById('worklist').hidden && document.querySelectorAll('#list-reply tbody tr').length === 1"))
        #expect(try page.string("document.getElementById('flash').textContent").contains("已派单至 区市场监管局，协办 区税务局"))
        #expect(try page.evaluate("document.querySelectorAll('#list-review tbody tr').length") == .number(2))
        let reply = try page.string("document.querySelector('#list-reply tbody tr').textContent")
        #expect(reply.contains("#3") && reply.contains("人工修改过"))
        try page.screenshot(artifact: "desk-worklist-after.png")

        // 6. Stored, and it survives a restart of the server on the same file (so does the session:
        // cookies do not depend on the port, and sessions are kept in the store).
        server.signal(SIGTERM)
        server.process.waitUntilExit()
        server = try ServerProcess(arguments: ["--rules", rules, "--db", db])
        try page.navigate(server.base + "/")
        #expect(try page.waitUntil("document.body.dataset.ready === '1' && document.querySelectorAll('#list-reply tbody tr').length === 1"))
        let decided = try JSONValue.parse(page.string("fetch('/v1/cases/3').then(r => r.text())"))
        #expect(decided["decision"] == .string("correct"))
        #expect(decided["labels"]?["co_handlers"] == .array([.string("tax")]))
        #expect(decided["decided_by"] == .string("wang"))
        #expect(decided["decision_reason"] == .string("注销须先办清税，税务局协办"))
        #expect(decided["history"]?.array?.last?["kind"] == .string("decided"))

        // 7. The print view: one A4 page, in Chinese, with the decision.
        try page.navigate(server.base + "/cases/3/print")
        #expect(try page.waitUntil("document.body.dataset.ready === '1'"))
        let sheet = try page.string("document.querySelector('.sheet').textContent")
        for part in ["预审意见单", "营业执照注销需要什么材料", "区市场监管局", "区税务局", "修改建议", "注销须先办清税", "预审截止", "答复截止", "wang"] {
            #expect(sheet.contains(part), "the sheet lacks \(part)")
        }
        let pdf = try page.printToPDF()
        let pages = String(decoding: pdf, as: UTF8.self).components(separatedBy: "/Type /Page").count - 1
            - (String(decoding: pdf, as: UTF8.self).components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages == 1, "the 预审意见单 prints on \(pages) pages")
        try pdf.write(to: packageRoot.appendingPathComponent("artifacts/desk-print.pdf"))
        try page.screenshot(artifact: "desk-print.png")

        // 8. A CSV saved by Excel on Chinese Windows (GB18030), with a blank line, becomes cases.
        let csv = dir.appendingPathComponent("excel.csv")
        let rowsText = "编号,内容,收到时间\n\nX-01,请问个体工商户营业执照变更地址需要什么材料？,2026/12/01 9:30\nX-02,,2026/12/01 9:40\nX-03,建议区行政服务中心周六也开放几个窗口,2026/12/01 10:00\n"
        try writeGB18030(rowsText, to: csv)
        try page.navigate(server.base + "/#/batch")
        #expect(try page.waitUntil("document.body.dataset.ready === '1' && !document.getElementById('batch').hidden"))
        try page.setFiles("#file", [csv.path])
        #expect(try page.waitUntil("document.querySelectorAll('#table tbody tr').length === 3"))
        #expect(try page.string("document.getElementById('batch-status').textContent").contains("GB18030"))
        let table = try JSONValue.parse(page.string(
            "JSON.stringify([...document.querySelectorAll('#table tbody tr')].map(r => [...r.cells].map(c => c.textContent)))"))
        let lines = table.array?.map { $0.array?[0].string ?? "" } ?? []
        #expect(lines == ["4", "3", "5"], "the empty row (line 4, after the blank line 2) first, then file order")
        #expect(table.array?.first?.array?[2].string == "错误：留言内容为空")
        #expect(table.serialized.contains("营业执照变更") && !table.serialized.contains("\u{FFFD}"), "decoded as GB18030, not as UTF-8")
        try page.evaluate("document.getElementById('batch-register').click()")
        #expect(try page.waitUntil("document.getElementById('batch-status').textContent.includes('已登记 2 件')"))
        #expect(try page.evaluate(Self.fits) == .bool(true), "the upload table is wider than the window")
        try page.screenshot(artifact: "desk-upload-gbk.png")

        // 9. Phone and tablet widths: no horizontal overflow.
        try page.navigate(server.base + "/")
        try page.viewport(390, 844, mobile: true)
        #expect(try page.waitUntil("document.querySelectorAll('#list-review tbody tr').length === 4"))
        #expect(try page.evaluate(Self.fits) == .bool(true), "the worklist overflows at 390 px")
        try page.screenshot(artifact: "desk-phone.png")
        try page.navigate(server.base + "/#/case/1")
        #expect(try page.waitUntil("document.body.dataset.case === '1'"))
        #expect(try page.evaluate(Self.fits) == .bool(true), "the case view overflows at 390 px")
        try page.screenshot(artifact: "desk-phone-case.png")
        try page.viewport(820, 1180, mobile: true)
        try page.navigate(server.base + "/")
        #expect(try page.waitUntil("document.querySelectorAll('#list-review tbody tr').length === 4"))
        #expect(try page.evaluate(Self.fits) == .bool(true), "the worklist overflows at 820 px")
        try page.screenshot(artifact: "desk-tablet.png")
        server.signal(SIGTERM)
        server.process.waitUntilExit()

        // 10. The correction made in the browser is a labelled corpus line that `triage test` reads, redacted.
        let export = dir.appendingPathComponent("export.jsonl")
        let exported = try CLI.run(["cases", "export", "--decided-only", "--db", db, "-o", export.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let corpus = try String(contentsOf: export, encoding: .utf8)
        let line = try #require(corpus.split(separator: "\n").first { $0.contains("\"case_id\": 3") })
        #expect(line.contains(#""co_handlers": ["tax"]"#) && line.contains("staff_corrected") && line.contains("〔手机号〕"))
        #expect(!corpus.contains("13812345678"))
        let test = try CLI.run(["test", "--rules", rules, "--no-progress", export.path])
        #expect(test.status == 0 || test.status == 1, "\(test.stderr)")
        #expect(test.stdout.contains("1 messages from 1 file(s)"), "\(test.stdout)")
        #expect(test.stdout.contains("co_handlers: expected [tax], got []"), "the engine does not propose the co-handler staff added")
    }

    /// Nothing is wider than the window, and no table sticks out of its card.
    static let fits = """
        document.documentElement.scrollWidth <= window.innerWidth && [...document.querySelectorAll('table')]
          .filter(t => t.offsetParent !== null)
          .every(t => t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right + 1)
        """

    private func signIn(_ page: DevToolsBrowser.Page, password: String) throws {
        try page.evaluate("document.getElementById('si-user').focus()")
        try page.evaluate("document.getElementById('si-user').value = ''")
        try page.type("wang")
        try page.evaluate("document.getElementById('si-pass').focus(); document.getElementById('si-pass').value = ''")
        try page.type(password)
        try page.press("Enter", code: 13)
    }

    /// The page's countdown text for `seconds` left (common.js `countdown`).
    private func countdown(_ seconds: Int) -> String {
        let s = abs(seconds), d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60
        let span = d > 0 ? "\(d) 天 \(h) 小时" : h > 0 ? "\(h) 小时 \(m) 分" : "\(m) 分"
        return (seconds <= 0 ? "逾期 " : "剩 ") + span
    }

    /// `text` encoded as GB18030, as Excel on Chinese Windows saves a CSV (Python's codec).
    private func writeGB18030(_ text: String, to url: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys; open(sys.argv[1], 'wb').write(sys.stdin.buffer.read().decode('utf-8').encode('gb18030'))", url.path]
        let input = Pipe()
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "python3 could not write the GB18030 file")
        let bytes = try Data(contentsOf: url)
        #expect(String(data: bytes, encoding: .utf8) == nil, "a GB18030 file is not valid UTF-8")
    }
}
