import Foundation
import Testing
import TriageKit
import YAML

/// The OpenAPI document's pattern for input times (`InputTime`) accepts exactly what the
/// input parser accepts, so that a contract tester's schema-valid times are never refused and
/// its invalid ones always are (issue 13: schemathesis).
@Suite struct TimestampPatternTests {
    static let pattern: String? = {
        let path = packageRoot.appendingPathComponent("docs/openapi.yaml").path
        guard let bytes = FileManager.default.contents(atPath: path) else { return nil }
        return YAMLDocument.parse([UInt8](bytes)).root?["components"]?["schemas"]?["InputTime"]?["pattern"]?.scalar
    }()

    @Test func thePatternAgreesWithTheParser() throws {
        let regex = try NSRegularExpression(pattern: try #require(Self.pattern))
        func matches(_ s: String) -> Bool {
            regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
        }
        var state: UInt64 = 13
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(next(10))) }) }
        func two(_ limit: Int) -> String { next(4) == 0 ? digits(2) : String(format: "%02d", next(limit)) }
        var checked = 0, accepted = 0
        for _ in 0..<40_000 {
            let year = [digits(4), "2026", "2024", "1900", "2000", "0000", "0004", "0100", "0400"][next(9)]
            var s = "\(year)-\(two(14))-\(two(33))"
            if next(2) == 0 {
                s += ["T", "t", " ", "X"][next(4)] + "\(two(26)):\(two(62))"
                if next(2) == 0 { s += ":\(two(62))" + (next(3) == 0 ? [".", ","][next(2)] + digits(1 + next(4)) : "") }
            }
            switch next(5) {
            case 0: s += ["Z", "z"][next(2)]
            case 1: s += ["+", "-"][next(2)] + two(17) + [":", ""][next(2)] + (next(4) == 0 ? "" : two(62))
            case 2: s += ["+", "-"][next(2)] + two(17)
            default: break
            }
            // Some mutations: a character dropped, added or changed.
            if next(6) == 0, !s.isEmpty {
                var chars = Array(s)
                let at = next(chars.count)
                switch next(3) {
                case 0: chars.remove(at: at)
                case 1: chars.insert(Array("0:T+-Z .\n")[next(9)], at: at)
                default: chars[at] = Array("0:T+-Z .\n9")[next(10)]
                }
                s = String(chars)
            }
            let parsed = Timestamp.parse(s) != nil
            #expect(matches(s) == parsed, "\(s.debugDescription): pattern \(matches(s)), parser \(parsed)")
            checked += 1
            if parsed { accepted += 1 }
        }
        // Both outcomes were exercised in quantity.
        #expect(accepted > 5_000 && checked - accepted > 5_000, "\(accepted) of \(checked) accepted")
    }
}
