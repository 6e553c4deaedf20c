import EmberCore
import EmberNN
import EmberOptim

func runScratch() {
    let model = Sequential(Linear(inFeatures: 784, outFeatures: 1024), ReLU(),
                           Linear(inFeatures: 1024, outFeatures: 1024), ReLU(),
                           Linear(inFeatures: 1024, outFeatures: 10))
    let optimizer = Adam(model.parameters(), lr: 1e-3)
    let x = Tensor.randn([128, 784]), y = Tensor.randint(high: 10, [128])
    bench("scratch mlp fwd") { _ = GradMode.noGrad { model(x) } }
    bench("scratch mlp fwd+bwd") { optimizer.zeroGrad(); Functional.crossEntropy(model(x), y).backward() }
    bench("scratch mlp adam step") { optimizer.step() }
    let sgd = SGD(model.parameters(), lr: 1e-3, momentum: 0.9)
    bench("scratch mlp sgd step") { sgd.step() }
    let a = Tensor.randn([128, 1024]), w = Tensor.randn([1024, 1024])
    bench("scratch linear 128x1024x1024 (x wT)") { _ = a.matmul(w.t()) }
    bench("scratch gT x 1024x128x1024") { _ = a.t().matmul(a) }
}
