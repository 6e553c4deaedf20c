// Worker threads for DataLoader(numWorkers:), as torch's multi-process loader
// but with threads: batch i is loaded and collated by worker i % numWorkers,
// at most numWorkers * prefetchFactor batches are in flight (started but not
// yet handed out), and the consumer receives them in index order, so the
// batches are the same as with numWorkers: 0.

import EmberCore
import Foundation

/// The queue between worker threads and the loader's iterator.
///
/// Workers hold only this object; the iterator holds a `PrefetchHandle`
/// whose deinit stops them, so breaking out of a loop ends the threads.
final class BatchPrefetcher: @unchecked Sendable {
    // Every `var` below is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var ready: [Int: [Tensor]] = [:]
    private var yielded = 0
    private var stopped = false

    private let batches: [[Int]]
    private let load: @Sendable ([Int]) -> [Tensor]
    private let capacity: Int

    /// Starts `numWorkers` threads over `batches` (index lists); worker `w`
    /// seeds its generator with `baseSeed &+ w`.
    init(batches: [[Int]], numWorkers: Int, prefetchFactor: Int, baseSeed: UInt64,
         load: @escaping @Sendable ([Int]) -> [Tensor]) {
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
            let batch = load(batches[b])
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

    /// The next batch in index order, waiting for its worker; nil at the end.
    func next() -> [Tensor]? {
        condition.lock()
        defer { condition.unlock() }
        guard yielded < batches.count, !stopped else { return nil }
        while ready[yielded] == nil { condition.wait() }
        let batch = ready.removeValue(forKey: yielded)
        yielded += 1
        condition.broadcast()
        return batch
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
