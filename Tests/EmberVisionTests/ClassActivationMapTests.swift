// Class activation maps: for a global-average-pooling + linear head, the
// map's mean (before scaling) is the class logit minus the bias, and
// Grad-CAM's channel weights are CAM's divided by the positions, so both
// methods draw the same normalized map.

import EmberCore
import EmberNN
import EmberVision
import Testing

@Test func camAndGradCAMAgreeOnAPoolingHead() {
    // A task-local default generator: tests in other suites draw from the
    // process's default at the same time, and the peak check needs these
    // exact weights and inputs (each image's map positive somewhere).
    Generator.withDefault(Generator(seed: 4)) {
        let model = DenseNet(growthRate: 8, blockConfig: [2, 2], numInitFeatures: 16, numClasses: 5).eval()
        let x = Tensor.randn([2, 3, 48, 40])
        let cam = model.classActivationMaps(x, classIndex: 3)
        let grad = model.classActivationMaps(x, classIndex: 3, method: .gradCAM)
        #expect(cam.shape == [2, 6, 5])  // 48×40 → stem /4 → one transition /2
        let worst = cam.sub(grad).abs().max().item()
        #expect(worst <= 1e-5, "max |CAM − Grad-CAM| \(worst)")
        let peaks = cam.flatten(startDim: 1).max(dim: 1).values.scalars(as: Float.self)
        #expect(peaks.allSatisfy { abs($0 - 1) <= 1e-6 }, "\(peaks)")
        #expect(cam.min().item() >= 0)
    }
}

@Test func camWeighsFeatureChannelsByTheClassRow() {
    manualSeed(5)
    let model = ResNet(block: .basic, layers: [1, 1, 1, 1], numClasses: 4).eval()
    let x = Tensor.randn([1, 3, 64, 64])
    let features = GradMode.noGrad { model.featureMap(x) }               // [1, 512, 2, 2]
    let logits = GradMode.noGrad { model(x) }
    let w = model.finalLinear.weight.detach(), b = model.finalLinear.bias!.detach()
    for c in 0..<4 {
        // Unscaled CAM: Σ_k w[c,k]·f_k(x, y); its mean over positions + bias is the logit.
        let raw = GradMode.noGrad { features.mul(w[c].reshape([1, -1, 1, 1])).sum(dims: [1]) }
        let logit = raw.mean().item() + b[c].item()
        #expect(abs(logit - logits[0][c].item()) <= 1e-4, "class \(c)")
        let expected = GradMode.noGrad { raw.relu().div(max(raw.max().item(), 1e-12)) }
        let worst = model.classActivationMaps(x, classIndex: c).sub(expected).abs().max().item()
        #expect(worst <= 1e-6)
    }
}
