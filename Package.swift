// swift-tools-version: 6.1
import Foundation
import PackageDescription

// Kernels are plain loops that LLVM vectorizes, so they are compiled for the
// CPU that builds them, as a source package is: AVX-512 where the CPU has it,
// else AVX2 + FMA. EMBER_TARGET_CPU=<LLVM CPU name> overrides the choice.
#if arch(x86_64)
func detectTargetCPU() -> String {
    if let cpu = Context.environment["EMBER_TARGET_CPU"] { return cpu }
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
        return "haswell"
    }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    let amd = info.contains("AuthenticAMD")
    if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) {
        return amd ? "znver4" : "skylake-avx512"
    }
    return flags.isSuperset(of: ["avx2", "fma"]) ? "haswell" : "x86-64"
}
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", detectTargetCPU()])]
// EMBER_AVX512 selects the kernels' own AVX-512 SGEMM (GEMM+AVX512.swift).
let avx512Kernels: [SwiftSetting] =
    ["skylake-avx512", "znver4", "znver5"].contains(detectTargetCPU()) ? [.define("EMBER_AVX512")] : []
#else
let cpuFlags: [SwiftSetting] = []
let avx512Kernels: [SwiftSetting] = []
#endif

let optimize: [SwiftSetting] = cpuFlags + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"]),
]

let package = Package(
    name: "Ember",
    products: [
        .library(name: "EmberCore", targets: ["EmberCore"]),
        .library(name: "EmberNN", targets: ["EmberNN"]),
        .library(name: "EmberOptim", targets: ["EmberOptim"]),
        .library(name: "EmberData", targets: ["EmberData"]),
        .library(name: "EmberCheckpoint", targets: ["EmberCheckpoint"]),
        .library(name: "EmberVision", targets: ["EmberVision"]),
        .executable(name: "ember", targets: ["ember"]),
        .executable(name: "tensor-tour", targets: ["tensor-tour"]),
        .executable(name: "fortunes-data", targets: ["fortunes-data"]),
        .executable(name: "ember-bench", targets: ["EmberBenchmarks"]),
        .executable(name: "train-digits", targets: ["train-digits"]),
        .executable(name: "fit-diabetes", targets: ["fit-diabetes"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Core/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Core/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "EmberKernels",
            dependencies: [
                "COpenBLAS",
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            path: "Core/EmberKernels",
            exclude: ["README.md"],
            swiftSettings: optimize + avx512Kernels
        ),
        .target(
            name: "EmberCore",
            dependencies: ["EmberKernels"],
            path: "Core/EmberCore",
            exclude: ["README.md"],
            swiftSettings: optimize
        ),
        .target(
            name: "EmberNN",
            dependencies: ["EmberCore", "EmberKernels"],
            path: "Core/EmberNN",
            exclude: ["README.md"],
            swiftSettings: optimize
        ),
        .target(
            name: "EmberOptim",
            dependencies: ["EmberCore", "EmberNN", "EmberKernels"],
            path: "Core/EmberOptim",
            exclude: ["README.md"],
            swiftSettings: optimize
        ),
        .target(
            name: "EmberData",
            dependencies: ["EmberCore", "EmberKernels"],
            path: "Core/EmberData",
            exclude: ["README.md"],
            swiftSettings: optimize
        ),
        .target(
            name: "EmberCheckpoint",
            dependencies: ["EmberCore", "EmberNN", "EmberOptim", "EmberKernels", "CZlib"],
            path: "Core/EmberCheckpoint",
            exclude: ["README.md"],
            swiftSettings: optimize
        ),
        .target(
            name: "CImageCodecs",
            path: "Vision/CImageCodecs",
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16")]
        ),
        .target(
            name: "EmberVision",
            dependencies: [
                "EmberCore", "EmberNN", "EmberData", "EmberCheckpoint", "EmberKernels", "CImageCodecs",
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ],
            path: "Vision/EmberVision",
            exclude: ["README.md"],
            swiftSettings: optimize
        ),
        .executableTarget(
            name: "ember",
            dependencies: [
                "EmberCore", "EmberNN", "EmberOptim", "EmberData", "EmberCheckpoint", "EmberVision",
                "EmberTokenizers", "EmberText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Examples/ember"
        ),
        .executableTarget(
            name: "fortunes-data",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Examples/fortunes-data"
        ),
        .executableTarget(
            name: "tensor-tour",
            dependencies: ["EmberCore"],
            path: "Examples/tensor-tour"
        ),
        .executableTarget(
            name: "train-digits",
            dependencies: ["EmberCore", "EmberNN", "EmberOptim", "EmberData"],
            path: "Examples/train-digits"
        ),
        .executableTarget(
            name: "fit-diabetes",
            dependencies: ["EmberCore", "EmberNN", "EmberOptim", "EmberData"],
            path: "Examples/fit-diabetes"
        ),
        .executableTarget(
            name: "EmberBenchmarks",
            dependencies: ["EmberCore", "EmberNN", "EmberOptim", "EmberCheckpoint", "EmberVision", "EmberTokenizers",
                           "EmberText", "COpenBLAS"],
            path: "Benchmarks/EmberBenchmarks",
            swiftSettings: optimize
        ),
        .target(
            name: "EmberTestSupport",
            dependencies: ["EmberCore"],
            path: "Tests/EmberTestSupport"
        ),
        .testTarget(
            name: "EmberCoreTests",
            dependencies: ["EmberCore", "EmberTestSupport"],
            path: "Tests/EmberCoreTests"
        ),
        .testTarget(
            name: "EmberNNTests",
            dependencies: ["EmberCore", "EmberNN", "EmberOptim", "EmberData", "EmberTestSupport"],
            path: "Tests/EmberNNTests"
        ),
        .testTarget(
            name: "EmberCLITests",
            dependencies: ["ember", "EmberCore", "EmberNN", "EmberCheckpoint", "EmberTestSupport"],
            path: "Tests/EmberCLITests"
        ),
        .testTarget(
            name: "EmberVisionTests",
            dependencies: ["EmberVision", "EmberCore", "EmberNN", "EmberCheckpoint", "EmberTestSupport"],
            path: "Tests/EmberVisionTests"
        ),
        .testTarget(
            name: "EmberCheckpointTests",
            dependencies: ["EmberCore", "EmberNN", "EmberOptim", "EmberData", "EmberCheckpoint", "EmberTestSupport"],
            path: "Tests/EmberCheckpointTests"
        ),
    ]
)

// MARK: - Text: tokenizers
// EmberTokenizers has no tensor dependency: Foundation, and ICU's
// normalization (libicu) through a small C shim. Declared apart from the
// main list so it merges cleanly with concurrent edits above.
package.products.append(.library(name: "EmberTokenizers", targets: ["EmberTokenizers"]))
package.targets.append(.target(
    name: "CUnicodeNormalization",
    path: "Text/CUnicodeNormalization",
    linkerSettings: [.linkedLibrary("icuuc")]
))
package.targets.append(.target(
    name: "EmberTokenizers",
    dependencies: ["CUnicodeNormalization"],
    path: "Text/EmberTokenizers",
    exclude: ["README.md"],
    swiftSettings: optimize
))
package.targets.append(.testTarget(
    name: "EmberTokenizersTests",
    dependencies: ["EmberTokenizers"],
    path: "Tests/EmberTokenizersTests"
))

// MARK: - Text: models
// BERT/MiniLM and GPT-2 on top of the tensor library and the tokenizers.
package.products.append(.library(name: "EmberText", targets: ["EmberText"]))
package.targets.append(.target(
    name: "EmberText",
    dependencies: ["EmberCore", "EmberNN", "EmberOptim", "EmberData", "EmberCheckpoint", "EmberTokenizers",
                   .product(name: "SwiftCSV", package: "SwiftCSV")],
    path: "Text/EmberText",
    exclude: ["README.md"],
    swiftSettings: optimize
))
package.targets.append(.testTarget(
    name: "EmberTextTests",
    dependencies: ["EmberText", "EmberTokenizers", "EmberCore", "EmberNN", "EmberCheckpoint", "EmberTestSupport"],
    path: "Tests/EmberTextTests"
))

// MARK: - Fuzzing (only with EMBER_FUZZ=1)
// libFuzzer targets for the checkpoint parsers, built and run by `make fuzz`
// with -sanitize=fuzzer,address for every module. They are declared only on
// demand: plain `swift build` and `swift test` never see them, and their
// sources need a sanitizer build (libFuzzer supplies `main`).
if Context.environment["EMBER_FUZZ"] == "1" {
    package.targets.append(.target(
        name: "FuzzSupport",
        dependencies: ["EmberCore", "EmberCheckpoint"],
        path: "Tests/Fuzz/FuzzSupport"
    ))
    for name in ["FuzzSafeTensors", "FuzzUnpickler", "FuzzTorchZip", "FuzzTorchCheckpoint"] {
        package.targets.append(.executableTarget(
            name: name,
            dependencies: ["EmberCheckpoint", "FuzzSupport"],
            path: "Tests/Fuzz/\(name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
