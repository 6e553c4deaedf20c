// The tour in README.md, run as written, with its claims checked.

import EmberCore
import EmberTestSupport
import Testing

@Test func readmeTourRunsAsDocumented() {
    manualSeed(0)
    let x = Tensor([[1, 2, 3], [4, 5, 6]] as [[Float]])
    let w = Tensor.randn([3, 4])
    let y = (x.matmul(w) + 1).relu()
    #expect(y.shape == [2, 4])
    let p = y.softmax(dim: -1)
    expectValues(p.sum(dim: -1), [1, 1], tolerance: 1e-6)

    let row = x[1]
    row.mul_(10)
    expectValues(x, [1, 2, 3, 40, 50, 60])
    #expect(x.t().contiguous().shape == [3, 2])

    let ints = Tensor.arange(6).reshape([2, 3])
    #expect(ints.dtype == .int64)
    #expect((ints + x).dtype == .float32)
    expectValues(ints.sum(dim: 1), [3, 12])
    expectValues(x.max(dim: 1).indices, [2, 2])

    expectValues(x.mean(dims: [0, 1]), [26])
    expectValues(x.variance(dim: 1), [1, 100])
    #expect(Tensor.randn([8, 3, 4]).matmul(Tensor.randn([4, 5])).shape == [8, 3, 5])
    expectValues(Tensor.where(x.gt(10), x, Tensor(scalar: Float(0))), [0, 0, 0, 40, 50, 60])
}
