import Foundation
@testable import TriageKit

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
          handlers: {technical: coord, coordinator: coord, dispatch: coord}
        categories:
          - {id: business, name: 业务咨询, route: {channel: hotline, handler: owner}}
        departments:
          - {id: coord, name: 区行政服务中心, role: process}
        """
    let files = [RuleSource.File(path: "ruleset.yaml", text: base)] + extra.map { RuleSource.File(path: $0.0, text: $0.1) }
    return RuleSetLoader.load(RuleSource(files: files))
}

func date(_ s: String) -> LocalDate { LocalDate(s)! }
