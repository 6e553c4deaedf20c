// The thread count that parallel ops and OpenBLAS share.

import EmberKernels

/// Sets how many threads ops (and OpenBLAS) use, like `torch.set_num_threads`.
///
/// ```swift
/// setNumThreads(2)
/// ```
public func setNumThreads(_ n: Int) {
    Parallel.setThreadCount(n)
}

/// The number of threads ops use (`torch.get_num_threads`).
public func numThreads() -> Int {
    Parallel.threadCount
}
