// Pretrained checkpoints in the layouts real files use load into the right
// models: CheXNet's (a training checkpoint with `state_dict`, DataParallel's
// `module.` prefix, old `norm.1` names, no batch counters), plain torchvision
// state dicts, and safetensors.

import EmberCheckpoint
import EmberCore
import EmberNN
import EmberVision
import Foundation
import Testing

private func temporaryFile(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-pretrained-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name)
}

private func expectSameState(_ a: Module, _ b: Module, sourceLocation: SourceLocation = #_sourceLocation) {
    let sa = a.stateDict(), sb = b.stateDict()
    #expect(sa.keys == sb.keys, sourceLocation: sourceLocation)
    for (key, t) in sa where !t.equal(sb[key]!) {
        Issue.record("\(key) differs", sourceLocation: sourceLocation)
        return
    }
}

@Test("CheXNet's checkpoint layout loads: state_dict, module., norm.1 names, no num_batches_tracked")
func chexnetCheckpointLayoutLoads() throws {
    manualSeed(7)
    let source = CheXNet()
    // Rewrite the keys as arnoweng's 2017 checkpoint has them.
    var old: [(key: TorchValue, value: TorchValue)] = []
    for (key, tensor) in source.stateDict() where !key.hasSuffix("num_batches_tracked") {
        let renamed = key.replacingOccurrences(of: #"(denselayer\d+\.(?:norm|conv))([12])\."#, with: "$1.$2.",
                                               options: .regularExpression)
        old.append((.string("module." + renamed), .tensor(tensor)))
    }
    let oldName = "module.densenet121.features.denseblock1.denselayer1.norm.1.weight"
    #expect(old.contains { if case .string(oldName) = $0.key { true } else { false } })
    let url = try temporaryFile("model.pth.tar")
    try TorchCheckpoint.save(.dict([(.string("epoch"), .int(9)), (.string("state_dict"), .dict(old, ordered: true))],
                                   ordered: false), to: url)
    let loaded = try PretrainedModel.chexnet.load(weights: url)
    expectSameState(loaded, source)
    #expect(!loaded.training)
}

@Test("plain state dicts load, from .pth and from safetensors", arguments: [PretrainedModel.resnet18, .efficientnetLite0])
func plainStateDictsLoad(_ kind: PretrainedModel) throws {
    manualSeed(3)
    let source = kind.build()
    for name in ["weights.pth", "weights.safetensors"] {
        let url = try temporaryFile(name)
        try source.stateDict().save(to: url)
        expectSameState(try kind.load(weights: url), source)
    }
}

@Test func aCheckpointForAnotherModelNamesTheKeys() throws {
    let url = try temporaryFile("resnet.pth")
    try ResNet.resnet18().stateDict().save(to: url)
    let error = #expect(throws: StateDictError.self) { try PretrainedModel.densenet121.load(weights: url) }
    #expect(error?.missingKeys.contains("features.conv0.weight") == true)
    #expect(error?.unexpectedKeys.contains("layer1.0.conv1.weight") == true)
}

@Test func everyModelKnowsItsLabelsAndPreprocessing() {
    let names = ImageNetLabels.names
    #expect(names.count == 1000)
    #expect(names.first == "tench")
    #expect(names.last == "toilet tissue")
    #expect(PretrainedModel.chexnet.labels == CheXNet.labels && CheXNet.labels.count == 14)
    let inception: [Float] = Array(repeating: 127 / 255, count: 3)
    #expect(PretrainedModel.efficientnetLite0.preprocessing.mean == inception)
    #expect(PretrainedModel.densenet121.preprocessing == .imageNet)
}
