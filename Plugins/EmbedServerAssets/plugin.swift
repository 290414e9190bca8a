import Foundation
import PackagePlugin

/// Embeds the pre-review page (Sources/TriageServer/Web/) and docs/openapi.yaml into
/// TriageServer as Swift string constants, so the binary serves them from memory and
/// the files stay the only copy in the repository.
@main
struct EmbedServerAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let files: [(symbol: String, path: String)] = [
            ("embeddedIndexHTML", "Sources/TriageServer/Web/index.html"),
            ("embeddedAppCSS", "Sources/TriageServer/Web/app.css"),
            ("embeddedAppJS", "Sources/TriageServer/Web/app.js"),
            ("embeddedCommonJS", "Sources/TriageServer/Web/common.js"),
            ("embeddedDeskJS", "Sources/TriageServer/Web/desk.js"),
            ("embeddedPrintHTML", "Sources/TriageServer/Web/print.html"),
            ("embeddedPrintJS", "Sources/TriageServer/Web/print.js"),
            ("embeddedPrintCSS", "Sources/TriageServer/Web/print.css"),
            ("embeddedOpenAPIYAML", "docs/openapi.yaml"),
        ]
        let inputs = files.map { root.appendingPathComponent($0.path) }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedAssets.swift")
        return [
            .buildCommand(
                displayName: "Embedding the pre-review page and the OpenAPI document",
                executable: try context.tool(named: "embed-rules").url,
                arguments: ["--files", output.path] + zip(files, inputs).map { "\($0.0.symbol)=\($0.1.path)" },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
