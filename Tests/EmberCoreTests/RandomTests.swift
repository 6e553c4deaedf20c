// Seeded random numbers: the same seed gives the same values on every run and
// at any thread count; generators are independent; distributions have the
// right moments (loose statistical bounds, fixed seed so they never flake).

import EmberCore
import EmberTestSupport
import Testing

@Suite(.serialized) struct RandomTests {
    @Test func sameSeedSameNumbers() {
        // A task-local default: tests in other suites draw from the process's
        // default generator at the same time.
        Generator.withDefault(Generator()) {
            manualSeed(42)
            let a: [Float] = Tensor.randn([1000]).scalars()
            manualSeed(42)
            let b: [Float] = Tensor.randn([1000]).scalars()
            #expect(a == b)
            manualSeed(43)
            let c: [Float] = Tensor.randn([1000]).scalars()
            #expect(a != c)
        }
    }

    @Test func threadCountDoesNotChangeValues() {
        let before = numThreads()
        defer { setNumThreads(before) }
        setNumThreads(1)
        let g1 = Generator(seed: 7)
        let a: [Float] = Tensor.rand([100_000], generator: g1).mul(3).exp().scalars()
        setNumThreads(2)
        let g2 = Generator(seed: 7)
        let b: [Float] = Tensor.rand([100_000], generator: g2).mul(3).exp().scalars()
        #expect(a == b)
    }

    @Test func generatorsAreIndependentAndRestorable() {
        let g = Generator(seed: 1)
        _ = Tensor.rand([5], generator: g)
        let state = g.stateWords
        let next: [Double] = Tensor.rand([5], dtype: .float64, generator: g).scalars()
        g.stateWords = state
        let again: [Double] = Tensor.rand([5], dtype: .float64, generator: g).scalars()
        #expect(next == again)
    }

    @Test func distributionsHaveExpectedMoments() {
        let g = Generator(seed: 2024)
        let n = Tensor.normal([200_000], mean: 2, std: 3, dtype: .float64, generator: g)
        #expect(Swift.abs(n.mean().item() - 2) < 0.05)
        #expect(Swift.abs(n.std().item() - 3) < 0.05)
        let u = Tensor.uniform([200_000], low: -1, high: 3, generator: g)
        #expect(u.min().item() >= -1 && u.max().item() < 3)
        #expect(Swift.abs(u.mean().item() - 1) < 0.02)
        let b = Tensor.bernoulli([100_000], p: 0.3, generator: g)
        #expect(Swift.abs(b.mean().item() - 0.3) < 0.01)
    }

    @Test func bernoulliDrawsLikeRandBelowP() {
        // The float fast path must take the same draws as rand(...).lt(p).
        for dtype in [DType.float32, .float64, .int64, .bool] {
            let mask = Tensor.bernoulli([3, 1001], p: 0.37, dtype: dtype, generator: Generator(seed: 9))
            let reference = Tensor.rand([3, 1001], dtype: .float64, generator: Generator(seed: 9)).lt(0.37).to(dtype)
            #expect(mask.dtype == dtype && mask.shape == [3, 1001])
            #expect(mask.to(.float64).eq(reference.to(.float64)).to(.int64).sum().item() == 3003, "\(dtype)")
        }
    }

    @Test func randintAndRandperm() {
        let g = Generator(seed: 5)
        let r = Tensor.randint(low: -3, high: 4, [10_000], generator: g)
        #expect(r.dtype == .int64)
        #expect(r.min().item() == -3 && r.max().item() == 3)
        let p: [Int64] = Tensor.randperm(50, generator: g).scalars()
        #expect(p.sorted() == (0..<50).map(Int64.init))
        #expect(p != (0..<50).map(Int64.init))
    }
}
