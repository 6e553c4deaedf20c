// Conv1d, Conv2d and ConvTranspose2d, with PyTorch's names, defaults and
// initialization.

import EmberCore

extension Module {
    /// PyTorch's `_ConvNd.reset_parameters`: kaiming_uniform(a = √5) weights and
    /// a uniform bias bounded by 1/√fan_in.
    func registerConvolutionParameters(weightShape: [Int], biasCount: Int?, dtype: DType) {
        let w = Tensor.empty(weightShape, dtype: dtype)
        Init.kaimingUniform_(w, a: 5.0.squareRoot())
        registerParameter("weight", w)
        if let biasCount {
            let fanIn = Init.fans(w).fanIn
            let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
            registerParameter("bias", Init.uniform_(Tensor.empty([biasCount], dtype: dtype), low: -bound, high: bound))
        } else {
            registerParameter("bias", nil)
        }
    }
}

/// Pads for 'same' output: the total is split with the extra element at the end, as PyTorch does.
func samePadding(kernel: Int, dilation: Int) -> (Int, Int) {
    let total = dilation * (kernel - 1)
    return (total / 2, total - total / 2)
}

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
        registerConvolutionParameters(weightShape: [outChannels, inChannels / groups, kernelSize.0, kernelSize.1],
                                      biasCount: bias ? outChannels : nil, dtype: dtype)
    }

    /// (top, bottom, left, right) padding this layer applies.
    var paddingAmounts: (Int, Int, Int, Int) {
        switch padding {
        case .explicit(let h, let w): return (h, h, w, w)
        case .valid: return (0, 0, 0, 0)
        case .same:
            let (top, bottom) = samePadding(kernel: kernelSize.0, dilation: dilation.0)
            let (left, right) = samePadding(kernel: kernelSize.1, dilation: dilation.1)
            return (top, bottom, left, right)
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

/// 1-D convolution over NCL input, like `torch.nn.Conv1d`.
///
/// ```swift
/// let conv = Conv1d(inChannels: 16, outChannels: 32, kernelSize: 3, padding: .same)
/// let y = conv(Tensor.randn([4, 16, 100]))   // [4, 32, 100]
/// ```
public final class Conv1d: Module {
    public let inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int
    public let padding: Conv1dPadding, dilation: Int, groups: Int, reflectPadding: Bool
    public var weight: Tensor { parameter("weight")! }
    public var bias: Tensor? { parameter("bias") }

    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Conv1dPadding = .explicit(0),
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, reflectPadding: Bool = false, dtype: DType = .float32) {
        precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv1d: in_channels \(inChannels) and out_channels \(outChannels) must be divisible by groups \(groups)")
        if case .same = padding {
            precondition(stride == 1, "Conv1d: padding 'same' is not supported for strided convolutions")
        }
        (self.inChannels, self.outChannels, self.kernelSize, self.stride) = (inChannels, outChannels, kernelSize, stride)
        (self.padding, self.dilation, self.groups, self.reflectPadding) = (padding, dilation, groups, reflectPadding)
        super.init()
        registerConvolutionParameters(weightShape: [outChannels, inChannels / groups, kernelSize],
                                      biasCount: bias ? outChannels : nil, dtype: dtype)
    }

    public override func forward(_ input: Tensor) -> Tensor {
        let (left, right): (Int, Int)
        switch padding {
        case .explicit(let p): (left, right) = (p, p)
        case .valid: (left, right) = (0, 0)
        case .same: (left, right) = samePadding(kernel: kernelSize, dilation: dilation)
        }
        if reflectPadding || left != right {
            return input.pad([left, right], mode: reflectPadding ? .reflect : .constant(0))
                .conv1d(weight, bias: bias, stride: stride, padding: 0, dilation: dilation, groups: groups)
        }
        return input.conv1d(weight, bias: bias, stride: stride, padding: left, dilation: dilation, groups: groups)
    }
}

/// How `Conv1d` pads its input.
public enum Conv1dPadding: Sendable {
    /// The same explicit padding at both ends.
    case explicit(Int)
    /// Output length equals input length (stride 1 only); odd totals pad more at the end.
    case same
    /// No padding.
    case valid
}

/// Transposed 2-D convolution, like `torch.nn.ConvTranspose2d`: weight
/// `[in, out / groups, kh, kw]`, output `(H - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1`.
///
/// ```swift
/// let up = ConvTranspose2d(inChannels: 64, outChannels: 32, kernelSize: (4, 4), stride: (2, 2), padding: (1, 1))
/// let y = up(Tensor.randn([1, 64, 14, 14]))   // [1, 32, 28, 28]
/// ```
public final class ConvTranspose2d: Module {
    public let inChannels: Int, outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int)
    public let padding: (Int, Int), outputPadding: (Int, Int), groups: Int, dilation: (Int, Int)
    public var weight: Tensor { parameter("weight")! }
    public var bias: Tensor? { parameter("bias") }

    public init(inChannels: Int, outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0), groups: Int = 1, bias: Bool = true,
                dilation: (Int, Int) = (1, 1), dtype: DType = .float32) {
        precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "ConvTranspose2d: in_channels \(inChannels) and out_channels \(outChannels) must be divisible by groups \(groups)")
        (self.inChannels, self.outChannels, self.kernelSize, self.stride) = (inChannels, outChannels, kernelSize, stride)
        (self.padding, self.outputPadding, self.groups, self.dilation) = (padding, outputPadding, groups, dilation)
        super.init()
        registerConvolutionParameters(weightShape: [inChannels, outChannels / groups, kernelSize.0, kernelSize.1],
                                      biasCount: bias ? outChannels : nil, dtype: dtype)
    }

    public override func forward(_ input: Tensor) -> Tensor {
        input.convTranspose2d(weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding,
                              groups: groups, dilation: dilation)
    }
}
