// DenseNet as torchvision builds it (Huang et al., "Densely Connected
// Convolutional Networks", 2017): every layer of a block sees the
// concatenation of all earlier outputs. Module names follow torchvision
// exactly, so its checkpoints load without remapping.

import EmberNN

extension Module {
    /// `child(name)!(x).relu()`, in one sweep when the child is a BatchNorm
    /// (`BatchNorm.forwardReLU`): DenseNet's and ResNet's BN → ReLU pairs.
    func normReLU(_ name: String, _ x: Tensor) -> Tensor {
        if let norm = child(name) as? BatchNorm { return norm.forwardReLU(x) }
        return child(name)!(x).relu()
    }
}

/// One dense layer: BN-ReLU-1×1 conv to `bnSize·growthRate` channels, then
/// BN-ReLU-3×3 conv to `growthRate` new channels.
final class DenseLayer: Module {
    let dropRate: Double

    init(inputFeatures: Int, growthRate: Int, bnSize: Int, dropRate: Double) {
        self.dropRate = dropRate
        super.init()
        registerModule("norm1", BatchNorm2d(inputFeatures))
        registerModule("relu1", ReLU())
        registerModule("conv1", Conv2d(inChannels: inputFeatures, outChannels: bnSize * growthRate, kernelSize: (1, 1),
                                       bias: false))
        registerModule("norm2", BatchNorm2d(bnSize * growthRate))
        registerModule("relu2", ReLU())
        registerModule("conv2", Conv2d(inChannels: bnSize * growthRate, outChannels: growthRate, kernelSize: (3, 3),
                                       padding: .explicit(1, 1), bias: false))
    }

    override func forward(_ input: Tensor) -> Tensor {
        let bottleneck = child("conv1")!(normReLU("norm1", input))
        var out = child("conv2")!(normReLU("norm2", bottleneck))
        if dropRate > 0 { out = Functional.dropout(out, p: dropRate, training: training) }
        return out
    }
}

/// A block of dense layers; its output is its input and every layer's new
/// channels, concatenated in that order.
final class DenseBlock: Module {
    let layerCount: Int

    init(layers: Int, inputFeatures: Int, growthRate: Int, bnSize: Int, dropRate: Double) {
        layerCount = layers
        super.init()
        for i in 0..<layers {
            registerModule("denselayer\(i + 1)", DenseLayer(inputFeatures: inputFeatures + i * growthRate,
                                                            growthRate: growthRate, bnSize: bnSize, dropRate: dropRate))
        }
    }

    override func forward(_ input: Tensor) -> Tensor {
        var features = [input]
        for i in 0..<layerCount {
            features.append(child("denselayer\(i + 1)")!(Tensor.cat(features, dim: 1)))
        }
        return Tensor.cat(features, dim: 1)
    }
}

/// BN-ReLU-1×1 conv halving the channels, then 2×2 average pooling.
final class Transition: Module {
    init(inputFeatures: Int, outputFeatures: Int) {
        super.init()
        registerModule("norm", BatchNorm2d(inputFeatures))
        registerModule("relu", ReLU())
        registerModule("conv", Conv2d(inChannels: inputFeatures, outChannels: outputFeatures, kernelSize: (1, 1),
                                      bias: false))
        registerModule("pool", AvgPool2d(kernelSize: (2, 2), stride: (2, 2)))
    }

    override func forward(_ input: Tensor) -> Tensor {
        child("pool")!(child("conv")!(normReLU("norm", input)))
    }
}

/// DenseNet-121, -169 and -201 with torchvision's layout and keys
/// (`features.denseblock1.denselayer1.norm1.weight`, `classifier.weight`).
///
/// ```swift
/// let model = DenseNet.densenet121()
/// try model.loadStateDict(contentsOf: URL(fileURLWithPath: "densenet121.pth"))
/// let logits = model.eval()(images)   // [N, 1000]
/// ```
public final class DenseNet: Module, ImageClassifier {
    /// The trunk: stem, dense blocks, transitions and the final BatchNorm.
    public let features: Sequential
    /// `classifier` in the state dict: a Linear, or any module ending in one.
    public private(set) var classifier: Module
    public let numFeatures: Int

    /// A DenseNet of `blockConfig` dense blocks (torchvision's arguments).
    public init(growthRate: Int = 32, blockConfig: [Int] = [6, 12, 24, 16], numInitFeatures: Int = 64,
                bnSize: Int = 4, dropRate: Double = 0, numClasses: Int = 1000) {
        features = Sequential([])
        features.append(named: "conv0", Conv2d(inChannels: 3, outChannels: numInitFeatures, kernelSize: (7, 7),
                                                stride: (2, 2), padding: .explicit(3, 3), bias: false))
        features.append(named: "norm0", BatchNorm2d(numInitFeatures))
        features.append(named: "relu0", ReLU())
        features.append(named: "pool0", MaxPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)))
        var channels = numInitFeatures
        for (i, layers) in blockConfig.enumerated() {
            features.append(named: "denseblock\(i + 1)", DenseBlock(layers: layers, inputFeatures: channels,
                                                                     growthRate: growthRate, bnSize: bnSize,
                                                                     dropRate: dropRate))
            channels += layers * growthRate
            if i != blockConfig.count - 1 {
                features.append(named: "transition\(i + 1)", Transition(inputFeatures: channels,
                                                                         outputFeatures: channels / 2))
                channels /= 2
            }
        }
        features.append(named: "norm5", BatchNorm2d(channels))
        numFeatures = channels
        classifier = Linear(inFeatures: channels, outFeatures: numClasses)
        super.init()
        registerModule("features", features)
        registerModule("classifier", classifier)
        initializeAsTorchvision()
    }

    /// DenseNet-121: 7,978,856 parameters.
    public static func densenet121(numClasses: Int = 1000) -> DenseNet {
        DenseNet(growthRate: 32, blockConfig: [6, 12, 24, 16], numInitFeatures: 64, numClasses: numClasses)
    }

    /// DenseNet-169.
    public static func densenet169(numClasses: Int = 1000) -> DenseNet {
        DenseNet(growthRate: 32, blockConfig: [6, 12, 32, 32], numInitFeatures: 64, numClasses: numClasses)
    }

    /// DenseNet-201.
    public static func densenet201(numClasses: Int = 1000) -> DenseNet {
        DenseNet(growthRate: 32, blockConfig: [6, 12, 48, 32], numInitFeatures: 64, numClasses: numClasses)
    }

    /// torchvision's initialization: Kaiming-normal convs, unit BN, zero linear bias.
    private func initializeAsTorchvision() {
        for (_, m) in namedModules() {
            if let conv = m as? Conv2d { Init.kaimingNormal_(conv.weight) }
            if let bn = m as? BatchNorm2d { GradMode.noGrad { _ = bn.weight?.fill_(1); _ = bn.bias?.fill_(0) } }
            if let linear = m as? Linear { GradMode.noGrad { _ = linear.bias?.fill_(0) } }
        }
    }

    public func featureMap(_ input: Tensor) -> Tensor { features(input).relu() }

    public func head(_ featureMap: Tensor) -> Tensor { classifier(pooled(featureMap)) }

    public override func forward(_ input: Tensor) -> Tensor { head(featureMap(input)) }

    public var finalLinear: Linear {
        if let linear = classifier as? Linear { return linear }
        guard let seq = classifier as? Sequential, let linear = seq.layers.compactMap({ $0 as? Linear }).last else {
            preconditionFailure("DenseNet: the classifier holds no Linear layer")
        }
        return linear
    }

    public func replaceClassifier(numClasses: Int) {
        replaceClassifier(with: Linear(inFeatures: numFeatures, outFeatures: numClasses))
    }

    /// Installs `module` as the classifier (CheXNet's Linear + Sigmoid).
    public func replaceClassifier(with module: Module) {
        classifier = module
        registerModule("classifier", module)
    }
}
