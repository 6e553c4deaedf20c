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
/// Map-style datasets (`Dataset`) are read in the sampler's order; iterable
/// datasets (`IterableDataset`) in their own order. With `numWorkers > 0`,
/// worker threads load and collate batches ahead of the loop (see
/// `init(_:batchSize:shuffle:sampler:dropLast:numWorkers:prefetchFactor:generator:collate:)`).
///
/// ```swift
/// let loader = DataLoader(TensorDataset(images, labels), batchSize: 64, shuffle: true, generator: Generator(seed: 0))
/// for batch in loader { let (x, y) = (batch[0], batch[1]) ... }
/// ```
public struct DataLoader<D>: Sequence {
    /// The examples, read by index or as a stream.
    public let dataset: D
    /// Examples per batch (the last one may be smaller unless `dropLast`).
    public let batchSize: Int
    /// Whether a final batch smaller than `batchSize` is dropped.
    public let dropLast: Bool
    /// The index order; `.sequential` for iterable datasets.
    public let sampler: Sampler
    /// Threads that load batches ahead; 0 loads on the caller's thread.
    public let numWorkers: Int
    /// Batches each worker may have in flight, so at most
    /// `numWorkers * prefetchFactor` batches wait in memory.
    public let prefetchFactor: Int
    /// Shuffles (unless `sampler` brings its own generator) and seeds the workers.
    public let generator: Generator
    /// A custom collate function; nil stacks each field.
    public let collate: (([[Tensor]]) -> [Tensor])?
    let source: BatchSource

    init(dataset: D, batchSize: Int, dropLast: Bool, sampler: Sampler, numWorkers: Int, prefetchFactor: Int,
         generator: Generator, collate: (([[Tensor]]) -> [Tensor])?, source: BatchSource) {
        precondition(batchSize > 0, "DataLoader: batch_size should be a positive integer, got \(batchSize)")
        precondition(numWorkers >= 0, "DataLoader: num_workers option should be non-negative, got \(numWorkers)")
        precondition(prefetchFactor > 0, "DataLoader: prefetch_factor should be a positive integer, got \(prefetchFactor)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.sampler = sampler
        self.numWorkers = numWorkers
        self.prefetchFactor = prefetchFactor
        self.generator = generator
        self.collate = collate
        self.source = source
    }

    /// Stacks each field of the examples along a new batch dim.
    public static func stackFields(_ examples: [[Tensor]]) -> [Tensor] {
        EmberData.stackFields(examples)
    }

    /// One pass over the data, for datasets that cannot fail (in memory).
    /// A dataset that throws stops the program here with the error's
    /// message: iterate file-backed datasets with `forEachBatch(_:)` or
    /// `makeThrowingIterator()` instead, which hand the error to the caller.
    public func makeIterator() -> AnyIterator<[Tensor]> {
        var batches = makeThrowingIterator()
        return AnyIterator {
            do {
                return try batches.next()
            } catch {
                preconditionFailure("DataLoader: \(error) (use forEachBatch or makeThrowingIterator to handle dataset errors)")
            }
        }
    }

    /// Runs `body` on each batch of one pass; the first error from the
    /// dataset (an unreadable image, say) or from `body` ends the pass and is
    /// rethrown. Workers, if any, stop.
    ///
    /// ```swift
    /// try loader.forEachBatch { batch in
    ///     let loss = Functional.crossEntropy(model(batch[0]), batch[1])
    ///     ...
    /// }
    /// ```
    public func forEachBatch(_ body: ([Tensor]) throws -> Void) throws {
        var batches = makeThrowingIterator()
        while let batch = try batches.next() { try body(batch) }
    }

    /// One pass as an iterator whose `next()` throws the dataset's errors.
    ///
    /// ```swift
    /// var batches = loader.makeThrowingIterator()
    /// while let batch = try batches.next() { ... }
    /// ```
    public func makeThrowingIterator() -> ThrowingBatchIterator {
        ThrowingBatchIterator(makeBatchSource())
    }

    /// For map-style datasets this draws the epoch's order from the sampler,
    /// then one base seed for the workers from `generator`, whatever
    /// `numWorkers` is, as PyTorch does, so that later epochs shuffle the
    /// same way with and without workers.
    private func makeBatchSource() -> () throws -> [Tensor]? {
        switch source {
        case .iterable(let makeExamples):
            let stream = batchStream(makeExamples(), batchSize: batchSize, dropLast: dropLast, collate: collate)
            return { stream.next() }
        case .indexed(let count, let load, let workerLoad):
            let order = sampler.indices(count)
            let baseSeed = UInt64(bitPattern: Tensor.randint(high: Int.max, [1], generator: generator).scalars(as: Int64.self)[0])
            var batches: [[Int]] = []
            for start in stride(from: 0, to: order.count, by: batchSize) {
                if dropLast && start + batchSize > order.count { break }
                batches.append(Array(order[start..<Swift.min(order.count, start + batchSize)]))
            }
            guard numWorkers > 0, let workerLoad else {
                var next = 0
                return {
                    guard next < batches.count else { return nil }
                    defer { next += 1 }
                    return try load(batches[next])
                }
            }
            let handle = PrefetchHandle(BatchPrefetcher(batches: batches, numWorkers: numWorkers, prefetchFactor: prefetchFactor,
                                                        baseSeed: baseSeed, load: workerLoad))
            return { try handle.prefetcher.next() }
        }
    }
}

/// A pass over a loader whose `next()` throws what the dataset throws;
/// after an error it returns nil.
public struct ThrowingBatchIterator {
    private let source: () throws -> [Tensor]?
    private var failed = false

    init(_ source: @escaping () throws -> [Tensor]?) { self.source = source }

    /// The next batch, nil at the end of the pass.
    public mutating func next() throws -> [Tensor]? {
        guard !failed else { return nil }
        do { return try source() } catch {
            failed = true
            throw error
        }
    }
}

/// Where a loader's batches come from, with the dataset's type erased.
enum BatchSource {
    /// Index lists to batches; `workerLoad` is the same function, present
    /// when the dataset and collate function may cross threads.
    case indexed(count: Int, load: ([Int]) throws -> [Tensor], workerLoad: (@Sendable ([Int]) throws -> [Tensor])?)
    /// A fresh pass over an iterable dataset's examples.
    case iterable(() -> AnyIterator<[Tensor]>)
}

extension DataLoader where D: Dataset {
    /// A loader over a map-style dataset that loads on the caller's thread.
    ///
    /// - Parameters:
    ///   - shuffle: a fresh permutation from `generator` each pass; ignored when `sampler` is given.
    ///   - dropLast: drop the last batch when it is smaller than `batchSize`.
    ///   - collate: turns a batch's examples into tensors; nil stacks each field.
    ///
    /// ```swift
    /// let loader = DataLoader(TensorDataset(x, y), batchSize: 32, dropLast: true)
    /// ```
    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, sampler: Sampler? = nil, dropLast: Bool = false,
                generator: Generator = .default, collate: (([[Tensor]]) -> [Tensor])? = nil) {
        let load: ([Int]) throws -> [Tensor] = { try loadBatch($0, from: dataset, collate: collate) }
        self.init(dataset: dataset, batchSize: batchSize, dropLast: dropLast,
                  sampler: sampler ?? (shuffle ? .random(generator) : .sequential), numWorkers: 0, prefetchFactor: 2,
                  generator: generator, collate: collate, source: .indexed(count: dataset.count, load: load, workerLoad: nil))
    }

    /// A loader whose `numWorkers` threads load and collate batches ahead of
    /// the loop, like `num_workers` in PyTorch. The batches and their order are
    /// the same as with `numWorkers: 0`: batch `i` is built by worker
    /// `i % numWorkers` and batches are handed out in order. At most
    /// `numWorkers * prefetchFactor` batches are in flight; leaving the loop
    /// early stops the workers.
    ///
    /// The dataset and `collate` cross threads, so they must be `Sendable`:
    /// structs of tensors and numbers are (add `: Sendable`); a class that is
    /// never mutated can be marked `@unchecked Sendable`. Datasets that need
    /// randomness should draw from `WorkerInfo.current?.generator`.
    ///
    /// ```swift
    /// let loader = DataLoader(TensorDataset(x, y), batchSize: 64, shuffle: true,
    ///                         numWorkers: 2, generator: Generator(seed: 0))
    /// for batch in loader { ... }
    /// ```
    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, sampler: Sampler? = nil, dropLast: Bool = false,
                numWorkers: Int, prefetchFactor: Int = 2, generator: Generator = .default,
                collate: (@Sendable ([[Tensor]]) -> [Tensor])? = nil) where D: Sendable {
        let load: @Sendable ([Int]) throws -> [Tensor] = { try loadBatch($0, from: dataset, collate: collate) }
        self.init(dataset: dataset, batchSize: batchSize, dropLast: dropLast,
                  sampler: sampler ?? (shuffle ? .random(generator) : .sequential), numWorkers: numWorkers,
                  prefetchFactor: prefetchFactor, generator: generator, collate: collate,
                  source: .indexed(count: dataset.count, load: load, workerLoad: load))
    }

    /// Batches per epoch.
    public var count: Int {
        let n: Int
        if case .weightedRandom(_, let drawn, _, _) = sampler { n = drawn } else { n = dataset.count }
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize
    }
}

/// One batch of a map-style dataset.
private func loadBatch<D: Dataset>(_ indices: [Int], from dataset: D, collate: (([[Tensor]]) -> [Tensor])?) throws -> [Tensor] {
    // Tensor datasets gather whole batches at once instead of stacking rows.
    if collate == nil, let tensorDataset = dataset as? TensorDataset { return tensorDataset.batch(indices) }
    let examples = try indices.map { try dataset.example(at: $0) }
    return collate?(examples) ?? stackFields(examples)
}

func stackFields(_ examples: [[Tensor]]) -> [Tensor] {
    (0..<(examples.first?.count ?? 0)).map { f in Tensor.stack(examples.map { $0[f] }) }
}
