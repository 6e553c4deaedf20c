import EmberCore
import EmberNN
import EmberOptim

func runScratch() {
    let model = Sequential(
        Conv2d(inChannels: 1, outChannels: 16, kernelSize: (3, 3), padding: .explicit(1, 1)), ReLU(),
        Conv2d(inChannels: 16, outChannels: 32, kernelSize: (3, 3), padding: .explicit(1, 1)), ReLU(),
        MaxPool2d(kernelSize: (2, 2)), Flatten(),
        Linear(inFeatures: 32 * 4 * 4, outFeatures: 64), ReLU(), Dropout(p: 0.2),
        Linear(inFeatures: 64, outFeatures: 10))
    let optimizer = Adam(model.parameters(), lr: 1e-3)
    let x = Tensor.randn([64, 1, 8, 8]), y = Tensor.randint(high: 10, [64])
    for _ in 0..<1500 {
        optimizer.zeroGrad()
        Functional.crossEntropy(model(x), y).backward()
        optimizer.step()
    }
}
