// One way to run work on several cores: contiguous chunks of an index range on
// Dispatch's pool. Kernels never nest it, and never call BLAS from inside it,
// so OpenBLAS's threads and ours never run at the same time.

import COpenBLAS
import Dispatch
import Synchronization

package enum Parallel {
    private static let count = Atomic<Int>(0)

    /// The number of threads parallel kernels and OpenBLAS use.
    package static var threadCount: Int {
        let n = count.load(ordering: .relaxed)
        return n > 0 ? n : defaultThreadCount
    }

    package static let defaultThreadCount: Int = {
        let n = Int(openblas_get_num_procs())
        return max(1, n)
    }()

    package static func setThreadCount(_ n: Int) {
        let n = max(1, n)
        count.store(n, ordering: .relaxed)
        openblas_set_num_threads(Int32(n))
    }

    /// Calls `body` on disjoint subranges covering `0..<n`, in parallel when
    /// each chunk would hold at least `grain` items.
    @inline(__always)
    package static func forRange(_ n: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        if n <= 0 { return }
        let threads = threadCount
        let chunks = min(threads, n / max(grain, 1))
        if chunks <= 1 {
            body(0..<n)
            return
        }
        let per = (n + chunks - 1) / chunks
        withoutActuallyEscaping(body) { body in
            // Each chunk writes a disjoint range; the closure outlives no call.
            let task = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = c * per
                let hi = min(n, lo + per)
                if lo < hi { task.value(lo..<hi) }
            }
        }
    }
}

private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
