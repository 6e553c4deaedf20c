// The Vision issue's cases: inference of the classifiers at batch 1 (and
// DenseNet at batch 8), and a DenseNet-121 training step. Names match
// Benchmarks/compare_torch.py.

import EmberCore
import EmberNN
import EmberOptim
import EmberVision
import Foundation

func runVisionCases() {
    let cases = ["jpeg decode+resize+normalize 600x512", "densenet121 inference bs1", "densenet121 inference bs8",
                 "efficientnet-lite0 inference bs1", "resnet50 inference bs1", "densenet121 train step bs8"]
    if let filter = options.filter, !cases.contains(where: { $0.contains(filter) }) { return }
    // matplotlib's grace_hopper.jpg (512×600), which `make demo` caches.
    let photo = PretrainedModel.cacheDirectory.appendingPathComponent("grace_hopper.jpg")
    if let bytes = try? [UInt8](Data(contentsOf: photo)) {
        let preprocessing = ImagePreprocessing.imageNet
        bench("jpeg decode+resize+normalize 600x512") {
            let image = try! decodeImage(bytes, mode: .rgb)
            _ = preprocessing.normalized(preprocessing.resized(image))
        }
    } else {
        print("# skipped jpeg decode+resize+normalize 600x512: no \(photo.path) (make demo)")
    }
    manualSeed(0)
    let x1 = Tensor.randn([1, 3, 224, 224]), x8 = Tensor.randn([8, 3, 224, 224])
    // Each model is built only when one of its cases runs: random init of
    // DenseNet and ResNet-50 takes longer than the cases themselves.
    if wanted("densenet121 inference bs1", "densenet121 inference bs8") {
        let densenet = DenseNet.densenet121().eval()
        bench("densenet121 inference bs1") { GradMode.noGrad { _ = densenet(x1) } }
        bench("densenet121 inference bs8") { GradMode.noGrad { _ = densenet(x8) } }
    }
    if wanted("efficientnet-lite0 inference bs1") {
        let efficientnet = EfficientNetLite.lite0().eval()
        bench("efficientnet-lite0 inference bs1") { GradMode.noGrad { _ = efficientnet(x1) } }
    }
    if wanted("resnet50 inference bs1") {
        let resnet = ResNet.resnet50().eval()
        bench("resnet50 inference bs1") { GradMode.noGrad { _ = resnet(x1) } }
    }
    if wanted("densenet121 train step bs8") {
        let trained = DenseNet.densenet121().train()
        let optimizer = Adam(trained.parameters(), lr: 1e-4)
        let y = Tensor.randint(high: 1000, [8])
        bench("densenet121 train step bs8") {
            optimizer.zeroGrad()
            Functional.crossEntropy(trained(x8), y).backward()
            optimizer.step()
        }
    }
}
