import Foundation
import Testing
import TriageKit

#if canImport(Glibc)
import Glibc
#endif

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
        try page.navigate(server.base + "/#/single")
        #expect(try page.waitUntil("document.getElementById('ruleset').textContent.startsWith('规则集 ') && document.body.dataset.ready === '1'"))

        // Type the message, then press 分析.
        try page.evaluate("document.getElementById('text').focus()")
        try page.call("Input.insertText", ["text": .string("网上办事系统打不开了，请尽快处理")])
        try page.evaluate("document.getElementById('analyze').click()")
        #expect(try page.waitUntil("!!document.querySelector('#single .category-name')"))
        #expect(try page.evaluate("document.getElementById('batch').offsetParent === null") == .bool(true), "the batch panel shows on the single tab")

        let shown = try page.evaluate("""
            JSON.stringify({
              category: document.querySelector('#single .category-name').textContent,
              lead: document.querySelector('#single .lead-name').textContent,
              marks: [...document.querySelectorAll('#single .marked mark')].map(m => ({ text: m.textContent, rule: m.dataset.rule })),
              json: JSON.parse(document.getElementById('r-json').textContent).category
            })
            """)
        let result = try JSONValue.parse(try #require(shown.string))
        #expect(result["category"] == .string("技术问题"))
        #expect(result["lead"] == .string("区电子政务中心"))
        #expect(result["json"] == .string("technical"))
        let mark = try #require(result["marks"]?.array?.first)
        #expect(mark["text"] == .string("系统打不开"))
        #expect(mark["rule"]?.string?.contains("tech_page_broken") == true)
        // Focusing the mark (keyboard or tap) says what it supports, in the rule's own words.
        try page.evaluate("document.querySelector('#single .marked mark').focus()")
        #expect(try page.string("document.querySelector('#single .ev-details').textContent").contains("页面或系统打不开"))

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
        try page.navigate(server.base + "/")
        #expect(try page.waitUntil("document.body.dataset.ready === '1'"))
        try page.evaluate("document.getElementById('tab-batch').click()")
        #expect(try page.waitUntil("!document.getElementById('batch').hidden"))
        try page.setFiles("#file", [csv])
        #expect(try page.waitUntil("document.querySelectorAll('#table tbody tr').length === 3"))
        let ids = try page.evaluate("JSON.stringify([...document.querySelectorAll('#table tbody tr')].map(r => r.cells[1].textContent))")
        // c-2 (too short) and c-3 (no matter named) carry the vague flag; c-1 has none.
        #expect(ids == .string(#"["c-2","c-3","c-1"]"#), "flagged rows first, then input order")
        #expect(try page.evaluate("document.getElementById('download').disabled") == .bool(false))
        try FileManager.default.createDirectory(at: packageRoot.appendingPathComponent("artifacts"), withIntermediateDirectories: true)
        try page.screenshot(to: packageRoot.appendingPathComponent("artifacts/page-batch.png"))

        // Excel's "Unicode 文本": UTF-16 LE with a byte-order mark, tab-separated; a blank line keeps the numbering.
        let utf16 = (dir as NSString).appendingPathComponent("unicode.txt")
        try Data([0xFF, 0xFE] + "编号\t内容\n\nu-1\t网上办事系统打不开了\nu-2\t\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            .write(to: URL(fileURLWithPath: utf16))
        try page.setFiles("#file", [utf16])
        #expect(try page.waitUntil("document.getElementById('batch-status').textContent.includes('UTF-16')"))
        let rows = try page.string("JSON.stringify([...document.querySelectorAll('#table tbody tr')].map(r => [r.cells[0].textContent, r.cells[1].textContent, r.cells[2].textContent]))")
        #expect(rows == #"[["4","u-2","错误：留言内容为空"],["3","u-1",""]]"#, "line numbers as in the file, the error in Chinese")
        // UTF-8 with a byte-order mark, and an empty file, which is an error rather than an empty table.
        let bom = (dir as NSString).appendingPathComponent("bom.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array("内容\n请问办执照需要哪些材料\n".utf8)).write(to: URL(fileURLWithPath: bom))
        try page.setFiles("#file", [bom])
        #expect(try page.waitUntil("document.querySelectorAll('#table tbody tr').length === 1 && document.getElementById('batch-status').textContent.includes('UTF-8')"))
        let empty = (dir as NSString).appendingPathComponent("empty.csv")
        try Data().write(to: URL(fileURLWithPath: empty))
        try page.setFiles("#file", [empty])
        #expect(try page.waitUntil("!document.getElementById('batch-error').hidden"))
        #expect(try page.string("document.getElementById('batch-error').textContent").contains("文件是空的"))
        #expect(try page.evaluate("document.getElementById('table').hidden") == .bool(true))
        // A GB18030 file read as UTF-8 on request shows U+FFFD and says so.
        let gbk = (dir as NSString).appendingPathComponent("gbk.csv")
        try Data([0xC4, 0xDA, 0xC8, 0xDD, 0x0A, 0xC7, 0xEB, 0xCE, 0xCA, 0x0A]).write(to: URL(fileURLWithPath: gbk))  // 内容\n请问\n
        try page.evaluate("document.getElementById('encoding').value = 'utf-8'")
        try page.setFiles("#file", [gbk])
        #expect(try page.waitUntil("!document.getElementById('batch-error').hidden"))
        #expect(try page.string("document.getElementById('batch-error').textContent").contains("可能选错了编码"))
        // Choosing the encoding again reads the same file again.
        try page.evaluate("const e = document.getElementById('encoding'); e.value = 'auto'; e.dispatchEvent(new Event('change'))")
        #expect(try page.waitUntil("document.getElementById('batch-status').textContent.includes('GB18030') && document.querySelector('#table tbody tr td.text').textContent === '请问'"))
        // Downloaded cells that a spreadsheet would run as a formula are neutralised.
        #expect(try page.string("[Triage.csvField('=HYPERLINK(1)'), Triage.csvField('+1'), Triage.csvField('-2,3'), Triage.csvField('@x'), Triage.csvField('\\tx'), Triage.csvField('正常')].join('|')")
                == #"'=HYPERLINK(1)|'+1|"'-2,3"|'@x|'\#tx|正常"#)
        server.signal(SIGTERM)
        server.process.waitUntilExit()
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
        try page.navigate(server.base + "/#/single")
        #expect(try page.waitUntil("document.getElementById('ruleset').textContent.startsWith('规则集 ') && document.body.dataset.ready === '1'"))
        try page.evaluate("document.getElementById('received-at').value = '2026-12-28T10:00'")
        try page.evaluate("document.getElementById('text').value = '营业执照注销需要什么材料？'")
        try page.evaluate("document.getElementById('analyze').click()")
        #expect(try page.waitUntil("!!document.querySelector('#single .reply-due')"))
        let shown = try page.evaluate("""
            JSON.stringify({
              pre: document.querySelector('#single .pre-review-due').textContent,
              reply: document.querySelector('#single .reply-due').textContent,
              mark: (document.querySelector('#single .deadline-provisional') || {}).textContent || null
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
