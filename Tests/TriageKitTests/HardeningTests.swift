import Foundation
import Testing
@testable import TriageKit

/// Regression tests of issue 13 (hostile input and faults), one or more per numbered defect;
/// the process-level faults (descriptors, SIGTERM, stderr, permissions) are in scripts/fault-tests.py.
@Suite struct HardeningTests {
    // MARK: 4. Rule files are never lost silently

    /// A temporary copy of the minimal fixture.
    func minimalCopy() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-hardening-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Fixture.minimalPath, toPath: dir)
        return dir
    }

    @Test func danglingLinksAreErrorsAndTheFirstDoesNotHideTheOthers() throws {
        let dir = try minimalCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/kb/items", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/kb/items/a.yaml", withDestinationPath: dir + "/gone-a.yaml")
        try FileManager.default.createSymbolicLink(atPath: dir + "/z.yaml", withDestinationPath: "gone-z.yaml")
        // A link that is not a rule file is not the rule set's business.
        try FileManager.default.createSymbolicLink(atPath: dir + "/notes.txt", withDestinationPath: "gone.txt")
        let loaded = RuleSetLoader.load(directory: dir)
        #expect(loaded.ruleSet == nil)
        let io = loaded.diagnostics.errors.filter { $0.code == "io" }
        #expect(io.map(\.path) == ["kb/items/a.yaml", "z.yaml"])
        #expect(io.allSatisfy { $0.message.contains("dangling symbolic link") })
    }

    @Test func aLinkedFolderIsReadOnceAndALinkCycleEnds() throws {
        let dir = try minimalCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/loop", withDestinationPath: dir)
        let source = try RuleSource.directory(dir)
        #expect(source.problems.isEmpty)
        #expect(source.files.map(\.path) == ["kb.yaml", "rules.yaml", "ruleset.yaml"])
    }

    @Test func anOversizeFileIsAnErrorAndIsNotRead() throws {
        let dir = try minimalCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try String(repeating: "# padding\n", count: 2000).write(toFile: dir + "/big.yaml", atomically: true, encoding: .utf8)
        let loaded = RuleSetLoader.load(directory: dir, limits: RuleSetLimits(maxFileBytes: 10_000))
        let e = try #require(loaded.diagnostics.errors.first { $0.path == "big.yaml" })
        #expect(e.message.contains("at most 10000 bytes"))
        #expect(loaded.ruleSet == nil)
    }

    @Test func entryAndPatternLimitsAreErrorsWithTheirPlace() throws {
        var files = try Fixture.minimalFiles()
        files["long.yaml"] = """
            rules:
              - id: too_long
                category: business
                weight: 1
                patterns: ['\(String(repeating: "很", count: 60))']

            """
        let loaded = RuleSetLoader.load(
            RuleSource(files: files.map { RuleSource.File(path: $0.key, text: $0.value) }),
            limits: RuleSetLimits(maxEntries: 5, maxPatternLength: 50))
        let limits = loaded.diagnostics.errors.filter { $0.code == "limit" }
        #expect(limits.contains { $0.path == "long.yaml" && $0.line == 5 && $0.message.contains("60 characters; at most 50") })
        #expect(limits.contains { $0.message.contains("at most 5 are allowed") })
        #expect(loaded.ruleSet == nil)
    }

    // MARK: 8. Error locations: the real cause at its place, knock-on errors summarised

    @Test func invalidUTF8IsReportedAtItsLineAndColumnAndConsequencesAreSummarised() throws {
        var files = try Fixture.minimalFiles().mapValues { Array($0.utf8) }
        // The departments file breaks on its line 3, column 10; many entries elsewhere refer to its departments.
        var kb = try #require(files["kb.yaml"])
        let lineStarts = [0] + kb.indices.filter { kb[$0] == 0x0A }.map { $0 + 1 }
        kb.insert(0xFF, at: lineStarts[2] + 9)
        files["kb.yaml"] = kb
        files["more.yaml"] = Array(("items:\n" + (0..<20).map { "  - {id: extra\($0), name: 事项, department: market, aliases: [事项\($0)]}\n" }.joined()).utf8)
        let loaded = RuleSetLoader.load(RuleSource(files: files.map { RuleSource.File(path: $0.key, contents: $0.value) }))
        let encoding = try #require(loaded.diagnostics.errors.first { $0.path == "kb.yaml" })
        #expect(encoding.line == 3 && encoding.column == 10, "\(encoding)")
        #expect(encoding.message.contains("invalid UTF-8 (byte 0xFF)"))
        let knockOn = loaded.diagnostics.errors.filter { $0.code == "unknown-reference" }
        #expect(knockOn.count == RuleSetLoader.consequencesShown)
        let note = try #require(loaded.diagnostics.all.first { $0.code == "suppressed" })
        #expect(note.severity == .note && note.message.contains("kb.yaml"))
        #expect(loaded.diagnostics.errors.count < 10)
        // The caret has the line to point into.
        #expect(DiagnosticRenderer(sources: loaded.sources).render(encoding).contains("^"))
    }

    @Test func aNULByteIsReportedWhereItIs() throws {
        var files = try Fixture.minimalFiles().mapValues { Array($0.utf8) }
        files["extra.yaml"] = Array("rules:\n  - id: x\u{0}y\n".utf8)
        let loaded = RuleSetLoader.load(RuleSource(files: files.map { RuleSource.File(path: $0.key, contents: $0.value) }))
        let e = try #require(loaded.diagnostics.errors.first { $0.path == "extra.yaml" })
        #expect(e.line == 2 && e.column == 10, "\(e)")
        #expect(!e.message.contains("at byte"))
    }

    // MARK: 6. Output amplification

    @Test func evidenceIsBoundedAndEveryRuleKeepsItsFirstSpan() throws {
        let text = String(repeating: "营业执照办理", count: 2_000) + "网站登录不上"
        let full = TriageEngine(ruleSet: Bundled.ruleSet, maxEvidence: 1_000_000).classify(text)
        let bounded = Bundled.engine.classify(text)
        #expect(full.evidence.count > TriageEngine.defaultMaxEvidence)
        #expect(!full.evidenceTruncated)
        #expect(bounded.evidence.count == TriageEngine.defaultMaxEvidence)
        #expect(bounded.evidenceTruncated)
        #expect(bounded.json["evidence_truncated"] == .bool(true))
        #expect(bounded.reasons.contains(.evidenceTruncated(kept: TriageEngine.defaultMaxEvidence, total: full.evidence.count)))
        // Every rule or entry with evidence keeps some; the kept spans are in text order and slice the text.
        #expect(Set(full.evidence.map { "\($0.kind)/\($0.rule)" }) == Set(bounded.evidence.map { "\($0.kind)/\($0.rule)" }))
        #expect(bounded.evidence.map(\.start) == bounded.evidence.map(\.start).sorted())
        #expect(bounded.spansSlice(text))
        // The decision itself is the same.
        #expect(full.category == bounded.category && full.lead == bounded.lead && full.screening == bounded.screening)
    }

    @Test func anOrdinaryMessageIsNotTruncated() {
        let r = Bundled.engine.classify("想问一下个体工商户营业执照办理需要哪些材料？")
        #expect(!r.evidenceTruncated)
        #expect(r.json["evidence_truncated"] == .bool(false))
        #expect(!r.reasons.contains { $0.code == .evidenceTruncated })
    }

    @Test func aTextOverTheLimitIsTooLong() throws {
        let ok = MessageRecord.parse(bytes: Array(#"{"id": 1, "text": "\#(String(repeating: "字", count: 10))"}"#.utf8), maxTextLength: 10)
        #expect((try? ok.get())?.text.count == 10)
        let long = MessageRecord.parse(bytes: Array(#"{"id": 1, "text": "\#(String(repeating: "字", count: 11))"}"#.utf8), maxTextLength: 10)
        guard case .failure(let e) = long else { Issue.record("accepted a text over the limit"); return }
        #expect(e.code == .tooLong && e.field == "text" && e.id == .number("1"))
    }

    // MARK: 9. A pattern that hits the backtracking limit fails safe and says so

    @Test func aRunOfDigitsOverTheBacktrackingLimitGoesToReviewNotThrough() {
        let short = Bundled.engine.classify(String(repeating: "1", count: 1_000))
        #expect(short.screening.label == "reject:gibberish")
        let long = Bundled.engine.classify(String(repeating: "1", count: 10_000))
        #expect(long.screening.decision == .needsReview, "\(long.screening.label)")
        #expect(long.screening.reasons.contains { $0.code == .screeningPatternFailed })
        #expect(long.reasons.contains { $0.code == .patternFailed })
    }

    @Test func anExclusionThatFailsVetoesItsRule() throws {
        let loaded = miniRuleSet([("rules.yaml", """
            rules:
              - id: ask
                category: business
                weight: 3
                description: 问办理
                patterns: ['办理']
                exclude: ['(a|aa)+$']

            """)])
        let rs = try #require(loaded.ruleSet, "\(loaded.diagnostics)")
        let engine = TriageEngine(ruleSet: rs)
        // Matches without the exclusion; with it, a long run of 'a' and a trailing 'b' exhausts the match limit.
        #expect(engine.classify("办理").category?.rawValue == "business")
        let r = engine.classify("办理" + String(repeating: "a", count: 5_000) + "b")
        #expect(r.reasons.contains { $0.code == .patternFailed }, "\(r.reasons.map(\.code))")
        #expect(!(r.scores.first { $0.category.rawValue == "business" }.map { $0.score > 0 } ?? false))
    }

    // MARK: Found by fuzzing (matcher target)

    /// An alias that overlaps itself ("照照照照" in a run of 照) was found at every offset by the
    /// prefilter but, as PCRE2 scans, without overlap by the plain matcher.
    @Test func aSelfOverlappingAliasMatchesTheSameWithBothMatchers() throws {
        let loaded = miniRuleSet([("kb.yaml", """
            departments:
              - {id: owner, name: 区税务局}
            items:
              - {id: laugh, name: 事项, department: owner, aliases: ['照照照照']}

            """)])
        let prefilter = try #require(loaded.ruleSet, "\(loaded.diagnostics)")
        let text = String(repeating: "照", count: 15)
        let a = TriageEngine(ruleSet: prefilter).classify(text)
        let b = TriageEngine(ruleSet: prefilter.using(.plain)).classify(text)
        #expect(a.evidence == b.evidence)
        #expect(a.evidence.map(\.start) == [0, 4, 8])
    }

    // MARK: 10. Quadratic paths

    @Test func renderingThousandsOfDiagnosticsOfOneFileIsLinear() {
        let lines = (0..<4_000).map { "  - id: r\($0)   # \(String(repeating: "注", count: 40))" }
        let text = "rules:\n" + lines.joined(separator: "\n") + "\n"
        let renderer = DiagnosticRenderer(sources: ["big.yaml": text])
        let start = ContinuousClock.now
        var total = 0
        for n in 0..<4_000 {
            total += renderer.render(Diagnostic(.warning, path: "big.yaml", line: n + 2, column: 5, message: "w", code: "c")).utf8.count
        }
        #expect(total > 4_000 * 100)
        // A guard against the quadratic renderer (44.7 s for this many), not a timing figure.
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    // MARK: 11. Smaller gaps

    @Test func controlCharactersAreShownNotSentToTheTerminal() {
        let text = "办理\u{1B}[31m红\u{7}\r覆盖\u{9B}\u{202E}完\n下一行\t制表"
        let shown = ResultRenderer.visible(text)
        #expect(!shown.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x0D || $0.value == 0x9B || $0.value == 0x202E })
        #expect(shown.contains("␛[31m红␇␍覆盖\\u{9B}\\u{202E}完\n下一行\t制表"))
        let r = Bundled.engine.classify("营业执照\u{1B}]0;x\u{7}办理")
        let summary = ResultRenderer(ruleSet: Bundled.ruleSet, color: false).summary(r, text: "营业执照\u{1B}]0;x\u{7}办理")
        #expect(!summary.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test func aDispatchBeforeReceiptIsRefusedAndNeverPutsTheReplyBeforeArrival() throws {
        let bytes = Array(#"{"id": "d", "text": "营业执照办理", "received_at": "2026-03-02T10:00:00+08:00", "dispatched_at": "2026-03-01T09:00:00+08:00"}"#.utf8)
        guard case .failure(let e) = MessageRecord.parse(bytes: bytes) else { Issue.record("accepted"); return }
        #expect(e.code == .invalidField && e.field == "dispatched_at" && e.id == .string("d"))
        // Through the library a record can still say so; the reply is then counted from receipt.
        let record = MessageRecord(
            text: "营业执照办理", receivedAt: Timestamp.parse("2026-03-02T10:00:00+08:00"),
            dispatchedAt: Timestamp.parse("2025-01-01T09:00:00+08:00"))
        let d = Bundled.engine.classify(record).deadlines
        let reply = try #require(d.replyDue)
        #expect(reply > date("2026-03-02"))
    }

    /// Found by the yaml fuzz target: libyaml counts a bare CR as a line break, the hints split on
    /// LF only, and a YAML error on "line 3" of "\r\r:" indexed past the end of one line.
    @Test func bareCarriageReturnsDoNotBreakTheYAMLHints() throws {
        let r = miniRuleSet([("bad.yaml", "\r\r:")])
        #expect(r.ruleSet == nil)
        #expect(r.diagnostics.errors.contains { $0.path == "bad.yaml" })
        #expect(YAMLHints.yamlLines("a\r\nb\rc\nd\u{2028}e") == ["a", "b", "c", "d", "e"])
        #expect(YAMLHints.yamlLines("") == [""])
    }

    @Test func aRepeatedJSONKeyIsAnError() throws {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(#"{"text": "a", "text": "b"}"#) }
        do {
            _ = try JSONValue.parse(#"{"id": 1, "x": {"k": 1, "k": 2}}"#)
            Issue.record("accepted a repeated key")
        } catch {
            #expect(error.message.contains("duplicate key \"k\"") && error.offset == 24)
        }
        // Many distinct keys stay linear (a set, not a scan per key).
        let many = "{" + (0..<50_000).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}"
        #expect(try JSONValue.parse(many)["k49999"] != nil)
    }
}
