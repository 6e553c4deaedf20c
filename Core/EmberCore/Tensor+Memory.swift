// Direct access to a contiguous tensor's elements, for interop with C
// libraries (BLAS, image codecs) and for fast bulk reads.

extension Tensor {
    /// Calls `body` with the elements of this contiguous tensor.
    ///
    /// ```swift
    /// let total = x.withUnsafeBufferPointer(as: Float.self) { $0.reduce(0, +) }
    /// ```
    public func withUnsafeBufferPointer<T: TensorElement, R>(
        as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
    ) rethrows -> R {
        precondition(T.dtype == dtype, "withUnsafeBufferPointer: tensor is \(dtype), not \(T.dtype)")
        precondition(isContiguous, "withUnsafeBufferPointer: tensor of shape \(shape) is not contiguous")
        return try body(UnsafeBufferPointer(start: pointer(T.self), count: count))
    }

    /// Calls `body` with the writable elements of this contiguous tensor;
    /// writes are visible through every view of the same storage.
    public func withUnsafeMutableBufferPointer<T: TensorElement, R>(
        as type: T.Type, _ body: (UnsafeMutableBufferPointer<T>) throws -> R
    ) rethrows -> R {
        precondition(T.dtype == dtype, "withUnsafeMutableBufferPointer: tensor is \(dtype), not \(T.dtype)")
        precondition(isContiguous, "withUnsafeMutableBufferPointer: tensor of shape \(shape) is not contiguous")
        return try body(UnsafeMutableBufferPointer(start: pointer(T.self), count: count))
    }
}
