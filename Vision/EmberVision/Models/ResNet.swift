// ResNet as torchvision builds it (He et al., "Deep Residual Learning for
// Image Recognition", 2016; the V1.5 variant with the stride in the 3×3
// conv of each bottleneck). Names follow torchvision: conv1, bn1, layer1...
// layer4 of blocks with an optional `downsample`, and `fc`.

import EmberNN

/// ResNet-18/34's block: two 3×3 convs and a shortcut.
final class BasicBlock: Module {
    static let expansion = 1
    let hasDownsample: Bool

    init(inPlanes: Int, planes: Int, stride: Int, downsample: Module?) {
        hasDownsample = downsample != nil
        super.init()
        registerModule("conv1", Conv2d(inChannels: inPlanes, outChannels: planes, kernelSize: (3, 3), stride: (stride, stride),
                                       padding: .explicit(1, 1), bias: false))
        registerModule("bn1", BatchNorm2d(planes))
        registerModule("relu", ReLU())
        registerModule("conv2", Conv2d(inChannels: planes, outChannels: planes, kernelSize: (3, 3), padding: .explicit(1, 1),
                                       bias: false))
        registerModule("bn2", BatchNorm2d(planes))
        if let downsample { registerModule("downsample", downsample) }
    }

    override func forward(_ input: Tensor) -> Tensor {
        let out = child("bn2")!(child("conv2")!(normReLU("bn1", child("conv1")!(input))))
        let identity = hasDownsample ? child("downsample")!(input) : input
        return (out + identity).relu()
    }
}

/// ResNet-50/101/152's block: 1×1 reduce, 3×3 (strided), 1×1 expand ×4.
final class Bottleneck: Module {
    static let expansion = 4
    let hasDownsample: Bool

    init(inPlanes: Int, planes: Int, stride: Int, downsample: Module?) {
        hasDownsample = downsample != nil
        super.init()
        registerModule("conv1", Conv2d(inChannels: inPlanes, outChannels: planes, kernelSize: (1, 1), bias: false))
        registerModule("bn1", BatchNorm2d(planes))
        registerModule("conv2", Conv2d(inChannels: planes, outChannels: planes, kernelSize: (3, 3), stride: (stride, stride),
                                       padding: .explicit(1, 1), bias: false))
        registerModule("bn2", BatchNorm2d(planes))
        registerModule("conv3", Conv2d(inChannels: planes, outChannels: planes * Self.expansion, kernelSize: (1, 1),
                                       bias: false))
        registerModule("bn3", BatchNorm2d(planes * Self.expansion))
        registerModule("relu", ReLU())
        if let downsample { registerModule("downsample", downsample) }
    }

    override func forward(_ input: Tensor) -> Tensor {
        var out = normReLU("bn1", child("conv1")!(input))
        out = normReLU("bn2", child("conv2")!(out))
        out = child("bn3")!(child("conv3")!(out))
        let identity = hasDownsample ? child("downsample")!(input) : input
        return (out + identity).relu()
    }
}

/// ResNet-18 and ResNet-50 with torchvision's keys (`layer1.0.conv1.weight`,
/// `layer2.0.downsample.0.weight`, `fc.weight`).
///
/// ```swift
/// let model = ResNet.resnet50()
/// try model.loadStateDict(contentsOf: URL(fileURLWithPath: "resnet50.pth"))
/// let logits = model.eval()(images)
/// ```
public final class ResNet: Module, ImageClassifier {
    public enum Block: Sendable { case basic, bottleneck }
    public private(set) var fc: Linear
    let stem: Sequential
    let stages: [Module]
    let featureCount: Int

    /// A ResNet of `layers` blocks per stage (torchvision's `ResNet(block, layers)`).
    public init(block: Block, layers: [Int], numClasses: Int = 1000) {
        precondition(layers.count == 4, "ResNet: expected 4 stage sizes, got \(layers)")
        let expansion = block == .basic ? BasicBlock.expansion : Bottleneck.expansion
        stem = Sequential(named: [
            ("conv1", Conv2d(inChannels: 3, outChannels: 64, kernelSize: (7, 7), stride: (2, 2), padding: .explicit(3, 3),
                             bias: false)),
            ("bn1", BatchNorm2d(64)), ("relu", ReLU()),
            ("maxpool", MaxPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1))),
        ])
        var inPlanes = 64
        var stages: [Module] = []
        for (i, count) in layers.enumerated() {
            let planes = 64 << i, stride = i == 0 ? 1 : 2
            var blocks: [Module] = []
            for b in 0..<count {
                var downsample: Module? = nil
                if b == 0 && (stride != 1 || inPlanes != planes * expansion) {
                    downsample = Sequential(
                        Conv2d(inChannels: inPlanes, outChannels: planes * expansion, kernelSize: (1, 1),
                               stride: (stride, stride), bias: false),
                        BatchNorm2d(planes * expansion))
                }
                let s = b == 0 ? stride : 1
                blocks.append(block == .basic
                    ? BasicBlock(inPlanes: inPlanes, planes: planes, stride: s, downsample: downsample)
                    : Bottleneck(inPlanes: inPlanes, planes: planes, stride: s, downsample: downsample))
                inPlanes = planes * expansion
            }
            stages.append(Sequential(blocks))
        }
        self.stages = stages
        featureCount = inPlanes
        fc = Linear(inFeatures: inPlanes, outFeatures: numClasses)
        super.init()
        for (name, module) in stem.namedChildren { registerModule(name, module) }
        for (i, stage) in stages.enumerated() { registerModule("layer\(i + 1)", stage) }
        registerModule("avgpool", AdaptiveAvgPool2d((1, 1)))
        registerModule("fc", fc)
        for (_, m) in namedModules() {
            if let conv = m as? Conv2d { Init.kaimingNormal_(conv.weight, fanOutMode: true) }
            if let bn = m as? BatchNorm2d { GradMode.noGrad { _ = bn.weight?.fill_(1); _ = bn.bias?.fill_(0) } }
        }
    }

    /// ResNet-18: 11,689,512 parameters.
    public static func resnet18(numClasses: Int = 1000) -> ResNet {
        ResNet(block: .basic, layers: [2, 2, 2, 2], numClasses: numClasses)
    }

    /// ResNet-50: 25,557,032 parameters.
    public static func resnet50(numClasses: Int = 1000) -> ResNet {
        ResNet(block: .bottleneck, layers: [3, 4, 6, 3], numClasses: numClasses)
    }

    public func featureMap(_ input: Tensor) -> Tensor {
        stages.reduce(stem(input)) { $1($0) }
    }

    public func head(_ featureMap: Tensor) -> Tensor { fc(pooled(featureMap)) }

    public override func forward(_ input: Tensor) -> Tensor { head(featureMap(input)) }

    public var finalLinear: Linear { fc }

    public func replaceClassifier(numClasses: Int) {
        fc = Linear(inFeatures: featureCount, outFeatures: numClasses)
        registerModule("fc", fc)
    }
}
