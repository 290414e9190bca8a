import Testing
@testable import TriageKit

/// The rule-file features of the maintainer's bench: fragments, literal-block patterns, span
/// markers and the multi-byte re-run, item examples, metadata, id format, errors in characters.
@Suite struct FragmentTests {
    let departments = """
        departments:
          - {id: market, name: 区市场监管局, aliases: [市场监管局, 市监局]}
          - {id: tax, name: 区税务局, aliases: [税务局]}
        """

    @Test func aFragmentIsWrittenOnceAndExpandedEverywhere() throws {
        let r = miniRuleSet([("d.yaml", departments), ("f.yaml", """
            fragments:
              - id: party
                words:
                  - 城管
                  - 街道
            rules:
              - id: biz_dispute
                category: business
                patterns: ['{party}说归{party}']
                examples:
                  match: [城管说归街道]
                  no_match: [城管说明天来]
            """)])
        let rs = try #require(r.ruleSet, "\(r.diagnostics)")
        #expect(rs.rules[0].core.patterns[0].source == "(?:城管|街道)说归(?:城管|街道)")
        #expect(rs.rules[0].core.patterns[0].text.written == "{party}说归{party}")
    }

    @Test func quantifiersEscapesAndClassesAreNotReferences() throws {
        let r = miniRuleSet([("f.yaml", """
            rules:
              - id: biz_x
                category: business
                patterns: ['[{a}]\\p{Han}{2,4}\\x{4e00}\\{literal}']
                examples: {match: ['{一二三一{literal}']}
            """)])
        let rs = try #require(r.ruleSet, "\(r.diagnostics)")
        #expect(rs.rules[0].core.patterns[0].source == #"[{a}]\p{Han}{2,4}\x{4e00}\{literal}"#)
    }

    @Test func theBuiltInDepartmentsComeFromTheKnowledgeBaseLongestFirst() throws {
        let r = miniRuleSet([("d.yaml", departments), ("f.yaml", """
            rules:
              - id: biz_named
                category: business
                patterns: ['{departments}']
                examples: {match: ['找⟦市场监管局⟧']}
            """)])
        let rs = try #require(r.ruleSet, "\(r.diagnostics)")
        let words = try #require(rs.fragments.fragments["departments"]?.words)
        #expect(words.first == "区市场监管局")
        #expect(words.contains("市监局") && words.contains("税务局"))
        #expect(!words.contains("区行政服务中心"), "process units are not in {departments}")
    }

    @Test func anUnknownFragmentIsAnErrorAtItsUseWithAHint() throws {
        let text = """
            fragments:
              - {id: party, words: [城管]}
            rules:
              - id: biz_x
                category: business
                patterns: ['找{pary}']
            """
        let r = miniRuleSet([("f.yaml", text)])
        let e = try #require(r.diagnostics.errors.first { $0.code == "unknown-reference" })
        #expect(e.message == "unknown fragment '{pary}' (did you mean '{party}'?)")
        #expect(e.path == "f.yaml" && e.line == 6 && e.column == 18, "at the '{' of the reference: \(e)")
    }

    @Test func anErrorInsideAnExpansionIsReportedAtTheReferenceAndInTheFragment() throws {
        let r = miniRuleSet([("f.yaml", """
            fragments:
              - {id: broken, pattern: '(a|b'}
              - {id: cycle_a, pattern: 'x{cycle_b}'}
              - {id: cycle_b, pattern: 'y{cycle_a}'}
              - {id: departments, words: [x]}
            """)])
        let codes = r.diagnostics.errors.map { "\($0.line!):\($0.code)" }
        #expect(codes.contains("2:pattern-compile"), "\(r.diagnostics)")
        #expect(codes.contains { $0.hasSuffix("fragment-cycle") })
        #expect(r.diagnostics.errors.contains { $0.line == 5 && $0.message.contains("built-in") })
    }

    @Test func theBundledCoordinationRuleNamesItsDepartmentsOnce() throws {
        let rs = try #require(Fixture.bundled())
        let matter = try #require(rs.combined.first { $0.id == "responsibility_dispute_coordination" })
        let written = matter.patterns.map(\.text.written).joined()
        #expect(written.contains("{dispute_party}"))
        #expect(!written.contains("城管"), "the department list lives in fragments.yaml only")
        #expect(written.unicodeScalars.count < 300)
        #expect(rs.fragments.fragments["dispute_party"]?.words?.count == 40)
    }
}

@Suite struct PatternTextTests {
    @Test func aLiteralBlockPatternLosesItsLineBreaksAndKeepsItsColumns() throws {
        let text = """
            rules:
              - id: biz_long
                category: business
                patterns:
                  - |-
                    (材料|
                      证明)(呢
            """
        let r = miniRuleSet([("b.yaml", text)])
        let e = try #require(r.diagnostics.errors.first { $0.code == "pattern-compile" })
        #expect(e.message.contains("in '(材料|证明)(呢'"))
        // The unclosed '(' is the 8th character of the pattern as written, on line 7 after 证明).
        #expect(e.message.contains("the '(' at character 8 is never closed"))
        #expect(e.line == 7 && e.column == 14, "\(e)")
    }

    @Test func errorColumnsCountCharactersInsideQuotesAndEscapes() throws {
        let r = miniRuleSet([("q.yaml", """
            rules:
              - {id: biz_q, category: business, patterns: ['it''s 办理*?+']}
              - {id: biz_d, category: business, patterns: ["\\\\d办理(?<x"]}
            """)])
        let errors = r.diagnostics.errors.filter { $0.code == "pattern-compile" }.sorted { $0.line! < $1.line! }
        #expect(errors.count == 2, "\(r.diagnostics)")
        // 'it''s 办理*?+': the quantifier error is at the 10th character, the '+'; '' is one
        // character of the pattern, written as two in the file.
        let single = "  - {id: biz_q, category: business, patterns: ['"
        #expect(errors[0].column == single.unicodeScalars.count + 1 + 10)
        #expect(errors[0].message.contains("at character 10"), "\(errors[0].message)")
        #expect(errors[1].line == 3)
    }

    @Test func aFoldedBlockPatternIsAnError() {
        let r = miniRuleSet([("f.yaml", "rules:\n  - id: biz_f\n    category: business\n    patterns:\n      - >-\n        a\n        b\n")])
        #expect(r.diagnostics.errors.contains { $0.message.contains("folded block") })
    }
}

@Suite struct ExampleTests {
    @Test func aSpanMarkerIsCheckedAndTheWrongSpanShown() throws {
        let r = miniRuleSet([("e.yaml", """
            rules:
              - id: biz_login
                category: business
                patterns: ['登录(不上|失败)?']
                examples:
                  match:
                    - 网上办事大厅一直⟦登录不上⟧
                    - 一直⟦登录⟧不上
            """)])
        let errors = r.diagnostics.errors
        #expect(errors.count == 1, "\(r.diagnostics)")
        #expect(errors[0].code == "example-span" && errors[0].line == 8)
        #expect(errors[0].message == "example '一直⟦登录⟧不上' of rule 'biz_login' marks the match at 一直⟦登录⟧不上 but it matches at 一直⟦登录不上⟧")
    }

    @Test func markerMistakesAreErrors() {
        let r = miniRuleSet([("e.yaml", """
            rules:
              - id: biz_m
                category: business
                patterns: ['登录']
                examples:
                  match: ['⟦登录', '⟦⟧登录']
                  no_match: ['⟦无关⟧']
            """)])
        let messages = r.diagnostics.errors.map(\.message)
        #expect(messages.contains { $0.contains("never closed") })
        #expect(messages.contains { $0.contains("empty span") })
        #expect(messages.contains { $0.contains("no_match example cannot mark") })
    }

    @Test func examplesRunThroughTheMatcherAfterAMultiBytePrefixToo() throws {
        // The second run puts 😀Ｗ　 in front; a pattern anchored at the start is exempt.
        let r = miniRuleSet([("e.yaml", """
            rules:
              - id: biz_ok
                category: business
                patterns: ['(办理|申请)(营业执照|许可证)']
                examples: {match: ['请问怎么⟦办理营业执照⟧', 'ＡＢ⟦申请许可证⟧']}
              - id: biz_anchored
                category: business
                patterns: ['^办理']
                examples: {match: ['⟦办理⟧什么'], no_match: ['怎么办理']}
            """)])
        #expect(r.diagnostics.all.isEmpty, "\(r.diagnostics)")
        #expect(ExampleCheck.prefix.unicodeScalars.count == 3 && ExampleCheck.prefix.utf8.count == 10)
    }

    @Test func itemsAndCombinedMattersProveTheirAliases() throws {
        let r = miniRuleSet([("d.yaml", "departments:\n  - {id: market, name: 区市场监管局}\n"), ("i.yaml", """
            items:
              - id: food_license
                name: 食品经营许可
                department: market
                aliases: [食品经营许可证, 许可证]
                examples:
                  match: ['我想办⟦食品经营许可证⟧']
                  no_match: [营业执照]
              - id: bad_item
                name: 坏例句
                department: market
                aliases: [餐饮]
                examples:
                  match: [开饭店]
            """)])
        let errors = r.diagnostics.errors
        #expect(errors.count == 1, "\(r.diagnostics)")
        #expect(errors[0].entry == "bad_item" && errors[0].message.contains("should match item 'bad_item'"))
    }

    @Test func aStableEntryNeedsExamples() throws {
        let r = miniRuleSet([("s.yaml", """
            rules:
              - id: biz_stable
                category: business
                patterns: ['办理']
                status: stable
                owner: 区行政服务中心
                added: 2026-11-30
                references: [权责清单 2026 版]
              - id: biz_bad_date
                category: business
                patterns: ['申请']
                added: 2026-13-01
                examples: {match: [申请]}
            """)])
        let codes = r.diagnostics.errors.map(\.code).sorted()
        #expect(codes == ["stable-without-examples", "type"], "\(r.diagnostics)")
        #expect(r.model?.rules[0].core.metadata.references == ["权责清单 2026 版"])
        #expect(r.model?.rules[0].core.metadata.added == LocalDate("2026-11-30"))
    }
}

@Suite struct IDFormatTests {
    @Test func idsMustBeLowerSnakeCase() throws {
        let r = miniRuleSet([("c.yaml", "rules:\n  - {id: BizCamel, category: business, patterns: ['x'], examples: {match: [x]}}\n")])
        let e = try #require(r.diagnostics.errors.first)
        #expect(e.code == "id-format")
        #expect(e.message.contains("'BizCamel' must be lower_snake_case") && e.message.contains("'biz_camel'"))
    }

    @Test func everyBundledIDComplies() throws {
        let loaded = RuleSetLoader.load(directory: Bundled.rulesDirectory)
        #expect(!loaded.diagnostics.all.contains { $0.code == "id-format" })
    }
}

@Suite struct YAMLHintTests {
    func error(_ yaml: String) throws -> Diagnostic {
        let r = miniRuleSet([("x.yaml", yaml)])
        return try #require(r.diagnostics.errors.first { $0.code == "yaml-syntax" }, "\(r.diagnostics)")
    }

    @Test func dedentedListItem() throws {
        let e = try error("items:\n  - id: a\n    aliases:\n      - x\n    - y\n")
        #expect(e.hint?.contains("this list item is indented 4 spaces but the items above it (line 4) are indented 6") == true, "\(e.hint ?? "")")
        #expect(e.hint?.contains("同一列表的每个 '- ' 要对齐") == true)
    }

    @Test func overIndentedKey() throws {
        let e = try error("rules:\n  - id: a\n    examples:\n      match: [x]\n        no_match: [y]\n")
        #expect(e.hint?.contains("line 5 is indented 8 spaces but the keys above it (line 4) are indented 6") == true, "\(e.hint ?? "")")
    }

    @Test func keyOneSpaceTooDeep() throws {
        let e = try error("rules:\n  - id: a\n    category: x\n     weight: 3\n")
        #expect(e.hint?.contains("more than line 3") == true && e.hint?.contains("请与上面的键对齐") == true, "\(e.hint ?? "")")
    }

    @Test func keyOneSpaceTooShallow() throws {
        let e = try error("rules:\n  - id: a\n    category: x\n   weight: 3\n")
        #expect(e.hint?.contains("indented 3 spaces") == true, "\(e.hint ?? "")")
    }

    @Test func colonInAValue() throws {
        let e = try error("rules:\n  - id: a\n    description: 注意: 这里\n")
        #expect(e.hint?.contains("put the whole value in quotes") == true)
    }

    @Test func tabs() throws {
        for yaml in ["rules:\n  - id: a\n\tcategory: x\n", "rules:\n  - id: a\n    patterns:\n    \t- y\n"] {
            let e = try error(yaml)
            #expect(e.message == "tab characters are not allowed for indentation")
            #expect(e.hint?.contains("制表符") == true)
        }
    }

    @Test func appendingBelowAnEmptyFlowList() throws {
        let e = try error("known_false_positives: []\n  - rule: a\n    messages: [x]\n")
        #expect(e.hint?.contains("delete the '[]'") == true)
    }

    @Test func doubleQuotedRegex() throws {
        let e = try error("rules:\n  - id: a\n    patterns: [\"\\d\"]\n")
        #expect(e.hint?.contains("single quotes") == true)
    }

    @Test func theHintIsRenderedUnderTheCaret() throws {
        let text = "items:\n  - id: a\n    aliases:\n      - x\n    - y\n"
        let e = try error(text)
        let rendered = DiagnosticRenderer(sources: ["x.yaml": text]).render(e)
        #expect(rendered.split(separator: "\n").last?.hasPrefix("    hint: ") == true)
    }
}
