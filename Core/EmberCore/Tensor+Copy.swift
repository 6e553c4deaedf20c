// Copies and conversions: contiguous, clone, to(dtype), and the in-place
// copy_ and fill_ that write through views.

import EmberKernels

extension Tensor {
    /// This tensor converted to `dtype`; returns `self` when it already is.
    ///
    /// ```swift
    /// let x = Tensor([1.7, -1.7] as [Float]).to(.int64)   // tensor([ 1, -1])
    /// ```
    public func to(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        let out = Tensor(uninitializedShape: shape, dtype: dtype)
        GradMode.noGrad { _ = out.copy_(self) }
        guard dtype.isFloatingPoint else { return out }
        let from = self.dtype
        return out.recorded("to", [self]) { g in [g.to(from)] }
    }

    /// A contiguous tensor with the same values; `self` if already contiguous.
    public func contiguous() -> Tensor {
        isContiguous ? self : clone()
    }

    /// A copy with its own contiguous storage.
    public func clone() -> Tensor {
        let out = Tensor(uninitializedShape: shape, dtype: dtype)
        GradMode.noGrad { _ = out.copy_(self) }
        return out.recorded("clone", [self]) { g in [g] }
    }

    /// Copies `source` into this tensor, broadcasting and converting its dtype.
    ///
    /// Writes through views: `x.narrow(dim: 0, start: 1, length: 2).copy_(y)`
    /// changes rows 1 and 2 of `x`.
    @discardableResult
    public func copy_(_ source: Tensor) -> Tensor {
        let target = broadcastShapes(shape, source.shape, op: "copy_")
        precondition(target == shape,
                     "copy_: source of shape \(source.shape) cannot be broadcast to \(shape)")
        if inPlaceWithAutograd("copy_", others: [source], { _ in source.expand(shape).to(dtype) }) { return self }
        bumpVersion()
        var src = source
        if source.storage === storage && !(source.strides == strides && source.storageOffset == storageOffset) {
            src = source.clone()  // overlapping views: read everything before writing
        }
        let loop = StridedLoop(shape: shape, strides: [strides, src.broadcastStrides(to: shape)])
        copyElements(loop, src: src.rawPointer, srcType: src.dtype, dst: rawPointer, dstType: dtype)
        return self
    }

    /// Sets every element to `value`, converted to this tensor's dtype.
    @discardableResult
    public func fill_(_ value: Double) -> Tensor {
        copy_(Tensor([value], shape: []))
    }

    /// Sets every element to zero.
    @discardableResult
    public func zero_() -> Tensor { fill_(0) }
}
