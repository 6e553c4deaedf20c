// Creating tensors from Swift values and filling them: zeros, ones, full,
// arange, linspace, eye and the `_like` forms. Random creation is in
// Tensor+Random.swift.

import EmberKernels

extension Tensor {
    /// A tensor holding `values` in row-major order with the given shape.
    ///
    /// ```swift
    /// let x = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
    /// ```
    public convenience init<T: TensorElement>(_ values: [T], shape: [Int]) {
        let n = shape.reduce(1, *)
        precondition(n == values.count,
                     "Tensor: \(values.count) values cannot fill shape \(shape)")
        self.init(uninitializedShape: shape, dtype: T.dtype)
        values.withUnsafeBufferPointer { src in
            if n > 0 { rawPointer.copyMemory(from: src.baseAddress!, byteCount: n * T.dtype.itemSize) }
        }
    }

    /// A 1-D tensor of `values`.
    public convenience init<T: TensorElement>(_ values: [T]) {
        self.init(values, shape: [values.count])
    }

    /// A 2-D tensor from rows of equal length.
    public convenience init<T: TensorElement>(_ rows: [[T]]) {
        let cols = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == cols }, "Tensor: rows have different lengths")
        self.init(rows.flatMap { $0 }, shape: [rows.count, cols])
    }

    /// A 3-D tensor from nested arrays of equal lengths.
    public convenience init<T: TensorElement>(_ planes: [[[T]]]) {
        let rows = planes.first?.count ?? 0
        let cols = planes.first?.first?.count ?? 0
        precondition(planes.allSatisfy { $0.count == rows && $0.allSatisfy { $0.count == cols } },
                     "Tensor: nested arrays have different lengths")
        self.init(planes.flatMap { $0.flatMap { $0 } }, shape: [planes.count, rows, cols])
    }

    /// A 0-d tensor holding one value.
    public convenience init<T: TensorElement>(scalar: T) {
        self.init([scalar], shape: [])
    }

    /// A 0-d tensor of `dtype` holding `value` converted.
    public convenience init(scalar value: Double, dtype: DType) {
        self.init(uninitializedShape: [], dtype: dtype)
        fill_(value)
    }

    /// A tensor of `shape` filled with `value`.
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) -> Tensor {
        let t = Tensor(uninitializedShape: shape, dtype: dtype)
        t.fill_(value)
        return t
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        let t = Tensor(uninitializedShape: shape, dtype: dtype)
        t.rawPointer.initializeMemory(as: UInt8.self, repeating: 0, count: t.count * dtype.itemSize)
        return t
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        full(shape, 1, dtype: dtype)
    }

    /// An uninitialized tensor (`torch.empty`): contents are whatever memory held.
    public static func empty(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        Tensor(uninitializedShape: shape, dtype: dtype)
    }

    /// Zeros with this tensor's shape and dtype (or `dtype`).
    public func zerosLike(dtype: DType? = nil) -> Tensor { .zeros(shape, dtype: dtype ?? self.dtype) }
    /// Ones with this tensor's shape and dtype (or `dtype`).
    public func onesLike(dtype: DType? = nil) -> Tensor { .ones(shape, dtype: dtype ?? self.dtype) }
    /// `value` with this tensor's shape and dtype (or `dtype`).
    public func fullLike(_ value: Double, dtype: DType? = nil) -> Tensor {
        .full(shape, value, dtype: dtype ?? self.dtype)
    }
    /// Uninitialized with this tensor's shape and dtype (or `dtype`).
    public func emptyLike(dtype: DType? = nil) -> Tensor { .empty(shape, dtype: dtype ?? self.dtype) }

    /// Values from `start` up to (not including) `end` in steps of `step`.
    ///
    /// The dtype is int64 when all arguments are whole numbers, as in
    /// `torch.arange(5)`, and float32 otherwise, unless given.
    ///
    /// ```swift
    /// Tensor.arange(0, 5)          // tensor([0, 1, 2, 3, 4])
    /// Tensor.arange(0, 1, step: 0.25)
    /// ```
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType? = nil) -> Tensor {
        precondition(step != 0, "arange: step must be nonzero")
        precondition(start.isFinite && end.isFinite, "arange: bounds must be finite")
        precondition((end - start) / step >= 0 || start == end,
                     "arange: upper bound and larger bound inconsistent with step sign")
        let whole = start == start.rounded() && end == end.rounded() && step == step.rounded()
        let type = dtype ?? (whole ? .int64 : .float32)
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        let values = (0..<n).map { start + Double($0) * step }
        return Tensor(values, shape: [n]).to(type)
    }

    /// `0, 1, ..., end - 1`.
    public static func arange(_ end: Int, dtype: DType = .int64) -> Tensor {
        arange(0, Double(end), dtype: dtype)
    }

    /// `steps` evenly spaced values from `start` to `end` inclusive.
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32) -> Tensor {
        precondition(steps >= 0, "linspace: number of steps must be non-negative")
        let step = steps > 1 ? (end - start) / Double(steps - 1) : 0
        // PyTorch fills the second half from the end so both endpoints are exact.
        let half = steps / 2
        if steps == 1 { return Tensor([start], shape: [1]).to(dtype) }
        let values = (0..<steps).map { i in
            i < half ? start + step * Double(i) : end - step * Double(steps - 1 - i)
        }
        return Tensor(values, shape: [steps]).to(dtype)
    }

    /// An `n × m` matrix with ones on the diagonal.
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) -> Tensor {
        let cols = m ?? n
        let t = zeros([n, cols], dtype: dtype)
        let one = Tensor(scalar: 1, dtype: dtype)
        for i in 0..<Swift.min(n, cols) {
            t.rawPointer.advanced(by: (i * cols + i) * dtype.itemSize)
                .copyMemory(from: one.rawPointer, byteCount: dtype.itemSize)
        }
        return t
    }
}

extension Tensor {
    /// The elements in row-major order, converted to `T`.
    ///
    /// ```swift
    /// let values: [Float] = x.scalars()
    /// ```
    public func scalars<T: TensorElement>(as type: T.Type = T.self) -> [T] {
        let c = to(T.dtype).contiguous()
        return [T](unsafeUninitializedCapacity: count) { buf, n in
            if count > 0 {
                UnsafeMutableRawPointer(buf.baseAddress!).copyMemory(
                    from: c.rawPointer, byteCount: count * T.dtype.itemSize)
            }
            n = count
        }
    }

    /// The single value of a one-element tensor, as a Double.
    public func item() -> Double {
        precondition(count == 1, "item: a tensor with \(count) elements cannot be converted to a scalar")
        return scalars(as: Double.self)[0]
    }

    /// The single value of a one-element tensor, converted to `T`.
    public func item<T: TensorElement>(as type: T.Type) -> T {
        precondition(count == 1, "item: a tensor with \(count) elements cannot be converted to a scalar")
        return scalars(as: T.self)[0]
    }
}
