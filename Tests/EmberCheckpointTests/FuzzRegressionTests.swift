// Inputs that broke the checkpoint parsers, found while fuzzing them
// (Tests/Fuzz), kept as tests: each must now end in its typed error, never a
// trap or a hang.

import EmberCheckpoint
import EmberTestSupport
import Foundation
import Testing


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

/// A tuple, then `levels` times a pair of the memo's latest tuple: 5 bytes a
/// level, and a frozen tree of 2^(levels + 1) - 1 values.
private func pairsOfPairs(_ levels: Int) -> [UInt8] {
    var bytes: [UInt8] = [0x80, 0x02, 0x29, 0x71, 0]                        // PROTO 2, EMPTY_TUPLE, BINPUT 0
    for k in 1...levels { bytes += [0x68, UInt8(k - 1), 0x86, 0x71, UInt8(k)] } // BINGET, TUPLE2, BINPUT
    return bytes + [0x2E]                                                     // STOP
}

/// 206 bytes that froze into 2⁴¹ values: the unpickler ran until killed.
@Test func sharedSubtreesCannotRepeatExponentially() throws {
    let error = #expect(throws: PickleError.self) {
        var reader = Unpickler(pairsOfPairs(40), source: "pairs.pkl")
        _ = try reader.load()
    }
    guard case .limitExceeded(_, _, let reason) = error else { Issue.record("\(String(describing: error))"); return }
    #expect(reason.contains("repeated"))
}

/// Sharing within the budget still loads, every repeat expanded.
@Test func sharedSubtreesWithinTheBudgetLoad() throws {
    var reader = Unpickler(pairsOfPairs(12), source: "pairs.pkl")
    func count(_ v: PickleValue) -> Int { if case .tuple(let items) = v { 1 + items.map(count).reduce(0, +) } else { 1 } }
    #expect(count(try reader.load()) == (1 << 13) - 1)
}
