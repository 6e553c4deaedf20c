// Scaled dot-product attention, composed of tensor ops so autograd
// differentiates it (a fused kernel can replace it when a benchmark asks).

import EmberCore

extension Functional {
    /// `softmax(q·kᵀ·scale + mask)·v` over the last two dims, like
    /// `torch.nn.functional.scaled_dot_product_attention`.
    ///
    /// A bool `attnMask` marks the positions that may be attended to; a float
    /// mask is added to the scores. `isCausal` lets position i see 0...i.
    ///
    /// ```swift
    /// let out = Functional.scaledDotProductAttention(q, k, v, isCausal: true)   // [B, H, L, D]
    /// ```
    public static func scaledDotProductAttention(_ query: Tensor, _ key: Tensor, _ value: Tensor, attnMask: Tensor? = nil,
                                                 dropoutP: Double = 0, isCausal: Bool = false, scale: Double? = nil,
                                                 generator: Generator = .default) -> Tensor {
        precondition(query.rank >= 2 && key.rank >= 2 && value.rank >= 2 && query.size(-1) == key.size(-1),
                     "scaled_dot_product_attention: query \(query.shape) and key \(key.shape) need a shared last dim")
        precondition(!(isCausal && attnMask != nil),
                     "scaled_dot_product_attention: pass either attnMask or isCausal, not both")
        let (l, s) = (query.size(-2), key.size(-2))
        let factor = scale ?? 1 / Double(query.size(-1)).squareRoot()
        var scores = query.matmul(key.transpose(-2, -1)).mul(factor)
        if isCausal {
            let allowed = Tensor.ones([l, s], dtype: .bool).tril()
            scores = scores.maskedFill(allowed.logicalNot(), -.infinity)
        } else if let attnMask {
            scores = attnMask.dtype == .bool ? scores.maskedFill(attnMask.logicalNot(), -.infinity) : scores + attnMask
        }
        var weights = scores.softmax(dim: -1)
        if dropoutP > 0 { weights = dropout(weights, p: dropoutP, training: true, generator: generator) }
        return weights.matmul(value)
    }
}
