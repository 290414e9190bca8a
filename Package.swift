// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pudong-triage",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TriageKit", targets: ["TriageKit"]),
        .library(name: "TriageEval", targets: ["TriageEval"]),
        .executable(name: "triage", targets: ["triage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C boundary: Debian's libpcre2-8 and libyaml through pkg-config.
        .systemLibrary(
            name: "CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(
            name: "CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        // Thin Swift wrappers.
        .target(name: "PCRE2", dependencies: ["CPCRE2"]),
        .target(name: "YAML", dependencies: ["CYAML"]),
        // The library: model, loading, engine, explanation.
        .target(name: "TriageKit", dependencies: ["PCRE2", "YAML"]),
        // Rule QA: lint, labelled corpora, metrics, stats, diff, reports.
        .target(name: "TriageEval", dependencies: ["TriageKit", "YAML"]),
        // The bundled rule set, embedded from rules/ at build time.
        .executableTarget(name: "embed-rules", path: "Sources/embed-rules"),
        .plugin(name: "EmbedRules", capability: .buildTool(), dependencies: ["embed-rules"]),
        .target(name: "BundledRules", plugins: ["EmbedRules"]),
        // Tools.
        .executableTarget(
            name: "triage",
            dependencies: [
                "TriageKit", "TriageEval", "BundledRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "triage-bench", dependencies: ["TriageKit", "PCRE2"]),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "TriageKitTests", dependencies: ["TriageKit", "PCRE2"], exclude: ["Fixtures"]),
        .testTarget(name: "TriageEvalTests", dependencies: ["TriageEval", "TriageKit"], exclude: ["Fixtures"]),
        .testTarget(name: "TriageCLITests", dependencies: ["triage"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
