// Zip-format checkpoints written by torch, loaded into tensors: every value
// equals what torch saved (exactly), shapes, strides and offsets are kept,
// views share one storage, and a pickle asking for os.system is refused.

import EmberCheckpoint
import EmberCore
import EmberTestSupport
import Foundation
import Testing

let pth = FixtureLoader.directory.appendingPathComponent("checkpoint/pth")
nonisolated(unsafe) let expectedObjects = FixtureLoader.json("checkpoint/pth/expected.json")["files"] as! [String: [String: Any]]

/// Compares a loaded value with gen_pth.py's description, tensors value for value.
func expectLoaded(_ value: TorchValue, _ expected: [String: Any], _ path: String) {
    switch (expected["kind"] as! String, value) {
    case ("tensor", .tensor(let t)):
        #expect(t.shape == expected["shape"] as! [Int], "\(path) shape")
        #expect(t.strides == expected["stride"] as! [Int], "\(path) stride")
        #expect(t.storageOffset == expected["storage_offset"] as! Int, "\(path) storage offset")
        if let m = mismatch(t, FixtureLoader.spec(expected), rtol: 0, atol: 0) { Issue.record("\(path): \(m)") }
    case ("dict", .dict(let items, false)), ("ordered_dict", .dict(let items, true)):
        let pairs = expected["items"] as! [[Any]]
        #expect(items.count == pairs.count, "\(path): \(items.count) items, expected \(pairs.count)")
        for (item, pair) in zip(items, pairs) {
            expectLoaded(item.key, pair[0] as! [String: Any], "\(path) key")
            expectLoaded(item.value, pair[1] as! [String: Any], "\(path)[\(item.key)]")
        }
    case ("list", .list(let items)), ("tuple", .tuple(let items)):
        let children = expected["items"] as! [[String: Any]]
        #expect(items.count == children.count, "\(path)")
        for (i, (item, child)) in zip(items, children).enumerated() { expectLoaded(item, child, "\(path)[\(i)]") }
    case ("none", .none): break
    case ("bool", .bool(let b)): #expect(b == expected["value"] as! Bool, "\(path)")
    case ("int", .int(let i)): #expect(String(i) == expected["value"] as! String, "\(path)")
    case ("float", .float(let f)): #expect(f == Double(expected["value"] as! String)!, "\(path)")
    case ("string", .string(let s)): #expect(s == expected["value"] as! String, "\(path)")
    default: Issue.record("\(path): \(value) does not match \(expected["kind"]!)")
    }
}

@Test("checkpoint loads as torch saved it",
      arguments: ["state_dict.pt", "checkpoint.pth.tar", "views.pt", "dtypes.pt", "many_keys.pt", "proto4.pt",
                  "state_dict_legacy.pt", "checkpoint_legacy.pth.tar", "views_legacy.pt", "dtypes_legacy.pt",
                  "many_keys_legacy.pt"])
func checkpointLoads(_ name: String) throws {
    let value = try TorchCheckpoint.load(pth.appendingPathComponent(name))
    // Legacy files hold the same objects as their zip twins.
    let original = expectedObjects[name]!["same_object_as"] as? String ?? name
    expectLoaded(value, expectedObjects[original]!["object"] as! [String: Any], name)
}

@Test func legacyViewsShareOneStorageToo() throws {
    let views = try TorchCheckpoint.load(pth.appendingPathComponent("views_legacy.pt"))
    guard case .tensor(let base) = views["base"], case .tensor(let transposed) = views["transposed"] else {
        Issue.record("missing tensors")
        return
    }
    #expect(base.storage === transposed.storage)
}

@Test func otherFilesAreNotCheckpoints() throws {
    let text = FileManager.default.temporaryDirectory.appendingPathComponent("ember-not-a-checkpoint-\(getpid()).txt")
    try Data("hello, this is text".utf8).write(to: text)
    defer { try? FileManager.default.removeItem(at: text) }
    #expect(throws: TorchCheckpointError.unknownFormat(path: text.path)) { _ = try TorchCheckpoint.load(text) }
}

@Test func viewsShareOneStorage() throws {
    let views = try TorchCheckpoint.load(pth.appendingPathComponent("views.pt"))
    func storage(_ key: String) -> Storage? { if case .tensor(let t) = views[key] { t.storage } else { nil } }
    let base = try #require(storage("base"))
    for key in ["transposed", "row", "columns", "expanded", "strided"] { #expect(storage(key) === base, "\(key)") }
    #expect(storage("separate") !== base)
    // A write through one view shows through the others, as in PyTorch.
    guard case .tensor(let row) = views["row"], case .tensor(let transposed) = views["transposed"] else { return }
    _ = row.fill_(-1)
    #expect(transposed.contiguous().scalars(as: Float.self)[1] == -1)
}

@Test func nestedCheckpointIsReachable() throws {
    let checkpoint = try TorchCheckpoint.load(pth.appendingPathComponent("checkpoint.pth.tar"))
    guard case .int(7) = checkpoint["epoch"], case .dict(let stateDict, true) = checkpoint["state_dict"],
          case .dict(let optimizer, false) = checkpoint["optimizer"] else {
        Issue.record("unexpected checkpoint layout")
        return
    }
    #expect(stateDict.first.map { "\($0.key)" } == "\(TorchValue.string("module.conv.weight"))")
    #expect(optimizer.count == 2)
}

@Test("loading refuses os.system by name", arguments: ["os_system.pt", "os_system_legacy.pt"])
func loadingRefusesOsSystem(_ name: String) throws {
    let error = #expect(throws: PickleError.self) { _ = try TorchCheckpoint.load(pth.appendingPathComponent(name)) }
    guard case .forbiddenGlobal(_, _, let module, let global) = error else { Issue.record("\(String(describing: error))"); return }
    #expect("\(module).\(global)" == expectedObjects[name]!["refused_global"] as! String)
}
