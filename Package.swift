// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "shift",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shift", targets: ["shift"]),
        .library(name: "ShiftCore", targets: ["ShiftCore"]),
        .library(name: "ShiftStorage", targets: ["ShiftStorage"]),
        .library(name: "ShiftLocal", targets: ["ShiftLocal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Already in the graph through async-http-client; the local index's listing takes its partial sort.
        .package(url: "https://github.com/apple/swift-algorithms", from: "1.2.1"),
    ],
    targets: [
        // Domain: schedules, deployments, alarms, routing, errors, protocols. No I/O of its own.
        .target(name: "ShiftCore"),
        // Canary analysis: the Mann-Whitney test, the Hodges-Lehmann estimate, Kayenta's classifier and scorer, the judge.
        .target(name: "ShiftAnalysis", dependencies: ["ShiftCore"]),
        // The state directory: atomic files, file locks, JSON files; one error type with a category.
        .target(name: "ShiftStorage", dependencies: ["ShiftCore"]),
        // The local platform: functions as real programs, state in a directory.
        .target(
            name: "ShiftLocal",
            dependencies: [
                "ShiftCore",
                "ShiftStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Algorithms", package: "swift-algorithms"),
            ]
        ),
        // The encrypted parameter store: AES-256-GCM envelope encryption, PBKDF2 for passphrases (in _CryptoExtras).
        .target(
            name: "ShiftSecrets",
            dependencies: [
                "ShiftCore",
                "ShiftStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The AWS platform: SigV4 signing (swift-crypto), the credentials/region chain, HTTP on
        // async-http-client (SwiftNIO: no FoundationNetworking, no busy waiting); no AWS SDK.
        .target(
            name: "ShiftAWS",
            dependencies: [
                "ShiftCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Pipelines: the file model and its validation, the stage runner, approvals, artifacts and run records.
        // Knows platforms, commands and file trees only through ShiftCore's protocols; ShiftPlatforms wires them.
        .target(
            name: "ShiftPipeline",
            dependencies: [
                "ShiftCore",
                "ShiftStorage",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // SAM templates: reading (intrinsic and condition functions, Globals) and conversion into a pipeline file.
        .target(
            name: "ShiftSAM",
            dependencies: [
                "ShiftCore",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Wiring: builds an account's platforms and stores (local or AWS) and hands them out as ShiftCore protocols,
        // to the CLI and to the pipeline runner (its deploy targets and accounts).
        .target(name: "ShiftPlatforms", dependencies: ["ShiftCore", "ShiftAnalysis", "ShiftStorage", "ShiftLocal", "ShiftAWS", "ShiftSecrets", "ShiftPipeline"]),
        // Deployment reports: pure functions from a deployment's journal and metrics to one self-contained HTML page or SVG chart.
        .target(name: "ShiftReport", dependencies: ["ShiftCore"]),
        // Thin: parses arguments, renders output, maps exit codes; gets its platforms from ShiftPlatforms.
        .executableTarget(
            name: "shift",
            dependencies: [
                "ShiftCore",
                "ShiftStorage",
                "ShiftLocal",
                "ShiftSecrets",
                "ShiftAWS",
                "ShiftPipeline",
                "ShiftPlatforms",
                "ShiftReport",
                "ShiftSAM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: measures shift against references in the same run; see BENCHMARKS.md.
        .executableTarget(name: "shift-bench", dependencies: ["ShiftCore", "ShiftAnalysis", "ShiftStorage", "ShiftLocal", "ShiftSecrets", "ShiftPlatforms"]),
        // Test doubles shared by the test targets: a manual clock, an in-memory platform.
        .target(name: "ShiftTestSupport", dependencies: ["ShiftCore"]),
        .testTarget(name: "ShiftCoreTests", dependencies: ["ShiftCore", "ShiftTestSupport"]),
        .testTarget(name: "ShiftAnalysisTests", dependencies: ["ShiftAnalysis", "ShiftCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ShiftStorageTests", dependencies: ["ShiftStorage", "ShiftCore", "ShiftTestSupport"]),
        .testTarget(name: "ShiftLocalTests", dependencies: ["ShiftCore", "ShiftStorage", "ShiftLocal", "ShiftTestSupport"]),
        .testTarget(name: "ShiftSecretsTests", dependencies: ["ShiftSecrets", "ShiftCore", "ShiftStorage", "ShiftTestSupport"]),
        .testTarget(name: "ShiftPipelineTests", dependencies: ["ShiftPipeline", "ShiftPlatforms", "ShiftAWS", "ShiftCore", "ShiftStorage", "ShiftLocal", "ShiftSecrets", "ShiftTestSupport"]),
        .testTarget(name: "ShiftReportTests", dependencies: ["ShiftReport", "ShiftCore", "ShiftTestSupport"]),
        .testTarget(name: "ShiftSAMTests", dependencies: ["ShiftSAM", "ShiftPipeline", "ShiftCore", "ShiftTestSupport"]),
        .testTarget(name: "ShiftAWSTests", dependencies: ["ShiftAWS", "ShiftCore", "ShiftTestSupport"]),
        .testTarget(name: "ShiftPlatformsTests", dependencies: ["ShiftPlatforms", "ShiftAnalysis", "ShiftCore", "ShiftStorage", "ShiftLocal", "ShiftAWS", "ShiftTestSupport"]),
        // The command-line module's own rules (how `invoke` reads its arguments), tested in process.
        .testTarget(name: "ShiftCommandTests", dependencies: ["shift"]),
        .testTarget(name: "ShiftIntegrationTests", dependencies: ["ShiftCore", "ShiftStorage", "ShiftLocal", "ShiftTestSupport"], exclude: ["Fixtures"]),
    ]
)
