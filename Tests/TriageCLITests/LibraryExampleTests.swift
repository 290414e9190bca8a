import Foundation
import Testing

/// The README's library example (Examples/library) builds and runs on the bundled rules.
@Suite struct LibraryExampleTests {
    @Test func theReadmeExampleRuns() throws {
        let p = Process()
        p.executableURL = CLI.binary.deletingLastPathComponent().appendingPathComponent("library-example")
        p.arguments = [CLI.bundledRulesPath]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(p.terminationStatus == 0)
        #expect(lines.first == "technical 区电子政务中心 false false")
        #expect(lines.dropFirst().first == "accept 2026-10-14")
        #expect(lines.contains { $0.hasPrefix("{\"id\":\"m1\",\"category\":\"technical\"") })
    }
}
