// swift-tools-version:6.0
import PackageDescription

/// netcheck: diagnoses network problems from blackbox system-call traces.
///
/// Dependencies point one way: Parsers and Engine depend on IR, Exporters on IR and Engine,
/// the `netcheck` command line on all of them; nothing depends on the command line.
let package = Package(
    name: "netcheck",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "netcheck", targets: ["netcheck"]),
        .library(name: "NetcheckIR", targets: ["IR"]),
        .library(name: "NetcheckParsers", targets: ["Parsers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .target(name: "IR"),
        .target(name: "Parsers", dependencies: ["IR", "CZlib"]),
        .target(name: "Engine", dependencies: ["IR"]),
        .target(name: "Exporters", dependencies: ["IR", "Engine", "CLibXML2"]),
        .executableTarget(name: "netcheck", dependencies: [
            "IR", "Parsers", "Engine", "Exporters",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "netcheck-bench", dependencies: ["IR", "Parsers", "Engine", "TestSupport"],
                          path: "Sources/Bench"),
        /// Deterministic generators and file helpers shared by the tests and the benchmark.
        .target(name: "TestSupport"),
        .testTarget(name: "IRTests", dependencies: ["IR", "TestSupport"]),
        .testTarget(name: "ParsersTests", dependencies: ["IR", "Parsers", "Exporters", "TestSupport"]),
        .testTarget(name: "ExportersTests", dependencies: ["IR", "Parsers", "Exporters", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["IR", "Parsers", "Engine", "TestSupport"]),
        .testTarget(name: "netcheckTests", dependencies: ["IR", "TestSupport"]),
    ]
)
