// EfficientNet-Lite0 in the `efficientnet_lite_pytorch` layout (Tan & Le,
// "EfficientNet", 2019; the Lite variants drop squeeze-excitation and use
// ReLU6 for edge hardware). The weights come from TensorFlow, so every conv
// pads as TF's "same" does, with padding frozen for a 224×224 input, and
// BatchNorm uses eps 1e-3.

import EmberNN

/// A conv with TensorFlow's static "same" padding: `ceil(in/stride)` outputs
/// for a 224-pixel input, the odd pixel of padding on the right and bottom.
/// The pads are fixed at construction, as the reference implementation's.
final class SamePaddingConv2d: Module {
    let pads: [Int]  // left, right, top, bottom
    let conv: Conv2d

    init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, groups: Int = 1, imageSize: Int) {
        let out = (imageSize + stride - 1) / stride
        let total = max((out - 1) * stride + kernelSize - imageSize, 0)
        pads = [total / 2, total - total / 2, total / 2, total - total / 2]
        conv = Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: (kernelSize, kernelSize),
                      stride: (stride, stride), groups: groups, bias: false)
        super.init()
        // The reference's conv *is* the module holding `weight`: adopt its parameter.
        registerParameter("weight", conv.weight)
    }

    override func forward(_ input: Tensor) -> Tensor {
        let weight = parameter("weight")!
        let symmetric = pads[0] == pads[1] && pads[2] == pads[3]
        let x = symmetric ? input : input.pad(pads)
        return x.conv2d(weight, bias: nil, stride: conv.stride, padding: symmetric ? (pads[2], pads[0]) : (0, 0),
                        dilation: (1, 1), groups: conv.groups)
    }
}

/// Mobile inverted bottleneck: expand 1×1 (when the ratio is not 1),
/// depthwise k×k, project 1×1 without activation, residual when shapes allow.
final class MBConvBlock: Module {
    let hasExpansion: Bool, residual: Bool

    init(inputFilters: Int, outputFilters: Int, kernelSize: Int, stride: Int, expandRatio: Int, imageSize: Int) {
        hasExpansion = expandRatio != 1
        // The reference compares a list-valued stride with 1 for a stage's
        // first block; every such block here changes width, so this matches.
        residual = stride == 1 && inputFilters == outputFilters
        let expanded = inputFilters * expandRatio
        super.init()
        let bn = { (c: Int) in BatchNorm2d(c, eps: 1e-3, momentum: 0.010000000000000009) }
        if hasExpansion {
            registerModule("_expand_conv", SamePaddingConv2d(inChannels: inputFilters, outChannels: expanded, kernelSize: 1,
                                                             stride: 1, imageSize: imageSize))
            registerModule("_bn0", bn(expanded))
        }
        registerModule("_depthwise_conv", SamePaddingConv2d(inChannels: expanded, outChannels: expanded,
                                                            kernelSize: kernelSize, stride: stride, groups: expanded,
                                                            imageSize: imageSize))
        registerModule("_bn1", bn(expanded))
        registerModule("_project_conv", SamePaddingConv2d(inChannels: expanded, outChannels: outputFilters, kernelSize: 1,
                                                          stride: 1, imageSize: (imageSize + stride - 1) / stride))
        registerModule("_bn2", bn(outputFilters))
    }

    override func forward(_ input: Tensor) -> Tensor {
        var x = input
        if hasExpansion { x = child("_bn0")!(child("_expand_conv")!(x)).relu6() }
        x = child("_bn1")!(child("_depthwise_conv")!(x)).relu6()
        x = child("_bn2")!(child("_project_conv")!(x))
        return residual ? x + input : x
    }
}

/// EfficientNet-Lite0 with `efficientnet_lite_pytorch`'s keys (`_conv_stem`,
/// `_blocks.3._depthwise_conv`, `_fc`); 4,652,008 parameters. Its ImageNet
/// weights expect pixels normalized as `(p − 127) / 128`.
///
/// ```swift
/// let model = EfficientNetLite.lite0()
/// try model.loadStateDict(contentsOf: cachedWeights)
/// let logits = model.eval()(images)   // [N, 1000]
/// ```
public final class EfficientNetLite: Module, ImageClassifier {
    /// (repeats, kernel, stride, expand ratio, input filters, output filters) per stage.
    static let lite0Stages: [(Int, Int, Int, Int, Int, Int)] = [
        (1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
        (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320),
    ]
    public let dropoutRate: Double
    public private(set) var fc: Linear
    let blocks: ModuleList

    /// EfficientNet-Lite0 (width and depth 1.0, 224×224 padding, dropout 0.2).
    public static func lite0(numClasses: Int = 1000) -> EfficientNetLite {
        EfficientNetLite(numClasses: numClasses)
    }

    init(numClasses: Int, imageSize: Int = 224, dropoutRate: Double = 0.2) {
        self.dropoutRate = dropoutRate
        var size = (imageSize + 1) / 2
        var blockList: [Module] = []
        for (repeats, kernel, stride, expand, input, output) in Self.lite0Stages {
            for r in 0..<repeats {
                let s = r == 0 ? stride : 1
                blockList.append(MBConvBlock(inputFilters: r == 0 ? input : output, outputFilters: output, kernelSize: kernel,
                                             stride: s, expandRatio: expand, imageSize: size))
                size = (size + s - 1) / s
            }
        }
        blocks = ModuleList(blockList)
        fc = Linear(inFeatures: 1280, outFeatures: numClasses)
        super.init()
        let bn = { (c: Int) in BatchNorm2d(c, eps: 1e-3, momentum: 0.010000000000000009) }
        registerModule("_conv_stem", SamePaddingConv2d(inChannels: 3, outChannels: 32, kernelSize: 3, stride: 2,
                                                       imageSize: imageSize))
        registerModule("_bn0", bn(32))
        registerModule("_blocks", blocks)
        registerModule("_conv_head", SamePaddingConv2d(inChannels: 320, outChannels: 1280, kernelSize: 1, stride: 1,
                                                       imageSize: size))
        registerModule("_bn1", bn(1280))
        registerModule("_fc", fc)
    }

    public func featureMap(_ input: Tensor) -> Tensor {
        var x = child("_bn0")!(child("_conv_stem")!(input)).relu6()
        for block in blocks.modules { x = block(x) }
        return child("_bn1")!(child("_conv_head")!(x)).relu6()
    }

    public func head(_ featureMap: Tensor) -> Tensor {
        fc(Functional.dropout(pooled(featureMap), p: dropoutRate, training: training))
    }

    public override func forward(_ input: Tensor) -> Tensor { head(featureMap(input)) }

    public var finalLinear: Linear { fc }

    public func replaceClassifier(numClasses: Int) {
        fc = Linear(inFeatures: 1280, outFeatures: numClasses)
        registerModule("_fc", fc)
    }
}
