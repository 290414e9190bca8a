import Foundation
import Testing
@testable import TriageKit
@testable import TriageEval
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects the confusion-matrix cells and the text of every element of an XML document.
final class CellCollector: NSObject, XMLParserDelegate {
    var cells: [String: Int] = [:]
    var current: String?
    var text = ""
    var elements: [String: Int] = [:]
    var marks: [String] = []
    var inMark = false
    var table: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements[name, default: 0] += 1
        if name == "table" { table = attributes["id"] }
        if name == "td", table == "confusion-category", let e = attributes["data-expected"], let a = attributes["data-actual"] {
            current = "\(e)→\(a)"
            text = ""
        }
        if name == "mark" { inMark = true; text = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if current != nil || inMark { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "td", let key = current {
            cells[key] = Int(text)
            current = nil
        }
        if name == "mark" {
            marks.append(text)
            inMark = false
        }
    }
}

@Suite struct ReportTests {
    func run() throws -> (TestRun, RuleSet) {
        let (rs, source) = try Fixture.ruleSet("rules-good")
        let (known, _) = KnownFalsePositives.read(RuleSetLoader.load(source))
        let corpus = Fixture.corpus()
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(corpus.messages)
        let (t, _) = Thresholds.load(Fixture.path("corpus/thresholds.yaml"))
        return (TestRun.make(ruleSet: rs, files: corpus.files, messages: corpus.messages, outcomes: outcomes, known: known, thresholds: [t]), rs)
    }

    @Test func htmlHoldsTheConfusionMatrix() throws {
        let (run, rs) = try run()
        let html = HTMLReport.render(run, ruleSet: rs)
        let parser = XMLParser(data: Data(html.utf8))
        let collector = CellCollector()
        parser.delegate = collector
        #expect(parser.parse(), "the HTML report must be well-formed: \(String(describing: parser.parserError))")
        let c = try #require(run.metrics.field("category"))
        var expected: [String: Int] = [:]
        for (i, e) in c.labels.enumerated() {
            for (j, a) in c.labels.enumerated() where collector.cells["\(e)→\(a)"] != nil { expected["\(e)→\(a)"] = c.confusion[i][j] }
        }
        #expect(collector.cells == expected)
        #expect(collector.cells["complaint→business"] == 3)
        #expect(collector.cells["technical→technical"] == 1)
        // Failing cases show their evidence highlighted; one inline script, nothing loaded from elsewhere.
        #expect(collector.marks.contains("踢皮球"))
        #expect(collector.elements["script"] == 1 && collector.elements["link"] == nil && !html.contains("src="))
        #expect(html.contains("id=\"rules\""))
    }

    @Test func highlightMergesOverlappingEvidence() {
        let ev = [TriageResult.Evidence(rule: "a", kind: .category, start: 1, end: 3, text: ""),
                  TriageResult.Evidence(rule: "b", kind: .item, start: 2, end: 4, text: "")]
        #expect(HTMLReport.highlight("0123<5", ev) == "0<mark class=\"k-category\" title=\"a\">1</mark><mark class=\"k-category\" title=\"a, b\">2</mark><mark class=\"k-item\" title=\"b\">3</mark>&lt;5")
    }

    @Test func junitCountsFailuresAndSkipsKnownFalsePositives() throws {
        let xml = JUnitReport.render(try run().0)
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = CellCollector()
        parser.delegate = collector
        #expect(parser.parse())
        #expect(collector.elements["testcase"] == 8 + 4)
        #expect(collector.elements["failure"] == 3 + 1)
        #expect(collector.elements["skipped"] == 1)
    }
}
