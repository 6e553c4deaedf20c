// Views share storage with their base: reshape (when strides allow), permute,
// transpose, squeeze, unsqueeze, expand, narrow, slicing and selection.
// Splitting into several views is in Tensor+Split.swift.

extension Tensor {
    package func view(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, storageOffset: offset, dtype: dtype)
    }

    /// Resolves one -1 in a requested shape against `count`.
    func inferShape(_ requested: [Int], op: String) -> [Int] {
        var shape = requested
        let known = requested.filter { $0 != -1 }.reduce(1, *)
        let unknown = requested.indices.filter { requested[$0] == -1 }
        precondition(unknown.count <= 1, "\(op): only one dimension can be inferred in \(requested)")
        precondition(requested.allSatisfy { $0 >= -1 }, "\(op): invalid shape \(requested)")
        if let u = unknown.first {
            precondition(known != 0 && count % known == 0,
                         "\(op): shape \(requested) is invalid for input of size \(count)")
            shape[u] = count / known
        }
        precondition(shape.reduce(1, *) == count,
                     "\(op): shape \(requested) is invalid for input of size \(count)")
        return shape
    }

    /// Strides for viewing this tensor as `newShape` without copying, or nil
    /// (PyTorch's `computeStride`: merge runs of dims that are contiguous with
    /// each other, then split them).
    func viewStrides(_ newShape: [Int]) -> [Int]? {
        if count == 0 || shape.isEmpty { return contiguousStrides(newShape) }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewD = newShape.count - 1
        var chunkBase = strides[rank - 1]
        var tensorElems = 1, viewElems = 1
        for d in stride(from: rank - 1, through: 0, by: -1) {
            tensorElems *= shape[d]
            if d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorElems * chunkBase) {
                while viewD >= 0 && (viewElems < tensorElems || newShape[viewD] == 1) {
                    newStrides[viewD] = viewElems * chunkBase
                    viewElems *= newShape[viewD]
                    viewD -= 1
                }
                if viewElems != tensorElems { return nil }
                if d > 0 {
                    chunkBase = strides[d - 1]
                    tensorElems = 1
                    viewElems = 1
                }
            }
        }
        return viewD == -1 ? newStrides : nil
    }

    /// A view with a new shape; traps when the strides forbid it (`torch.view`).
    public func view(_ shape: [Int]) -> Tensor {
        let target = inferShape(shape, op: "view")
        guard let s = viewStrides(target) else {
            preconditionFailure("view: shape \(target) is incompatible with the strides \(strides) of a tensor of shape \(self.shape); use reshape")
        }
        let input = self.shape
        return view(shape: target, strides: s, offset: storageOffset).recorded("view", [self]) { g in [g.reshape(input)] }
    }

    /// The same elements in a new shape; a view where strides allow, else a copy.
    ///
    /// ```swift
    /// let x = Tensor.arange(6).reshape([2, -1])   // shape [2, 3]
    /// ```
    public func reshape(_ shape: [Int]) -> Tensor {
        let target = inferShape(shape, op: "reshape")
        if let s = viewStrides(target) {
            let input = self.shape
            return view(shape: target, strides: s, offset: storageOffset).recorded("reshape", [self]) { g in [g.reshape(input)] }
        }
        return contiguous().view(target)
    }

    /// Dimensions reordered: output dim i is input dim `dims[i]`.
    public func permute(_ dims: [Int]) -> Tensor {
        precondition(dims.count == rank, "permute: \(dims) does not match a tensor of rank \(rank)")
        let d = dims.map { normalizeDim($0, rank: rank, op: "permute") }
        precondition(Set(d).count == rank, "permute: repeated dim in \(dims)")
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in d.enumerated() { inverse[p] = i }
        return view(shape: d.map { shape[$0] }, strides: d.map { strides[$0] }, offset: storageOffset)
            .recorded("permute", [self]) { g in [g.permute(inverse)] }
    }

    /// Dimensions reordered (variadic form).
    public func permute(_ dims: Int...) -> Tensor { permute(dims) }

    /// Dims `dim0` and `dim1` swapped.
    public func transpose(_ dim0: Int, _ dim1: Int) -> Tensor {
        if rank == 0 { return self }
        let a = normalizeDim(dim0, rank: rank, op: "transpose")
        let b = normalizeDim(dim1, rank: rank, op: "transpose")
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return permute(order)
    }

    /// The transpose of a matrix; 0-d and 1-d tensors come back unchanged.
    public func t() -> Tensor {
        precondition(rank <= 2, "t: expects a tensor with <= 2 dimensions, got \(rank)")
        return rank < 2 ? self : transpose(0, 1)
    }

    /// Moves dim `source` to position `destination`.
    public func movedim(_ source: Int, _ destination: Int) -> Tensor {
        let s = normalizeDim(source, rank: rank, op: "movedim")
        let d = normalizeDim(destination, rank: rank, op: "movedim")
        var order = Array(0..<rank).filter { $0 != s }
        order.insert(s, at: d)
        return permute(order)
    }

    /// All size-1 dims removed.
    public func squeeze() -> Tensor {
        let keep = (0..<rank).filter { shape[$0] != 1 }
        let input = shape
        return view(shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] }, offset: storageOffset)
            .recorded("squeeze", [self]) { g in [g.reshape(input)] }
    }

    /// Dim `dim` removed if its size is 1; otherwise unchanged.
    public func squeeze(dim: Int) -> Tensor {
        if rank == 0 { return self }
        let d = normalizeDim(dim, rank: rank, op: "squeeze")
        if shape[d] != 1 { return self }
        var s = shape, st = strides
        s.remove(at: d)
        st.remove(at: d)
        let input = shape
        return view(shape: s, strides: st, offset: storageOffset).recorded("squeeze", [self]) { g in [g.reshape(input)] }
    }

    /// A size-1 dim inserted at `dim` (which may be `rank`, or negative).
    public func unsqueeze(_ dim: Int) -> Tensor {
        let d = normalizeDim(dim, rank: rank + 1, op: "unsqueeze")
        var s = shape, st = strides
        s.insert(1, at: d)
        st.insert(d < rank ? shape[d] * strides[d] : 1, at: d)
        let input = shape
        return view(shape: s, strides: st, offset: storageOffset).recorded("unsqueeze", [self]) { g in [g.reshape(input)] }
    }

    /// A view repeating size-1 dims to `shape` without copying; -1 keeps a size.
    ///
    /// ```swift
    /// Tensor([1, 2, 3] as [Float]).expand([2, 3])   // two rows sharing storage
    /// ```
    public func expand(_ shape: [Int]) -> Tensor {
        precondition(shape.count >= rank,
                     "expand: the number of sizes \(shape) must be at least the rank \(rank)")
        let lead = shape.count - rank
        var newStrides = [Int](repeating: 0, count: shape.count)
        var newShape = shape
        for i in 0..<shape.count {
            if i < lead {
                precondition(shape[i] >= 0, "expand: invalid size \(shape[i]) in \(shape)")
                continue
            }
            let d = i - lead
            let target = shape[i] == -1 ? self.shape[d] : shape[i]
            newShape[i] = target
            if self.shape[d] == target {
                newStrides[i] = strides[d]
            } else {
                precondition(self.shape[d] == 1,
                             "expand: the size \(self.shape[d]) at dim \(d) of shape \(self.shape) cannot expand to \(shape)")
            }
        }
        let input = self.shape
        return view(shape: newShape, strides: newStrides, offset: storageOffset)
            .recorded("expand", [self]) { g in [g.sumToShape(input)] }
    }

    /// Expanded to another tensor's shape.
    public func expand(as other: Tensor) -> Tensor { expand(other.shape) }

    /// Elements `start ..< start + length` along `dim`, as a view.
    public func narrow(dim: Int, start: Int, length: Int) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "narrow")
        let s = start < 0 ? start + shape[d] : start
        precondition(s >= 0 && length >= 0 && s + length <= shape[d],
                     "narrow: start \(start) and length \(length) exceed size \(shape[d]) of dim \(d)")
        var newShape = shape
        newShape[d] = length
        let input = shape
        return view(shape: newShape, strides: strides, offset: storageOffset + s * strides[d])
            .recorded("narrow", [self]) { g in [g.scattered(into: input) { $0.narrow(dim: d, start: s, length: length) }] }
    }

    /// Python-style slicing `x[start:end:step]` along `dim`, as a view. Bounds
    /// clamp to the size as in Python; `step` must be positive.
    public func slice(dim: Int, start: Int? = nil, end: Int? = nil, step: Int = 1) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "slice")
        precondition(step > 0, "slice: step must be positive, got \(step)")
        let n = shape[d]
        func clampIndex(_ i: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + n : i, 0), n) }
        let lo = clampIndex(start ?? 0)
        let hi = Swift.max(lo, clampIndex(end ?? n))
        var newShape = shape, newStrides = strides
        newShape[d] = (hi - lo + step - 1) / step
        newStrides[d] = strides[d] * step
        let input = shape
        return view(shape: newShape, strides: newStrides, offset: storageOffset + lo * strides[d])
            .recorded("slice", [self]) { g in [g.scattered(into: input) { $0.slice(dim: d, start: lo, end: hi, step: step) }] }
    }

    /// The slice at `index` along `dim`, with that dim removed.
    public func select(dim: Int, index: Int) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "select")
        let n = shape[d]
        precondition(index >= -n && index < n,
                     "select: index \(index) is out of range for dim \(d) with size \(n)")
        let i = index < 0 ? index + n : index
        var s = shape, st = strides
        s.remove(at: d)
        st.remove(at: d)
        let input = shape
        return view(shape: s, strides: st, offset: storageOffset + i * strides[d])
            .recorded("select", [self]) { g in [g.scattered(into: input) { $0.select(dim: d, index: i) }] }
    }

    /// Row `index` along the first dim (`x[i]`).
    public subscript(index: Int) -> Tensor { select(dim: 0, index: index) }

    /// Dims `startDim...endDim` merged into one.
    public func flatten(startDim: Int = 0, endDim: Int = -1) -> Tensor {
        if rank == 0 { return reshape([1]) }
        let a = normalizeDim(startDim, rank: rank, op: "flatten")
        let b = normalizeDim(endDim, rank: rank, op: "flatten")
        precondition(a <= b, "flatten: startDim \(startDim) comes after endDim \(endDim)")
        let merged = shape[a...b].reduce(1, *)
        return reshape(Array(shape[..<a]) + [merged] + Array(shape[(b + 1)...]))
    }

    /// Dim `dim` split into `sizes` (one may be -1).
    public func unflatten(dim: Int, sizes: [Int]) -> Tensor {
        let d = normalizeDim(dim, rank: rank, op: "unflatten")
        var s = sizes
        if let u = sizes.firstIndex(of: -1) {
            let known = sizes.filter { $0 != -1 }.reduce(1, *)
            s[u] = known == 0 ? 0 : shape[d] / known
        }
        precondition(s.reduce(1, *) == shape[d],
                     "unflatten: sizes \(sizes) don't multiply to the size \(shape[d]) of dim \(d)")
        return reshape(Array(shape[..<d]) + s + Array(shape[(d + 1)...]))
    }
}
