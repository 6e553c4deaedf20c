// Core II's cases: training steps and the layers networks spend their time
// in. Names match Benchmarks/compare_torch.py.

import EmberCore
import EmberNN
import EmberOptim

func runTrainingCases() {
    manualSeed(0)
    if wanted("mlp 784-1024-1024-10 train step bs128") {
        let model = Sequential(Linear(inFeatures: 784, outFeatures: 1024), ReLU(),
                               Linear(inFeatures: 1024, outFeatures: 1024), ReLU(),
                               Linear(inFeatures: 1024, outFeatures: 10))
        let optimizer = Adam(model.parameters(), lr: 1e-3)
        let x = Tensor.randn([128, 784]), y = Tensor.randint(high: 10, [128])
        bench("mlp 784-1024-1024-10 train step bs128") {
            optimizer.zeroGrad()
            Functional.crossEntropy(model(x), y).backward()
            optimizer.step()
        }
    }
    if wanted("digits cnn train step bs64") {
        let model = Sequential(
            Conv2d(inChannels: 1, outChannels: 16, kernelSize: (3, 3), padding: .explicit(1, 1)), ReLU(),
            Conv2d(inChannels: 16, outChannels: 32, kernelSize: (3, 3), padding: .explicit(1, 1)), ReLU(),
            MaxPool2d(kernelSize: (2, 2)), Flatten(),
            Linear(inFeatures: 32 * 4 * 4, outFeatures: 64), ReLU(), Dropout(p: 0.2),
            Linear(inFeatures: 64, outFeatures: 10))
        let optimizer = Adam(model.parameters(), lr: 1e-3)
        let x = Tensor.randn([64, 1, 8, 8]), y = Tensor.randint(high: 10, [64])
        bench("digits cnn train step bs64") {
            optimizer.zeroGrad()
            Functional.crossEntropy(model(x), y).backward()
            optimizer.step()
        }
    }
    if wanted("conv2d 3x3 64->64 8x64x56x56 fwd+bwd") {
        let conv = Conv2d(inChannels: 64, outChannels: 64, kernelSize: (3, 3), padding: .explicit(1, 1))
        let x = Tensor.randn([8, 64, 56, 56]).requiresGrad_(), g = Tensor.randn([8, 64, 56, 56])
        bench("conv2d 3x3 64->64 8x64x56x56 fwd+bwd") {
            conv.zeroGrad(); x.zeroGrad()
            conv(x).backward(g)
        }
    }
    if wanted("depthwise 3x3 8x144x56x56 fwd") {
        let conv = Conv2d(inChannels: 144, outChannels: 144, kernelSize: (3, 3), padding: .explicit(1, 1), groups: 144)
        let x = Tensor.randn([8, 144, 56, 56])
        bench("depthwise 3x3 8x144x56x56 fwd") { _ = GradMode.noGrad { conv(x) } }
    }
    if wanted("maxpool 3x3s2 8x64x112x112 fwd") {
        let x = Tensor.randn([8, 64, 112, 112])
        bench("maxpool 3x3s2 8x64x112x112 fwd") {
            _ = GradMode.noGrad { x.maxPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)) }
        }
    }
    if wanted("maxpool 3x3s2 8x64x112x112 fwd+bwd") {
        let x = Tensor.randn([8, 64, 112, 112]).requiresGrad_(), g = Tensor.randn([8, 64, 56, 56])
        bench("maxpool 3x3s2 8x64x112x112 fwd+bwd") {
            x.zeroGrad()
            x.maxPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)).backward(g)
        }
    }
    if wanted("batchnorm2d+relu 8x64x112x112 fwd+bwd") {
        let bn = BatchNorm2d(64)
        let x = Tensor.randn([8, 64, 112, 112]).requiresGrad_(), g = Tensor.randn([8, 64, 112, 112])
        bench("batchnorm2d+relu 8x64x112x112 fwd+bwd") {
            bn.zeroGrad(); x.zeroGrad()
            bn(x).relu().backward(g)
        }
    }
    if wanted("layernorm+gelu 64x128x768 fwd") {
        let ln = LayerNorm([768])
        let x = Tensor.randn([64, 128, 768])
        bench("layernorm+gelu 64x128x768 fwd") { _ = GradMode.noGrad { ln(x).gelu() } }
    }
    if wanted("sdpa 8x12x128x64 fwd+bwd") {
        let q = Tensor.randn([8, 12, 128, 64]).requiresGrad_(), k = Tensor.randn([8, 12, 128, 64]).requiresGrad_()
        let v = Tensor.randn([8, 12, 128, 64]).requiresGrad_(), g = Tensor.randn([8, 12, 128, 64])
        bench("sdpa 8x12x128x64 fwd+bwd") {
            q.zeroGrad(); k.zeroGrad(); v.zeroGrad()
            Functional.scaledDotProductAttention(q, k, v).backward(g)
        }
    }
}
