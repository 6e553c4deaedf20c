// Modules loading straight from checkpoint files: torch's state dict and
// nested training checkpoint (zip and legacy), safetensors, and Ember's own
// saves in both formats; wrong files end in errors that name the key.

import EmberCheckpoint
import EmberCore
import EmberNN
import Foundation
import Testing

/// gen_pth.py's `Net`: conv, bn and fc, registered under torch's names.
private final class Net: Module {
    override init() {
        super.init()
        registerModule("conv", Conv2d(inChannels: 3, outChannels: 4, kernelSize: (3, 3)))
        registerModule("bn", BatchNorm2d(4))
        registerModule("fc", Linear(inFeatures: 4, outFeatures: 2))
    }
}

/// Every tensor of `model` equals the same key of the torch fixture, exactly.
private func expectMatchesFixture(_ model: Module, _ name: String, key: String? = nil, prefix: String = "",
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
    var value = try TorchCheckpoint.load(pth.appendingPathComponent(name))
    if let key { value = value[key]! }
    for (k, t) in model.stateDict() {
        guard case .tensor(let saved) = value[prefix + k] else {
            Issue.record("\(k) missing", sourceLocation: sourceLocation); continue
        }
        #expect(t.equal(saved), "\(k)", sourceLocation: sourceLocation)
    }
}

@Test("a module loads torch's state dict from a file", arguments: ["state_dict.pt", "state_dict_legacy.pt"])
func moduleLoadsTorchStateDict(_ name: String) throws {
    let net = Net()
    try net.loadStateDict(contentsOf: pth.appendingPathComponent(name))
    try expectMatchesFixture(net, name)
}

@Test("a training checkpoint's nested, prefixed state dict loads by key",
      arguments: ["checkpoint.pth.tar", "checkpoint_legacy.pth.tar"])
func nestedCheckpointLoadsByKey(_ name: String) throws {
    let url = pth.appendingPathComponent(name)
    let net = Net()
    try net.loadStateDict(StateDict(contentsOf: url, key: "state_dict").strippingPrefix("module."))
    try expectMatchesFixture(net, name, key: "state_dict", prefix: "module.")
}

@Test func checkpointWithoutKeyNamesTheNonTensor() throws {
    let url = pth.appendingPathComponent("checkpoint.pth.tar")
    #expect(throws: StateDictFileError.notATensor(path: url.path, key: "epoch", found: "an int")) {
        try StateDict(contentsOf: url)
    }
    #expect(throws: StateDictFileError.missingKey(
        path: url.path, key: "model",
        available: ["epoch", "arch", "best_prec1", "big", "negative", "state_dict", "optimizer", "history", "shape"])) {
        try StateDict(contentsOf: url, key: "model")
    }
    #expect(throws: StateDictFileError.notADict(path: url.path, key: "epoch", found: "an int")) {
        try StateDict(contentsOf: url, key: "epoch")
    }
}

@Test func aStateDictWithTheWrongShapesNamesEveryKey() throws {
    final class Wide: Module {
        override init() {
            super.init()
            registerModule("fc", Linear(inFeatures: 5, outFeatures: 2))
        }
    }
    let error = #expect(throws: StateDictError.self) {
        try Wide().loadStateDict(contentsOf: pth.appendingPathComponent("state_dict.pt"))
    }
    #expect(error?.shapeMismatches.map(\.key) == ["fc.weight"])
    #expect(error?.unexpectedKeys.count == 7)
}

@Test("Ember's saves load back in both formats", arguments: ["model.safetensors", "model.pth"])
func stateDictSavesRoundTrip(_ fileName: String) throws {
    manualSeed(3)
    let source = Net()
    try withTemporaryDirectory { dir in
        let url = dir.appendingPathComponent(fileName)
        try source.stateDict().save(to: url)
        let target = Net()
        try target.loadStateDict(contentsOf: url)
        let a = source.stateDict(), b = target.stateDict()
        #expect(a.keys == b.keys)
        for (k, t) in a { #expect(t.equal(b[k]!), "\(k)") }
    }
}

@Test func safeTensorsFilesHaveNoNestedKeys() throws {
    let url = CheckpointFixtures.url("dtypes")
    #expect(throws: StateDictFileError.missingKey(path: url.path, key: "state_dict", available: [])) {
        try StateDict(contentsOf: url, key: "state_dict")
    }
    #expect(try StateDict(contentsOf: url).count == (CheckpointFixtures.expected("dtypes")["tensors"] as! [String: Any]).count)
}
