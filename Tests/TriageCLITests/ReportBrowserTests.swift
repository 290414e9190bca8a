import Foundation
import Testing
import TriageKit

/// The HTML report of `triage test` on the real corpus, in a real headless browser (the DevTools
/// driver of PageBrowserTests): it fits a 1,400 px window and a tablet, its table of contents
/// and anchors work, a confusion-matrix cell filters the failing cases to that cell, the filters
/// and grouping work, and evidence is coloured by kind. Screenshots go to artifacts/.
@Suite(.serialized) struct ReportBrowserTests {
    @Test(.enabled(if: chromiumPath != nil, "chromium is not installed; run scripts/ci-server-deps.sh (apt-get install chromium)"))
    func theReportReadsAtDeskAndTabletWidths() throws {
        let html = FileManager.default.temporaryDirectory.appendingPathComponent("triage-report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: html) }
        let run = try CLI.run(["test", "--rules", CLI.bundledRulesPath, "--no-progress", "--max-cases", "0", "--html", html.path, "corpus"],
                              cwd: CLI.packageRoot.path)
        #expect(run.status == 0, "\(run.stderr)")
        let browser = try DevToolsBrowser(chromium: chromiumPath!)
        defer { browser.close() }
        let page = try browser.openPage()
        try page.call("Emulation.setDeviceMetricsOverride", ["width": .number(1400), "height": .number(1000), "deviceScaleFactor": .number(1), "mobile": .bool(false)])
        try page.call("Page.navigate", ["url": .string(html.absoluteString)])
        #expect(try page.waitUntil("document.readyState === 'complete' && !!document.getElementById('f-count')"))

        let facts = try JSONValue.parse(try #require(try page.evaluate("""
            JSON.stringify({
              scroll: document.documentElement.scrollWidth,
              toc: [...document.querySelectorAll('#toc a')].map(a => a.getAttribute('href')),
              anchors: [...document.querySelectorAll('#toc a')].every(a => !!document.querySelector(a.getAttribute('href'))),
              h1: document.querySelector('h1').textContent,
              cases: document.querySelectorAll('#case-list .case').length,
              kinds: [...new Set([...document.querySelectorAll('#case-list mark')].map(m => m.className))].sort(),
              markColours: [...new Set([...document.querySelectorAll('#case-list mark')].map(m => getComputedStyle(m).backgroundColor))].length,
              legend: document.querySelectorAll('.legend mark').length,
              abbrDept: !!document.querySelector('#lead abbr[title="market"]')
            })
            """).string))
        #expect(facts["scroll"]?.number.map { $0 <= 1400 } == true, "horizontal scroll at 1400 px: \(facts["scroll"] ?? .null)")
        #expect(facts["h1"] == .string("规则测试报告"))
        #expect(facts["anchors"] == .bool(true))
        for id in ["#overview", "#parts", "#thresholds", "#categories", "#lead", "#screening", "#deadlines", "#escalation", "#cases", "#rules"] {
            #expect(facts["toc"]?.array?.contains(.string(id)) == true, "table of contents lacks \(id)")
        }
        #expect((facts["cases"]?.number ?? 0) > 50)
        #expect((facts["markColours"]?.number ?? 0) >= 4, "evidence is coloured by kind")
        #expect(facts["legend"] == .number(6))
        #expect(facts["abbrDept"] == .bool(true))
        try FileManager.default.createDirectory(at: packageRoot.appendingPathComponent("artifacts"), withIntermediateDirectories: true)
        try page.screenshot(to: packageRoot.appendingPathComponent("artifacts/report-desk.png"), full: false)

        // A confusion cell filters the cases to its own; the department filter and grouping work.
        let cell = try page.evaluate("""
            (() => { const a = document.querySelector('#confusion-category a[data-filter-category]'); a.click();
              const shown = [...document.querySelectorAll('#case-list .case')].filter(c => !c.hidden);
              return JSON.stringify({ key: a.getAttribute('data-filter-category'), shown: shown.length,
                all: shown.every(c => (' ' + c.getAttribute('data-categories') + ' ').includes(' ' + a.getAttribute('data-filter-category') + ' ')),
                count: document.getElementById('f-count').textContent }); })()
            """)
        let c = try JSONValue.parse(try #require(cell.string))
        #expect((c["shown"]?.number ?? 0) > 0 && c["all"] == .bool(true), "\(c)")
        #expect(c["count"]?.string?.contains("混淆矩阵格子") == true)
        let grouped = try page.evaluate("""
            (() => { document.getElementById('f-reset').click();
              const d = document.getElementById('f-department'); d.value = 'tax'; d.dispatchEvent(new Event('change'));
              const g = document.getElementById('f-group'); g.value = 'data-rules'; g.dispatchEvent(new Event('change'));
              const shown = [...document.querySelectorAll('#case-list .case')].filter(c => !c.hidden);
              return JSON.stringify({ shown: shown.length, groups: document.querySelectorAll('#case-list .group').length,
                tax: shown.every(c => (' ' + c.getAttribute('data-departments') + ' ').includes(' tax ')) }); })()
            """)
        let g = try JSONValue.parse(try #require(grouped.string))
        #expect((g["shown"]?.number ?? 0) > 0 && (g["groups"]?.number ?? 0) > 0 && g["tax"] == .bool(true), "\(g)")
        try page.evaluate("document.getElementById('cases').scrollIntoView()")
        try page.screenshot(to: packageRoot.appendingPathComponent("artifacts/report-cases.png"), full: false)

        try page.call("Emulation.setDeviceMetricsOverride", ["width": .number(820), "height": .number(1180), "deviceScaleFactor": .number(1), "mobile": .bool(true)])
        try page.evaluate("document.getElementById('f-reset').click(); window.scrollTo(0, 0)")
        let tablet = try page.evaluate("document.documentElement.scrollWidth")
        #expect(tablet.number.map { $0 <= 820 } == true, "horizontal scroll on a tablet: \(tablet)")
        try page.screenshot(to: packageRoot.appendingPathComponent("artifacts/report-tablet.png"), full: false)
    }
}
