import Foundation
import Testing
import TriageKit
@testable import TriageEval

@Suite struct StatsTests {
    @Test func perRuleFigures() throws {
        let (rs, source) = try Fixture.ruleSet("rules-good")
        let (known, _) = KnownFalsePositives.read(RuleSetLoader.load(source))
        let corpus = Fixture.corpus()
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(corpus.messages)
        let stats = RuleStats.compute(ruleSet: rs, messages: corpus.messages, outcomes: outcomes, known: known)
        func entry(_ id: String) -> EntryStats { stats.entries.first { $0.id == id }! }
        let biz = entry("biz_materials")
        #expect(biz.hits == 2 && biz.correct == 1 && biz.labelled == 2)
        #expect(biz.knownFalsePositives == 1 && biz.wrong == 0)
        #expect(entry("cmp_attitude").hits == 1 && entry("cmp_attitude").precision == 1)
        #expect(entry("tech_login").coverage == 0.125)
        #expect(!entry("tech_login").dead)
        #expect(entry("invoice").hits == 2)
        // invoice (tax) and food_license never share a message; market/tax items conflict nowhere.
        #expect(entry("food_license").hits == 1)
        let s = stats.summary
        #expect(s.counts.map(\.dead) == [0, 0, 0, 0])
        #expect(s.knownFalsePositives == 1)
    }

    @Test func deadShadowedAndConflictingRules() throws {
        let (good, source) = try Fixture.ruleSet("rules-good")
        _ = good
        var files = source.files
        files.append(RuleSource.File(path: "extra.yaml", text: """
            rules:
              - id: biz_weak_attitude
                category: business
                weight: 1
                patterns: ['态度']
                examples: {match: [态度]}
              - id: never_fires
                category: business
                patterns: ['从来不会出现的词']
                examples: {match: [从来不会出现的词]}
            """))
        let loaded = RuleSetLoader.load(RuleSource(files: files))
        let rs = try #require(loaded.ruleSet, "\(loaded.diagnostics)")
        let corpus = Fixture.corpus()
        let outcomes = Evaluator(engine: TriageEngine(ruleSet: rs)).run(corpus.messages)
        let stats = RuleStats.compute(ruleSet: rs, messages: corpus.messages, outcomes: outcomes)
        let weak = stats.entries.first { $0.id == "biz_weak_attitude" }!
        #expect(weak.hits == 2)
        #expect(weak.conflicts == 1 && weak.topConflict?.id == "cmp_attitude")
        #expect(!weak.shadowed)  // q-04 has no complaint rule, so business wins there
        #expect(stats.entries.first { $0.id == "never_fires" }!.dead)
        let attitude = stats.entries.first { $0.id == "cmp_attitude" }!
        #expect(attitude.overlapping == 1 && attitude.topOverlap?.id == "biz_weak_attitude")
    }
}

@Suite struct DiffTests {
    @Test func knownDiffBetweenTwoFixtureRuleSets() throws {
        let (base, _) = try Fixture.ruleSet("rules-good")
        let (head, _) = try Fixture.ruleSet("rules-head")
        let messages = Fixture.corpus().messages
        let old = Evaluator(engine: TriageEngine(ruleSet: base)).run(messages)
        let new = Evaluator(engine: TriageEngine(ruleSet: head)).run(messages)
        let diff = RuleDiff.compare(base: base, head: head, messages: messages, old: old, new: new)
        #expect(diff.entries.map(\.message.id) == ["q-04", "q-06"])
        #expect(diff.entries.map(\.status) == [.fixed, .broken])
        #expect(diff.entries[0].responsible.map(\.description) == ["+cmp_attitude (rule)"])
        #expect(diff.entries[1].responsible.map(\.description) == ["+tech_login (rule)"])
        #expect(diff.entries[1].changes.map(\.field) == ["category", "lead", "co_handlers"])
        #expect(!diff.sameVersion)
        let recall = diff.deltas.first { $0.metric == "category.complaint.recall" }!
        #expect(recall.old == 0.2 && recall.new == 0.4)
    }

    @Test func rulesFromAGitRevision() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("triage-git-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        try fm.copyItem(atPath: Fixture.path("rules-good"), toPath: dir + "/rules")
        func git(_ args: String...) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"] + args
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        try git("init", "-q")
        try git("add", "-A")
        try git("commit", "-qm", "rules")
        let fromGit = try RuleSourceResolver.resolve("HEAD", workingDirectory: dir)
        let fromDisk = try RuleSource.directory(Fixture.path("rules-good"))
        #expect(fromGit.files.map(\.path) == fromDisk.files.map(\.path))
        #expect(fromGit.contentHash == fromDisk.contentHash)
        #expect(fromGit.origin == "HEAD:rules")

        #expect(throws: Diagnostic.self) { try RuleSourceResolver.resolve("no-such-revision", workingDirectory: dir) }
        do {
            _ = try RuleSourceResolver.resolve("no-such-revision", workingDirectory: dir)
        } catch {
            #expect(error.message == "'no-such-revision' is neither a rules folder nor a known git revision")
        }
    }
}
