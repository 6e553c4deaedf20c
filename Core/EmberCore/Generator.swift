// Seeded random number generation. One stream per generator, drawn on one
// thread, so the same seed gives the same numbers at any thread count.

import Synchronization

/// A seeded pseudo-random generator (xoshiro256**), like `torch.Generator`.
///
/// ```swift
/// let g = Generator(seed: 42)
/// let x = Tensor.randn([3, 4], generator: g)
/// ```
public final class Generator: @unchecked Sendable {
    private let state: Mutex<(UInt64, UInt64, UInt64, UInt64)>
    /// The seed this generator started from (or was last reseeded with).
    public private(set) var initialSeed: UInt64

    /// A generator seeded with `seed`.
    public init(seed: UInt64 = 67280421310721) {
        initialSeed = seed
        state = Mutex(Generator.expand(seed))
    }

    /// Restarts the stream from `seed` (`manual_seed`).
    public func manualSeed(_ seed: UInt64) {
        initialSeed = seed
        state.withLock { $0 = Generator.expand(seed) }
    }

    /// The full internal state, for checkpoints.
    public var stateWords: [UInt64] {
        get { state.withLock { [$0.0, $0.1, $0.2, $0.3] } }
        set {
            precondition(newValue.count == 4, "Generator: state must have 4 words, got \(newValue.count)")
            state.withLock { $0 = (newValue[0], newValue[1], newValue[2], newValue[3]) }
        }
    }

    private static func expand(_ seed: UInt64) -> (UInt64, UInt64, UInt64, UInt64) {
        var z = seed
        func splitmix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        return (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// Fills `count` 64-bit words through `body`, holding the lock once.
    func withWords(_ count: Int, _ body: (UnsafeMutableBufferPointer<UInt64>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Swift.max(count, 1)) { buf in
            state.withLock { s in
                for i in 0..<count {
                    let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
                    let t = s.1 << 17
                    s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
                    s.2 ^= t
                    s.3 = (s.3 << 45) | (s.3 >> 19)
                    buf[i] = result
                }
            }
            body(buf)
        }
    }

    /// Uniform doubles in [0, 1) with 53 random bits each.
    func uniformDoubles(_ count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        withWords(count) { w in
            for i in 0..<count { out[i] = Double(w[i] >> 11) * 0x1p-53 }
        }
        return out
    }

    /// The default generator behind `manualSeed` and ops without a generator:
    /// the process-wide one, or the one `withDefault(_:_:)` installed for
    /// the current task.
    public static var `default`: Generator { scopedDefault ?? processDefault }

    private static let processDefault = Generator()
    @TaskLocal private static var scopedDefault: Generator?

    /// Runs `body` with `generator` as the default generator of the current
    /// task (and its child tasks), so code that draws from the default
    /// stream, dropout included, is reproducible while other tasks draw too.
    /// Worker threads the body starts itself still see the process default.
    ///
    /// ```swift
    /// let g = Generator(seed: 0)
    /// let mask = Generator.withDefault(g) { Tensor.bernoulli([4], p: 0.5) }   // same mask every run
    /// ```
    public static func withDefault<R>(_ generator: Generator, _ body: () throws -> R) rethrows -> R {
        try $scopedDefault.withValue(generator, operation: body)
    }
}

/// Seeds the default generator, like `torch.manual_seed`.
///
/// ```swift
/// manualSeed(0)
/// let a = Tensor.rand([2])   // the same two numbers on every run
/// ```
public func manualSeed(_ seed: UInt64) {
    Generator.default.manualSeed(seed)
}
