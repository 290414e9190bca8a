import Testing
@testable import YAML

@Suite struct YAMLLayerTests {
    @Test func marksAreOneBasedAndCountScalars() throws {
        let doc = YAMLDocument.parse("名称: 值\nlist:\n  - x\n  - 'y'\n")
        #expect(doc.errors.isEmpty)
        let root = try #require(doc.root)
        #expect(root["名称"]?.mark == Mark(line: 1, column: 5))
        let list = try #require(root["list"]?.elements)
        #expect(list[0].mark == Mark(line: 3, column: 5))
        #expect(list[1].mark == Mark(line: 4, column: 5))  // at the opening quote
        #expect(list[1].style == .singleQuoted)
        #expect(list[1].scalar == "y")
    }

    @Test func duplicateKeysAreErrorsWithBothPlaces() {
        let doc = YAMLDocument.parse("a: 1\nb: 2\na: 3\n")
        #expect(doc.errors.count == 1)
        #expect(doc.errors[0].id == "duplicate-key")
        #expect(doc.errors[0].mark == Mark(line: 3, column: 1))
        #expect(doc.errors[0].message.contains("line 1"))
    }

    @Test func onlyTrueAndFalseAreBooleans() throws {
        let root = try #require(YAMLDocument.parse("t: true\nf: false\ny: yes\nq: 'true'\nc: True\n").root)
        #expect(root["t"]?.bool == true)
        #expect(root["f"]?.bool == false)
        #expect(root["y"]?.bool == nil)
        #expect(root["q"]?.bool == nil)
        #expect(root["c"]?.bool == nil)
    }

    @Test func syntaxErrorHasALocation() {
        let doc = YAMLDocument.parse("a: [1, 2\nb: 3\n")
        #expect(doc.root == nil)
        #expect(doc.errors.count == 1)
        #expect(doc.errors[0].id == "syntax")
        #expect(doc.errors[0].mark.line >= 2)
    }

    @Test func tabsIndentationIsAnError() {
        let doc = YAMLDocument.parse("a:\n\t- x\n")
        #expect(!doc.errors.isEmpty)
    }

    @Test func aliasBombIsBounded() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            text += "a\(i): &a\(i) [\(refs)]\n"
        }
        let doc = YAMLDocument.parse(text)
        #expect(doc.errors.contains { $0.id == "alias" })
    }

    @Test func aliasesResolveToTheAnchoredNode() throws {
        let root = try #require(YAMLDocument.parse("base: &b [x, y]\ncopy: *b\n").root)
        #expect(root["copy"]?.elements?.compactMap(\.scalar) == ["x", "y"])
    }

    @Test func deepNestingIsBounded() {
        let text = String(repeating: "[", count: 400) + String(repeating: "]", count: 400)
        #expect(YAMLDocument.parse(text).errors.contains { $0.id == "depth" })
    }

    @Test func secondDocumentIsAnError() {
        #expect(YAMLDocument.parse("a: 1\n---\nb: 2\n").errors.contains { $0.message.contains("one YAML document") })
    }

    @Test func emptyValuesAreNull() throws {
        let root = try #require(YAMLDocument.parse("a:\nb: ~\n").root)
        guard case .null = root["a"]!.kind, case .null = root["b"]!.kind else {
            Issue.record("expected null nodes")
            return
        }
    }
}

/// Issue 13 (8): reader errors carry a byte offset; they are placed at their line and column.
@Suite struct YAMLReaderErrorTests {
    @Test func aNULByteIsReportedAtItsLineAndColumn() throws {
        let doc = YAMLDocument.parse(Array("a: 1\nb: 名称\u{0}x\n".utf8))
        let e = try #require(doc.errors.first)
        #expect(e.id == "encoding")
        #expect(e.mark == Mark(line: 2, column: 6))
        #expect(!e.message.contains("at byte"))
    }

    @Test func invalidUTF8IsReportedAtItsLineAndColumn() throws {
        let doc = YAMLDocument.parse(Array("a: 1\n\nc: 好".utf8) + [0xFF, 0x0A])
        let e = try #require(doc.errors.first)
        #expect(e.mark == Mark(line: 3, column: 5), "\(e)")
    }

    @Test func marksFromByteOffsetsCountScalarsAndLineBreaks() {
        let bytes = Array("ab\r\n名x\rz".utf8)
        #expect(Mark(ofByte: 0, in: bytes) == Mark(line: 1, column: 1))
        #expect(Mark(ofByte: 4, in: bytes) == Mark(line: 2, column: 1))
        #expect(Mark(ofByte: 7, in: bytes) == Mark(line: 2, column: 2))
        #expect(Mark(ofByte: 9, in: bytes) == Mark(line: 3, column: 1))
        #expect(Mark(ofByte: 1_000, in: bytes) == Mark(line: 3, column: 2))
    }
}
