// The tensor: a strided view of shared storage with a dtype. Ops live in the
// Tensor+Category.swift files beside this one.

import EmberKernels

/// An n-dimensional array with PyTorch's semantics: strided views over shared
/// storage, broadcasting, type promotion and in-place ops that write through views.
///
/// ```swift
/// let x = Tensor([[1, 2, 3], [4, 5, 6]] as [[Float]])
/// let y = (x * 2 + 1).sum(dim: 1)
/// print(y)   // tensor([ 13., 31.])
/// ```
///
/// Thread safety: a tensor may be read from many threads at once. Writing to a
/// tensor (an in-place op) while another thread reads it, or any view sharing
/// its storage, is a data race; hand tensors between threads, don't share writes.
public final class Tensor: @unchecked Sendable {
    /// The shared memory this tensor views.
    public let storage: Storage
    /// Sizes of each dimension.
    public let shape: [Int]
    /// Element steps between neighbours along each dimension.
    public let strides: [Int]
    /// Offset of element [0, 0, ...] into `storage`, in elements.
    public let storageOffset: Int
    /// The element type.
    public let dtype: DType
    /// Gradient state; nil for tensors that never took part in autograd, so
    /// plain tensors cost nothing extra.
    package var autograd: AutogradMeta?

    package init(storage: Storage, shape: [Int], strides: [Int], storageOffset: Int, dtype: DType) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.storageOffset = storageOffset
        self.dtype = dtype
    }

    /// A new contiguous tensor with uninitialized contents.
    package init(uninitializedShape shape: [Int], dtype: DType) {
        for s in shape { precondition(s >= 0, "Tensor: negative size in shape \(shape)") }
        let n = shape.reduce(1, *)
        self.storage = Storage(byteCount: n * dtype.itemSize)
        self.shape = shape
        self.strides = contiguousStrides(shape)
        self.storageOffset = 0
        self.dtype = dtype
    }

    /// The number of dimensions (`dim()` in PyTorch).
    public var rank: Int { shape.count }
    /// The number of elements (`numel()` in PyTorch).
    public var count: Int { shape.reduce(1, *) }
    /// Size of dimension `dim`; negative dims count from the end.
    public func size(_ dim: Int) -> Int { shape[normalizeDim(dim, rank: rank, op: "size")] }

    /// True when elements are laid out row-major with no gaps.
    public var isContiguous: Bool {
        var expected = 1
        for d in stride(from: rank - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    package var rawPointer: UnsafeMutableRawPointer {
        storage.data + storageOffset * dtype.itemSize
    }

    package func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        rawPointer.assumingMemoryBound(to: T.self)
    }
}

/// Row-major strides for `shape`.
package func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[d] = acc
        acc *= Swift.max(shape[d], 1)
    }
    return strides
}

/// Maps a possibly negative dim into `0..<rank`, trapping with the op's name.
package func normalizeDim(_ dim: Int, rank: Int, op: String) -> Int {
    let r = Swift.max(rank, 1)
    precondition(dim >= -r && dim < r,
                 "\(op): dim \(dim) is out of range for a tensor of rank \(rank)")
    return dim < 0 ? dim + r : dim
}

/// The broadcast of two shapes, trapping with the op's name when they clash.
package func broadcastShapes(_ a: [Int], _ b: [Int], op: String) -> [Int] {
    let n = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
        let x = i < n - a.count ? 1 : a[i - (n - a.count)]
        let y = i < n - b.count ? 1 : b[i - (n - b.count)]
        precondition(x == y || x == 1 || y == 1,
                     "\(op): shapes \(a) and \(b) cannot be broadcast together")
        out[i] = x == 1 ? y : x
    }
    return out
}

extension Tensor {
    /// Strides that read this tensor as if expanded to `target` (0 where broadcast).
    package func broadcastStrides(to target: [Int]) -> [Int] {
        var out = [Int](repeating: 0, count: target.count)
        let lead = target.count - rank
        for d in 0..<rank where shape[d] != 1 {
            out[lead + d] = strides[d]
        }
        return out
    }
}
