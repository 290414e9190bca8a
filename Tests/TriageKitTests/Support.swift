import Foundation
@testable import TriageKit

/// Paths and loaders shared by the tests.
enum Fixture {
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = testsDir.deletingLastPathComponent().deletingLastPathComponent()
    static var minimalPath: String { testsDir.appendingPathComponent("Fixtures/minimal").path }

    /// The minimal fixture rule set's files, to modify in memory.
    static func minimalFiles() throws -> [String: String] {
        var out: [String: String] = [:]
        for name in ["ruleset.yaml", "kb.yaml", "rules.yaml"] {
            out[name] = try String(contentsOfFile: minimalPath + "/" + name, encoding: .utf8)
        }
        return out
    }

    static func load(_ files: [String: String]) -> LoadResult {
        RuleSetLoader.load(RuleSource(files: files.map { RuleSource.File(path: $0.key, text: $0.value) }))
    }

    static func minimal() throws -> RuleSet {
        let result = RuleSetLoader.load(directory: minimalPath)
        guard let rs = result.ruleSet else { throw result.diagnostics }
        return rs
    }

    /// The bundled rule set in rules/, or nil when it does not load.
    static func bundled() -> RuleSet? {
        RuleSetLoader.load(directory: packageRoot.appendingPathComponent("rules").path).ruleSet
    }
}

extension TriageResult {
    /// Checks that every evidence span slices the original text exactly.
    func spansSlice(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return evidence.allSatisfy { e in
            e.start >= 0 && e.end <= scalars.count && e.start < e.end
                && String(String.UnicodeScalarView(scalars[e.start..<e.end])) == e.text
        }
    }
}

/// The repository's own rules/ folder, loaded once.
enum Bundled {
    static let rulesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("rules").path

    static let ruleSet: RuleSet = {
        let loaded = RuleSetLoader.load(directory: rulesDirectory)
        guard let rs = loaded.ruleSet else { fatalError("bundled rules do not load: \(loaded.diagnostics)") }
        return rs
    }()

    static let engine = TriageEngine(ruleSet: ruleSet, now: { Timestamp.parse("2026-09-30T10:00:00+08:00")! })
}

/// The smallest valid rule set, plus extra files.
func miniRuleSet(_ extra: [(String, String)]) -> LoadResult {
    let base = """
        ruleset:
          name: test
          handlers: {coordinator: coord}
        categories:
          - {id: business, name: 业务咨询, route: {channel: hotline, handler: owner}}
        departments:
          - {id: coord, name: 区行政服务中心, role: process}
        """
    let files = [RuleSource.File(path: "ruleset.yaml", text: base)] + extra.map { RuleSource.File(path: $0.0, text: $0.1) }
    return RuleSetLoader.load(RuleSource(files: files))
}

func date(_ s: String) -> LocalDate { LocalDate(s)! }
