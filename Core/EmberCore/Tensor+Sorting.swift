// Sorting along a dim: sort, argsort and topk. NaN sorts above every number.

import EmberKernels

extension Tensor {
    /// Values sorted along `dim` and the indices they came from; stable.
    ///
    /// ```swift
    /// let (values, indices) = x.sort(dim: -1, descending: true)
    /// ```
    public func sort(dim: Int = -1, descending: Bool = false) -> (values: Tensor, indices: Tensor) {
        if rank == 0 { return (clone(), Tensor.zeros([], dtype: .int64)) }
        let d = normalizeDim(dim, rank: rank, op: "sort")
        let type = dtype.computeType
        let moved = GradMode.noGrad { to(type).movedim(d, rank - 1).contiguous() }
        let values = Tensor(uninitializedShape: moved.shape, dtype: type)
        let indices = Tensor(uninitializedShape: moved.shape, dtype: .int64)
        let n = shape[d]
        if moved.count > 0 {
            sortRowsKernel(type: type, rows: moved.count / n, n: n, descending: descending, moved.rawPointer,
                           values: values.rawPointer, indices: indices.pointer(Int64.self))
        }
        let idx = GradMode.noGrad { indices.movedim(rank - 1, d).contiguous() }
        let out = GradMode.noGrad { values.movedim(rank - 1, d).contiguous().to(dtype) }
        let input = shape
        let recordedValues = out.recorded("sort", [self]) { g in
            [Tensor.zeros(input, dtype: g.dtype).scatter(dim: d, index: idx, src: g)]
        }
        return (recordedValues, idx)
    }

    /// The indices that sort this tensor along `dim`.
    public func argsort(dim: Int = -1, descending: Bool = false) -> Tensor {
        sort(dim: dim, descending: descending).indices
    }

    /// The `k` largest (or smallest) elements along `dim`, in sorted order.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) -> (values: Tensor, indices: Tensor) {
        let d = normalizeDim(dim, rank: rank, op: "topk")
        let n = rank == 0 ? 1 : shape[d]
        precondition(k >= 0 && k <= n, "topk: k (\(k)) is out of range for dim \(d) of size \(n)")
        let (v, i) = sort(dim: d, descending: largest)
        if rank == 0 { return (v, i) }
        return (v.narrow(dim: d, start: 0, length: k).contiguous(), i.narrow(dim: d, start: 0, length: k).contiguous())
    }
}
