// The 2-D pooling layers, with PyTorch's names and defaults.

import EmberCore

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
