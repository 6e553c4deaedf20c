// Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_.

import EmberCore

/// Scales all gradients together so their combined p-norm is at most
/// `maxNorm`; returns the norm before clipping.
///
/// ```swift
/// loss.backward()
/// let norm = clipGradNorm_(model.parameters(), maxNorm: 1.0)
/// ```
@discardableResult
public func clipGradNorm_(_ parameters: [Tensor], maxNorm: Double, normType: Double = 2) -> Double {
    GradMode.noGrad {
        let grads = parameters.compactMap(\.grad)
        if grads.isEmpty { return 0 }
        let norms = Tensor.stack(grads.map { $0.norm(p: normType).to(.float64) })
        let total = normType.isInfinite ? norms.amax().item() : norms.norm(p: normType).item()
        // PyTorch's clip coefficient, capped at 1, with its 1e-6 guard.
        let coefficient = Swift.min(maxNorm / (total + 1e-6), 1)
        if coefficient < 1 { for g in grads { g.mul_(coefficient) } }
        return total
    }
}

/// Clamps every gradient element into `[-clipValue, clipValue]`.
public func clipGradValue_(_ parameters: [Tensor], clipValue: Double) {
    GradMode.noGrad {
        for g in parameters.compactMap(\.grad) { g.clamp_(min: -clipValue, max: clipValue) }
    }
}
