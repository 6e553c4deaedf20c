// Batch and layer normalization as single ops (ATen's `batch_norm` and
// `layer_norm`), with closed-form backward passes: each is one or two sweeps
// over memory where the composition of elementwise ops takes six or more.

import EmberKernels

extension Tensor {
    /// Batch normalization over dim 1 of `[N, C, ...]`, like `torch.nn.functional.batch_norm`.
    ///
    /// With `training`, normalizes by the batch statistics and, when running
    /// statistics are given, blends them in with `momentum` (the variance
    /// unbiased, as PyTorch does); otherwise normalizes by the running statistics.
    ///
    /// ```swift
    /// let y = x.batchNorm(weight: gamma, bias: beta, runningMean: mean, runningVar: variance,
    ///                     training: true, momentum: 0.1, eps: 1e-5)
    /// ```
    public func batchNorm(weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                          training: Bool, momentum: Double = 0.1, eps: Double = 1e-5) -> Tensor {
        normalizedBatch(weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                        training: training, momentum: momentum, eps: eps, relu: false)
    }

    /// `batchNorm(...).relu()` as one op: the ReLU is applied in the same
    /// sweep that normalizes, so the normalized tensor is never written on its
    /// own (the pre-activation BN → ReLU of DenseNet and ResNet).
    ///
    /// ```swift
    /// let h = x.batchNormReLU(weight: gamma, bias: beta, runningMean: mean, runningVar: variance, training: false)
    /// ```
    public func batchNormReLU(weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                              training: Bool, momentum: Double = 0.1, eps: Double = 1e-5) -> Tensor {
        normalizedBatch(weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                        training: training, momentum: momentum, eps: eps, relu: true)
    }

    private func normalizedBatch(weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                                 training: Bool, momentum: Double, eps: Double, relu: Bool) -> Tensor {
        precondition(rank >= 2, "batch_norm: expected an input with at least 2 dims, got shape \(shape)")
        let (n, c) = (shape[0], shape[1]), s = count / Swift.max(n * c, 1)
        for (name, t) in [("weight", weight), ("bias", bias), ("running_mean", runningMean), ("running_var", runningVar)] {
            if let t { precondition(t.shape == [c], "batch_norm: \(name) of shape \(t.shape) does not match \(c) channels of input \(shape)") }
        }
        precondition(!training || n * s > 1 || count == 0,
                     "batch_norm: expected more than 1 value per channel when training, got input size \(shape)")
        precondition(training || (runningMean != nil && runningVar != nil),
                     "batch_norm: running_mean and running_var are needed when not training")
        let type = dtype.computeType
        precondition(type == .float32 || type == .float64, "batch_norm: expected a floating-point input, got \(dtype)")
        let x = GradMode.noGrad { to(type).contiguous() }
        var mean = [Double](repeating: 0, count: c), variance = [Double](repeating: 0, count: c)
        if training {
            channelMoments(type: type, n: n, c: c, s: s, x.rawPointer, mean: &mean, variance: &variance)
            GradMode.noGrad {
                let unbiased = Double(n * s) / Double(Swift.max(n * s - 1, 1))
                if let runningMean {
                    runningMean.mul_(1 - momentum).add_(Tensor(mean, shape: [c]).to(runningMean.dtype), alpha: momentum)
                }
                if let runningVar {
                    runningVar.mul_(1 - momentum)
                        .add_(Tensor(variance.map { $0 * unbiased }, shape: [c]).to(runningVar.dtype), alpha: momentum)
                }
            }
        } else {
            mean = runningMean!.to(.float64).contiguous().scalars()
            variance = runningVar!.to(.float64).contiguous().scalars()
        }
        let invStd = variance.map { 1 / ($0 + eps).squareRoot() }
        let gamma: [Double] = weight.map { $0.to(.float64).contiguous().scalars() } ?? Array(repeating: 1, count: c)
        let beta: [Double] = bias.map { $0.to(.float64).contiguous().scalars() } ?? Array(repeating: 0, count: c)
        let scale = (0..<c).map { gamma[$0] * invStd[$0] }
        let shift = (0..<c).map { beta[$0] - mean[$0] * scale[$0] }
        let out = Tensor(uninitializedShape: shape, dtype: type)
        channelAffine(type: type, n: n, c: c, s: s, x.rawPointer, nil, a: scale, b: nil, d: shift, relu: relu, out.rawPointer)
        let result = GradMode.noGrad { out.to(dtype) }
        let inputs = [self] + [weight, bias].compactMap { $0 }
        let (hasWeight, hasBias) = (weight != nil, bias != nil)
        return result.recorded(relu ? "batch_norm_relu" : "batch_norm", inputs, saving: [self] + (weight.map { [$0] } ?? [])) { grad in
            // Through the ReLU first: the gradient passes where the output is positive.
            let g = (relu ? Tensor.binary(grad.to(type), out, .thresholdBackward, type: type, name: "threshold_backward")
                     : grad.to(type)).contiguous()
            var sumG = [Double](repeating: 0, count: c), sumGX = [Double](repeating: 0, count: c)
            channelGradientSums(type: type, n: n, c: c, s: s, g.rawPointer, x.rawPointer, mean: mean, sumG: &sumG, sumGX: &sumGX)
            let dx = Tensor(uninitializedShape: x.shape, dtype: type)
            if training {
                // dx = scale·(g - mean(g) - x̂·mean(g·x̂)), as a per-channel a·g + b·x + d.
                let m = Double(n * s)
                let k = (0..<c).map { invStd[$0] * invStd[$0] * sumGX[$0] / m }
                let b = (0..<c).map { -scale[$0] * k[$0] }
                let d = (0..<c).map { scale[$0] * (k[$0] * mean[$0] - sumG[$0] / m) }
                channelAffine(type: type, n: n, c: c, s: s, g.rawPointer, x.rawPointer, a: scale, b: b, d: d, dx.rawPointer)
            } else {
                let zero = [Double](repeating: 0, count: c)
                channelAffine(type: type, n: n, c: c, s: s, g.rawPointer, nil, a: scale, b: nil, d: zero, dx.rawPointer)
            }
            var grads: [Tensor?] = [dx.to(grad.dtype)]
            if hasWeight { grads.append(Tensor((0..<c).map { sumGX[$0] * invStd[$0] }, shape: [c]).to(grad.dtype)) }
            if hasBias { grads.append(Tensor(sumG, shape: [c]).to(grad.dtype)) }
            return grads
        }
    }

    /// Normalizes over the trailing `normalizedShape` dims (biased variance), like
    /// `torch.nn.functional.layer_norm`.
    ///
    /// ```swift
    /// let y = x.layerNorm([768], weight: gamma, bias: beta, eps: 1e-12)
    /// ```
    public func layerNorm(_ normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5) -> Tensor {
        precondition(!normalizedShape.isEmpty && Array(shape.suffix(normalizedShape.count)) == normalizedShape,
                     "layer_norm: input of shape \(shape) does not end with normalized shape \(normalizedShape)")
        for (name, t) in [("weight", weight), ("bias", bias)] {
            if let t { precondition(t.shape == normalizedShape, "layer_norm: \(name) of shape \(t.shape) does not match normalized shape \(normalizedShape)") }
        }
        let type = DType.promote(dtype, weight?.dtype ?? dtype).computeType
        precondition(type == .float32 || type == .float64, "layer_norm: expected a floating-point input, got \(dtype)")
        let d = normalizedShape.reduce(1, *), rows = d == 0 ? 0 : count / d
        let x = GradMode.noGrad { to(type).contiguous() }
        let w = weight.map { t in GradMode.noGrad { t.to(type).contiguous() } }
        let b = bias.map { t in GradMode.noGrad { t.to(type).contiguous() } }
        let out = Tensor(uninitializedShape: shape, dtype: type)
        let mean = Tensor(uninitializedShape: [rows], dtype: type), rstd = Tensor(uninitializedShape: [rows], dtype: type)
        layerNormForward(type: type, rows: rows, d: d, eps: eps, x.rawPointer, weight: w?.rawPointer, bias: b?.rawPointer,
                         out.rawPointer, mean: mean.rawPointer, rstd: rstd.rawPointer)
        let inputs = [self] + [weight, bias].compactMap { $0 }
        let result = GradMode.noGrad { out.to(dtype.isFloatingPoint ? dtype : type) }
        return result.recorded("layer_norm", inputs, saving: [self] + (weight.map { [$0] } ?? [])) { grad in
            let g = grad.to(type).contiguous()
            let dx = Tensor(uninitializedShape: x.shape, dtype: type)
            let dw = w.map { _ in Tensor.zeros(normalizedShape, dtype: type) }
            let db = b.map { _ in Tensor.zeros(normalizedShape, dtype: type) }
            layerNormBackward(type: type, rows: rows, d: d, g.rawPointer, x.rawPointer, mean: mean.rawPointer,
                              rstd: rstd.rawPointer, weight: w?.rawPointer, dx.rawPointer,
                              dWeight: dw?.rawPointer, dBias: db?.rawPointer)
            return [dx.to(grad.dtype)] + [dw, db].compactMap { $0 }.map { $0.to(grad.dtype) }
        }
    }
}
