// Datasets: random access by index, as torch.utils.data.Dataset.

import EmberCore

/// A dataset read by index, like `torch.utils.data.Dataset`.
///
/// ```swift
/// struct Squares: Dataset {
///     var count: Int { 100 }
///     func example(at i: Int) -> [Tensor] { [Tensor(scalar: Float(i)), Tensor(scalar: Float(i * i))] }
/// }
/// ```
public protocol Dataset {
    /// The number of examples.
    var count: Int { get }
    /// The example at `index`: one tensor per field (input, label, ...).
    /// Datasets that read files throw when one cannot be read; in-memory
    /// datasets implement this without `throws`.
    func example(at index: Int) throws -> [Tensor]
}

/// Rows of equal-length tensors, like `torch.utils.data.TensorDataset`.
public struct TensorDataset: Dataset, Sendable {
    public let tensors: [Tensor]

    public init(_ tensors: Tensor...) { self.init(tensors) }

    public init(_ tensors: [Tensor]) {
        precondition(!tensors.isEmpty, "TensorDataset: expected at least one tensor")
        let n = tensors[0].rank > 0 ? tensors[0].shape[0] : 0
        for t in tensors {
            precondition(t.rank > 0 && t.shape[0] == n,
                         "TensorDataset: size mismatch between tensors: \(tensors.map(\.shape))")
        }
        self.tensors = tensors
    }

    public var count: Int { tensors[0].shape[0] }
    public func example(at index: Int) -> [Tensor] { tensors.map { $0[index] } }

    /// Whole batches by index list, without per-example copies.
    public func batch(_ indices: [Int]) -> [Tensor] {
        let idx = Tensor(indices.map(Int64.init))
        return tensors.map { $0.indexSelect(dim: 0, index: idx) }
    }
}

/// A view of some examples of another dataset, like `torch.utils.data.Subset`.
///
/// ```swift
/// let firstHundred = Subset(data, indices: Array(0..<100))
/// ```
public struct Subset<Base: Dataset>: Dataset {
    public let base: Base
    public let indices: [Int]

    public init(_ base: Base, indices: [Int]) {
        (self.base, self.indices) = (base, indices)
    }

    public var count: Int { indices.count }
    public func example(at index: Int) throws -> [Tensor] { try base.example(at: indices[index]) }
}

extension Subset: Sendable where Base: Sendable {}

/// Splits a dataset into non-overlapping subsets of the given lengths, with a
/// permutation from `generator` (`torch.utils.data.random_split`).
public func randomSplit<D: Dataset>(_ dataset: D, lengths: [Int], generator: Generator = .default) -> [Subset<D>] {
    precondition(lengths.reduce(0, +) == dataset.count,
                 "randomSplit: sum of input lengths \(lengths.reduce(0, +)) does not equal the length of the dataset \(dataset.count)")
    let perm: [Int64] = Tensor.randperm(dataset.count, generator: generator).scalars()
    var start = 0
    return lengths.map { n in
        defer { start += n }
        return Subset(dataset, indices: perm[start..<(start + n)].map { Int($0) })
    }
}
