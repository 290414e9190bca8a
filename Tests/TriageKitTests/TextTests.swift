import Testing
import PCRE2
@testable import TriageKit

@Suite struct NormalizerTests {
    @Test func nfkcLowercaseAndWhitespace() {
        let n = NormalizedText("  ＡＰＰ　登录\n\n失败１２３ ")
        #expect(n.string == "app 登录 失败123")
    }

    @Test func byteRangesMapBackToOriginalScalars() {
        let text = "ＡＰＰ登录"
        let n = NormalizedText(text)
        // "app" is bytes 0..<3 and comes from original scalars 0..<3; 登录 is bytes 3..<9.
        #expect(n.originalRange(0..<3) == 0..<3)
        #expect(n.originalRange(3..<9) == 3..<5)
        #expect(n.originalText(3..<5) == "登录")
    }

    @Test func expansionsMapToTheWholeOriginalScalar() {
        let n = NormalizedText("㈱公司")  // ㈱ → (株)
        #expect(n.string == "(株)公司")
        #expect(n.originalRange(0..<1) == 0..<1)
        #expect(n.originalRange(5..<11) == 1..<3)
    }

    @Test func meaningfulCountIgnoresPunctuationAndSpace() {
        #expect(NormalizedText("？？！！ ...").meaningfulCount == 0)
        #expect(NormalizedText("办执照 ok").meaningfulCount == 5)
    }
}

@Suite struct RequiredLiteralTests {
    @Test(arguments: [
        ("登录失败", ["登录失败"]),
        ("(登录|登陆)(不上|失败)", ["登录", "登陆"]),
        ("(?:网站|网页)打不开", ["打不开"]),
        ("验证码.{0,4}(收不到|没收到)", ["验证码"]),
        ("登录?失败", ["失败"]),
        ("APP闪退", ["app闪退"]),
        ("\\d+元", ["元"]),
        ("跑了(好几|很多)(次|趟)", ["跑了"]),
    ])
    func extracted(_ pattern: String, _ expected: [String]) {
        #expect(RequiredLiterals.of(pattern) == expected.sorted())
    }

    @Test(arguments: [".{0,5}", "\\w+", "(a|.)", "(?x) a b", "x*", "(*UTF)abc", "[登陆]录"])
    func nothingProvable(_ pattern: String) {
        let r = RequiredLiterals.of(pattern)
        // "[登陆]录" may yield 录; the others must give up.
        if pattern == "[登陆]录" { #expect(r == ["录"]) } else { #expect(r == nil) }
    }

    @Test func literalsAreNecessaryForEveryMatch() throws {
        // Property check: whenever the pattern matches, one of its literals occurs.
        let patterns = ["(登录|登陆)(不上|失败)", "验证码.{0,4}(收不到|没收到)", "(?:营业)?执照(办|申请)", "a(b|c)+d"]
        let texts = ["网站登录不上", "登陆失败", "验证码一直收不到", "执照办好了", "营业执照申请", "abbcd", "ad", "验证码"]
        for p in patterns {
            let compiled = try Pattern(p)
            let lits = RequiredLiterals.of(p)
            for t in texts where try compiled.isMatch(normalizePhrase(t)) {
                if let lits { #expect(lits.contains { normalizePhrase(t).contains($0) }, "\(p) on \(t)") }
            }
        }
    }
}

@Suite struct JSONTests {
    @Test func roundTripKeepsOrderAndUnicode() throws {
        let v = JSONValue.object([("b", .number(1)), ("a", .string("中文\n\"q\"")), ("c", .array([.bool(true), .null]))])
        let text = v.serialized
        #expect(text == #"{"b":1,"a":"中文\n\"q\"","c":[true,null]}"#)
        #expect(try JSONValue.parse(text) == v)
    }

    @Test func surrogatePairsAndErrors() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(#""\ud83d""#) }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse("{\"a\":1,}") }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse("[1] x") }
    }

    @Test func numbersFormatReadably() {
        #expect(JSONValue.number(3).serialized == "3")
        #expect(JSONValue.number(0.1 + 0.2).serialized == "0.3")
        #expect(JSONValue.number(-1.5).serialized == "-1.5")
    }
}

@Suite struct InputTests {
    @Test func validLine() throws {
        let m = try MessageRecord.parse(bytes: Array(#"{"id": 7, "text": "你好"}"#.utf8)).get()
        #expect(m.id == .number("7") && m.text == "你好")
    }

    @Test func errorsNameTheProblemAndKeepTheID() {
        func code(_ s: [UInt8]) -> (String, MessageID, String?) {
            guard case .failure(let e) = MessageRecord.parse(bytes: s) else { return ("ok", .none, nil) }
            return (e.code.rawValue, e.id, e.field)
        }
        #expect(code(Array("not json".utf8)).0 == "invalid_json")
        #expect(code(Array("[1,2]".utf8)).0 == "not_an_object")
        #expect(code(Array(#"{"id":"a"}"#.utf8)) == ("missing_field", .string("a"), "text"))
        #expect(code(Array(#"{"id":"b","text":5}"#.utf8)) == ("wrong_type", .string("b"), "text"))
        var bad = Array(#"{"id":"c","text":"ab"#.utf8)
        bad += [0xFF, 0xFE]
        bad += Array(#""}"#.utf8)
        #expect(code(bad).0 == "invalid_utf8")
        #expect(code(bad).1 == .string("c"))
    }
}
