// SGD, Adam and AdamW, with PyTorch's update rules (torch/optim/*.py,
// the single-tensor "foreach=False" paths).

import EmberCore
import EmberKernels
import Foundation

/// Stochastic gradient descent with momentum, dampening, Nesterov and weight decay.
///
/// ```swift
/// let opt = SGD(model.parameters(), lr: 0.1, momentum: 0.9)
/// loss.backward(); opt.step(); opt.zeroGrad()
/// ```
public final class SGD: Optimizer {
    public init(_ params: [Tensor], lr: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) {
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "SGD: nesterov momentum requires a momentum and zero dampening")
        super.init(groups: [ParamGroup(params: params)],
                   defaults: ["lr": lr, "momentum": momentum, "dampening": dampening,
                              "weight_decay": weightDecay, "nesterov": nesterov ? 1 : 0])
    }

    public init(groups: [ParamGroup], lr: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) {
        super.init(groups: groups, defaults: ["lr": lr, "momentum": momentum, "dampening": dampening,
                                              "weight_decay": weightDecay, "nesterov": nesterov ? 1 : 0])
    }

    public override func update(_ p: Tensor, grad: Tensor, state: inout [String: Tensor], options: [String: Double]) {
        var d = grad
        let wd = options["weight_decay"]!, momentum = options["momentum"]!
        if wd != 0 { d = d.add(p, alpha: wd) }
        if momentum != 0 {
            let buf: Tensor
            if let b = state["momentum_buffer"] {
                b.mul_(momentum).add_(d, alpha: 1 - options["dampening"]!)
                buf = b
            } else {
                buf = d.clone()
                state["momentum_buffer"] = buf
            }
            d = options["nesterov"]! != 0 ? d.add(buf, alpha: momentum) : buf
        }
        p.add_(d, alpha: -options["lr"]!)
    }
}

/// Adam, or AdamW when `decoupledWeightDecay` (use `AdamW` for PyTorch's defaults).
public class Adam: Optimizer {
    let decoupled: Bool

    public init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, amsgrad: Bool = false) {
        decoupled = false
        super.init(groups: [ParamGroup(params: params)], defaults: Adam.defaults(lr, betas, eps, weightDecay, amsgrad))
    }

    /// Adam over parameter groups; options a group leaves out take these
    /// values, as PyTorch's `Adam([{"params": ..., "lr": ...}, ...])`.
    ///
    /// ```swift
    /// let adam = Adam(groups: [ParamGroup(params: backbone.parameters(), options: ["lr": 1e-4]),
    ///                          ParamGroup(params: head.parameters())], lr: 1e-3)
    /// ```
    public convenience init(groups: [ParamGroup], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false) {
        self.init(groups: groups, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad, decoupled: false)
    }

    init(groups: [ParamGroup], lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double,
         amsgrad: Bool, decoupled: Bool) {
        self.decoupled = decoupled
        super.init(groups: groups, defaults: Adam.defaults(lr, betas, eps, weightDecay, amsgrad))
    }

    static func defaults(_ lr: Double, _ betas: (Double, Double), _ eps: Double, _ wd: Double, _ amsgrad: Bool) -> [String: Double] {
        ["lr": lr, "beta1": betas.0, "beta2": betas.1, "eps": eps, "weight_decay": wd, "amsgrad": amsgrad ? 1 : 0]
    }

    public override func update(_ p: Tensor, grad: Tensor, state: inout [String: Tensor], options: [String: Double]) {
        let lr = options["lr"]!, b1 = options["beta1"]!, b2 = options["beta2"]!
        let eps = options["eps"]!, wd = options["weight_decay"]!
        if state["step"] == nil {
            state["step"] = Tensor.zeros([], dtype: .float64)
            state["exp_avg"] = p.zerosLike()
            state["exp_avg_sq"] = p.zerosLike()
            if options["amsgrad"]! != 0 { state["max_exp_avg_sq"] = p.zerosLike() }
        }
        let stepT = state["step"]!.add_(1.0)
        let step = stepT.item()
        let m = state["exp_avg"]!, v = state["exp_avg_sq"]!
        let fused = AdamStep(lr: lr, beta1: b1, beta2: b2, eps: eps, weightDecay: wd, decoupled: decoupled,
                             biasCorrection1: 1 - pow(b1, step), biasCorrection2Sqrt: (1 - pow(b2, step)).squareRoot())
        if p.fusedAdamStep_(grad: grad, expAvg: m, expAvgSq: v, maxExpAvgSq: state["max_exp_avg_sq"], fused) { return }
        var g = grad
        if wd != 0 {
            if decoupled { p.mul_(1 - lr * wd) } else { g = g.add(p, alpha: wd) }
        }
        m.mul_(b1).add_(g, alpha: 1 - b1)
        v.mul_(b2).add_(g.mul(g), alpha: 1 - b2)
        let biasCorrection1 = 1 - pow(b1, step)
        let biasCorrection2Sqrt = (1 - pow(b2, step)).squareRoot()
        var second = v
        if let maxV = state["max_exp_avg_sq"] {
            maxV.copy_(maxV.maximum(v))
            second = maxV
        }
        let denom = second.sqrt().div(biasCorrection2Sqrt).add(eps)
        p.add_(m.div(denom), alpha: -lr / biasCorrection1)
    }
}

/// Adam with decoupled weight decay (default 0.01), like `torch.optim.AdamW`.
public final class AdamW: Adam {
    public override init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 1e-2, amsgrad: Bool = false) {
        super.init(groups: [ParamGroup(params: params)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                   amsgrad: amsgrad, decoupled: true)
    }

    /// AdamW over parameter groups, as `Adam(groups:...)` but with decoupled decay.
    ///
    /// ```swift
    /// let adamw = AdamW(groups: [ParamGroup(params: decayed), ParamGroup(params: biases, options: ["weight_decay": 0])])
    /// ```
    public init(groups: [ParamGroup], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 1e-2, amsgrad: Bool = false) {
        super.init(groups: groups, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad, decoupled: true)
    }
}

/// RMSprop with optional momentum and centering, like `torch.optim.RMSprop`.
public final class RMSprop: Optimizer {
    public init(_ params: [Tensor], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                momentum: Double = 0, centered: Bool = false) {
        super.init(groups: [ParamGroup(params: params)],
                   defaults: ["lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weightDecay,
                              "momentum": momentum, "centered": centered ? 1 : 0])
    }

    public override func update(_ p: Tensor, grad: Tensor, state: inout [String: Tensor], options: [String: Double]) {
        let lr = options["lr"]!, alpha = options["alpha"]!, eps = options["eps"]!
        let wd = options["weight_decay"]!, momentum = options["momentum"]!
        var g = grad
        if wd != 0 { g = g.add(p, alpha: wd) }
        if state["square_avg"] == nil {
            state["step"] = Tensor.zeros([], dtype: .float64)
            state["square_avg"] = p.zerosLike()
            if momentum > 0 { state["momentum_buffer"] = p.zerosLike() }
            if options["centered"]! != 0 { state["grad_avg"] = p.zerosLike() }
        }
        state["step"]!.add_(1.0)
        let squareAvg = state["square_avg"]!.mul_(alpha).add_(g.mul(g), alpha: 1 - alpha)
        let avg: Tensor
        if let gradAvg = state["grad_avg"] {
            gradAvg.mul_(alpha).add_(g, alpha: 1 - alpha)
            avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt().add(eps)
        } else {
            avg = squareAvg.sqrt().add(eps)
        }
        if let buf = state["momentum_buffer"] {
            buf.mul_(momentum).add_(g.div(avg))
            p.add_(buf, alpha: -lr)
        } else {
            p.add_(g.div(avg), alpha: -lr)
        }
    }
}

/// Adagrad, like `torch.optim.Adagrad`.
public final class Adagrad: Optimizer {
    public init(_ params: [Tensor], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10) {
        super.init(groups: [ParamGroup(params: params)],
                   defaults: ["lr": lr, "lr_decay": lrDecay, "weight_decay": weightDecay,
                              "initial_accumulator_value": initialAccumulatorValue, "eps": eps])
    }

    public override func update(_ p: Tensor, grad: Tensor, state: inout [String: Tensor], options: [String: Double]) {
        if state["sum"] == nil {
            state["step"] = Tensor.zeros([], dtype: .float64)
            state["sum"] = p.fullLike(options["initial_accumulator_value"]!)
        }
        let step = state["step"]!.add_(1.0).item()
        var g = grad
        let wd = options["weight_decay"]!
        if wd != 0 { g = g.add(p, alpha: wd) }
        let clr = options["lr"]! / (1 + (step - 1) * options["lr_decay"]!)
        let sum = state["sum"]!.add_(g.mul(g))
        p.add_(g.div(sum.sqrt().add(options["eps"]!)), alpha: -clr)
    }
}
