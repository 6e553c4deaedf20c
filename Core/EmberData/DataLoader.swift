// Samplers and the DataLoader: index order, batching, collation.

import EmberCore

/// The order in which a loader visits examples.
public enum Sampler {
    /// 0, 1, 2, ...
    case sequential
    /// A fresh permutation each epoch, drawn from `generator`.
    case random(Generator)
    /// `count` indices drawn with probability proportional to `weights`.
    case weightedRandom(weights: [Double], count: Int, replacement: Bool, generator: Generator)

    func indices(_ n: Int) -> [Int] {
        switch self {
        case .sequential:
            return Array(0..<n)
        case .random(let g):
            return Tensor.randperm(n, generator: g).scalars(as: Int64.self).map { Int($0) }
        case .weightedRandom(let weights, let count, let replacement, let g):
            precondition(replacement || count <= weights.count,
                         "WeightedRandomSampler: cannot draw \(count) samples without replacement from \(weights.count)")
            var w = weights
            var out: [Int] = []
            let total0 = w.reduce(0, +)
            precondition(total0 > 0 && w.allSatisfy { $0 >= 0 }, "WeightedRandomSampler: weights must be non-negative with a positive sum")
            for _ in 0..<count {
                let total = w.reduce(0, +)
                let u = Tensor.rand([1], dtype: .float64, generator: g).item() * total
                var acc = 0.0, pick = w.count - 1
                for (i, x) in w.enumerated() {
                    acc += x
                    if u < acc { pick = i; break }
                }
                out.append(pick)
                if !replacement { w[pick] = 0 }
            }
            return out
        }
    }
}

/// Batches of a dataset, like `torch.utils.data.DataLoader`: each batch is one
/// stacked tensor per field (or whatever `collate` makes of the examples).
///
/// ```swift
/// let loader = DataLoader(TensorDataset(images, labels), batchSize: 64, shuffle: true, generator: Generator(seed: 0))
/// for batch in loader { let (x, y) = (batch[0], batch[1]) ... }
/// ```
public struct DataLoader<D: Dataset>: Sequence {
    public let dataset: D
    public let batchSize: Int
    public let dropLast: Bool
    public let sampler: Sampler
    /// A custom collate function; nil stacks each field.
    public let collate: (([[Tensor]]) -> [Tensor])?

    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, sampler: Sampler? = nil, dropLast: Bool = false,
                generator: Generator = .default, collate: (([[Tensor]]) -> [Tensor])? = nil) {
        precondition(batchSize > 0, "DataLoader: batch_size should be a positive integer, got \(batchSize)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.sampler = sampler ?? (shuffle ? .random(generator) : .sequential)
        self.collate = collate
    }

    /// Stacks each field of the examples along a new batch dim.
    public static func stackFields(_ examples: [[Tensor]]) -> [Tensor] {
        (0..<(examples.first?.count ?? 0)).map { f in Tensor.stack(examples.map { $0[f] }) }
    }

    /// Batches per epoch.
    public var count: Int {
        let n = sampledCount
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize
    }

    private var sampledCount: Int {
        if case .weightedRandom(_, let count, _, _) = sampler { return count }
        return dataset.count
    }

    public func makeIterator() -> AnyIterator<[Tensor]> {
        let order = sampler.indices(dataset.count)
        var start = 0
        let tensorDataset = dataset as? TensorDataset
        return AnyIterator {
            guard start < order.count, !(dropLast && start + batchSize > order.count) else { return nil }
            let ids = Array(order[start..<Swift.min(order.count, start + batchSize)])
            start += batchSize
            guard let collate else {
                // Tensor datasets gather whole batches at once instead of stacking rows.
                if let tensorDataset { return tensorDataset.batch(ids) }
                return DataLoader.stackFields(ids.map(dataset.example(at:)))
            }
            return collate(ids.map(dataset.example(at:)))
        }
    }
}
