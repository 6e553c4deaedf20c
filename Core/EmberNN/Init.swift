// torch.nn.init: in-place initializers, with PyTorch's fan and gain rules.

import EmberCore

/// Initializers that fill a tensor in place, as `torch.nn.init` does.
///
/// ```swift
/// Init.kaimingUniform_(layer.weight, a: 5.0.squareRoot())
/// Init.zeros_(layer.bias!)
/// ```
public enum Init {
    /// Fan-in and fan-out of a weight: dims 1 and 0 times the receptive field.
    public static func fans(_ t: Tensor) -> (fanIn: Int, fanOut: Int) {
        precondition(t.rank >= 2, "Init: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, got shape \(t.shape)")
        let receptive = t.shape.dropFirst(2).reduce(1, *)
        return (t.shape[1] * receptive, t.shape[0] * receptive)
    }

    /// The recommended gain for a nonlinearity, as `calculate_gain`.
    public static func gain(_ nonlinearity: String, param: Double? = nil) -> Double {
        switch nonlinearity {
        case "linear", "conv1d", "conv2d", "conv3d", "sigmoid": return 1
        case "tanh": return 5.0 / 3
        case "relu": return 2.0.squareRoot()
        case "leaky_relu":
            let slope = param ?? 0.01
            return (2.0 / (1 + slope * slope)).squareRoot()
        case "selu": return 3.0 / 4
        default: preconditionFailure("Init.gain: unsupported nonlinearity \(nonlinearity)")
        }
    }

    private static func fill(_ t: Tensor, _ body: () -> Void) -> Tensor {
        GradMode.noGrad(body)
        return t
    }

    @discardableResult public static func uniform_(_ t: Tensor, low: Double = 0, high: Double = 1, generator: Generator = .default) -> Tensor {
        fill(t) { t.uniform_(low: low, high: high, generator: generator) }
    }
    @discardableResult public static func normal_(_ t: Tensor, mean: Double = 0, std: Double = 1, generator: Generator = .default) -> Tensor {
        fill(t) { t.normal_(mean: mean, std: std, generator: generator) }
    }
    @discardableResult public static func constant_(_ t: Tensor, _ value: Double) -> Tensor { fill(t) { t.fill_(value) } }
    @discardableResult public static func ones_(_ t: Tensor) -> Tensor { constant_(t, 1) }
    @discardableResult public static func zeros_(_ t: Tensor) -> Tensor { constant_(t, 0) }

    @discardableResult public static func xavierUniform_(_ t: Tensor, gain: Double = 1, generator: Generator = .default) -> Tensor {
        let (fi, fo) = fans(t)
        let bound = gain * (6.0 / Double(fi + fo)).squareRoot()
        return uniform_(t, low: -bound, high: bound, generator: generator)
    }
    @discardableResult public static func xavierNormal_(_ t: Tensor, gain: Double = 1, generator: Generator = .default) -> Tensor {
        let (fi, fo) = fans(t)
        return normal_(t, std: gain * (2.0 / Double(fi + fo)).squareRoot(), generator: generator)
    }

    /// Kaiming (He) uniform: bound = gain · √(3 / fan), gain from `leaky_relu` with slope `a`.
    @discardableResult public static func kaimingUniform_(_ t: Tensor, a: Double = 0, fanOutMode: Bool = false,
                                                          nonlinearity: String = "leaky_relu", generator: Generator = .default) -> Tensor {
        let (fi, fo) = fans(t)
        let g = gain(nonlinearity, param: a)
        let bound = g * (3.0 / Double(fanOutMode ? fo : fi)).squareRoot()
        return uniform_(t, low: -bound, high: bound, generator: generator)
    }
    /// Kaiming (He) normal: std = gain / √fan.
    @discardableResult public static func kaimingNormal_(_ t: Tensor, a: Double = 0, fanOutMode: Bool = false,
                                                         nonlinearity: String = "leaky_relu", generator: Generator = .default) -> Tensor {
        let (fi, fo) = fans(t)
        let g = gain(nonlinearity, param: a)
        return normal_(t, std: g / Double(fanOutMode ? fo : fi).squareRoot(), generator: generator)
    }
}
