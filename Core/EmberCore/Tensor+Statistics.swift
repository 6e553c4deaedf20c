// Composite reductions (variance, norms, logsumexp), running sums, and the
// fused softmax pair.

import EmberKernels

extension Tensor {
    /// Variance over `dims` with Bessel's `correction` (1 = unbiased, PyTorch's default).
    public func variance(dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        precondition(dtype.isFloatingPoint, "var: expected a floating-point tensor, got \(dtype)")
        let d = reductionDims(dims, op: "var")
        let n = d.map { shape[$0] }.reduce(1, *)
        let x = to(dtype.computeType)
        let centered = x.sub(x.mean(dims: d, keepDim: true))
        let ss = centered.mul(centered).sum(dims: d, keepDim: keepDim)
        return ss.div(Double(Swift.max(n - correction, 0))).to(dtype)
    }
    /// Variance over one dim.
    public func variance(dim: Int, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        variance(dims: [dim], correction: correction, keepDim: keepDim)
    }
    /// Standard deviation over `dims` with Bessel's `correction`.
    public func std(dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        variance(dims: dims, correction: correction, keepDim: keepDim).sqrt()
    }
    /// Standard deviation over one dim.
    public func std(dim: Int, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        std(dims: [dim], correction: correction, keepDim: keepDim)
    }

    /// `log(sum(exp(x)))` over `dims`, computed without overflow.
    public func logsumexp(dims: [Int], keepDim: Bool = false) -> Tensor {
        let x = dtype.isFloatingPoint ? self : to(.float32)
        let d = x.reductionDims(dims, op: "logsumexp")
        if x.count == 0 { return x.exp().sum(dims: d, keepDim: keepDim).log() }
        let m = x.amax(dims: d, keepDim: true)
        let safe = m.where(m.isinf().logicalNot(), 0)  // all -inf slices give -inf, not NaN
        let s = x.sub(safe).exp().sum(dims: d, keepDim: true).log().add(safe)
        return keepDim ? s : s.squeezeDims(d)
    }
    /// `logsumexp` over one dim.
    public func logsumexp(dim: Int, keepDim: Bool = false) -> Tensor { logsumexp(dims: [dim], keepDim: keepDim) }

    /// Removes the listed size-1 dims (sorted ascending).
    func squeezeDims(_ dims: [Int]) -> Tensor {
        var y = self
        for d in dims.reversed() { y = y.squeeze(dim: d) }
        return y
    }

    /// The vector p-norm over `dims`: p = 1, 2, any positive value, or `.infinity`.
    ///
    /// ```swift
    /// x.norm()                         // Frobenius / 2-norm of all elements
    /// x.norm(p: .infinity, dims: [1])
    /// ```
    public func norm(p: Double = 2, dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let x = dtype.isFloatingPoint ? self : to(.float32)
        let a = x.abs()
        switch p {
        case .infinity: return a.amax(dims: dims, keepDim: keepDim)
        case -.infinity: return a.amin(dims: dims, keepDim: keepDim)
        case 0: return a.ne(0).to(x.dtype).sum(dims: dims, keepDim: keepDim)
        case 1: return a.sum(dims: dims, keepDim: keepDim)
        case 2: return a.mul(a).sum(dims: dims, keepDim: keepDim).sqrt()
        default: return a.pow(p).sum(dims: dims, keepDim: keepDim).pow(1 / p)
        }
    }

    /// Running sums along `dim`; integers and bools accumulate as int64.
    public func cumsum(dim: Int) -> Tensor {
        let type = dtype.isFloatingPoint ? dtype.computeType : .int64
        if rank == 0 { return to(type).clone() }
        let d = normalizeDim(dim, rank: rank, op: "cumsum")
        let out = Tensor(uninitializedShape: shape, dtype: type)
        let result = GradMode.noGrad { () -> Tensor in
            let x = to(type).contiguous()
            cumsumKernel(type: type, outer: shape[..<d].reduce(1, *), n: shape[d],
                         inner: shape[(d + 1)...].reduce(1, *), x.rawPointer, out.rawPointer)
            return out.to(dtype.isFloatingPoint ? dtype : .int64)
        }
        return result.recorded("cumsum", [self]) { g in [g.flip([d]).cumsum(dim: d).flip([d])] }
    }

    func softmaxImpl(dim: Int, log: Bool) -> Tensor {
        let type = dtype.isFloatingPoint ? dtype : .float32
        let compute = type.computeType
        if rank == 0 { return log ? Tensor.zeros([], dtype: type) : Tensor.ones([], dtype: type) }
        let d = normalizeDim(dim, rank: rank, op: log ? "log_softmax" : "softmax")
        let result = GradMode.noGrad { () -> Tensor in
            let moved = to(compute).movedim(d, rank - 1).contiguous()
            let out = Tensor(uninitializedShape: moved.shape, dtype: compute)
            softmaxKernel(log: log, type: compute, rows: moved.count / Swift.max(shape[d], 1), n: shape[d],
                          moved.rawPointer, out.rawPointer)
            let back = out.movedim(rank - 1, d)
            return (d == rank - 1 ? back : back.contiguous()).to(type)
        }
        let y = result.detachedAlias()
        if log {
            return result.recorded("log_softmax", [self], saving: [result]) { g in
                [g.sub(y.exp().mul(g.sum(dim: d, keepDim: true)))]
            }
        }
        return result.recorded("softmax", [self], saving: [result]) { g in
            [y.mul(g.sub(g.mul(y).sum(dim: d, keepDim: true)))]
        }
    }

    /// `exp(x) / sum(exp(x))` along `dim`, stable for large inputs.
    ///
    /// ```swift
    /// let probs = logits.softmax(dim: -1)
    /// ```
    public func softmax(dim: Int) -> Tensor { softmaxImpl(dim: dim, log: false) }
    /// `x - logsumexp(x)` along `dim`.
    public func logSoftmax(dim: Int) -> Tensor { softmaxImpl(dim: dim, log: true) }
}
