import Testing
@testable import TriageKit

@Suite struct LoaderTests {
    @Test func minimalFixtureLoadsCleanly() throws {
        let result = RuleSetLoader.load(directory: Fixture.minimalPath)
        #expect(result.diagnostics.errors.isEmpty, "\(result.diagnostics)")
        let rs = try #require(result.ruleSet)
        #expect(rs.categories.map(\.id) == ["technical", "business", "complaint", "suggestion"])
        #expect(rs.items.count == 4)
        #expect(rs.version.count == 16)
    }

    @Test func versionIsAContentHash() throws {
        var files = try Fixture.minimalFiles()
        let a = try #require(Fixture.load(files).ruleSet).version
        #expect(try #require(Fixture.load(files).ruleSet).version == a)
        files["kb.yaml"]! += "\n# a comment changes the content\n"
        #expect(try #require(Fixture.load(files).ruleSet).version != a)
    }

    @Test func malformedYAMLReportsFileLineColumn() throws {
        var files = try Fixture.minimalFiles()
        files["rules.yaml"] = "rules:\n  - id: x\n    patterns: [a, b\n"
        let d = Fixture.load(files)
        #expect(d.ruleSet == nil)
        let e = try #require(d.diagnostics.errors.first { $0.code == "yaml-syntax" })
        #expect(e.path == "rules.yaml")
        #expect(e.line != nil && e.column != nil)
        #expect(e.description.hasPrefix("rules.yaml:\(e.line!):\(e.column!): error: "))
    }

    @Test func patternCompileErrorNamesRuleLocationAndPCRE2Message() throws {
        var files = try Fixture.minimalFiles()
        files["rules.yaml"]! += """
              - id: broken_pattern
                category: complaint
                patterns: ['投诉(无门']
                examples: {match: [投诉无门]}

            """
        let d = Fixture.load(files)
        #expect(d.ruleSet == nil)
        let e = try #require(d.diagnostics.errors.first { $0.code == "pattern-compile" })
        #expect(e.entry == "broken_pattern")
        #expect(e.message.contains("missing closing parenthesis"))
        #expect(e.message.contains("the '(' at character 3 is never closed"))
        #expect(!e.message.contains("offset"))
        let line = try #require(e.line)
        let source = files["rules.yaml"]!.split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
        #expect(source.contains("投诉(无门"))
        // PCRE2 stops at byte 13, the end of the pattern; the column points at the '(' that is never
        // closed: the third character of the pattern, counted in characters, not bytes.
        let quote = Array(source.unicodeScalars).firstIndex(of: "'")! + 1
        #expect(e.column == quote + 1 + 2)
    }

    @Test func unknownDepartmentNamesBoth() throws {
        var files = try Fixture.minimalFiles()
        files["kb.yaml"] = files["kb.yaml"]!.replacingOccurrences(of: "department: hrss", with: "department: hrs")
        let d = Fixture.load(files)
        let e = try #require(d.diagnostics.errors.first { $0.code == "unknown-reference" })
        #expect(e.message.contains("'hrs'") && e.message.contains("'wages'") && e.message.contains("did you mean 'hrss'"))
        #expect(d.ruleSet == nil)
    }

    @Test func duplicateIDsAreErrors() throws {
        var files = try Fixture.minimalFiles()
        files["zz_extra.yaml"] = "items:\n  - {id: invoice, name: 再来一个, department: tax, aliases: [税票]}\n"
        let d = Fixture.load(files)
        let e = try #require(d.diagnostics.errors.first { $0.code == "duplicate-id" })
        #expect(e.path == "zz_extra.yaml" && e.line == 2)
        #expect(e.message.contains("kb.yaml:"))
    }

    @Test func failingExamplesAreErrors() throws {
        var files = try Fixture.minimalFiles()
        files["rules.yaml"] = files["rules.yaml"]!.replacingOccurrences(of: "match: [需要什么材料]", with: "match: [需要什么材料, 这句不会命中]")
        let d = Fixture.load(files)
        let e = try #require(d.diagnostics.errors.first { $0.code == "example-failed" })
        #expect(e.entry == "biz_materials" && e.message.contains("这句不会命中"))
    }

    @Test func noMatchExampleThatMatchesIsAnError() throws {
        var files = try Fixture.minimalFiles()
        files["rules.yaml"] = files["rules.yaml"]!.replacingOccurrences(of: "no_match: [不是系统问题，登录不上是因为密码忘了]", with: "no_match: [登录不上]")
        let d = Fixture.load(files)
        #expect(d.diagnostics.errors.contains { $0.code == "example-failed" && $0.message.contains("should not match") })
    }

    @Test func unknownKeysSuggestTheRightOne() throws {
        var files = try Fixture.minimalFiles()
        files["rules.yaml"] = files["rules.yaml"]!.replacingOccurrences(of: "    weight: 2\n    patterns: ['(什么", with: "    wieght: 2\n    patterns: ['(什么")
        let d = Fixture.load(files)
        let e = try #require(d.diagnostics.errors.first { $0.code == "unknown-key" })
        #expect(e.message.contains("did you mean 'weight'"))
    }

    @Test func wrongTypesAreErrors() throws {
        var files = try Fixture.minimalFiles()
        files["rules.yaml"] = files["rules.yaml"]!.replacingOccurrences(of: "weight: 3\n    patterns: ['(登录", with: "weight: lots\n    patterns: ['(登录")
        let d = Fixture.load(files)
        #expect(d.diagnostics.errors.contains { $0.code == "type" && $0.message.contains("'weight' must be a number") })
    }

    @Test func everyErrorIsCollectedInOneRun() throws {
        var files = try Fixture.minimalFiles()
        files["broken.yaml"] = """
            items:
              - {id: a1, name: 甲, department: nowhere, aliases: [甲事项]}
              - {id: a1, name: 乙, department: tax, aliases: [乙事项]}
            rules:
              - id: r1
                category: nonsense
                patterns: ['(']
            cues:
              - {id: c1, flag: maybe, patterns: [x]}
            bogus_section: 1

            """
        let d = Fixture.load(files)
        let codes = Set(d.diagnostics.errors.map(\.code))
        #expect(codes.isSuperset(of: ["unknown-reference", "duplicate-id", "pattern-compile", "type", "unknown-key"]))
        #expect(d.diagnostics.errors.count >= 6)
        #expect(d.ruleSet == nil)
    }

    @Test func missingFolderIsOneClearError() {
        let d = RuleSetLoader.load(directory: "/nonexistent/rules")
        #expect(d.ruleSet == nil)
        #expect(d.diagnostics.errors.count == 1)
        #expect(d.diagnostics.errors[0].message.contains("not found"))
    }

    @Test func rendererQuotesTheLineWithAWidthAlignedCaret() {
        let d = Diagnostic(.error, path: "x.yaml", line: 1, column: 5, message: "bad", entry: "r", code: "c")
        let out = DiagnosticRenderer(sources: ["x.yaml": "名称: '('"]).render(d)
        let lines = out.split(separator: "\n")
        #expect(lines[0] == "x.yaml:1:5: error: bad [r]")
        #expect(lines[2] == "    " + String(repeating: " ", count: 6) + "^")  // 名称 are 2 columns each, then ": "
    }
}
