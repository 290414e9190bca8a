import Foundation
import Testing
@testable import ChineseVariants

@Suite struct TraditionalToSimplifiedTests {
    let table = TraditionalToSimplified.shared

    func simplify(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { table.simplified($0) }))
    }

    @Test func buildsFromDebiansOpenCCData() {
        #expect(table.error == nil)
        // 2,941 with OpenCC 1.1.6 (Debian bookworm); the bounds leave room for other versions.
        #expect(table.count > 2500 && table.count < 4000, "\(table.count) mappings")
    }

    @Test(arguments: [
        ("請問營業執照變更地址需要什麼材料？", "请问营业执照变更地址需要什么材料？"),
        ("建議週末也開放辦事窗口", "建议周末也开放办事窗口"),
        ("醫保關係轉移接續怎麼辦", "医保关系转移接续怎么办"),
    ])
    func examples(_ traditional: String, _ simplified: String) {
        #expect(simplify(traditional) == simplified)
    }

    @Test func leavesGB2312CharactersAlone() throws {
        // OpenCC would change each of these, but each is also ordinary simplified text.
        for c in "著乾於後徵夥麽甯摺菸醣麴捱吒榘薹".unicodeScalars {
            #expect(table.simplified(c) == c, "\(c)")
        }
        let gb2312 = try GB2312()
        let inGB2312 = table.mappings.map(\.traditional).filter { gb2312.contains($0.value) }
        #expect(inGB2312.isEmpty, "\(inGB2312)")
    }

    @Test func gb2312Check() throws {
        let gb2312 = try GB2312()
        let answers = [0x8457, 0x41, 0x8ACB, 0x1F600].map { gb2312.contains($0) }  // 著 A 請 😀
        #expect(answers == [true, true, false, false])
    }

    @Test func everyMappingIsOneBMPScalarToAnother() {
        for (traditional, simplified) in table.mappings {
            #expect(traditional != simplified)
            #expect(TraditionalToSimplified.candidateRanges.contains { $0.contains(traditional.value) })
            #expect((0x800...0xFFFF).contains(simplified.value), "\(traditional) → \(simplified)")
        }
    }

    @Test func utf8FormAgreesWithScalarForm() {
        for v in UInt32(0x4E00)...0x9FFF {
            let bytes = Array(String(Unicode.Scalar(v)!).utf8)
            let (b0, b1, b2) = table.simplifiedUTF8(bytes[0], bytes[1], bytes[2])
            let expected = Array(String(Unicode.Scalar(table.simplified(v))!).utf8)
            #expect([b0, b1, b2] == expected)
        }
    }

    @Test func outsideTheTableNothingChanges() {
        for v: UInt32 in [0x41, 0x3002, 0xFF1F, 0xFB00, 0x1F600, 0x20000] {
            #expect(table.simplified(v) == v)
        }
    }

    @Test func missingConfigurationGivesAnEmptyTableAndTheReason() {
        let t = TraditionalToSimplified(configPath: "/nonexistent/t2s.json")
        #expect(t.error == .configNotFound(path: "/nonexistent/t2s.json"))
        #expect(t.count == 0)
        #expect(t.simplified(UInt32(("請" as Unicode.Scalar).value)) == UInt32(("請" as Unicode.Scalar).value))
        #expect(t.error?.description.contains("/nonexistent/t2s.json") == true)
    }

    @Test func brokenConfigurationGivesAnEmptyTableAndOpenCCsMessage() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("broken-t2s-\(getpid()).json").path
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = TraditionalToSimplified(configPath: path)
        guard case .openFailed(let p, _) = t.error else {
            Issue.record("expected openFailed, got \(String(describing: t.error))")
            return
        }
        #expect(p == path)
        #expect(t.count == 0)
    }

    /// The project's own simplified corpora must come through untouched.
    @Test func simplifiedCorpusIsUnchanged() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("corpus")
        var texts = 0
        var changed: [String] = []
        for folder in ["tune", "tune2", "test"] {
            let dir = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".jsonl") {
                let data = try Data(contentsOf: dir.appendingPathComponent(name))
                for line in data.split(separator: 0x0A) {
                    let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
                    guard let text = object?["text"] as? String else { continue }
                    texts += 1
                    for c in text.unicodeScalars where table.simplified(c) != c { changed.append("\(c) in \(text)") }
                }
            }
        }
        #expect(texts > 800)
        #expect(changed.isEmpty, "\(changed)")
    }
}
