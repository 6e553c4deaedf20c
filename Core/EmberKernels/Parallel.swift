// One way to run work on several cores: a persistent pool whose workers spin
// briefly between jobs, as OpenMP's do in PyTorch. Dispatch's concurrentPerform
// wakes its workers too slowly for millisecond kernels (half the time the
// calling thread ran every chunk itself). OpenBLAS is kept single-threaded
// and called from inside these chunks, so its threads never compete with ours.

import COpenBLAS
import Foundation
import Synchronization

package enum Parallel {
    private static let requested = Atomic<Int>(0)

    /// The number of threads parallel kernels use.
    package static var threadCount: Int {
        let n = requested.load(ordering: .relaxed)
        return n > 0 ? n : defaultThreadCount
    }

    package static let defaultThreadCount: Int = {
        openblas_set_num_threads(1)
        return Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    package static func setThreadCount(_ n: Int) {
        _ = defaultThreadCount  // pins OpenBLAS to one thread first
        requested.store(Swift.max(1, n), ordering: .relaxed)
    }

    /// Calls `body` on disjoint subranges covering `0..<n`, in parallel when
    /// each chunk would hold at least `grain` items. Nested and concurrent
    /// calls run on the calling thread.
    @inline(__always)
    package static func forRange(_ n: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        if n <= 0 { return }
        let chunks = Swift.min(threadCount, n / Swift.max(grain, 1))
        if chunks <= 1 {
            body(0..<n)
            return
        }
        let per = (n + chunks - 1) / chunks
        WorkerPool.shared.run(chunks: chunks) { c in
            let lo = c * per
            let hi = Swift.min(n, lo + per)
            if lo < hi { body(lo..<hi) }
        }
    }
}

/// Persistent worker threads that claim chunk indices from one atomic ticket.
///
/// The ticket packs (generation: 16 bits, total: 24 bits, next: 24 bits), so a
/// worker's claim and the job it belongs to can never mix across generations.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    private let ticket = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    private var workers: [Thread] = []
    private let workerLock = Mutex<Void>(())
    // Written only while no chunk of any generation is claimable.
    private nonisolated(unsafe) var job: ((Int) -> Void)?

    private static func decode(_ t: Int) -> (generation: Int, total: Int, next: Int) {
        ((t >> 48) & 0xFFFF, (t >> 24) & 0xFF_FFFF, t & 0xFF_FFFF)
    }

    private func ensureWorkers(_ count: Int) {
        workerLock.withLock { _ in
            while workers.count < count {
                let t = Thread { [unowned self] in self.workerLoop() }
                t.name = "ember-worker-\(workers.count)"
                t.start()
                workers.append(t)
            }
        }
    }

    /// Claims and runs chunks of the current generation; returns when none are left.
    private func drain() {
        while true {
            let t = ticket.load(ordering: .acquiring)
            let (_, total, next) = WorkerPool.decode(t)
            if next >= total { return }
            if ticket.compareExchange(expected: t, desired: t + 1, ordering: .acquiringAndReleasing).exchanged {
                job!(next)
                done.wrappingAdd(1, ordering: .releasing)
            }
        }
    }

    private func hasWork() -> Bool {
        let (_, total, next) = WorkerPool.decode(ticket.load(ordering: .acquiring))
        return next < total
    }

    /// How long an idle worker spins before it sleeps. Long enough to bridge
    /// the gaps between the ops of a model; a worker that sleeps through them
    /// wakes too late to help with millisecond kernels.
    private static let spinNanoseconds: UInt64 = 5_000_000

    private func workerLoop() {
        while true {
            var idleSince = DispatchTime.now().uptimeNanoseconds
            var spins = 0
            while !hasWork() {
                spins += 1
                if spins & 1023 != 0 { continue }
                let now = DispatchTime.now().uptimeNanoseconds
                if now - idleSince < WorkerPool.spinNanoseconds { continue }
                sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                if !hasWork() { wake.wait() }
                sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                idleSince = DispatchTime.now().uptimeNanoseconds
            }
            drain()
        }
    }

    func run(chunks: Int, _ body: (Int) -> Void) {
        guard chunks <= 0xFF_FFFF,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for c in 0..<chunks { body(c) }
            return
        }
        ensureWorkers(chunks - 1)
        withoutActuallyEscaping(body) { body in
            job = body
            done.store(0, ordering: .relaxed)
            let generation = (WorkerPool.decode(ticket.load(ordering: .relaxed)).generation + 1) & 0xFFFF
            ticket.store(generation << 48 | chunks << 24, ordering: .sequentiallyConsistent)
            let sleeping = sleepers.load(ordering: .sequentiallyConsistent)
            for _ in 0..<Swift.min(sleeping, chunks - 1) { wake.signal() }
            drain()
            while done.load(ordering: .acquiring) < chunks {}
            job = nil
        }
        busy.store(false, ordering: .releasing)
    }
}
