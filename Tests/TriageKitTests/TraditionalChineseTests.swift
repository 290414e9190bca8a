import Testing
@testable import TriageKit

@Suite struct TraditionalChineseTests {
    /// The byte range of `needle` in the normalised text.
    func range(of needle: String, in n: NormalizedText) -> Range<Int>? {
        let pattern = Array(needle.utf8)
        guard pattern.count <= n.bytes.count else { return nil }
        for start in 0...(n.bytes.count - pattern.count) where Array(n.bytes[start..<start + pattern.count]) == pattern {
            return start..<start + pattern.count
        }
        return nil
    }

    @Test func tableIsAvailable() {
        #expect(NormalizedText.traditionalChineseError == nil)
    }

    @Test(arguments: [
        ("請問營業執照變更地址需要什麼材料？", "请问营业执照变更地址需要什么材料?"),
        ("建議週末也開放辦事窗口", "建议周末也开放办事窗口"),
        ("醫保關係轉移接續怎麼辦", "医保关系转移接续怎么办"),
    ])
    func traditionalBecomesSimplified(_ traditional: String, _ simplified: String) {
        let n = NormalizedText(traditional)
        #expect(n.string == simplified)
        #expect(n.scalarCount == traditional.unicodeScalars.count)
        // One scalar in, one scalar out: every normalised character points at its own original.
        var offset = 0
        for (k, s) in simplified.unicodeScalars.enumerated() {
            let length = String(s).utf8.count
            #expect(n.originalRange(offset..<offset + length) == k..<k + 1)
            offset += length
        }
    }

    @Test func evidenceOffsetsPointIntoTheTraditionalOriginal() throws {
        let text = "請問營業執照變更地址需要什麼材料？"
        let n = NormalizedText(text)
        let licence = try #require(range(of: "营业执照", in: n))
        #expect(n.originalRange(licence) == 2..<6)
        #expect(n.originalText(n.originalRange(licence)) == "營業執照")
        let what = try #require(range(of: "什么材料?", in: n))
        #expect(n.originalText(n.originalRange(what)) == "什麼材料？")
    }

    @Test func simplifiedTextIsUnchanged() {
        // Characters OpenCC would change but that are ordinary simplified text (GB2312).
        let text = "著名的乾坤于是以后，於老师说：后天再办，征收、伙食、麽"
        #expect(NormalizedText(text).string == "著名的乾坤于是以后,於老师说:后天再办,征收、伙食、麽")
        let plain = "想问一下个体工商户营业执照办理需要哪些材料"
        #expect(NormalizedText(plain).string == plain)
    }

    @Test func mixedFullWidthTraditionalAndEmojiKeepExactOffsets() throws {
        let text = "ＡＰＰ登錄😀不了，請幫忙　處理㑯"
        let n = NormalizedText(text)
        #expect(n.string == "app登录😀不了,请帮忙 处理㑔")
        for (needle, original) in [("app", "ＡＰＰ"), ("登录", "登錄"), ("😀", "😀"), ("请帮忙", "請幫忙"),
                                   ("处理", "處理"), ("㑔", "㑯"), ("录😀不", "錄😀不")] {
            let r = try #require(range(of: needle, in: n), "\(needle)")
            #expect(n.originalText(n.originalRange(r)) == original, "\(needle)")
        }
    }

    @Test func compatibilityIdeographsAreSimplifiedAfterNFKC() {
        // U+F900 is a compatibility form of 豈, whose simplified form is 岂.
        #expect(NormalizedText("\u{F900}").string == "岂")
    }

    @Test func aliasesAreNormalisedTheSameWay() {
        #expect(normalizePhrase("營業執照") == "营业执照")
    }

    @Test func bundledRulesClassifyATraditionalMessage() {
        let text = "請問營業執照變更地址需要什麼材料？"
        let r = Bundled.engine.classify(text)
        #expect(r.category == "business")
        #expect(r.category == Bundled.engine.classify("请问营业执照变更地址需要什么材料？").category)
        #expect(!r.evidence.isEmpty)
        #expect(r.spansSlice(text))
    }
}
