import Testing
@testable import PCRE2

@Suite struct PatternTests {
    @Test func chineseMatchReportsUTF8Offsets() throws {
        let p = try Pattern("世界")
        #expect(try p.matches(in: "你好世界") == [6..<12])
    }

    @Test func ucpMakesWordClassMatchChinese() throws {
        #expect(try Pattern("^\\w+$").isMatch("中文字符"))
        #expect(try Pattern("\\d").isMatch("１"))  // full-width digit under UCP
    }

    @Test func allNonOverlappingMatchesInOrder() throws {
        let p = try Pattern("办(理|事)")
        #expect(try p.matches(in: "办理和办事") == [0..<6, 9..<15])
    }

    @Test func emptyMatchesAdvanceByWholeScalars() throws {
        let p = try Pattern("x*")
        // One empty match before each scalar and one at the end; never inside a scalar.
        #expect(try p.matches(in: "中a") == [0..<0, 3..<3, 4..<4])
    }

    @Test func compileErrorCarriesMessageAndOffset() {
        #expect {
            _ = try Pattern("(登录")
        } throws: { error in
            guard let e = error as? PCRE2Error else { return false }
            return e.offset == 7 && e.message.contains("missing closing parenthesis")
        }
    }

    @Test func invalidQuantifierIsACompileError() {
        #expect(throws: PCRE2Error.self) { _ = try Pattern("a{2,1}") }
    }

    @Test func runawayBacktrackingHitsTheLimitInsteadOfHanging() throws {
        let p = try Pattern("^(a|aa)+$", matchLimit: 10_000)
        let subject = String(repeating: "a", count: 60) + "b"
        #expect {
            _ = try p.isMatch(subject)
        } throws: { error in
            (error as? PCRE2Error)?.isLimit == true
        }
    }

    @Test func literalOptionTreatsMetacharactersAsText() throws {
        let p = try Pattern("a.b(", options: .literal)
        #expect(try p.isMatch("xa.b(y"))
        #expect(try !p.isMatch("axb("))
    }

    @Test func sharedAcrossThreads() async throws {
        let p = try Pattern("(登录|登陆)不上")
        let text = String(repeating: "网站登录不上，", count: 50)
        let expected = try p.matches(in: text)
        #expect(expected.count == 50)
        try await withThrowingTaskGroup(of: [Range<Int>].self) { group in
            for _ in 0..<8 { group.addTask { try p.matches(in: text) } }
            for try await result in group { #expect(result == expected) }
        }
    }
}
