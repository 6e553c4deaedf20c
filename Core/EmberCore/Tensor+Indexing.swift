// Indexing with tensors: index_select, gather, scatter, scatter_add,
// masked_fill, masked_select, take_along_dim, nonzero, and subscripts by
// bool masks and integer arrays.

import EmberKernels

extension Tensor {
    /// Checks that every index lies in `-size..<size` and returns them as a
    /// contiguous int64 tensor with negative indices wrapped.
    func checkedIndices(_ index: Tensor, size: Int, dim: Int, op: String) -> Tensor {
        precondition(index.dtype.isIntegral,
                     "\(op): expected an integer index tensor, got \(index.dtype)")
        let idx = index.to(.int64).contiguous()
        let p = idx.pointer(Int64.self)
        var wrapped: Tensor? = nil
        for i in 0..<idx.count {
            let v = p[i]
            precondition(v >= -Int64(size) && v < Int64(size),
                         "\(op): index \(v) is out of bounds for dim \(dim) with size \(size)")
            if v < 0 {
                if wrapped == nil { wrapped = idx.clone() }
                wrapped!.pointer(Int64.self)[i] = v + Int64(size)
            }
        }
        return wrapped ?? idx
    }

    /// The slices at `index` along `dim` (`torch.index_select`).
    ///
    /// ```swift
    /// let rows = x.indexSelect(dim: 0, index: Tensor([2, 0] as [Int64]))
    /// ```
    public func indexSelect(dim: Int, index: Tensor) -> Tensor {
        precondition(index.rank <= 1, "index_select: index must be 0-d or 1-d, got shape \(index.shape)")
        let d = normalizeDim(dim, rank: rank, op: "index_select")
        let base = rank == 0 ? reshape([1]) : self
        let idx = checkedIndices(index, size: base.shape[d], dim: d, op: "index_select")
        var outShape = base.shape
        outShape[d] = idx.count
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        GradMode.noGrad {
            let src = base.contiguous()
            indexSelectKernel(itemSize: dtype.itemSize, outer: base.shape[..<d].reduce(1, *), n: base.shape[d],
                              inner: base.shape[(d + 1)...].reduce(1, *), indices: idx.pointer(Int64.self),
                              count: idx.count, src.rawPointer, out.rawPointer)
        }
        let input = base.shape
        let recordedOut = out.recorded("index_select", [base]) { g in
            // Rows picked several times collect the sum of their gradients.
            var viewShape = [Int](repeating: 1, count: g.rank)
            viewShape[d] = idx.count
            let spread = idx.reshape(viewShape).expand(g.shape)
            return [Tensor.zeros(input, dtype: g.dtype).scatterAdd_(dim: d, index: spread, src: g)]
        }
        return rank == 0 ? recordedOut.reshape([]) : recordedOut
    }

    /// `out[i][j] = self[i][index[i][j]]` along `dim` (`torch.gather`).
    public func gather(dim: Int, index: Tensor) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "gather")
        precondition(index.rank == rank, "gather: index of shape \(index.shape) must have the rank of input \(shape)")
        for k in 0..<rank where k != d {
            precondition(index.shape[k] <= shape[k],
                         "gather: index shape \(index.shape) is larger than input shape \(shape) at dim \(k)")
        }
        let idx = checkedIndices(index, size: shape[d], dim: d, op: "gather")
        let out = Tensor(uninitializedShape: index.shape, dtype: dtype)
        var srcStrides = strides
        srcStrides[d] = 0
        let loop = StridedLoop(shape: index.shape, strides: [out.strides, idx.strides, srcStrides])
        gatherKernel(itemSize: dtype.itemSize, loop, dimStride: strides[d],
                     out: out.rawPointer, index: idx.rawPointer, src: rawPointer)
        let input = shape
        return out.recorded("gather", [self]) { g in
            [Tensor.zeros(input, dtype: g.dtype).scatterAdd_(dim: d, index: idx, src: g)]
        }
    }

    /// `gather` with `index` broadcast against this tensor (`torch.take_along_dim`).
    public func takeAlongDim(_ index: Tensor, dim: Int) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "take_along_dim")
        var selfShape = shape, indexShape = index.shape
        selfShape[d] = 1
        indexShape[d] = 1
        let common = broadcastShapes(selfShape, indexShape, op: "take_along_dim")
        var selfTarget = common, indexTarget = common
        selfTarget[d] = shape[d]
        indexTarget[d] = index.shape[d]
        return expand(selfTarget).gather(dim: d, index: index.expand(indexTarget))
    }

    func scatterImpl(dim: Int, index: Tensor, src: Tensor, accumulate: Bool, op: String) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: op)
        precondition(index.rank == rank && src.rank == rank,
                     "\(op): index \(index.shape) and src \(src.shape) must have the rank of self \(shape)")
        for k in 0..<rank {
            precondition(index.shape[k] <= src.shape[k] && (k == d || index.shape[k] <= shape[k]),
                         "\(op): index shape \(index.shape) exceeds src \(src.shape) or self \(shape) at dim \(k)")
        }
        precondition(!(GradMode.enabled && (requiresGrad || src.requiresGrad)),
                     "\(op): in-place scatter into or from tensors that require grad is not supported yet; use gather/indexSelect forms")
        let idx = checkedIndices(index, size: shape[d], dim: d, op: op)
        bumpVersion()
        let source = src.to(dtype)
        var dstStrides = strides
        dstStrides[d] = 0
        let loop = StridedLoop(shape: index.shape, strides: [dstStrides, idx.strides, source.strides])
        scatterKernel(type: dtype, accumulate: accumulate, loop, dimStride: strides[d],
                      dst: rawPointer, index: idx.rawPointer, src: source.rawPointer)
        return self
    }

    /// Writes `src[i][j]` to `self[i][index[i][j]]` along `dim`, in place.
    @discardableResult
    public func scatter_(dim: Int, index: Tensor, src: Tensor) -> Tensor {
        scatterImpl(dim: dim, index: index, src: src, accumulate: false, op: "scatter_")
    }
    /// Adds `src[i][j]` into `self[i][index[i][j]]` along `dim`, in place; repeats accumulate.
    @discardableResult
    public func scatterAdd_(dim: Int, index: Tensor, src: Tensor) -> Tensor {
        scatterImpl(dim: dim, index: index, src: src, accumulate: true, op: "scatter_add_")
    }
    /// A copy with `src` scattered in (`torch.scatter`).
    public func scatter(dim: Int, index: Tensor, src: Tensor) -> Tensor {
        let out = GradMode.noGrad { clone().scatter_(dim: dim, index: index, src: src) }
        let d = normalizeDim(dim, rank: rank, op: "scatter")
        let srcShape = src.shape
        return out.recorded("scatter", [self, src]) { g in
            // Overwritten positions pass no gradient to self; src gets what lands on it.
            let cut = g.scatter(dim: d, index: index, src: Tensor.zeros(srcShape, dtype: g.dtype))
            return [cut, g.gather(dim: d, index: index).pad(Tensor.padAmounts(from: index.shape, to: srcShape))]
        }
    }
    /// A copy with `src` added in at `index` (`torch.scatter_add`).
    public func scatterAdd(dim: Int, index: Tensor, src: Tensor) -> Tensor {
        let out = GradMode.noGrad { clone().scatterAdd_(dim: dim, index: index, src: src) }
        let d = normalizeDim(dim, rank: rank, op: "scatter_add")
        let srcShape = src.shape
        return out.recorded("scatter_add", [self, src]) { g in
            [g, g.gather(dim: d, index: index).pad(Tensor.padAmounts(from: index.shape, to: srcShape))]
        }
    }

    /// Zero padding that grows `shape` to `target` at the end of each dim.
    static func padAmounts(from shape: [Int], to target: [Int]) -> [Int] {
        zip(shape, target).reversed().flatMap { [0, $1 - $0] }
    }

    /// `value` where `mask` is true, this tensor's elements elsewhere.
    public func maskedFill(_ mask: Tensor, _ value: Double) -> Tensor {
        precondition(mask.dtype == .bool, "masked_fill: expected a bool mask, got \(mask.dtype)")
        let s = broadcastShapes(shape, mask.shape, op: "masked_fill")
        precondition(s == shape, "masked_fill: mask of shape \(mask.shape) cannot broadcast to \(shape)")
        return Tensor(scalar: value, dtype: dtype).where(mask, self)
    }
    /// Sets elements where `mask` is true to `value`, in place.
    @discardableResult
    public func maskedFill_(_ mask: Tensor, _ value: Double) -> Tensor { copy_(maskedFill(mask, value)) }

    /// The elements where `mask` (broadcast) is true, as a 1-D tensor.
    public func maskedSelect(_ mask: Tensor) -> Tensor {
        precondition(mask.dtype == .bool, "masked_select: expected a bool mask, got \(mask.dtype)")
        let s = broadcastShapes(shape, mask.shape, op: "masked_select")
        return expand(s).reshape([-1]).indexSelect(dim: 0, index: mask.expand(s).reshape([-1]).nonzero().reshape([-1]))
    }

    /// Indices of nonzero elements, one row per element: `[count, rank]` int64.
    public func nonzero() -> Tensor {
        let flags: [Bool] = to(.bool).scalars()
        let strides = contiguousStrides(shape)
        var out: [Int64] = []
        for (i, f) in flags.enumerated() where f {
            var r = i
            for s in strides {
                out.append(Int64(r / s))
                r %= s
            }
        }
        return Tensor(out, shape: [out.count / Swift.max(rank, 1), rank])
    }

    /// `x[mask]` for a bool mask, or `x[indices]` for an integer tensor along dim 0.
    ///
    /// A bool mask must match the leading dims; the result has one row per true
    /// element. Integer indices give a result of shape `indices.shape + shape[1...]`.
    ///
    /// ```swift
    /// let positives = x[x.gt(0)]
    /// let picked = x[Tensor([0, 2, 2] as [Int64])]
    /// ```
    public subscript(indices: Tensor) -> Tensor {
        if indices.dtype == .bool {
            precondition(indices.rank <= rank && Array(shape.prefix(indices.rank)) == indices.shape,
                         "index: mask of shape \(indices.shape) does not match the leading dims of \(shape)")
            let lead = indices.rank
            let flat = reshape([-1] + Array(shape[lead...]))
            return flat.indexSelect(dim: 0, index: indices.reshape([-1]).nonzero().reshape([-1]))
        }
        precondition(rank >= 1, "index: cannot index a 0-d tensor with an index tensor")
        let picked = indexSelect(dim: 0, index: indices.reshape([-1]))
        return picked.reshape(indices.shape + Array(shape[1...]))
    }
}
