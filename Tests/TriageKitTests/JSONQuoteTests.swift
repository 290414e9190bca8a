import Testing
import TriageKit

/// `serialized` takes a fast path for strings with nothing to escape; both paths must agree.
@Suite struct JSONQuoteTests {
    @Test(arguments: [
        ("系统打不开", #""系统打不开""#),
        ("a\"b\\c", #""a\"b\\c""#),
        ("line\nnext\ttab\r", #""line\nnext\ttab\r""#),
        ("\u{01}\u{7F}", #""\u0001\u007f""#),
        ("分隔\u{2028}段\u{2029}", #""分隔\u2028段\u2029""#),
        ("€ and \u{2020}", "\"€ and \u{2020}\""),
        ("", #""""#),
    ])
    func stringsSerialiseWithTheRightEscapes(input: String, expected: String) {
        #expect(JSONValue.string(input).serialized == expected)
    }
}
