// Derivatives of the elementwise ops, each written with tensor ops on the
// output gradient `g`. Inputs that were broadcast get their gradient summed
// back to their own shape.

import EmberKernels

extension Tensor {
    func recordBinary(_ op: BinaryOp, _ name: String, _ a: Tensor, _ b: Tensor) -> Tensor {
        let (sa, sb) = (a.shape, b.shape)
        let x = a.detachedAlias(), y = b.detachedAlias(), out = detachedAlias()
        switch op {
        case .add:
            return recorded(name, [a, b]) { g in [g.sumToShape(sa), g.sumToShape(sb)] }
        case .sub:
            return recorded(name, [a, b]) { g in [g.sumToShape(sa), g.neg().sumToShape(sb)] }
        case .mul:
            return recorded(name, [a, b], saving: [a, b]) { g in [g.mul(y).sumToShape(sa), g.mul(x).sumToShape(sb)] }
        case .div:
            return recorded(name, [a, b], saving: [a, b]) { g in
                [g.div(y).sumToShape(sa), g.neg().mul(x).div(y.mul(y)).sumToShape(sb)]
            }
        case .pow:
            return recorded(name, [a, b], saving: [a, b, self]) { g in
                // d/da = b·a^(b-1); d/db = a^b·log(a), taken as 0 where a = 0 (PyTorch's convention).
                let da = g.mul(y).mul(x.pow(y.sub(1.0)))
                let logx = x.log().where(x.ne(0), 0)
                return [da.sumToShape(sa), g.mul(out).mul(logx).sumToShape(sb)]
            }
        case .minimum, .maximum:
            return recorded(name, [a, b], saving: [a, b]) { g in
                // The larger (smaller) input takes the gradient; ties split it evenly.
                let wins = op == .maximum ? x.gt(y) : x.lt(y)
                let tie = x.eq(y).to(g.dtype).mul(0.5)
                let wa = wins.to(g.dtype).add(tie)
                let wb = wins.logicalNot().to(g.dtype).sub(tie.mul(2)).add(tie)
                return [g.mul(wa).sumToShape(sa), g.mul(wb).sumToShape(sb)]
            }
        case .thresholdBackward:
            // Linear in the gradient a; piecewise constant in the output b.
            return recorded(name, [a, b], saving: [b]) { g in [Tensor.binary(g, y, .thresholdBackward, type: g.dtype, name: name), nil] }
        case .floorDivide, .remainder:
            // Piecewise constant in a (remainder: slope 1 in a, -floor(a/b) in b).
            if op == .remainder {
                return recorded(name, [a, b], saving: [a, b]) { g in
                    [g.sumToShape(sa), g.neg().mul(x.div(y).floor()).sumToShape(sb)]
                }
            }
            return recorded(name, [a, b]) { g in [g.mul(0).sumToShape(sa), g.mul(0).sumToShape(sb)] }
        }
    }

    func recordUnary(_ op: UnaryOp, _ input: Tensor) -> Tensor {
        let x = input.detachedAlias(), out = detachedAlias()
        let name = "\(op)".split(separator: "(").first.map(String.init) ?? "unary"
        func rec(saving: [Tensor] = [input], _ f: @escaping (Tensor) -> Tensor) -> Tensor {
            recorded(name, [input], saving: saving) { g in [f(g)] }
        }
        switch op {
        case .neg: return rec(saving: []) { $0.neg() }
        case .abs: return rec { $0.mul(x.sign()) }
        case .sign, .floor, .ceil, .round, .trunc: return rec(saving: []) { $0.mul(0) }
        case .reciprocal: return rec(saving: [self]) { $0.neg().mul(out).mul(out) }
        case .square: return rec { $0.mul(x).mul(2.0) }
        case .exp: return rec(saving: [self]) { $0.mul(out) }
        case .expm1: return rec(saving: [self]) { $0.mul(out.add(1.0)) }
        case .log: return rec { $0.div(x) }
        case .log1p: return rec { $0.div(x.add(1.0)) }
        case .log2: return rec { $0.div(x.mul(0.69314718055994530942)) }
        case .sqrt: return rec(saving: [self]) { $0.div(out.mul(2.0)) }
        case .rsqrt: return rec(saving: [self]) { $0.mul(out.mul(out).mul(out)).mul(-0.5) }
        case .sin: return rec { $0.mul(x.cos()) }
        case .cos: return rec { $0.mul(x.sin()).neg() }
        case .tanh: return rec(saving: [self]) { $0.mul(out.mul(out).neg().add(1.0)) }
        case .erf: return rec { $0.mul(x.mul(x).neg().exp()).mul(1.12837916709551257390) }
        case .sigmoid: return rec(saving: [self]) { $0.mul(out).mul(out.neg().add(1.0)) }
        case .relu: return rec(saving: [self]) { Tensor.binary($0, out, .thresholdBackward, type: $0.dtype, name: "threshold_backward") }
        case .relu6: return rec { $0.mul(x.gt(0).logicalAnd(x.lt(6)).to($0.dtype)) }
        case .leakyRelu(let slope):
            return rec { g in g.mul(x.gt(0).to(g.dtype).mul(1 - slope).add(slope)) }
        case .elu(let alpha):
            return rec(saving: [input, self]) { g in g.mul(Tensor.where(x.gt(0), x.onesLike(), out.add(alpha))) }
        case .gelu:
            return rec { g in
                // Φ(x) + x·φ(x)
                let cdf = x.mul(0.70710678118654752440).erf().add(1.0).mul(0.5)
                let pdf = x.mul(x).mul(-0.5).exp().mul(0.39894228040143267794)
                return g.mul(cdf.add(x.mul(pdf)))
            }
        case .geluTanh:
            return rec { g in
                let k = 0.79788456080286535588
                let x2 = x.mul(x)
                let t = x.add(x2.mul(x).mul(0.044715)).mul(k).tanh()
                let dInner = x2.mul(3 * 0.044715).add(1.0).mul(k)
                let d = t.add(1.0).mul(0.5).add(x.mul(0.5).mul(t.mul(t).neg().add(1.0)).mul(dInner))
                return g.mul(d)
            }
        case .silu:
            return rec { g in
                let s = x.sigmoid()
                return g.mul(s.mul(x.mul(s.neg().add(1.0)).add(1.0)))
            }
        case .softplus(let beta, let threshold):
            return rec { g in
                let linear = x.mul(beta).gt(threshold)
                return g.mul(Tensor.where(linear, x.onesLike(), x.mul(beta).sigmoid()))
            }
        case .clamp(let lo, let hi):
            return rec { g in
                var keep = x.eq(x)  // NaN gets no gradient
                if let lo { keep = keep.logicalAnd(x.ge(lo)) }
                if let hi { keep = keep.logicalAnd(x.le(hi)) }
                return g.mul(keep.to(g.dtype))
            }
        case .nanToNum:
            return rec { g in g.mul(x.isfinite().to(g.dtype)) }
        }
    }
}
