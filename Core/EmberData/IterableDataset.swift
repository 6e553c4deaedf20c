// Datasets read as a stream, as torch.utils.data.IterableDataset: for data
// that has no random access (lines of a file, generated samples), batched in
// the order the stream yields it.

import EmberCore

/// A dataset read as a sequence of examples, like
/// `torch.utils.data.IterableDataset`. Each element is one example: one tensor
/// per field. A `DataLoader` batches it in order (no shuffling or samplers, as
/// in PyTorch) on the caller's thread.
///
/// ```swift
/// struct Countdown: IterableDataset {
///     let from: Int
///     func makeIterator() -> AnyIterator<[Tensor]> {
///         var n = from
///         return AnyIterator {
///             guard n > 0 else { return nil }
///             defer { n -= 1 }
///             return [Tensor(scalar: Float(n))]
///         }
///     }
/// }
/// for batch in DataLoader(Countdown(from: 10), batchSize: 4) { print(batch[0]) }
/// ```
public protocol IterableDataset: Sequence where Element == [Tensor] {}

extension DataLoader where D: IterableDataset {
    /// A loader that batches an iterable dataset in its own order.
    ///
    /// - Parameters:
    ///   - dropLast: drop the last batch when the stream ends before it is full.
    ///   - collate: turns a batch's examples into tensors; nil stacks each field.
    ///
    /// ```swift
    /// let loader = DataLoader(Countdown(from: 10), batchSize: 4, dropLast: true)   // 2 batches
    /// ```
    public init(_ dataset: D, batchSize: Int = 1, dropLast: Bool = false, collate: (([[Tensor]]) -> [Tensor])? = nil) {
        self.init(dataset: dataset, batchSize: batchSize, dropLast: dropLast, sampler: .sequential, numWorkers: 0,
                  prefetchFactor: 2, generator: .default, collate: collate,
                  source: .iterable { AnyIterator(dataset.makeIterator()) })
    }
}

/// Groups a stream of examples into batches.
func batchStream(_ examples: AnyIterator<[Tensor]>, batchSize: Int, dropLast: Bool,
                 collate: (([[Tensor]]) -> [Tensor])?) -> AnyIterator<[Tensor]> {
    var finished = false
    return AnyIterator {
        // An iterator that has returned nil is not asked again: some streams
        // (a socket, a generator) would start over or trap.
        guard !finished else { return nil }
        var chunk: [[Tensor]] = []
        chunk.reserveCapacity(batchSize)
        while chunk.count < batchSize, let example = examples.next() { chunk.append(example) }
        if chunk.count < batchSize { finished = true }
        if chunk.isEmpty || (dropLast && chunk.count < batchSize) { return nil }
        return collate?(chunk) ?? stackFields(chunk)
    }
}
