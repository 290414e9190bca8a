// swift-tools-version:6.0
import PackageDescription

/// Upcoming-language settings every target uses (as Hummingbird does): explicit `any`,
/// imports internal unless marked `public import`, and members visible only from modules
/// a file imports itself.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "pudong-triage",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TriageKit", targets: ["TriageKit"]),
        .library(name: "TriageEval", targets: ["TriageEval"]),
        .library(name: "TriageServer", targets: ["TriageServer"]),
        .library(name: "TriageCases", targets: ["TriageCases"]),
        .executable(name: "triage", targets: ["triage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.4.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // C boundary: Debian's libpcre2-8, libyaml and OpenCC through pkg-config.
        .systemLibrary(
            name: "CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(
            name: "CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(
            name: "COpenCC", pkgConfig: "opencc",
            providers: [.apt(["libopencc-dev"])]),
        // Thin Swift wrappers.
        .target(name: "PCRE2", dependencies: ["CPCRE2"], swiftSettings: strict),
        .target(name: "YAML", dependencies: ["CYAML"], swiftSettings: strict),
        .target(name: "ChineseVariants", dependencies: ["COpenCC"], swiftSettings: strict),
        // The library: model, loading, engine, explanation.
        .target(name: "TriageKit", dependencies: ["PCRE2", "YAML", "ChineseVariants"], swiftSettings: strict),
        // Rule QA: lint, labelled corpora, metrics, stats, diff, reports.
        .target(name: "TriageEval", dependencies: ["TriageKit", "YAML"], swiftSettings: strict),
        // The bundled rule set, embedded from rules/ at build time.
        .executableTarget(name: "embed-rules", path: "Sources/embed-rules"),
        .plugin(name: "EmbedRules", capability: .buildTool(), dependencies: ["embed-rules"]),
        .plugin(name: "EmbedServerAssets", capability: .buildTool(), dependencies: ["embed-rules"]),
        .target(name: "BundledRules", plugins: ["EmbedRules"]),
        // The HTTP service, the pre-review desk's routes (/v1/cases, sign-in) and the page.
        .target(
            name: "TriageServer",
            dependencies: [
                "TriageKit", "TriageCases",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // The connection layer (Connections.swift): limits, timeouts, protocol checks.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            exclude: ["Web"],
            swiftSettings: strict,
            plugins: ["EmbedServerAssets"]),
        // The case store (SQLite through GRDB), accounts, and the exports of decided cases.
        // Only Proposal+TriageResult.swift imports TriageKit.
        .target(
            name: "TriageCases",
            dependencies: [
                "TriageKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]),
        // Tools.
        .executableTarget(
            name: "triage",
            dependencies: [
                "TriageKit", "TriageEval", "BundledRules", "TriageServer", "TriageCases",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "triage-bench", dependencies: ["TriageKit", "ChineseVariants"], swiftSettings: strict),
        // Fuzz targets (scripts/fuzz.sh builds triage-fuzz with libFuzzer; the ordinary build replays inputs).
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .target(name: "FuzzTargets", dependencies: ["TriageKit", "YAML"], swiftSettings: strict),
        .executableTarget(name: "triage-fuzz", dependencies: ["FuzzTargets", "CLibFuzzer"], swiftSettings: strict),
        // The README's library example, built with everything else so it cannot rot.
        .executableTarget(name: "library-example", dependencies: ["TriageKit"], path: "Examples/library", swiftSettings: strict),
        .executableTarget(
            name: "triage-cases-bench",
            dependencies: ["TriageCases", "TriageKit", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "ChineseVariantsTests", dependencies: ["ChineseVariants"]),
        .testTarget(name: "TriageKitTests", dependencies: ["TriageKit", "PCRE2"], exclude: ["Fixtures"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"], exclude: ["Regressions"]),
        .testTarget(name: "TriageEvalTests", dependencies: ["TriageEval", "TriageKit"], exclude: ["Fixtures"]),
        .testTarget(
            name: "TriageCasesTests",
            dependencies: [
                "TriageCases", "TriageKit", "TriageEval", "triage",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "TriageCLITests", dependencies: ["triage", "TriageKit", "library-example"], exclude: ["Golden"]),
        .testTarget(
            name: "TriageServerTests",
            dependencies: [
                "TriageServer", "TriageKit", "TriageCases", "YAML",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
