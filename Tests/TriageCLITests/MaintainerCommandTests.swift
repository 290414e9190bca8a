import Foundation
import Testing

/// The maintainer's journey (new-user-walkthrough.md, journey 3) through the built binary: each
/// problem found there, as it now behaves.
@Suite(.serialized) struct MaintainerCommandTests {
    func temporary(_ name: String, _ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("triage-\(UUID().uuidString)-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aThresholdTypoIsAFileErrorWithAHint() throws {
        let t = try temporary("t.yaml", "thresholds:\n  category.acuracy: 0.9\n  lead.accuracy: 0.1\n")
        defer { try? FileManager.default.removeItem(atPath: t) }
        let r = try QACLI.run(["test", "--rules", "rules-good", "--thresholds", t, "corpus"])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("error: unknown metric 'category.acuracy' (did you mean 'category.accuracy'?) [unknown-metric]"))
        #expect(!r.stdout.contains("acuracy"), "a typo is not a threshold")
        #expect(r.stdout.contains("ok   lead.accuracy"))
    }

    @Test func heldOutPartsShowOnlyAggregates() throws {
        let junit = FileManager.default.temporaryDirectory.appendingPathComponent("triage-\(UUID().uuidString).xml").path
        let html = junit + ".html"
        defer { try? FileManager.default.removeItem(atPath: junit); try? FileManager.default.removeItem(atPath: html) }
        let test = try QACLI.run(["test", "--rules", "rules-good", "--junit", junit, "--html", html, "corpus-parts"])
        let stats = try QACLI.run(["stats", "--rules", "rules-good", "corpus-parts"])
        let diff = try QACLI.run(["diff", "--base", "rules-good", "--head", "rules-head", "corpus-parts"])
        let tryIt = try QACLI.run(["try", "--rules", "rules-good", "句子|态度", "corpus-parts"])
        #expect(test.status == 0 && stats.status == 0 && diff.status == 0 && tryIt.status == 0)
        let files = [try String(contentsOfFile: junit, encoding: .utf8), try String(contentsOfFile: html, encoding: .utf8)]
        for text in [test.stdout, test.stderr, stats.stdout, diff.stdout, tryIt.stdout] + files {
            for secret in ["秘密", "h-01", "h-02", "h-03", "held/h.jsonl"] { #expect(!text.contains(secret), "'\(secret)' is shown") }
        }
        #expect(test.stdout.contains("in held-out parts: 1 (not shown)"))
        #expect(stats.stdout.contains("held-out parts left out of the per-entry figures: held 3"))
        #expect(diff.stdout.contains("of which in held-out parts (counted, not shown): fixed 0, broken 1, changed 1"))
        #expect(tryIt.stdout.contains("held-out parts: held 3 matching message(s)"))
        let revealed = try QACLI.run(["test", "--rules", "rules-good", "--reveal-held-out", "corpus-parts"])
        #expect(revealed.stdout.contains("h-01") && revealed.stdout.contains("秘密句子甲"))
    }

    @Test func diffWarnsWhenBaseAndHeadAreOneVersion() throws {
        let r = try QACLI.run(["diff", "--base", "rules-good", "--head", "rules-good", "corpus"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: base and head are the same rule-set version"))
        #expect(r.stdout.contains("metrics: none changed"))
        let all = try QACLI.run(["diff", "--base", "rules-good", "--head", "rules-head", "--all-metrics", "corpus"])
        #expect(all.stdout.contains("category.none.recall") && !all.stdout.contains("2026-"))
    }

    @Test func checkFindsRegisterIDsThatAreNotInTheCorpus() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-reg-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: QACLI.fixtures + "/rules-good", toPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "todo:\n  - messages: [q-99]\n".write(toFile: dir + "/todo.yaml", atomically: true, encoding: .utf8)
        let r = try QACLI.run(["check", "--rules", dir, "--corpus", "corpus"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("todo.yaml:2:16: error: known miss names 'q-99', which is not a message of the corpus"))
    }

    @Test func tryGroupsMatchesByLabelAndLocatesAPatternError() throws {
        let r = try QACLI.run(["try", "--rules", "rules-good", "态度", "corpus"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("triage try '态度': 2 of 8 messages match"))
        #expect(r.stdout.contains("by labelled category:") && r.stdout.contains("complaint 投诉"))
        #expect(r.stdout.contains("市场监管局窗口⟦态度⟧差"))
        let bad = try QACLI.run(["try", "--rules", "rules-good", "态度(差", "corpus"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("<pattern>:1:3: error: pattern does not compile: missing closing parenthesis: the '(' at character 3 is never closed"))
        #expect(bad.stderr.contains("    态度(差\n        ^"))
    }

    @Test func theReportIsInChineseWithFiltersAnchorsAndSections() throws {
        let html = FileManager.default.temporaryDirectory.appendingPathComponent("triage-\(UUID().uuidString).html").path
        defer { try? FileManager.default.removeItem(atPath: html) }
        _ = try QACLI.run(["test", "--rules", "rules-good", "--html", html, "corpus"])
        let text = try String(contentsOfFile: html, encoding: .utf8)
        for piece in ["<nav class=\"toc\"", "href=\"#cases\"", "id=\"cases\"", "id=\"f-department\"", "id=\"f-rule\"", "id=\"f-group\"",
                      "data-filter-category=\"complaint→business\"", "class=\"k-department\"", "class=\"legend\"", "失败案例", "预审",
                      "牵头部门", "<abbr title=\"market\">区市场监管局</abbr>", "id=\"rules\""] {
            #expect(text.contains(piece), "missing \(piece)")
        }
        #expect(!text.contains("Failing cases") && !text.contains("Confusion matrix"))
    }
}
