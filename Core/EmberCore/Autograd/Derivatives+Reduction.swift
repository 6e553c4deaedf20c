// Helpers for the derivatives of reductions.

extension Tensor {
    /// A gradient of a reduction over `dims`, broadcast back to the input's shape.
    func expandReduced(to input: [Int], dims: [Int], keepDim: Bool) -> Tensor {
        var g = self
        if !keepDim { for d in dims { g = g.unsqueeze(d) } }
        return g.expand(input)
    }

    /// Records amax/amin: the gradient is shared evenly among the extreme elements.
    func recordExtremum(_ input: Tensor, dims: [Int], keepDim: Bool, name: String) -> Tensor {
        let x = input.detachedAlias(), out = detachedAlias(), shape = input.shape
        return recorded(name, [input], saving: [input]) { g in
            let o = out.expandReduced(to: shape, dims: dims, keepDim: keepDim)
            let mask = x.eq(o).to(g.dtype)
            let count = mask.sum(dims: dims, keepDim: true)
            return [g.expandReduced(to: shape, dims: dims, keepDim: keepDim).mul(mask).div(count)]
        }
    }
}

extension Tensor {
    /// Zeros of `shape` with this gradient written into the view `region`
    /// selects: the derivative of taking that view.
    func scattered(into shape: [Int], _ region: (Tensor) -> Tensor) -> Tensor {
        let z = Tensor.zeros(shape, dtype: dtype)
        region(z).copy_(self)
        return z
    }
}
