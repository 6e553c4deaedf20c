// The image fixtures written by Tests/Fixtures/Scripts/gen_images.py: the
// manifest of cases (file, read mode, expected HWC samples as PIL decodes
// them, tolerance) and small helpers for comparing decoded tensors.

import EmberTestSupport
import EmberVision
import Foundation
import Testing

/// One decoding case from images/manifest.json.
struct ImageCase: CustomTestStringConvertible, Sendable {
    let file: String
    let mode: ImageReadMode
    let orient: Bool
    /// [H, W, C].
    let shape: [Int]
    let wide: Bool
    let tolerance: Int
    let expectedFile: String

    var testDescription: String { "\(file) \(mode)\(orient ? "" : " unoriented")\(wide ? " 16-bit" : "")" }
    var isJPEG: Bool { file.hasSuffix(".jpg") }

    /// The expected samples, HWC.
    func expected() -> [Int] {
        let bytes = ImageFixtures.bytes(expectedFile)
        if !wide { return bytes.map(Int.init) }
        return stride(from: 0, to: bytes.count, by: 2).map { Int(bytes[$0]) | Int(bytes[$0 + 1]) << 8 }
    }
}

enum ImageFixtures {
    static let directory = FixtureLoader.directory.appendingPathComponent("images")

    static func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    static func bytes(_ file: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(file)) else {
            preconditionFailure("cannot read fixture \(path(file)); regenerate with gen_images.py")
        }
        return [UInt8](data)
    }

    static let cases: [ImageCase] = {
        let root = FixtureLoader.json("images/manifest.json")
        let modes: [String: ImageReadMode] = ["unchanged": .unchanged, "gray": .gray, "grayAlpha": .grayAlpha,
                                              "rgb": .rgb, "rgbAlpha": .rgbAlpha]
        return (root["cases"] as! [[String: Any]]).map { c in
            ImageCase(file: c["file"] as! String, mode: modes[c["mode"] as! String]!, orient: c["orient"] as! Bool,
                      shape: c["shape"] as! [Int], wide: c["dtype"] as! String == "uint16",
                      tolerance: c["tolerance"] as! Int, expectedFile: c["expected"] as! String)
        }
    }()

    static var jpegCases: [ImageCase] { cases.filter(\.isJPEG) }
    static var pngCases: [ImageCase] { cases.filter { !$0.isJPEG } }
}

/// Every sample of an integer tensor, as Ints.
func samples(_ t: Tensor) -> [Int] {
    t.dtype == .uint8 ? t.scalars(as: UInt8.self).map(Int.init) : t.scalars(as: Int32.self).map(Int.init)
}

/// The largest |a - b| over two equally long sample lists (Int.max if lengths differ).
func maxDifference(_ a: [Int], _ b: [Int]) -> Int {
    guard a.count == b.count else { return .max }
    return zip(a, b).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
}

/// A deterministic uint8 image tensor of `shape` (values vary in every axis).
func patternImage(_ shape: [Int]) -> Tensor {
    let n = shape.reduce(1, *)
    let values = (0..<n).map { UInt8(truncatingIfNeeded: ($0 * 37 + ($0 / 7) * 11) ^ ($0 >> 3)) }
    return Tensor(values, shape: shape)
}

/// The error `body` throws, or nil (recording an issue) when it does not throw an ImageError.
func imageError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> ImageError? {
    do {
        try body()
        Issue.record("expected an ImageError, got success", sourceLocation: sourceLocation)
    } catch let error as ImageError {
        return error
    } catch {
        Issue.record("expected an ImageError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
