// Tensors may be read from many threads at once: ops on shared inputs from
// concurrent tasks give the same results as on one thread, including while
// parallel kernels are running (the pool then runs nested work serially).

import EmberCore
import EmberTestSupport
import Testing

@Suite struct ConcurrencyTests {
    @Test func concurrentReadsOfSharedTensors() async {
        let g = Generator(seed: 11)
        let a = Tensor.randn([300, 200], generator: g)
        let b = Tensor.randn([200, 100], generator: g)
        let expected: [Float] = a.matmul(b).gelu().sum(dim: 0).scalars()
        let results = await withTaskGroup(of: [Float].self) { group in
            for _ in 0..<8 {
                group.addTask { a.matmul(b).gelu().sum(dim: 0).scalars() }
            }
            var all: [[Float]] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 8)
        for r in results { #expect(r == expected) }
    }

    @Test func largeParallelKernelsFromSeveralTasks() async {
        let x = Tensor.randn([1 << 20], generator: Generator(seed: 3))
        let expected = x.exp().sum().item()
        let sums = await withTaskGroup(of: Double.self) { group in
            for _ in 0..<4 { group.addTask { x.exp().sum().item() } }
            var all: [Double] = []
            for await s in group { all.append(s) }
            return all
        }
        for s in sums { #expect(s == expected) }
    }
}
