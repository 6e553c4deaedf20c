// What a dataset can learn about the loader worker that is calling it, the
// counterpart of torch.utils.data.get_worker_info().

import EmberCore

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

    /// A worker description; loaders make these, tests may too.
    public init(id: Int, numWorkers: Int, seed: UInt64) {
        precondition(numWorkers > 0 && (0..<numWorkers).contains(id),
                     "WorkerInfo: id \(id) is not in 0..<\(numWorkers)")
        self.id = id
        self.numWorkers = numWorkers
        self.seed = seed
        self.generator = Generator(seed: seed)
    }
}
