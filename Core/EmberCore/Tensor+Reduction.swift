// Reductions over one dim, several dims or all: sum, mean, prod, max and min
// (with indices), amax, amin, argmax, argmin, all and any. Statistics
// (var, std, norm, logsumexp) and scans are in Tensor+Statistics.swift.

import EmberKernels

extension Tensor {
    /// Normalized, sorted, unique dims; nil or empty means all dims.
    func reductionDims(_ dims: [Int]?, op: String) -> [Int] {
        guard let dims, !dims.isEmpty else { return Array(0..<rank) }
        let d = dims.map { normalizeDim($0, rank: rank, op: op) }
        precondition(Set(d).count == d.count, "\(op): dim \(dims) appears multiple times in the list of dims")
        return rank == 0 ? [] : d.sorted()
    }

    /// The shape after reducing `dims`.
    func reducedShape(_ dims: [Int], keepDim: Bool) -> [Int] {
        var out: [Int] = []
        for d in 0..<rank {
            if dims.contains(d) { if keepDim { out.append(1) } } else { out.append(shape[d]) }
        }
        return out
    }

    /// Brings this tensor into [outer, n, inner] contiguous form for `dims`
    /// and calls `body(source, outer, n, inner)`.
    func withReductionLayout(_ dims: [Int], _ body: (Tensor, Int, Int, Int) -> Void) {
        if dims.isEmpty {
            body(contiguous(), count, 1, 1)
            return
        }
        let consecutive = dims.last! - dims.first! + 1 == dims.count
        if consecutive && isContiguous {
            let outer = shape[..<dims.first!].reduce(1, *)
            let n = dims.map { shape[$0] }.reduce(1, *)
            let inner = shape[(dims.last! + 1)...].reduce(1, *)
            body(self, outer, n, inner)
            return
        }
        let kept = (0..<rank).filter { !dims.contains($0) }
        let moved = permute(kept + dims).contiguous()
        body(moved, kept.map { shape[$0] }.reduce(1, *), dims.map { shape[$0] }.reduce(1, *), 1)
    }

    func reduce(_ op: ReduceOp, dims: [Int]?, keepDim: Bool, type: DType, name: String) -> Tensor {
        let d = reductionDims(dims, op: name)
        let src = GradMode.noGrad { to(type) }
        let out = Tensor(uninitializedShape: reducedShape(d, keepDim: keepDim), dtype: type)
        if op == .max || op == .min {
            precondition(count > 0 || d.allSatisfy({ shape[$0] > 0 }),
                         "\(name): expected a non-empty tensor, got shape \(shape)")
        }
        src.withReductionLayout(d) { x, outer, n, inner in
            reduceKernel(op, type: type, outer: outer, n: n, inner: inner, x.rawPointer, out.rawPointer)
        }
        return out
    }

    private var sumType: DType { dtype.isFloatingPoint ? dtype.computeType : .int64 }

    /// Sum over `dims` (all when nil); integers and bools sum as int64.
    ///
    /// ```swift
    /// x.sum()                          // 0-d
    /// x.sum(dims: [0, 2], keepDim: true)
    /// ```
    public func sum(dims: [Int]? = nil, keepDim: Bool = false, dtype: DType? = nil) -> Tensor {
        let r = reduce(.sum, dims: dims, keepDim: keepDim, type: (dtype ?? sumType).computeType, name: "sum")
        let out = GradMode.noGrad { r.to(dtype ?? (self.dtype.isFloatingPoint ? self.dtype : .int64)) }
        let (d, input) = (reductionDims(dims, op: "sum"), shape)
        return out.recorded("sum", [self]) { g in [g.expandReduced(to: input, dims: d, keepDim: keepDim)] }
    }
    /// Sum over one dim.
    public func sum(dim: Int, keepDim: Bool = false) -> Tensor { sum(dims: [dim], keepDim: keepDim) }

    /// Mean over `dims`; floating-point tensors only, as in PyTorch.
    public func mean(dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        precondition(dtype.isFloatingPoint,
                     "mean: could not infer output dtype; input dtype must be floating point, got \(dtype)")
        let d = reductionDims(dims, op: "mean")
        let n = d.map { shape[$0] }.reduce(1, *)
        let s = reduce(.sum, dims: dims, keepDim: keepDim, type: dtype.computeType, name: "mean")
        let out = GradMode.noGrad { s.div(Double(n)).to(dtype) }
        let input = shape
        return out.recorded("mean", [self]) { g in [g.expandReduced(to: input, dims: d, keepDim: keepDim).div(Double(n))] }
    }
    /// Mean over one dim.
    public func mean(dim: Int, keepDim: Bool = false) -> Tensor { mean(dims: [dim], keepDim: keepDim) }

    /// Product over `dims`; integers multiply as int64.
    public func prod(dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let out = GradMode.noGrad {
            reduce(.prod, dims: dims, keepDim: keepDim, type: sumType, name: "prod").to(dtype.isFloatingPoint ? dtype : .int64)
        }
        let (d, input, x, o) = (reductionDims(dims, op: "prod"), shape, detachedAlias(), out.detachedAlias())
        // d prod / d x_i = prod / x_i (inputs with zeros are not special-cased yet).
        return out.recorded("prod", [self], saving: [self]) { g in
            [g.mul(o).expandReduced(to: input, dims: d, keepDim: keepDim).div(x)]
        }
    }
    /// Product over one dim.
    public func prod(dim: Int, keepDim: Bool = false) -> Tensor { prod(dims: [dim], keepDim: keepDim) }

    /// The largest values over `dims` (all when nil); NaN wins.
    public func amax(dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let out = GradMode.noGrad { reduce(.max, dims: dims, keepDim: keepDim, type: dtype.computeType, name: "amax").to(dtype) }
        return out.recordExtremum(self, dims: reductionDims(dims, op: "amax"), keepDim: keepDim, name: "amax")
    }
    /// The smallest values over `dims` (all when nil); NaN wins.
    public func amin(dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let out = GradMode.noGrad { reduce(.min, dims: dims, keepDim: keepDim, type: dtype.computeType, name: "amin").to(dtype) }
        return out.recordExtremum(self, dims: reductionDims(dims, op: "amin"), keepDim: keepDim, name: "amin")
    }
    /// The largest element, as a 0-d tensor.
    public func max() -> Tensor { amax() }
    /// The smallest element, as a 0-d tensor.
    public func min() -> Tensor { amin() }

    func argReduce(max isMax: Bool, dim: Int, keepDim: Bool, name: String) -> (values: Tensor, indices: Tensor) {
        let d = normalizeDim(dim, rank: rank, op: name)
        precondition(rank == 0 || shape[d] > 0, "\(name): cannot reduce over an empty dim \(d) of shape \(shape)")
        let type = dtype.computeType
        let outShape = reducedShape(rank == 0 ? [] : [d], keepDim: keepDim)
        let values = Tensor(uninitializedShape: outShape, dtype: type)
        let indices = Tensor(uninitializedShape: outShape, dtype: .int64)
        GradMode.noGrad {
            to(type).withReductionLayout(rank == 0 ? [] : [d]) { x, outer, n, inner in
                argReduceKernel(max: isMax, type: type, outer: outer, n: n, inner: inner, x.rawPointer,
                                values: values.rawPointer, indices: indices.pointer(Int64.self))
            }
        }
        let out = GradMode.noGrad { values.to(dtype) }
        guard rank > 0 else { return (out.recorded(name, [self]) { g in [g] }, indices) }
        let (input, idx) = (shape, keepDim ? indices : indices.unsqueeze(d))
        let recordedValues = out.recorded(name, [self]) { g in
            [Tensor.zeros(input, dtype: g.dtype).scatter(dim: d, index: idx, src: keepDim ? g : g.unsqueeze(d))]
        }
        return (recordedValues, indices)
    }

    /// The largest values along `dim` and their first indices.
    public func max(dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
        argReduce(max: true, dim: dim, keepDim: keepDim, name: "max")
    }
    /// The smallest values along `dim` and their first indices.
    public func min(dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
        argReduce(max: false, dim: dim, keepDim: keepDim, name: "min")
    }
    /// Indices of the largest values along `dim`, or into the flattened tensor when nil.
    public func argmax(dim: Int? = nil, keepDim: Bool = false) -> Tensor {
        guard let dim else { return reshape([-1]).argReduce(max: true, dim: 0, keepDim: false, name: "argmax").indices }
        return argReduce(max: true, dim: dim, keepDim: keepDim, name: "argmax").indices
    }
    /// Indices of the smallest values along `dim`, or into the flattened tensor when nil.
    public func argmin(dim: Int? = nil, keepDim: Bool = false) -> Tensor {
        guard let dim else { return reshape([-1]).argReduce(max: false, dim: 0, keepDim: false, name: "argmin").indices }
        return argReduce(max: false, dim: dim, keepDim: keepDim, name: "argmin").indices
    }

    /// True where every element over `dims` is nonzero.
    public func all(dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        if count == 0 { return Tensor.ones(reducedShape(reductionDims(dims, op: "all"), keepDim: keepDim), dtype: .bool) }
        return to(.bool).reduce(.min, dims: dims, keepDim: keepDim, type: .bool, name: "all")
    }
    /// True where any element over `dims` is nonzero.
    public func any(dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        if count == 0 { return Tensor.zeros(reducedShape(reductionDims(dims, op: "any"), keepDim: keepDim), dtype: .bool) }
        return to(.bool).reduce(.max, dims: dims, keepDim: keepDim, type: .bool, name: "any")
    }
}
