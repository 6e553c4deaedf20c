// Fused in-place optimizer updates for EmberOptim (like ATen's `_fused_adam_`).

import EmberKernels

extension Tensor {
    /// One Adam step on this parameter and its state, in place, when every
    /// tensor is contiguous and of this parameter's float32/float64 dtype;
    /// returns false (changing nothing) otherwise, so the caller composes ops.
    package func fusedAdamStep_(grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor?,
                                _ step: AdamStep) -> Bool {
        let all = [self, grad, expAvg, expAvgSq] + (maxExpAvgSq.map { [$0] } ?? [])
        guard dtype == .float32 || dtype == .float64,
              all.allSatisfy({ $0.dtype == dtype && $0.shape == shape && $0.isContiguous }) else { return false }
        adamKernel(type: dtype, count: count, step, param: rawPointer, grad: grad.rawPointer, expAvg: expAvg.rawPointer,
                   expAvgSq: expAvgSq.rawPointer, maxExpAvgSq: maxExpAvgSq?.rawPointer)
        for t in [self, expAvg, expAvgSq] + (maxExpAvgSq.map { [$0] } ?? []) { t.bumpVersion() }
        return true
    }
}
