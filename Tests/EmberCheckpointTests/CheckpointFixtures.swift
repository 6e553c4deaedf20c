// Helpers shared by the safetensors suites: the reference files and their
// expected contents, temporary directories, and hand-built files.

import EmberCore
import EmberTestSupport
import Foundation
import Testing

enum CheckpointFixtures {
    static let directory = FixtureLoader.directory.appendingPathComponent("checkpoint")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name + ".safetensors") }

    /// `expected.json`'s description of one file.
    static func expected(_ name: String) -> [String: Any] {
        let files = FixtureLoader.json("checkpoint/expected.json")["files"] as! [String: Any]
        return files[name] as! [String: Any]
    }

    static let fileNames = ["dtypes", "metadata", "noncontiguous", "empty", "unaligned"]
}

/// A fresh directory, removed when `body` returns.
func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-st-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

/// The raw little-endian bytes of a tensor's elements, in row-major order.
func rawBytes(_ t: Tensor) -> [UInt8] {
    let c = t.contiguous()
    return Array(UnsafeRawBufferPointer(start: c.rawPointer, count: c.count * c.dtype.itemSize))
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

/// A safetensors file: the 8-byte length (`length`, or the header's real
/// length), the header text, then `data`.
func safetensorsBytes(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
    let h = Array(header.utf8)
    let n = length ?? UInt64(h.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } + h + data
}
