// Ember's .pth writer: torch's own fixtures re-saved by Ember load back
// value for value, byte-identical to the files torch has verified
// (check_ember_pth.py), and torch's re-save of those loads in Ember again:
// Ember → torch → Ember.

import EmberCheckpoint
import EmberCore
import EmberTestSupport
import Foundation
import Testing

private let emberDirectory = pth.appendingPathComponent("ember")
/// Set by `make fixtures`: write the Ember files that check_ember_pth.py then hands to torch.
private let writingFixtures = ProcessInfo.processInfo.environment["EMBER_WRITE_FIXTURES"] == "1"

private let roundTripNames = ["state_dict.pt", "checkpoint.pth.tar", "views.pt", "dtypes.pt", "many_keys.pt"]

@Test("Ember re-saves torch's checkpoints byte-identically to the torch-verified files, and they load back",
      arguments: roundTripNames)
func emberResavesTorchCheckpoints(_ name: String) throws {
    let value = try TorchCheckpoint.load(pth.appendingPathComponent(name))
    try withTemporaryDirectory { dir in
        let url = dir.appendingPathComponent(name)
        try TorchCheckpoint.save(value, to: url)
        if writingFixtures {
            try FileManager.default.createDirectory(at: emberDirectory, withIntermediateDirectories: true)
            try Data(contentsOf: url).write(to: emberDirectory.appendingPathComponent(name))
        }
        #expect(try Data(contentsOf: url) == Data(contentsOf: emberDirectory.appendingPathComponent(name)),
                "\(name): Ember's bytes differ from the file torch verified; run `make fixtures`")
        expectLoaded(try TorchCheckpoint.load(url), expectedObjects[name]!["object"] as! [String: Any], "ember/" + name)
    }
}

@Test("torch loaded every Ember file with weights_only=True and found it equal to its original")
func torchVerifiedEmberFiles() throws {
    let verdicts = FixtureLoader.json("checkpoint/pth/ember/verified.json") as! [String: String]
    for name in roundTripNames + ["zip64.pt"] {
        #expect(verdicts[name] == "equal", "\(name): \(verdicts[name] ?? "not checked by torch")")
    }
}

@Test("torch's re-save of Ember's files loads in Ember as the original", arguments: roundTripNames)
func torchResaveLoads(_ name: String) throws {
    let value = try TorchCheckpoint.load(emberDirectory.appendingPathComponent("resaved").appendingPathComponent(name))
    expectLoaded(value, expectedObjects[name]!["object"] as! [String: Any], "resaved/" + name)
}

@Test func savedViewsShareOneStorage() throws {
    let views = try TorchCheckpoint.load(emberDirectory.appendingPathComponent("views.pt"))
    func storage(_ key: String) -> Storage? { if case .tensor(let t) = views[key] { t.storage } else { nil } }
    let base = try #require(storage("base"))
    for key in ["transposed", "row", "columns", "expanded", "strided"] { #expect(storage(key) === base, "\(key)") }
    #expect(storage("separate") !== base)
}

@Test("ZIP64 records and offsets read back, in Ember and in torch")
func zip64RoundTrip() throws {
    let value = try TorchCheckpoint.load(pth.appendingPathComponent("views.pt"))
    try withTemporaryDirectory { dir in
        let url = dir.appendingPathComponent("zip64.pt")
        try TorchCheckpoint.save(value, to: url, zip64Threshold: 0)
        if writingFixtures { try Data(contentsOf: url).write(to: emberDirectory.appendingPathComponent("zip64.pt")) }
        #expect(try Data(contentsOf: url) == Data(contentsOf: emberDirectory.appendingPathComponent("zip64.pt")))
        let archive = try TorchZipArchive(url: url)
        #expect(archive.entryNames.contains("zip64/data.pkl"))
        expectLoaded(try TorchCheckpoint.load(url), expectedObjects["views.pt"]!["object"] as! [String: Any], "zip64")
    }
}

@Test("every kind of value survives a save and load")
func valuesRoundTrip() throws {
    let base = Tensor((0..<12).map(Float.init), shape: [3, 4])
    let big: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0, 0x80, 0]  // 2^63 + 1 needs ten bytes
    let ints: [Int64] = [0, 255, 256, 65535, 65536, -1, Int64(Int32.min), Int64(Int32.max) + 1, -(1 << 40), .max, .min]
    let value = TorchValue.dict([
        (.string("ints"), .list(ints.map { .int($0) })),
        (.string("big"), .bigInt(big)),
        (.string("floats"), .tuple([.float(0.1), .float(-.infinity), .float(1e-310)])),
        (.string("text"), .string("grüße 🔥")),
        (.string("bytes"), .bytes([0, 0x7F, 0x80, 0xFF])),
        (.string("flags"), .tuple([.bool(true), .bool(false), .none])),
        (.int(3), .string("int key")),
        (.string("transposed"), .tensor(base.t())),
        (.string("row"), .tensor(base[1])),
        (.string("long list"), .list((0..<2500).map { .int(Int64($0)) })),
        (.string("empty"), .dict([], ordered: true)),
    ], ordered: false)
    try withTemporaryDirectory { dir in
        let url = dir.appendingPathComponent("values.pth")
        try TorchCheckpoint.save(value, to: url)
        let loaded = try TorchCheckpoint.load(url)
        guard case .list(let loadedInts) = loaded["ints"] else { Issue.record("ints: \(String(describing: loaded["ints"]))"); return }
        let decoded: [Int64?] = loadedInts.map { if case .int(let i) = $0 { i } else { nil } }
        #expect(decoded == ints)
        if case .bigInt(let b) = loaded["big"] { #expect(b == big) } else { Issue.record("big") }
        if case .tuple(let f) = loaded["floats"], f.count == 3, case .float(let a) = f[0], case .float(let b) = f[1],
           case .float(let c) = f[2] {
            #expect(a == 0.1 && b == -.infinity && c == 1e-310)
        } else { Issue.record("floats") }
        if case .string(let s) = loaded["text"] { #expect(s == "grüße 🔥") } else { Issue.record("text") }
        if case .bytes(let b) = loaded["bytes"] { #expect(b == [0, 0x7F, 0x80, 0xFF]) } else { Issue.record("bytes") }
        guard case .dict(let items, false) = loaded else { Issue.record("not a dict"); return }
        #expect(items.contains { if case .int(3) = $0.key, case .string("int key") = $0.value { true } else { false } })
        guard case .tensor(let t) = loaded["transposed"], case .tensor(let row) = loaded["row"] else {
            Issue.record("tensors"); return
        }
        #expect(t.shape == [4, 3] && t.strides == [1, 4] && t.storage === row.storage && row.storageOffset == 4)
        #expect(t.scalars(as: Float.self) == base.t().scalars(as: Float.self))
        if case .list(let l) = loaded["long list"] { #expect(l.count == 2500) } else { Issue.record("long list") }
        if case .dict(let e, true) = loaded["empty"] { #expect(e.isEmpty) } else { Issue.record("empty") }
    }
}

@Test func unwritableDestinationThrowsAndLeavesNothing() throws {
    try withTemporaryDirectory { dir in
        let url = dir.appendingPathComponent("missing/model.pth")
        #expect(throws: TorchCheckpointError.self) { try TorchCheckpoint.save(.int(1), to: url) }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left.isEmpty)
    }
}

@Test func oversizedIntegerIsRefusedByKey() throws {
    try withTemporaryDirectory { dir in
        let url = dir.appendingPathComponent("big.pth")
        #expect(throws: TorchCheckpointError.unsupportedValue(path: url.path, key: "n", reason: "an integer of 300 bytes")) {
            try TorchCheckpoint.save(.dict([(.string("n"), .bigInt(Array(repeating: 1, count: 300)))], ordered: false), to: url)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}
