// Conv2d and the 2-D pooling layers, with PyTorch's names and defaults.

import EmberCore

/// How `Conv2d` pads its input.
public enum Conv2dPadding: Sendable {
    /// Explicit (height, width) padding.
    case explicit(Int, Int)
    /// Output size equals input size (stride 1 only); odd totals pad more at the end.
    case same
    /// No padding.
    case valid
}

/// 2-D convolution over NCHW input, like `torch.nn.Conv2d`.
///
/// ```swift
/// let conv = Conv2d(inChannels: 3, outChannels: 64, kernelSize: (7, 7), stride: (2, 2), padding: .explicit(3, 3), bias: false)
/// let depthwise = Conv2d(inChannels: 32, outChannels: 32, kernelSize: (3, 3), padding: .same, groups: 32)
/// ```
public final class Conv2d: Module {
    public let inChannels: Int, outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int)
    public let padding: Conv2dPadding, dilation: (Int, Int), groups: Int, reflectPadding: Bool
    public var weight: Tensor { parameter("weight")! }
    public var bias: Tensor? { parameter("bias") }

    public init(inChannels: Int, outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: Conv2dPadding = .explicit(0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1,
                bias: Bool = true, reflectPadding: Bool = false, dtype: DType = .float32) {
        precondition(inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv2d: in_channels \(inChannels) and out_channels \(outChannels) must be divisible by groups \(groups)")
        if case .same = padding {
            precondition(stride == (1, 1), "Conv2d: padding 'same' is not supported for strided convolutions")
        }
        (self.inChannels, self.outChannels, self.kernelSize, self.stride) = (inChannels, outChannels, kernelSize, stride)
        (self.padding, self.dilation, self.groups, self.reflectPadding) = (padding, dilation, groups, reflectPadding)
        super.init()
        let w = Tensor.empty([outChannels, inChannels / groups, kernelSize.0, kernelSize.1], dtype: dtype)
        Init.kaimingUniform_(w, a: 5.0.squareRoot())
        registerParameter("weight", w)
        if bias {
            let fanIn = Init.fans(w).fanIn
            let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
            registerParameter("bias", Init.uniform_(Tensor.empty([outChannels], dtype: dtype), low: -bound, high: bound))
        } else {
            registerParameter("bias", nil)
        }
    }

    /// (top, bottom, left, right) padding this layer applies.
    var paddingAmounts: (Int, Int, Int, Int) {
        switch padding {
        case .explicit(let h, let w): return (h, h, w, w)
        case .valid: return (0, 0, 0, 0)
        case .same:
            let th = dilation.0 * (kernelSize.0 - 1), tw = dilation.1 * (kernelSize.1 - 1)
            return (th / 2, th - th / 2, tw / 2, tw - tw / 2)
        }
    }

    public override func forward(_ input: Tensor) -> Tensor {
        let (top, bottom, left, right) = paddingAmounts
        var x = input
        var pad = (top, left)
        if reflectPadding || top != bottom || left != right {
            x = x.pad([left, right, top, bottom], mode: reflectPadding ? .reflect : .constant(0))
            pad = (0, 0)
        }
        return x.conv2d(weight, bias: bias, stride: stride, padding: pad, dilation: dilation, groups: groups)
    }
}

/// 2-D max pooling, like `torch.nn.MaxPool2d`.
public final class MaxPool2d: Module {
    let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), ceilMode: Bool
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) {
        (self.kernelSize, self.stride, self.padding, self.dilation, self.ceilMode) =
            (kernelSize, stride ?? kernelSize, padding, dilation, ceilMode)
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor {
        input.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }
}

/// 2-D average pooling, like `torch.nn.AvgPool2d`.
public final class AvgPool2d: Module {
    let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int), ceilMode: Bool, countIncludePad: Bool
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                ceilMode: Bool = false, countIncludePad: Bool = true) {
        (self.kernelSize, self.stride, self.padding, self.ceilMode, self.countIncludePad) =
            (kernelSize, stride ?? kernelSize, padding, ceilMode, countIncludePad)
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor {
        input.avgPool2d(kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                        countIncludePad: countIncludePad)
    }
}

/// Average pooling to a fixed output size, like `torch.nn.AdaptiveAvgPool2d`.
public final class AdaptiveAvgPool2d: Module {
    let outputSize: (Int, Int)
    public init(_ outputSize: (Int, Int)) { self.outputSize = outputSize; super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.adaptiveAvgPool2d(outputSize) }
}

/// Max pooling to a fixed output size, like `torch.nn.AdaptiveMaxPool2d`.
public final class AdaptiveMaxPool2d: Module {
    let outputSize: (Int, Int)
    public init(_ outputSize: (Int, Int)) { self.outputSize = outputSize; super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.adaptiveMaxPool2d(outputSize) }
}
