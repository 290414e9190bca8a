import Foundation
import Testing
@testable import TriageKit
@testable import TriageEval

/// The secret sentences of the held-out fixture part; no report may show them.
let heldOutSecrets = ["秘密句子", "h-01", "h-02", "h-03"]

@Suite struct HeldOutTests {
    func corpus() -> Corpus { CorpusLoader.load([Fixture.path("corpus-parts")]) }

    @Test func filesAreTaggedWithTheirPart() {
        let c = corpus()
        #expect(c.diagnostics.all.isEmpty, "\(c.diagnostics)")
        #expect(c.parts.map(\.name) == ["held", "tune"])
        #expect(c.parts.first { $0.name == "held" }?.isHeldOut == true)
        #expect(c.messages.filter(\.isHeldOut).map(\.id) == ["h-01", "h-02", "h-03"])
        #expect(c.messages.first { $0.id == "p-01" }?.part == "tune")
    }

    @Test func testListsNoHeldOutCaseAndCountsThemAll() throws {
        let (rs, _) = try Fixture.ruleSet("rules-good")
        let c = corpus()
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(c.messages)
        let run = TestRun.make(ruleSet: rs, files: c.files, messages: c.messages, outcomes: outcomes,
                               known: KnownFalsePositives(entries: []), thresholds: c.parts.map(\.thresholds))
        #expect(run.metrics.count == 7)
        #expect(run.hiddenFailures == 1)
        #expect(run.failures.allSatisfy { !$0.message.isHeldOut })
        #expect(run.checks.map(\.scope) == ["held"])
        for text in [TextReport.test(run), TextReport.testJSON(run).serialized, JUnitReport.render(run), HTMLReport.render(run, ruleSet: rs)] {
            for secret in heldOutSecrets { #expect(!text.contains(secret), "a report shows '\(secret)'") }
        }
        let revealed = TestRun.make(ruleSet: rs, files: c.files, messages: c.messages, outcomes: outcomes,
                                    known: KnownFalsePositives(entries: []), thresholds: [], policy: HeldOutPolicy(reveal: true))
        #expect(revealed.failures.contains { $0.message.id == "h-01" })
        #expect(TextReport.test(revealed).contains("秘密句子甲"))
    }

    @Test func diffAndTryCountHeldOutMessagesWithoutShowingThem() throws {
        let (base, _) = try Fixture.ruleSet("rules-good")
        let (head, _) = try Fixture.ruleSet("rules-head")
        let messages = corpus().messages
        let diff = RuleDiff.compare(base: base, head: head, messages: messages,
                                    old: Evaluator(engine: TriageEngine(ruleSet: base)).run(messages),
                                    new: Evaluator(engine: TriageEngine(ruleSet: head)).run(messages))
        #expect(diff.changedCount == 3 && diff.entries.count == 1)
        #expect(diff.hidden[.broken] == 1)
        let trial = try PatternTrial.run("秘密", ruleSet: head, messages: messages).get()
        #expect(trial.matches.isEmpty && trial.matchCount == 3)
        for text in [TextReport.diff(diff, allMetrics: true), diff.json.serialized, trial.text(ruleSet: head)] {
            for secret in heldOutSecrets where secret != "秘密句子" || text != trial.text(ruleSet: head) {
                #expect(!text.contains(secret), "a report shows '\(secret)'")
            }
        }
        #expect(!trial.text(ruleSet: head).contains("句子"))
    }

    @Test func learningToolsRefuseHeldOutParts() {
        let c = corpus()
        guard case .failure(let d) = HeldOutPolicy.trainingMessages(c.messages) else {
            Issue.record("held-out messages were accepted for training")
            return
        }
        #expect(d.message.contains("held (3 messages)"))
        let tuning = c.messages.filter { !$0.isHeldOut }
        #expect((try? HeldOutPolicy.trainingMessages(tuning).get())?.count == 4)
    }

    @Test func aBrokenManifestStillHoldsItsPartOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-part-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "part:\n  held_out: ture\n".write(toFile: dir + "/part.yaml", atomically: true, encoding: .utf8)
        try #"{"id": "z-1", "text": "x"}"#.write(toFile: dir + "/z.jsonl", atomically: true, encoding: .utf8)
        let c = CorpusLoader.load([dir])
        #expect(c.messages.first?.isHeldOut == true)
        #expect(c.diagnostics.errors.contains { $0.message.contains("'held_out' must be true or false") })
    }
}

@Suite struct RegisterTests {
    func loaded(_ extra: String) throws -> LoadResult {
        var source = try RuleSource.directory(Fixture.path("rules-good"))
        source.files.append(RuleSource.File(path: "extra.yaml", text: extra))
        return RuleSetLoader.load(source)
    }

    @Test func theShippedRegistersAcceptAppendedEntries() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (file, entry) in [("rules/known_false_positives.yaml", "  - rule: biz_yes_no_question\n    messages: [tune-0001]\n"),
                              ("rules/todo.yaml", "  - messages: [tune-0001]\n    fields: [lead]\n")] {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let doc = RuleDocument.parse(RuleSource(files: [RuleSource.File(path: file, text: text + entry)]), sink: DiagnosticSink())
            #expect(doc.files.first?.root != nil, "appending to \(file) breaks it")
        }
    }

    @Test func unknownAndHeldOutCorpusIDsAreErrors() throws {
        let l = try loaded("""
            known_false_positives:
              - {rule: biz_materials, messages: [p-01, p-99, h-02]}
            todo:
              - {messages: [p-03], fields: [category, leed]}
            """)
        let index = CorpusIndex(CorpusLoader.load([Fixture.path("corpus-parts")]).messages)
        let (_, all) = KnownFalsePositives.read(l, corpus: index)
        // (The fixture's own register names q-07, which this corpus does not have either.)
        #expect(all.contains { $0.path == "known_false_positives.yaml" && $0.message.contains("'q-07'") })
        let kfp = all.filter { $0.path == "extra.yaml" }
        #expect(kfp.map(\.code).sorted() == ["held-out", "unknown-reference"], "\(kfp)")
        #expect(kfp.contains { $0.message.contains("'p-99'") && $0.message.contains("did you mean") })
        #expect(!kfp.contains { $0.message.contains("h-02") }, "a held-out id is not echoed")
        let (misses, todo) = KnownMisses.read(l, corpus: index)
        #expect(todo.map(\.code) == ["type"] && todo[0].message.contains("did you mean 'lead'"))
        #expect(misses.entries.first?.fields == ["category"])
    }

    @Test func knownMissesAreListedApartAndANewlyFixedOneIsGoodNews() throws {
        let l = try loaded("""
            todo:
              - {messages: [q-04], fields: [category], note: 缺少“态度不好”}
              - {messages: [q-01], note: 已经修好}
            """)
        let rs = try #require(l.ruleSet, "\(l.diagnostics)")
        let (misses, errors) = KnownMisses.read(l)
        #expect(errors.isEmpty)
        let c = Fixture.corpus()
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(c.messages)
        let run = TestRun.make(ruleSet: rs, files: c.files, messages: c.messages, outcomes: outcomes,
                               known: KnownFalsePositives(entries: []), misses: misses, thresholds: [])
        #expect(run.knownMisses.map(\.message.id) == ["q-04"])
        #expect(!run.failures.contains { $0.message.id == "q-04" })
        #expect(run.newlyFixed.map(\.id) == ["q-01"])
        let text = TextReport.test(run)
        #expect(text.contains("known misses (todo register: not fixed yet, not new failures): 1"))
        #expect(text.contains("newly fixed known misses (good news"))
    }
}

@Suite struct CounterRuleTests {
    @Test func aNegativeWeightRuleIsMeasuredAgainstTheCategoryItPushesDown() throws {
        var source = try RuleSource.directory(Fixture.path("rules-good"))
        source.files.append(RuleSource.File(path: "counter.yaml", text: """
            rules:
              - id: biz_not_materials_fee
                category: business
                weight: -3
                patterns: ['材料费']
                examples: {match: [材料费]}
            """))
        let loaded = RuleSetLoader.load(source)
        let rs = try #require(loaded.ruleSet, "\(loaded.diagnostics)")
        let c = Fixture.corpus()
        let stats = RuleStats.compute(ruleSet: rs, messages: c.messages, outcomes: Evaluator(engine: TriageEngine(ruleSet: rs)).run(c.messages))
        let counter = try #require(stats.entries.first { $0.id == "biz_not_materials_fee" })
        #expect(counter.kind == .counterRule)
        // q-07 (材料费) is labelled complaint: not business, so the counter-rule was right.
        #expect(counter.hits == 1 && counter.correct == 1 && counter.precision == 1)
        #expect(!stats.lowPrecision.contains { $0.id == counter.id })
        #expect(stats.summary.counts.first { $0.kind == .counterRule }?.total == 1)
        #expect(TextReport.stats(stats, full: false).contains("counter-rules (negative weight"))
    }
}

@Suite struct DiffExplanationTests {
    func ruleSet(_ extra: String) throws -> RuleSet {
        var source = try RuleSource.directory(Fixture.path("rules-good"))
        source.files = source.files.map { f in
            guard f.path == "kb/departments.yaml" else { return f }
            let text = String(decoding: f.contents, as: UTF8.self)
            return RuleSource.File(path: f.path, text: text.replacingOccurrences(of: "aliases: [税务局]", with: "aliases: [税务局\(extra)]"))
        }
        let loaded = RuleSetLoader.load(source)
        return try #require(loaded.ruleSet, "\(loaded.diagnostics)")
    }

    @Test func aDepartmentAliasChangeNamesTheDepartment() throws {
        let base = try ruleSet(""), head = try ruleSet(", 税务这边")
        let (messages, _) = CorpusLoader.parse(Array(#"{"id": "a-1", "text": "税务这边的事情怎么办", "expected": {"lead": "tax"}}"#.utf8), path: "a.jsonl")
        let diff = RuleDiff.compare(base: base, head: head, messages: messages,
                                    old: Evaluator(engine: TriageEngine(ruleSet: base)).run(messages),
                                    new: Evaluator(engine: TriageEngine(ruleSet: head)).run(messages))
        let e = try #require(diff.entries.first)
        #expect(e.status == .fixed)
        #expect(e.responsible.map(\.description) == ["+tax (department)"])
        #expect(Definitions.change("tax", "department", Definitions(base), Definitions(head))?.what == "aliases +税务这边")
    }

    @Test func aWeightChangeAndTheSameVersionAreExplained() throws {
        let (good, source) = try Fixture.ruleSet("rules-good")
        var files = source.files
        files = files.map { f in
            guard f.path == "classify.yaml" else { return f }
            let text = String(decoding: f.contents, as: UTF8.self)
            return RuleSource.File(path: f.path, text: text.replacingOccurrences(of: "    weight: 2\n", with: "    weight: 5\n"))
        }
        let heavier = try #require(RuleSetLoader.load(RuleSource(files: files)).ruleSet)
        let change = Definitions.change("biz_materials", "rule", Definitions(good), Definitions(heavier))
        #expect(change?.kind == "rule" && change?.what == "weight 2 → 5")
        let messages = Fixture.corpus().messages
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: good)).run(messages)
        let same = RuleDiff.compare(base: good, head: good, messages: messages, old: outcomes, new: outcomes)
        #expect(same.sameVersion)
        #expect(TextReport.diff(same).contains("warning: base and head are the same rule-set version"))
        #expect(TextReport.diff(same).contains("metrics: none changed (--all-metrics lists all"))
    }
}

@Suite struct PatternTrialTests {
    @Test func matchesAreGroupedByTheirLabels() throws {
        let (rs, _) = try Fixture.ruleSet("rules-good")
        let trial = try PatternTrial.run("态度", ruleSet: rs, messages: Fixture.corpus().messages).get()
        #expect(trial.matchCount == 2)
        #expect(trial.byCategory.map(\.label) == ["complaint"] && trial.byCategory[0].matched == 2 && trial.byCategory[0].total == 5)
        #expect(trial.text(ruleSet: rs).contains("q-03 [complaint → market]  市场监管局窗口⟦态度⟧差"))
    }

    @Test func aBadPatternIsLocatedByCharacter() throws {
        let (rs, _) = try Fixture.ruleSet("rules-good")
        guard case .failure(let d) = PatternTrial.run("态度(差", ruleSet: rs, messages: []) else {
            Issue.record("a bad pattern compiled")
            return
        }
        #expect(d.errors.first?.column == 3 && d.errors.first?.path == "<pattern>")
    }
}

@Suite struct LintCoverageTests {
    @Test func screeningAndEscalationPatternsAreLinted() throws {
        var source = try RuleSource.directory(Fixture.path("rules-good"))
        source.files.append(RuleSource.File(path: "pre.yaml", text: """
            screening:
              - {id: spam_b, action: reject, reason: spam, patterns: ['\\b广告'], examples: {match: [广告]}}
            escalation:
              - {id: esc_n, flag: leader_report, patterns: ['(多次+)+反映'], examples: {match: [多次反映]}}
            """))
        let found = RuleLinter.lint(RuleSetLoader.load(source)).map { "\($0.path):\($0.line!) \($0.code)" }
        #expect(found.contains("pre.yaml:2 word-boundary-cjk"))
        #expect(found.contains("pre.yaml:4 nested-quantifier"))
    }

    @Test func longLinesAreReported() throws {
        var source = try RuleSource.directory(Fixture.path("rules-good"))
        source.files.append(RuleSource.File(path: "long.yaml", text: "# " + String(repeating: "长", count: 130) + "\n"))
        let found = RuleLinter.lint(RuleSetLoader.load(source), options: RuleLinter.Options(maxLineWidth: 120))
        #expect(found.map(\.code) == ["line-too-long"])
        #expect(found.first?.column == 121 && found.first?.message == "line is 132 characters long, more than 120")
        #expect(RuleLinter.lint(RuleSetLoader.load(source), options: RuleLinter.Options(maxLineWidth: 0)).isEmpty)
    }

    @Test func aFindingInsideAFragmentIsReportedOnceAtTheFragment() throws {
        var source = try RuleSource.directory(Fixture.path("rules-good"))
        source.files.append(RuleSource.File(path: "frag.yaml", text: """
            fragments:
              - {id: bounded, pattern: '\\b登录'}
            rules:
              - {id: biz_a, category: business, patterns: ['{bounded}失败'], examples: {match: [登录失败]}}
              - {id: biz_b, category: business, patterns: ['{bounded}不上'], examples: {match: [登录不上]}}
            """))
        let found = RuleLinter.lint(RuleSetLoader.load(source)).filter { $0.code == "word-boundary-cjk" }
        #expect(found.map { "\($0.line!):\($0.entry ?? "")" } == ["2:bounded"])
    }
}
