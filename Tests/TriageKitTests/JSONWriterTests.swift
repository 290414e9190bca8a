import Foundation
import Testing
@testable import TriageKit

/// The byte writer and the tree are one document: results written as bytes parse back to
/// their `json` tree, and numbers are written as `JSONValue.format` writes them.
@Suite struct JSONWriterTests {
    @Test func resultBytesParseBackToTheTree() throws {
        let engine = Bundled.engine
        let texts = ["请问开具发票需要什么材料？", "网站登录不上，验证码收不到，打12345也没人管", "专业代办各类资质，营业执照三天下证，包过，微信同号",
                     "", "  ", "建议增加周末窗口", "滴滴滴打车软件乱收费\"引号\"\\反斜杠\u{2028}"]
        for (k, text) in texts.enumerated() {
            for id in [MessageID.none, .string("m\(k)"), .number("9007199254740993")] {
                let result = engine.classify(MessageRecord(text: text, id: id))
                var bytes: [UInt8] = Array("prefix".utf8)
                result.writeJSON(to: &bytes)
                #expect(Array(bytes.prefix(6)) == Array("prefix".utf8))
                let written = Array(bytes.dropFirst(6))
                #expect(try JSONValue.parse(written) == result.json)
                #expect(written == Array(result.json.serialized.utf8))
            }
        }
        let error = InputError(.missingField, "missing field \"text\"", field: "text", id: .number("12"))
        var bytes: [UInt8] = []
        error.writeJSON(to: &bytes, line: 3)
        #expect(String(decoding: bytes, as: UTF8.self) == error.json(line: 3).serialized)
        #expect(String(decoding: bytes, as: UTF8.self)
                == #"{"id":12,"error":{"code":"missing_field","message":"missing field \"text\"","field":"text","line":3}}"#)
    }

    @Test func numbersAreWrittenAsFormatWritesThem() {
        var g = SeededGenerator(seed: 99)
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 2.5, 0.1 + 0.2, 1e15, 1e15 + 0.5, 123_456.789, 0.001, 0.0005, 1e-7,
                                999_999_999.999999, 1e9 + 0.25, .nan, .infinity, -.infinity, 3.0 / 7, 2.0 / 3, 1e300]
        for _ in 0..<20_000 {
            let magnitude = pow(10.0, Double(g.below(24)) - 8)
            let v = (Double(g.next() % 2_000_000) / 1_000_000 - 1) * magnitude
            values.append(v)
            values.append((v * 1000).rounded() / 1000)
            values.append((v * 4).rounded() / 4)
        }
        for v in values {
            var bytes: [UInt8] = []
            JSONWriter.format(v, into: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == JSONValue.format(v), "\(v)")
        }
    }
}
