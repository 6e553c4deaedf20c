// Fused optimizer updates: one pass over a parameter and its state instead of
// one allocation and sweep per arithmetic step. The order of operations is
// PyTorch's single-tensor implementation, so trajectories match it.

/// Adam's hyperparameters for one step.
package struct AdamStep: Sendable {
    package var lr, beta1, beta2, eps, weightDecay: Double
    package var decoupled: Bool
    package var biasCorrection1, biasCorrection2Sqrt: Double

    package init(lr: Double, beta1: Double, beta2: Double, eps: Double, weightDecay: Double, decoupled: Bool,
                 biasCorrection1: Double, biasCorrection2Sqrt: Double) {
        (self.lr, self.beta1, self.beta2, self.eps, self.weightDecay) = (lr, beta1, beta2, eps, weightDecay)
        (self.decoupled, self.biasCorrection1, self.biasCorrection2Sqrt) = (decoupled, biasCorrection1, biasCorrection2Sqrt)
    }
}

func adamTyped<T: FloatTensorElement>(_: T.Type, count: Int, _ s: AdamStep, param: UnsafeMutableRawPointer,
                                      grad: UnsafeRawPointer, expAvg: UnsafeMutableRawPointer,
                                      expAvgSq: UnsafeMutableRawPointer, maxExpAvgSq: UnsafeMutableRawPointer?) {
    let p = param.assumingMemoryBound(to: T.self), g = grad.assumingMemoryBound(to: T.self)
    let m = expAvg.assumingMemoryBound(to: T.self), v = expAvgSq.assumingMemoryBound(to: T.self)
    let vMax = maxExpAvgSq?.assumingMemoryBound(to: T.self)
    let decay = T(s.decoupled ? 1 - s.lr * s.weightDecay : 1), l2 = T(s.decoupled ? 0 : s.weightDecay)
    let w1 = T(1 - s.beta1), b2 = T(s.beta2), w2 = T(1 - s.beta2)
    let bc2 = T(s.biasCorrection2Sqrt), eps = T(s.eps), stepSize = T(s.lr / s.biasCorrection1)
    Parallel.forRange(count, grain: 1 << 15) { range in
        // Two loops, so the common one has no branch and vectorizes.
        if let vMax {
            for i in range {
                let gi = g[i] + l2 * p[i]
                let mi = m[i] + w1 * (gi - m[i])
                let vi = v[i] * b2 + w2 * gi * gi
                let second = Swift.max(vMax[i], vi)
                (m[i], v[i], vMax[i]) = (mi, vi, second)
                p[i] = p[i] * decay - stepSize * (mi / (second.squareRoot() / bc2 + eps))
            }
        } else {
            for i in range {
                let gi = g[i] + l2 * p[i]
                let mi = m[i] + w1 * (gi - m[i])
                let vi = v[i] * b2 + w2 * gi * gi
                (m[i], v[i]) = (mi, vi)
                p[i] = p[i] * decay - stepSize * (mi / (vi.squareRoot() / bc2 + eps))
            }
        }
    }
}

/// One Adam/AdamW step over `count` contiguous elements of `type`, in place.
package func adamKernel(type: DType, count: Int, _ step: AdamStep, param: UnsafeMutableRawPointer, grad: UnsafeRawPointer,
                        expAvg: UnsafeMutableRawPointer, expAvgSq: UnsafeMutableRawPointer,
                        maxExpAvgSq: UnsafeMutableRawPointer?) {
    switch type {
    case .float32: adamTyped(Float.self, count: count, step, param: param, grad: grad, expAvg: expAvg, expAvgSq: expAvgSq, maxExpAvgSq: maxExpAvgSq)
    case .float64: adamTyped(Double.self, count: count, step, param: param, grad: grad, expAvg: expAvg, expAvgSq: expAvgSq, maxExpAvgSq: maxExpAvgSq)
    default: preconditionFailure("adam: no fused step for \(type)")
    }
}
