// Storage sharing and in-place writes through views, as PyTorch behaves:
// a view's writes show in its base and the other way round.

import EmberCore
import EmberTestSupport
import Testing

@Suite struct ViewSemanticsTests {
    @Test func narrowWritesThroughToBase() {
        let x = Tensor.zeros([4, 3])
        x.narrow(dim: 0, start: 1, length: 2).fill_(7)
        expectValues(x, [0, 0, 0, 7, 7, 7, 7, 7, 7, 0, 0, 0], shape: [4, 3])
    }

    @Test func transposedViewAddInPlace() {
        let x = Tensor.arange(0, 6, dtype: .float32).reshape([2, 3])
        let t = x.t()
        t.add_(Tensor([10, 20] as [Float]))  // broadcast over t's rows: adds per column of x
        expectValues(x, [10, 11, 12, 23, 24, 25])
        #expect(t.storage === x.storage)
    }

    @Test func selectAndStepSliceShareStorage() {
        let x = Tensor.arange(0, 10, dtype: .float32)
        let evens = x.slice(dim: 0, start: 0, end: 10, step: 2)
        evens.mul_(-1)
        expectValues(x, [0, 1, -2, 3, -4, 5, -6, 7, -8, 9])
        let m = Tensor.zeros([3, 3])
        m.select(dim: 1, index: 2).fill_(1)
        expectValues(m, [0, 0, 1, 0, 0, 1, 0, 0, 1])
    }

    @Test func reshapeIsAViewWhenStridesAllowAndACopyOtherwise() {
        let x = Tensor.zeros([2, 6])
        let v = x.reshape([3, 4])
        #expect(v.storage === x.storage)
        let t = x.t()  // [6, 2], not contiguous
        let copy = t.reshape([12])
        #expect(copy.storage !== x.storage)
        #expect(t.reshape([3, 2, 2]).storage === x.storage)  // splitting dim 0 keeps strides valid
        #expect(x.contiguous() === x)
        #expect(t.contiguous() !== t)
    }

    @Test func unsqueezeExpandViewsReadTheBase() {
        let x = Tensor([1, 2, 3] as [Float])
        let e = x.unsqueeze(0).expand([4, 3])
        #expect(e.strides == [0, 1])
        x.fill_(5)
        expectValues(e.sum(), [60])
    }

    @Test func cloneIsIndependent() {
        let x = Tensor([1, 2] as [Float])
        let c = x.clone()
        c.add_(1)
        expectValues(x, [1, 2])
        expectValues(c, [2, 3])
    }

    @Test func copyBroadcastsAndConverts() {
        let x = Tensor.zeros([2, 3], dtype: .int32)
        x.copy_(Tensor([1.9, -2.9, 3.5] as [Double]))
        expectValues(x, [1, -2, 3, 1, -2, 3])
        #expect(x.dtype == .int32)
    }

    @Test func copyFromOverlappingViewReadsFirst() {
        let x = Tensor.arange(0, 5, dtype: .float32)
        x.narrow(dim: 0, start: 1, length: 4).copy_(x.narrow(dim: 0, start: 0, length: 4))
        expectValues(x, [0, 0, 1, 2, 3])
    }

    @Test func inPlaceOpsOnViews() {
        let x = Tensor([[-3, 1], [8, -0.5]] as [[Float]])
        x.select(dim: 0, index: 1).clamp_(min: 0, max: 6)
        expectValues(x, [-3, 1, 6, 0])
        x.t().select(dim: 0, index: 0).zero_()
        expectValues(x, [0, 1, 0, 0])
        x.relu_().exp_()
        expectValues(x, [1, Double(Float.exp(1)), 1, 1], tolerance: 1e-6)
    }

    @Test func splitAndChunkAreViews() {
        let x = Tensor.zeros([6, 2])
        let parts = x.chunk(3)
        parts[1].fill_(1)
        expectValues(x.sum(dim: 1), [0, 0, 2, 2, 0, 0])
        #expect(x.split(sizes: [1, 5]).map(\.shape) == [[1, 2], [5, 2]])
    }
}
