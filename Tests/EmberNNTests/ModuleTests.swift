// Module bookkeeping: PyTorch's state-dict keys, modes, freezing, dtype
// conversion, and strict loading with every offending key named.

import EmberCore
import EmberNN
import EmberTestSupport
import Testing

/// The Swift twin of the `Block` module in gen_nn.py.
final class Block: Module {
    override init() {
        super.init()
        registerModule("norm1", LayerNorm([8]))
        registerModule("fc", Sequential(Linear(inFeatures: 8, outFeatures: 8), GELU(), Dropout(p: 0.1),
                                         Linear(inFeatures: 8, outFeatures: 4, bias: false)))
        registerModule("embed", Embedding(numEmbeddings: 10, embeddingDim: 8, paddingIdx: 0))
        registerModule("heads", ModuleList([Linear(inFeatures: 4, outFeatures: 2), Linear(inFeatures: 4, outFeatures: 3)]))
        registerModule("extra", ModuleDict([("proj", Linear(inFeatures: 2, outFeatures: 2))]))
    }
}

@Suite struct ModuleTests {
    let fixture = FixtureLoader.json("nn/nn.json")

    @Test func stateDictKeysMatchPyTorch() {
        let expected = ((fixture["keys"] as! [String: Any])["block"] as! [[Any]]).map { ($0[0] as! String, $0[1] as! [Int]) }
        let sd = Block().stateDict()
        #expect(sd.keys == expected.map(\.0))
        for (k, shape) in expected { #expect(sd[k]?.shape == shape, "\(k)") }
    }

    @Test func trainEvalAndFreezing() {
        let b = Block()
        #expect(b.training)
        b.eval()
        #expect(b.namedModules().allSatisfy { !$0.1.training })
        b.requiresGrad_(false)
        #expect(b.parameters().allSatisfy { !$0.requiresGrad })
        #expect(b.parameters().count == 12)
        #expect(b.namedModules().map(\.0).contains("fc.3"))
    }

    @Test func dtypeConversionKeepsTraining() {
        let fc = Linear(inFeatures: 3, outFeatures: 2).to(.float64)
        #expect(fc.weight.dtype == .float64 && fc.weight.requiresGrad)
        let y = fc(Tensor.ones([1, 3], dtype: .float64)).sum()
        y.backward()
        #expect(fc.weight.grad?.shape == [2, 3])
    }

    @Test func loadStateDictReportsEveryProblem() throws {
        let fc = Linear(inFeatures: 3, outFeatures: 2)
        var sd = StateDict()
        sd["weight"] = Tensor.zeros([2, 4])
        sd["extra.bias"] = Tensor.zeros([2])
        do {
            try fc.loadStateDict(sd)
            Issue.record("expected an error")
        } catch let e as StateDictError {
            #expect(e.missingKeys == ["bias"])
            #expect(e.unexpectedKeys == ["extra.bias"])
            #expect(e.description.contains("size mismatch for weight: copying a param with shape [2, 4] from checkpoint, the shape in current model is [2, 3]"))
        }
        sd["weight"] = Tensor.ones([2, 3])
        let result = try fc.loadStateDict(sd, strict: false)
        #expect(result.missingKeys == ["bias"] && result.unexpectedKeys == ["extra.bias"])
        expectValues(fc.weight, Array(repeating: 1, count: 6))
    }

    @Test func defaultInitializationBounds() {
        let fc = Linear(inFeatures: 100, outFeatures: 50)
        // kaiming_uniform(a=√5) gives bound 1/√fan_in, as does the bias.
        #expect(fc.weight.abs().max().item() <= 0.1 + 1e-7)
        #expect(fc.weight.abs().max().item() > 0.09)
        #expect(fc.bias!.abs().max().item() <= 0.1 + 1e-7)
        let emb = Embedding(numEmbeddings: 5, embeddingDim: 4, paddingIdx: 1)
        expectValues(emb.weight[1], [0, 0, 0, 0])
    }

    @Test func dropoutTrainsAndEvaluates() {
        let d = Dropout(p: 0.5)
        let x = Tensor.ones([10_000])
        let y = d(x)
        let kept = y.gt(0).to(.float32).mean().item()
        #expect(Swift.abs(kept - 0.5) < 0.03)
        expectValues(y.maskedSelect(y.gt(0)).amin(), [2])
        d.eval()
        #expect(d(x) === x)
    }
}

@Suite struct StateDictKeyMappingTests {
    /// Keys as CheXNet's checkpoint names them: DataParallel's prefix, a
    /// `densenet121.` wrapper, and torchvision's legacy `norm.1` layer names.
    let chexnet = StateDict([
        ("module.densenet121.features.conv0.weight", Tensor.zeros([2])),
        ("module.densenet121.features.denseblock1.denselayer1.norm.1.weight", Tensor.ones([3])),
        ("module.densenet121.features.denseblock1.denselayer1.conv.2.weight", Tensor.ones([4])),
        ("module.densenet121.classifier.0.bias", Tensor.zeros([1])),
    ])

    @Test func stripsThePrefixAndFixesLegacyDenseNetNames() throws {
        let fixed = try chexnet.strippingPrefix("module.densenet121.")
            .renamingKeys(matching: #"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$"#,
                          with: "$1$2")
        #expect(fixed.keys == ["features.conv0.weight", "features.denseblock1.denselayer1.norm1.weight",
                               "features.denseblock1.denselayer1.conv2.weight", "classifier.0.bias"])
        // The tensors themselves are carried over, not copied.
        #expect(fixed["features.denseblock1.denselayer1.norm1.weight"] === chexnet["module.densenet121.features.denseblock1.denselayer1.norm.1.weight"])
    }

    @Test func renamesThroughATableAndKeepsTheRest() throws {
        let mapped = try chexnet.renamingKeys(["module.densenet121.classifier.0.bias": "classifier.bias"])
        #expect(mapped.keys.last == "classifier.bias" && mapped.count == 4)
        #expect(mapped.keys.first == "module.densenet121.features.conv0.weight")
    }

    @Test func refusesCollisionsAndBadPatterns() {
        let sd = StateDict([("module.fc.weight", Tensor.zeros([1])), ("fc.weight", Tensor.ones([1]))])
        #expect(throws: StateDictKeyError.collision(first: "module.fc.weight", second: "fc.weight", renamed: "fc.weight")) {
            _ = try sd.strippingPrefix("module.")
        }
        #expect(throws: StateDictKeyError.invalidPattern("(unclosed")) { _ = try sd.renamingKeys(matching: "(unclosed", with: "$1") }
    }
}
