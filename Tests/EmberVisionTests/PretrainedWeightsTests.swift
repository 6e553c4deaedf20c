// With the real EfficientNet-Lite0 weights (in the cache once `make demo`
// has run): Ember's logits equal PyTorch's on fixed inputs. Without the
// cache these tests are reported as skipped, never passed.

import EmberCore
import EmberNN
import EmberTestSupport
import EmberVision
import Foundation
import Testing

private let weights = PretrainedModel.efficientnetLite0.defaultWeights!
private let cached = FileManager.default.fileExists(atPath: weights.path)

@Test("real EfficientNet-Lite0 weights give PyTorch's logits within 1e-4",
      .enabled(if: cached, "needs ~/.cache/ember/efficientnet-lite0.pth (make demo)"),
      arguments: ["zeros", "pattern"])
func realEfficientNetLogits(_ input: String) throws {
    let model = try PretrainedModel.efficientnetLite0.load(weights: weights)
    let reference = (FixtureLoader.json("vision/pretrained.json")["efficientnet-lite0"] as! [String: Any])[input]
        as! [String: Any]
    let x: Tensor
    if input == "zeros" {
        x = Tensor.zeros([1, 3, 224, 224])
    } else {
        let (mean, std): (Float, Float) = (127 / 255, 128 / 255)
        let values: [Float] = (0..<(3 * 224 * 224)).map { i in (Float(i % 256) / 255 - mean) / std }
        x = Tensor(values, shape: [1, 3, 224, 224])
    }
    let logits = GradMode.noGrad { model(x) }.scalars(as: Float.self)
    let expected = reference["logits"] as! [Double]
    let worst = zip(logits, expected).map { abs(Double($0) - $1) }.max()!
    #expect(worst <= 1e-4, "max |Δ| \(worst)")
    let top5 = logits.indices.sorted { logits[$0] > logits[$1] }.prefix(5)
    #expect(Array(top5) == reference["top5"] as! [Int])
}

private let graceHopper = PretrainedModel.cacheDirectory.appendingPathComponent("grace_hopper.jpg")

@Test("grace_hopper.jpg: EfficientNet-Lite0's top 5 equal PyTorch's, probabilities within 1e-3",
      .enabled(if: cached && FileManager.default.fileExists(atPath: graceHopper.path),
               "needs the cached weights and grace_hopper.jpg (make demo)"))
func graceHopperTop5() throws {
    let kind = PretrainedModel.efficientnetLite0
    let model = try kind.load(weights: weights)
    let x = kind.preprocessing(try readImage(at: graceHopper, mode: .rgb)).unsqueeze(0)
    let probabilities = GradMode.noGrad { model(x).softmax(dim: 1) }.scalars(as: Float.self)
    let reference = ((FixtureLoader.json("vision/pretrained.json")["efficientnet-lite0"] as! [String: Any])["grace_hopper"]
        as! [String: Any])
    let top5 = Array(probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(5))
    #expect(top5 == reference["top5"] as! [Int])
    for (i, p) in zip(top5, reference["probabilities"] as! [Double]) {
        #expect(abs(Double(probabilities[i]) - p) <= 1e-3, "\(ImageNetLabels.names[i]): \(probabilities[i]) vs \(p)")
    }
}
