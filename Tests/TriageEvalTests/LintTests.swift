import Testing
import TriageKit
@testable import TriageEval

@Suite struct LintTests {
    @Test(arguments: [
        ("\\b登录", ["word-boundary-cjk"]),
        ("登录\\b", ["word-boundary-cjk"]),
        ("\\bapp\\b", []),
        ("(?i)验证码", ["case-flag-cjk"]),
        ("(?i)app登录", []),
        ("(a+)+b", ["nested-quantifier"]),
        ("(页面.{0,3})+错误", ["nested-quantifier"]),
        ("((登录|登陆)+)*", ["nested-quantifier"]),
        ("(登录|登陆)(不上|不进去?|失败)", []),
        (".{0,5}失败", []),
        ("(\\d{2,4}){2}", []),
        ("[(+]+", []),
        ("\\(a+\\)+", []),
        ("(乱码|亂碼|打不開)", ["traditional-cjk"]),
        ("(登录|登陆)(后|後)", []),  // 後 is in GB2312 and stays as written
    ])
    func patternFindings(pattern: String, codes: [String]) {
        #expect(PatternLint.findings(pattern).map(\.code) == codes)
    }

    @Test func findingOffsetPointsAtTheProblem() {
        #expect(PatternLint.findings("登录\\b").first?.offset == 2)
        #expect(PatternLint.findings("x(a+)+").first?.offset == 1)
        let traditional = PatternLint.findings("(乱码|亂碼|打不開)").first
        #expect(traditional?.offset == 4)
        #expect(traditional?.message.contains("亂碼開") == true && traditional?.message.contains("乱码开") == true)
    }

    @Test func everyWarningKindWithItsLocation() throws {
        let source = try RuleSource.directory(Fixture.path("rules-warn"))
        let loaded = RuleSetLoader.load(source)
        #expect(loaded.ruleSet != nil)
        let all = loaded.diagnostics.all + RuleLinter.lint(source)
        #expect(all.allSatisfy { $0.severity == .warning })
        let found = all.map { "\($0.path):\($0.line!):\($0.column!) \($0.code)" }.sorted()
        #expect(found == [
            "warn.yaml:2:5 no-examples",
            "warn.yaml:4:17 word-boundary-cjk",
            "warn.yaml:4:21 word-boundary-cjk",
            "warn.yaml:4:27 case-flag-cjk",
            "warn.yaml:4:38 nested-quantifier",
            "warn.yaml:6:5 unused-department",
            "warn.yaml:9:5 no-alias",
        ])
    }

    @Test func everyErrorKindInOneRun() throws {
        let source = try RuleSource.directory(Fixture.path("rules-broken"))
        let loaded = RuleSetLoader.load(source)
        #expect(loaded.ruleSet == nil)
        let codes = Set(loaded.diagnostics.errors.map(\.code))
        #expect(codes == ["yaml-syntax", "unknown-key", "duplicate-id", "pattern-compile", "unknown-reference", "example-failed"])
        let unknownKey = loaded.diagnostics.errors.first { $0.code == "unknown-key" }!
        #expect(unknownKey.message.contains("did you mean 'patterns'?"))
    }

    @Test func cleanFixtureHasNoFindings() throws {
        let source = try RuleSource.directory(Fixture.path("rules-good"))
        #expect(RuleLinter.lint(source).isEmpty)
        #expect(RuleSetLoader.load(source).diagnostics.all.isEmpty)
    }

    @Test func knownFalsePositiveRegister() throws {
        let (_, source) = try Fixture.ruleSet("rules-good")
        let (known, errors) = KnownFalsePositives.read(RuleSetLoader.load(source))
        #expect(errors.isEmpty)
        #expect(known.contains(rule: "biz_materials", message: "q-07"))
        #expect(!known.contains(rule: "biz_materials", message: "q-02"))

        var bad = source
        bad.files.append(RuleSource.File(path: "kfp.yaml", text: "known_false_positives:\n  - rule: tech_logn\n    mesages: [x]\n"))
        let (_, badErrors) = KnownFalsePositives.read(RuleSetLoader.load(bad))
        #expect(badErrors.map(\.code).sorted() == ["missing-key", "unknown-key", "unknown-reference"])
        #expect(badErrors.contains { $0.message.contains("did you mean 'tech_login'?") })
    }
}
