// SGD, Adam and AdamW, with PyTorch's update rules (torch/optim/*.py,
// the single-tensor "foreach=False" paths).

import EmberCore
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
        var g = grad
        if wd != 0 {
            if decoupled { p.mul_(1 - lr * wd) } else { g = g.add(p, alpha: wd) }
        }
        if state["step"] == nil {
            state["step"] = Tensor.zeros([], dtype: .float64)
            state["exp_avg"] = p.zerosLike()
            state["exp_avg_sq"] = p.zerosLike()
            if options["amsgrad"]! != 0 { state["max_exp_avg_sq"] = p.zerosLike() }
        }
        let stepT = state["step"]!.add_(1.0)
        let step = stepT.item()
        let m = state["exp_avg"]!, v = state["exp_avg_sq"]!
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
}
