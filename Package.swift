// swift-tools-version: 6.1
import PackageDescription

// Kernels are written for AVX2 + FMA on x86-64 (every server CPU since 2013).
// Override with EMBER_TARGET_CPU=native (or any LLVM CPU name) when building.
#if arch(x86_64)
let targetCPU = Context.environment["EMBER_TARGET_CPU"] ?? "haswell"
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", targetCPU])]
#else
let cpuFlags: [SwiftSetting] = []
#endif

let optimize: [SwiftSetting] = cpuFlags + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"]),
]

let package = Package(
    name: "Ember",
    products: [
        .library(name: "EmberCore", targets: ["EmberCore"]),
        .executable(name: "tensor-tour", targets: ["tensor-tour"]),
        .executable(name: "ember-bench", targets: ["EmberBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Core/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "EmberKernels",
            dependencies: [
                "COpenBLAS",
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            path: "Core/EmberKernels",
            exclude: ["README.md"],
            swiftSettings: optimize
        ),
        .target(
            name: "EmberCore",
            dependencies: ["EmberKernels"],
            path: "Core/EmberCore",
            exclude: ["README.md"],
            swiftSettings: optimize
        ),
        .executableTarget(
            name: "tensor-tour",
            dependencies: ["EmberCore"],
            path: "Examples/tensor-tour"
        ),
        .executableTarget(
            name: "EmberBenchmarks",
            dependencies: ["EmberCore", "COpenBLAS"],
            path: "Benchmarks/EmberBenchmarks",
            swiftSettings: optimize
        ),
        .testTarget(
            name: "EmberCoreTests",
            dependencies: ["EmberCore"],
            path: "Tests/EmberCoreTests"
        ),
    ]
)
