// scaled_dot_product_attention against PyTorch: output within 1e-5,
// gradients of q, k and v within 1e-4.

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
