// Activation functions, with PyTorch's definitions and defaults.

import EmberKernels

/// The two GELU forms of `torch.nn.functional.gelu(approximate=)`.
public enum GELUApproximation: Sendable {
    /// `x/2 · (1 + erf(x/√2))`, the exact form and PyTorch's default.
    case none
    /// `x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`, as in GPT-2.
    case tanh
}

extension Tensor {
    /// `1 / (1 + exp(-x))`.
    public func sigmoid() -> Tensor { unaryFloat(.sigmoid) }
    /// `Swift.max(x, 0)`; NaN stays NaN.
    public func relu() -> Tensor { dtype == .bool ? clone() : unaryClosed(.relu, name: "relu") }
    /// `Swift.min(Swift.max(x, 0), 6)`.
    public func relu6() -> Tensor { unaryClosed(.relu6, name: "relu6") }
    /// `x` for positive inputs, `negativeSlope · x` otherwise.
    public func leakyRelu(negativeSlope: Double = 0.01) -> Tensor {
        unaryFloat(.leakyRelu(slope: negativeSlope))
    }
    /// `x` for positive inputs, `alpha · (exp(x) - 1)` otherwise.
    public func elu(alpha: Double = 1) -> Tensor { unaryFloat(.elu(alpha: alpha)) }
    /// Gaussian error linear unit.
    ///
    /// ```swift
    /// let y = x.gelu()                       // erf form
    /// let z = x.gelu(approximate: .tanh)     // GPT-2's form
    /// ```
    public func gelu(approximate: GELUApproximation = .none) -> Tensor {
        unaryFloat(approximate == .none ? .gelu : .geluTanh)
    }
    /// `x · sigmoid(x)`, also called swish.
    public func silu() -> Tensor { unaryFloat(.silu) }
    /// `log(1 + exp(beta · x)) / beta`, linear above `threshold`.
    public func softplus(beta: Double = 1, threshold: Double = 20) -> Tensor {
        unaryFloat(.softplus(beta: beta, threshold: threshold))
    }
}
