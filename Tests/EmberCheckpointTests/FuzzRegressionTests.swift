// Inputs that broke the checkpoint parsers, found while fuzzing them
// (Tests/Fuzz), kept as tests: each must now end in its typed error, never a
// trap or a hang.

import EmberCheckpoint
import EmberTestSupport
import Foundation
import Testing

private let pth = FixtureLoader.directory.appendingPathComponent("checkpoint/pth")

/// Loads `bytes` from a temporary file and returns the error it throws.
private func loadError(_ bytes: [UInt8]) throws -> TorchCheckpointError? {
    try withTemporaryDirectory { dir in
        let url = dir.appendingPathComponent("fuzzed.pt")
        try Data(bytes).write(to: url)
        return #expect(throws: TorchCheckpointError.self) { _ = try TorchCheckpoint.load(url) }
    }
}

/// A view whose sizes multiply past Int.max (stride 0, so it touches one
/// element) loaded into a tensor whose `count` trapped on first use.
@Test func sizesWhoseProductOverflowsAreRefused() throws {
    var bytes = [UInt8](try Data(contentsOf: pth.appendingPathComponent("views_legacy.pt")))
    // `expanded`: offset 12, size (3, 3), stride (0, 1), pickled as BININT1s and TUPLE2s.
    let expanded: [UInt8] = [0x4B, 12, 0x4B, 3, 0x4B, 3, 0x86, 0x71, 41, 0x4B, 0, 0x4B, 1, 0x86]
    let range = try #require(bytes.firstRange(of: expanded))
    // Size (2³¹ - 1, 2³¹ - 1, 2³¹ - 1) as BININTs, stride (0, 0, 0); legacy files carry no checksum.
    let big: [UInt8] = [0x4A, 0xFF, 0xFF, 0xFF, 0x7F]
    bytes.replaceSubrange(range, with: [0x4B, 12] + big + big + big + [0x87, 0x71, 41, 0x4B, 0, 0x4B, 0, 0x4B, 0, 0x87])
    let error = try loadError(bytes)
    guard case .malformedTensor(_, let reason) = error else { Issue.record("\(String(describing: error))"); return }
    #expect(reason.contains("more elements than Int holds"))
}

