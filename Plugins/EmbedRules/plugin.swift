import Foundation
import PackagePlugin

/// Embeds the package's `rules/` folder into the target as Swift source, so an
/// installed `triage` binary carries its default rule set wherever it runs.
@main
struct EmbedRules: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let rules = context.package.directoryURL.appendingPathComponent("rules")
        var inputs: [URL] = []
        if let e = FileManager.default.enumerator(at: rules, includingPropertiesForKeys: nil) {
            for case let url as URL in e where url.pathExtension == "yaml" || url.pathExtension == "yml" {
                inputs.append(url)
            }
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedRules.swift")
        return [
            .buildCommand(
                displayName: "Embedding rules/ (\(inputs.count) files)",
                executable: try context.tool(named: "embed-rules").url,
                arguments: [rules.path, output.path],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
