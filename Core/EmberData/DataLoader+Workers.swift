// Worker threads for DataLoader(numWorkers:), as torch's multi-process loader
// but with threads: batch i is loaded and collated by worker i % numWorkers,
// at most numWorkers * prefetchFactor batches are in flight (started but not
// yet handed out), and the consumer receives them in index order, so the
// batches are the same as with numWorkers: 0. Workers start with each pass,
// as PyTorch's do without persistent_workers.

import EmberCore
import Foundation

/// The loader worker that is running the current code, like
/// `torch.utils.data.get_worker_info()`; `WorkerInfo.current` is nil outside
/// workers (including with `numWorkers: 0`).
///
/// Workers are threads of one process, so they cannot each reseed the default
/// generator as PyTorch's worker processes do. Instead each worker owns
/// `generator`, seeded with `seed` = the epoch's base seed + `id`: random
/// augmentations that draw from it repeat exactly under the same loader seed.
///
/// ```swift
/// struct Noisy: Dataset, Sendable {
///     let x: Tensor
///     var count: Int { x.shape[0] }
///     func example(at i: Int) -> [Tensor] {
///         let g = WorkerInfo.current?.generator ?? .default
///         return [x[i] + Tensor.randn(x[i].shape, generator: g) * 0.1]
///     }
/// }
/// ```
public struct WorkerInfo: Sendable {
    /// This worker's index, `0..<numWorkers`.
    public let id: Int
    /// How many workers the loader runs.
    public let numWorkers: Int
    /// `generator`'s seed: the base seed drawn from the loader's generator
    /// once per epoch, plus `id`.
    public let seed: UInt64
    /// This worker's own random stream; only this worker's thread draws from it.
    public let generator: Generator

    /// The worker running the current code, or nil on the caller's thread.
    @TaskLocal public static var current: WorkerInfo?

    /// A worker description. Loaders make these; a test can run dataset code
    /// as a given worker:
    ///
    /// ```swift
    /// let info = WorkerInfo(id: 1, numWorkers: 2, seed: 7)
    /// let example = WorkerInfo.$current.withValue(info) { dataset.example(at: 0) }
    /// ```
    public init(id: Int, numWorkers: Int, seed: UInt64) {
        precondition(numWorkers > 0 && (0..<numWorkers).contains(id),
                     "WorkerInfo: id \(id) is not in 0..<\(numWorkers)")
        self.id = id
        self.numWorkers = numWorkers
        self.seed = seed
        self.generator = Generator(seed: seed)
    }
}

/// The queue between worker threads and the loader's iterator.
///
/// Workers hold only this object; the iterator holds a `PrefetchHandle`
/// whose deinit stops them, so breaking out of a loop ends the threads.
final class BatchPrefetcher: @unchecked Sendable {
    // Every `var` below is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var ready: [Int: Result<[Tensor], any Error>] = [:]
    private var yielded = 0
    private var stopped = false

    private let batches: [[Int]]
    private let load: @Sendable ([Int]) throws -> [Tensor]
    private let capacity: Int

    /// Starts `numWorkers` threads over `batches` (index lists); worker `w`
    /// seeds its generator with `baseSeed &+ w`.
    init(batches: [[Int]], numWorkers: Int, prefetchFactor: Int, baseSeed: UInt64,
         load: @escaping @Sendable ([Int]) throws -> [Tensor]) {
        self.batches = batches
        self.load = load
        self.capacity = numWorkers * prefetchFactor
        for id in 0..<numWorkers {
            let info = WorkerInfo(id: id, numWorkers: numWorkers, seed: baseSeed &+ UInt64(id))
            let thread = Thread { [self] in
                WorkerInfo.$current.withValue(info) { self.work(info) }
            }
            thread.name = "ember-data-worker-\(id)"
            thread.start()
        }
    }

    /// Worker `info.id`'s share of the epoch: batches id, id + n, id + 2n, ...
    private func work(_ info: WorkerInfo) {
        for b in stride(from: info.id, to: batches.count, by: info.numWorkers) {
            guard waitForRoom(for: b) else { return }
            let batch = Result { try load(batches[b]) }
            condition.lock()
            if !stopped { ready[b] = batch }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Blocks until batch `b` fits in the window after the last handed-out
    /// batch; false once the consumer has gone.
    private func waitForRoom(for b: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && b >= yielded + capacity { condition.wait() }
        return !stopped
    }

    /// The next batch in index order, waiting for its worker; nil at the
    /// end. A batch whose loading threw rethrows here, in its turn.
    func next() throws -> [Tensor]? {
        condition.lock()
        defer { condition.unlock() }
        guard yielded < batches.count, !stopped else { return nil }
        while ready[yielded] == nil { condition.wait() }
        let batch = ready.removeValue(forKey: yielded)!
        yielded += 1
        condition.broadcast()
        return try batch.get()
    }

    /// Tells the workers to return after the batch each is loading, and drops
    /// the batches already loaded.
    func stop() {
        condition.lock()
        stopped = true
        ready.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// The iterator's owner of a prefetcher: when the iterator is dropped (a loop
/// ends or breaks), the workers are told to stop instead of waiting forever
/// for room in the window.
final class PrefetchHandle {
    let prefetcher: BatchPrefetcher

    init(_ prefetcher: BatchPrefetcher) { self.prefetcher = prefetcher }

    deinit { prefetcher.stop() }
}
