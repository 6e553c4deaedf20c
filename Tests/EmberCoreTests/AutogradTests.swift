// The tape's behaviour: accumulation, scopes, detach, retained graphs, the
// version counter, in-place ops on non-leaves, and frozen tensors.

import EmberCore
import EmberTestSupport
import Foundation
import Testing

private func stderrText(_ result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}

@Suite struct AutogradTests {
    @Test func analyticPolynomial() {
        // y = x² + 5x + 4, dy/dx = 2x + 5
        let x = Tensor([1, -2, 0.5] as [Float]).requiresGrad_()
        let y = (x * x + x * 5 + 4).sum()
        y.backward()
        expectValues(x.grad!, [7, 1, 6])
        #expect(y.gradFnName == "sum")
        #expect(x.isLeaf && !y.isLeaf)
    }

    @Test func gradientsAccumulateUntilCleared() {
        let x = Tensor([2] as [Float]).requiresGrad_()
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        expectValues(x.grad!, [6])
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    @Test func broadcastGradientsSumBackToShape() {
        let a = Tensor.ones([3, 1]).requiresGrad_()
        let b = Tensor.ones([4]).requiresGrad_()
        (a * b).sum().backward()
        #expect(a.grad!.shape == [3, 1] && b.grad!.shape == [4])
        expectValues(a.grad!, [4, 4, 4])
        expectValues(b.grad!, [3, 3, 3, 3])
    }

    @Test func explicitGradientForNonScalars() {
        let x = Tensor([1, 2, 3] as [Float]).requiresGrad_()
        let y = x * x
        y.backward(Tensor([1, 0.5, 2] as [Float]))
        expectValues(x.grad!, [2, 2, 12])
    }

    @Test func noGradAndDetachRecordNothing() {
        let x = Tensor([1, 2] as [Float]).requiresGrad_()
        let y = GradMode.noGrad { x * 2 }
        #expect(!y.requiresGrad)
        let z = (x * 2).detach()
        #expect(!z.requiresGrad && z.storage !== x.storage)
        let w = GradMode.inferenceMode { x.exp() }
        #expect(!w.requiresGrad)
        #expect(GradMode.isEnabled)
    }

    @Test func frozenTensorsGetNoGradient() {
        let w = Tensor.ones([2, 2])  // frozen: requiresGrad false
        let b = Tensor.zeros([2]).requiresGrad_()
        (Tensor.ones([3, 2]).matmul(w) + b).sum().backward()
        #expect(w.grad == nil)
        expectValues(b.grad!, [3, 3])
    }

    @Test func retainedGraphAllowsASecondBackward() {
        let x = Tensor([3] as [Float]).requiresGrad_()
        let y = (x * x).sum()
        y.backward(retainGraph: true)
        y.backward()
        expectValues(x.grad!, [12])
    }

    @Test func inPlaceOnNonLeafKeepsGradientsRight() {
        let x = Tensor([1, 2] as [Float]).requiresGrad_()
        let y = x * 3
        y.add_(1)
        y.mul_(x)       // y = (3x + 1)·x, dy/dx = 6x + 1
        y.sum().backward()
        expectValues(x.grad!, [7, 13])
    }

    @Test func retainGradOnIntermediate() {
        let x = Tensor([1, 2] as [Float]).requiresGrad_()
        let h = x * 2
        h.retainGrad()
        (h * h).sum().backward()
        expectValues(h.grad!, [4, 8])
        expectValues(x.grad!, [8, 16])
    }

    @Test func dtypeConversionPassesGradientsBack() {
        let x = Tensor([1, 2] as [Double]).requiresGrad_()
        (x.to(.float32) * 2).sum().backward()
        #expect(x.grad!.dtype == .float64)
        expectValues(x.grad!, [2, 2])
    }

    @Test func secondBackwardThroughFreedGraphTraps() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([3] as [Float]).requiresGrad_()
            let y = (x * x).sum()
            y.backward()
            y.backward()
        }
        #expect(stderrText(r).contains("trying to backward through the graph a second time"))
    }

    @Test func modifiedSavedTensorIsDetected() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1, 2] as [Float]).requiresGrad_()
            let h = x * 2
            let z = h.sin().sum()   // sin saves its input h
            h.mul_(2)
            z.backward()
        }
        #expect(stderrText(r).contains("has been modified by an inplace operation"))
    }

    @Test func inPlaceOnLeafThatRequiresGradTraps() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1, 2] as [Float]).requiresGrad_()
            x.add_(1)
        }
        #expect(stderrText(r).contains("a leaf Variable that requires grad is being used in an in-place operation"))
    }
}
