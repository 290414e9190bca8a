import Foundation

/// Finds the rule set to use: `--rules DIR` first, then `TRIAGE_RULES`, then
/// `./rules`, then the rule set bundled with the binary.
enum RuleSetLocator {
    /// Where a rule set was found.
    enum Origin: String, Sendable {
        case option = "--rules"
        case environment = "TRIAGE_RULES"
        case workingDirectory = "./rules"
        case bundled = "bundled"
    }

    /// Resolves the folder. Returns `nil` when the bundled rule set should be used.
    /// An explicit `--rules` or `TRIAGE_RULES` is returned even when missing, so that the
    /// loader reports it rather than silently falling back.
    static func resolve(
        option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (path: String, origin: Origin)? {
        if let option { return (option, .option) }
        if let env = environment["TRIAGE_RULES"], !env.isEmpty { return (env, .environment) }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: "rules/ruleset.yaml", isDirectory: &isDir), !isDir.boolValue {
            return ("rules", .workingDirectory)
        }
        return nil
    }
}
