// Every vision model against PyTorch (torchvision, efficientnet_lite_pytorch
// and CheXNet's reference model): the same state-dict keys and shapes in the
// same order, the same parameter count, and the same outputs and final
// feature maps on a fixed input with the same computed weights.

import EmberCore
import EmberNN
import EmberTestSupport
import EmberVision
import Testing

private let builders: [String: @Sendable () -> any ImageClassifier] = [
    "densenet121": { DenseNet.densenet121() },
    "densenet169": { DenseNet.densenet169() },
    "densenet201": { DenseNet.densenet201() },
    "chexnet": { CheXNet() },
    "resnet18": { ResNet.resnet18() },
    "resnet50": { ResNet.resnet50() },
    "efficientnet-lite0": { EfficientNetLite.lite0() },
]

@Test("state-dict keys and shapes are PyTorch's, in order", arguments: builders.keys.sorted())
func stateDictKeysMatch(_ name: String) {
    let model = builders[name]!()
    let expected = ModelFixtures.model(name)["keys"] as! [[Any]]
    let ours = model.stateDict().map { ($0.key, $0.tensor.shape) }
    #expect(ours.count == expected.count, "\(name): \(ours.count) keys, PyTorch has \(expected.count)")
    for ((key, shape), pair) in zip(ours, expected) where key != pair[0] as! String || shape != pair[1] as! [Int] {
        Issue.record("\(name): \(key) \(shape) where PyTorch has \(pair[0]) \(pair[1])")
        break
    }
    let parameters = model.parameters().reduce(0) { $0 + $1.count }
    #expect(parameters == ModelFixtures.model(name)["parameters"] as! Int)
}

/// Outputs within 1e-4 (absolute; the values are of order 1), and the final
/// feature map's sums within 1e-4 relative.
@Test("outputs equal PyTorch's within 1e-4", arguments: builders.keys.sorted())
func outputsMatch(_ name: String) {
    let model = builders[name]!()
    ModelFixtures.fill(model)
    model.eval()
    let x = ModelFixtures.input()
    let expected = ModelFixtures.model(name)
    let (out, features) = GradMode.noGrad { (model(x), model.featureMap(x)) }
    #expect(out.shape == expected["output_shape"] as! [Int])
    let reference = expected["output"] as! [Double]
    let compared = out.shape[1] <= 14 ? out : out.narrow(dim: 1, start: 0, length: 50)
    let ours = compared.contiguous().scalars(as: Float.self)
    let worst = zip(ours, reference).map { abs(Double($0) - $1) }.max() ?? .infinity
    #expect(worst <= 1e-4, "\(name): max |Δ| \(worst)")
    let sums = out.to(.float64).sum(dims: [1]).scalars(as: Double.self)
    for (a, b) in zip(sums, expected["output_sum"] as! [Double]) { #expect(abs(a - b) <= 1e-3, "\(name): row sum \(a) vs \(b)") }

    #expect(features.shape == expected["feature_shape"] as! [Int])
    let f = features.to(.float64)
    let sum = f.sum().item(), absSum = f.abs().sum().item()
    let (refSum, refAbs) = (expected["feature_sum"] as! Double, expected["feature_abs_sum"] as! Double)
    #expect(abs(absSum - refAbs) <= 1e-4 * refAbs, "\(name): feature |sum| \(absSum) vs \(refAbs)")
    #expect(abs(sum - refSum) <= 1e-4 * refAbs, "\(name): feature sum \(sum) vs \(refSum)")
}
