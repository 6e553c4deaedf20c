// Activation modules: thin wrappers over the tensor ops.

import EmberCore

/// `max(x, 0)`.
public final class ReLU: Module {
    public override func forward(_ input: Tensor) -> Tensor { input.relu() }
}
/// `min(max(x, 0), 6)`.
public final class ReLU6: Module {
    public override func forward(_ input: Tensor) -> Tensor { input.relu6() }
}
/// Gaussian error linear unit, exact or tanh form.
public final class GELU: Module {
    public let approximate: GELUApproximation
    public init(approximate: GELUApproximation = .none) { self.approximate = approximate; super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.gelu(approximate: approximate) }
}
/// `x · sigmoid(x)`.
public final class SiLU: Module {
    public override func forward(_ input: Tensor) -> Tensor { input.silu() }
}
/// `1 / (1 + exp(-x))`.
public final class Sigmoid: Module {
    public override func forward(_ input: Tensor) -> Tensor { input.sigmoid() }
}
/// Hyperbolic tangent.
public final class Tanh: Module {
    public override func forward(_ input: Tensor) -> Tensor { input.tanh() }
}
/// `x` for positive inputs, `negativeSlope · x` otherwise.
public final class LeakyReLU: Module {
    public let negativeSlope: Double
    public init(negativeSlope: Double = 0.01) { self.negativeSlope = negativeSlope; super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.leakyRelu(negativeSlope: negativeSlope) }
}
/// Softmax along `dim`.
public final class Softmax: Module {
    public let dim: Int
    public init(dim: Int) { self.dim = dim; super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input.softmax(dim: dim) }
}
