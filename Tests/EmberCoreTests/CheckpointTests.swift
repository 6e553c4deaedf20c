// Gradient checkpointing: the same gradients as running the segment plainly
// (bit for bit, since the recomputation runs the same ops), parameters inside
// the segment get gradients even when no input needs one, random ops replay
// the same stream, and the segment's intermediates are not kept alive.

import EmberCore
import EmberTestSupport
import Testing

@Suite struct CheckpointTests {
    let g = Generator(seed: 21)

    /// A two-layer block whose weights are captured, as a module's would be.
    func block(_ w1: Tensor, _ w2: Tensor) -> ([Tensor]) -> Tensor {
        { inputs in inputs[0].matmul(w1).tanh().matmul(w2).sigmoid() }
    }

    @Test func gradientsEqualThePlainRun() {
        let x = Tensor.randn([4, 5], generator: g)
        let w1 = Tensor.randn([5, 6], generator: g), w2 = Tensor.randn([6, 3], generator: g)
        var grads: [[[Float]]] = []
        for useCheckpoint in [false, true] {
            let (xi, a, b) = (x.clone().requiresGrad_(), w1.clone().requiresGrad_(), w2.clone().requiresGrad_())
            let f = block(a, b)
            let y = useCheckpoint ? checkpoint([xi], f) : f([xi])
            (y * y).sum().backward()
            grads.append([xi.grad!.scalars(), a.grad!.scalars(), b.grad!.scalars()])
        }
        #expect(grads[0] == grads[1])
    }

    @Test func parametersGetGradientsWhenInputsDoNot() {
        let x = Tensor.randn([2, 5], generator: g)   // data: no gradient
        let w1 = Tensor.randn([5, 6], generator: g).requiresGrad_(), w2 = Tensor.randn([6, 3], generator: g).requiresGrad_()
        checkpoint([x], block(w1, w2)).sum().backward()
        let expected1: [Float] = w1.grad!.scalars(), expected2: [Float] = w2.grad!.scalars()
        w1.zeroGrad(); w2.zeroGrad()
        block(w1, w2)([x]).sum().backward()
        #expect(w1.grad!.scalars() == expected1 && w2.grad!.scalars() == expected2)
        #expect(x.grad == nil)
    }

    @Test func randomOpsReplayTheSameStream() {
        let x = Tensor.randn([8, 8], generator: g)
        func noisy(_ inputs: [Tensor]) -> Tensor {
            inputs[0] * Tensor.bernoulli([8, 8], p: 0.5) * Tensor.rand([8, 8])
        }
        var grads: [[Float]] = []
        // The default generator is task-local here, so tests running in
        // parallel cannot draw from this test's stream.
        Generator.withDefault(Generator()) {
            for useCheckpoint in [false, true] {
                manualSeed(5)
                let xi = x.clone().requiresGrad_()
                let y = useCheckpoint ? checkpoint([xi], noisy) : noisy([xi])
                let afterForward = Tensor.rand([3]).scalars() as [Float]
                y.sum().backward()
                grads.append(xi.grad!.scalars() + afterForward)
            }
        }
        // Same mask in forward and recomputation, and the stream after forward is untouched.
        #expect(grads[0] == grads[1])
    }

    @Test func intermediatesAreFreedAfterForward() {
        let x = Tensor.randn([64, 64], generator: g).requiresGrad_()
        weak var plainIntermediate: Storage?
        weak var checkpointedIntermediate: Storage?
        let plain = { (inputs: [Tensor]) -> Tensor in
            let h = inputs[0].exp()
            plainIntermediate = h.storage
            return h.sin()
        }
        let y1 = plain([x])
        #expect(plainIntermediate != nil, "without checkpointing, sin keeps its input for backward")
        let segment = { (inputs: [Tensor]) -> Tensor in
            let h = inputs[0].exp()
            checkpointedIntermediate = h.storage
            return h.sin()
        }
        let y2 = checkpoint([x], segment)
        #expect(checkpointedIntermediate == nil, "the checkpointed segment kept an intermediate alive")
        y2.sum().backward()
        let viaCheckpoint: [Float] = x.grad!.scalars()
        x.zeroGrad()
        y1.sum().backward()
        #expect(x.grad!.scalars() == viaCheckpoint)
    }

    @Test func noGradScopeRunsThePlainFunction() {
        let x = Tensor.randn([3], generator: g).requiresGrad_()
        let y = GradMode.noGrad { checkpoint([x]) { $0[0].exp() } }
        #expect(!y.requiresGrad)
    }
}
