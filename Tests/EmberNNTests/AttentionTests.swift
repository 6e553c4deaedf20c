// scaled_dot_product_attention, MultiheadAttention and the transformer
// encoders against PyTorch: outputs within 1e-5, gradients within 1e-4.

import EmberCore
import EmberNN
import EmberTestSupport
import Testing

nonisolated(unsafe) private let attentionFixture = FixtureLoader.json("nn/nn.json")["attention"] as! [[String: Any]]

@Test("scaled dot-product attention matches PyTorch", arguments: attentionFixture.map { $0["name"] as! String })
func attentionMatchesTorch(_ name: String) {
    let c = attentionFixture.first { $0["name"] as! String == name }!
    func spec(_ key: String) -> TensorSpec { FixtureLoader.spec(c[key] as! [String: Any]) }
    let (q, k, v) = (spec("q").make().requiresGrad_(), spec("k").make().requiresGrad_(), spec("v").make().requiresGrad_())
    let mask = (c["mask"] as? [String: Any]).map { FixtureLoader.spec($0).make() }
    let y = Functional.scaledDotProductAttention(q, k, v, attnMask: mask, isCausal: c["causal"] as! Bool,
                                                 scale: c["scale"] as? Double)
    expectClose(y, spec("out"), rtol: 1e-5, atol: 1e-5, "\(name) output")
    (y * spec("upstream").make()).sum().backward()
    let grads = (c["grads"] as! [[String: Any]]).map(FixtureLoader.spec)
    for (t, g, label) in [(q, grads[0], "q"), (k, grads[1], "k"), (v, grads[2], "v")] {
        expectClose(t.grad!, g, rtol: 1e-4, atol: 1e-4, "\(name) grad \(label)")
    }
}

nonisolated(unsafe) private let transformerFixture = FixtureLoader.json("nn/nn.json")["transformers"] as! [[String: Any]]

private func makeAttentionModule(_ kind: String, _ c: [String: Any]) -> Module {
    switch kind {
    case "mha":
        return MultiheadAttention(embedDim: c["embed"] as! Int, numHeads: c["heads"] as! Int, bias: c["bias"] as! Bool,
                                  kdim: c["kdim"] as? Int, vdim: c["vdim"] as? Int, batchFirst: c["batchFirst"] as! Bool)
    default:
        let layer = TransformerEncoderLayer(dModel: c["dModel"] as! Int, nhead: c["nhead"] as! Int,
                                            dimFeedforward: c["dimFeedforward"] as! Int, dropout: 0,
                                            activation: c["gelu"] as! Bool ? .gelu : .relu, layerNormEps: c["eps"] as! Double,
                                            batchFirst: c["batchFirst"] as! Bool, normFirst: c["normFirst"] as! Bool)
        if kind == "encoder_layer" { return layer }
        return TransformerEncoder(layer, numLayers: c["numLayers"] as! Int,
                                  norm: c["finalNorm"] as! Bool ? LayerNorm([c["dModel"] as! Int]) : nil)
    }
}

@Test("MultiheadAttention and transformer encoders match PyTorch", arguments: transformerFixture.map { $0["name"] as! String })
func transformerMatchesTorch(_ name: String) throws {
    let c = transformerFixture.first { $0["name"] as! String == name }!
    let kind = c["kind"] as! String, config = c["config"] as! [String: Any]
    let module = makeAttentionModule(kind, config)
    var state = StateDict()
    for (k, v) in c["params"] as! [String: Any] { state[k] = FixtureLoader.spec(v as! [String: Any]).make() }
    try module.loadStateDict(state)   // strict: every PyTorch key, no others
    let inputs = (c["inputs"] as! [[String: Any]]).map { FixtureLoader.spec($0).make().requiresGrad_() }
    let masks = (c["masks"] as! [String: Any]).mapValues { FixtureLoader.spec($0 as! [String: Any]).make() }
    let output: Tensor
    switch module {
    case let mha as MultiheadAttention:
        let (y, w) = mha(inputs[0], inputs[1], inputs[2], keyPaddingMask: masks["key_padding_mask"],
                         needWeights: config["needWeights"] as! Bool, attnMask: masks["attn_mask"],
                         averageAttnWeights: config["average"] as! Bool)
        if let expected = c["weights"] as? [String: Any] {
            expectClose(w!, FixtureLoader.spec(expected), rtol: 1e-5, atol: 1e-5, "\(name) attention weights")
        } else {
            #expect(w == nil)
        }
        output = y
    case let layer as TransformerEncoderLayer:
        output = layer(inputs[0], srcMask: masks["src_mask"], srcKeyPaddingMask: masks["src_key_padding_mask"])
    case let encoder as TransformerEncoder:
        output = encoder(inputs[0], mask: masks["mask"], srcKeyPaddingMask: masks["src_key_padding_mask"])
    default:
        preconditionFailure("unknown module kind \(kind)")
    }
    expectClose(output, FixtureLoader.spec(c["output"] as! [String: Any]), rtol: 1e-5, atol: 1e-5, "\(name) output")
    (output * FixtureLoader.spec(c["upstream"] as! [String: Any]).make()).sum().backward()
    for (i, g) in (c["input_grads"] as! [[String: Any]]).enumerated() {
        expectClose(inputs[i].grad!, FixtureLoader.spec(g), rtol: 1e-4, atol: 1e-4, "\(name) grad of input \(i)")
    }
    let params = Dictionary(uniqueKeysWithValues: module.namedParameters())
    for (k, v) in c["param_grads"] as! [String: Any] {
        expectClose(params[k]!.grad!, FixtureLoader.spec(v as! [String: Any]), rtol: 1e-4, atol: 1e-4, "\(name) grad of \(k)")
    }
}

@Test func transformerEncoderLayersStartAsCopies() {
    let layer = TransformerEncoderLayer(dModel: 8, nhead: 2, dimFeedforward: 16)
    let encoder = TransformerEncoder(layer, numLayers: 3)
    let keys = encoder.stateDict().keys
    #expect(keys.first == "layers.0.self_attn.in_proj_weight")
    #expect(keys.contains("layers.2.norm2.bias"))
    let first: [Float] = encoder.stateDict()["layers.0.linear1.weight"]!.scalars()
    let third: [Float] = encoder.stateDict()["layers.2.linear1.weight"]!.scalars()
    #expect(first == third && first == layer.linear1.weight.scalars())
    // Copies, not shared tensors: training one layer leaves the others alone.
    GradMode.noGrad { _ = encoder.stateDict()["layers.0.linear1.weight"]!.add_(1.0) }
    #expect(encoder.stateDict()["layers.2.linear1.weight"]!.scalars() == third)
}
