import Foundation
import Testing
@testable import FuzzTargets

/// Every input a fuzzing run found (minimised, in Regressions/TARGET/) stays fixed, and each
/// target's properties hold over a fixed set of pseudo-random inputs, so the checks
/// themselves run in every `swift test`.
@Suite struct FuzzRegressionTests {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")

    init() {
        // The targets read the bundled rules from the package root.
        setenv("TRIAGE_ROOT", Self.regressions.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path, 0)
    }

    @Test(arguments: FuzzTarget.allCases)
    func keptInputsStayFixed(_ target: FuzzTarget) throws {
        let dir = Self.regressions.appendingPathComponent(target.rawValue).path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted() ?? [] where !name.hasPrefix(".") {
            let data = try #require(FileManager.default.contents(atPath: dir + "/" + name))
            #expect(throws: Never.self, "\(target.rawValue)/\(name)") { try target.run([UInt8](data)) }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func propertiesHoldOnPseudoRandomInputs(_ target: FuzzTarget) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(target.rawValue.utf8.count)
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        for n in 0..<100 {
            let data = (0..<(n * 7 % 300)).map { _ in next() }
            #expect(throws: Never.self, "\(target.rawValue) input \(n): \(data)") { try target.run(data) }
        }
    }
}
