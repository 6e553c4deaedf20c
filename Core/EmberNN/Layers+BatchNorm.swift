// Batch normalization over the channel dim (1), with running statistics.

import EmberCore

/// Batch normalization, like `torch.nn.BatchNorm1d` and `BatchNorm2d` (the
/// same computation over every dim but the channels).
///
/// Training uses batch statistics and updates `running_mean` and
/// `running_var` (unbiased) with `momentum`, or a cumulative average when
/// `momentum` is nil; eval mode uses the running statistics.
public class BatchNorm: Module {
    public let numFeatures: Int, eps: Double, momentum: Double?, trackRunningStats: Bool
    public var weight: Tensor? { parameter("weight") }
    public var bias: Tensor? { parameter("bias") }
    public var runningMean: Tensor? { buffer("running_mean") }
    public var runningVar: Tensor? { buffer("running_var") }
    public var numBatchesTracked: Tensor? { buffer("num_batches_tracked") }
    let expectedRanks: [Int]

    init(numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, trackRunningStats: Bool,
         expectedRanks: [Int], dtype: DType) {
        (self.numFeatures, self.eps, self.momentum, self.trackRunningStats) = (numFeatures, eps, momentum, trackRunningStats)
        self.expectedRanks = expectedRanks
        super.init()
        registerParameter("weight", affine ? Tensor.ones([numFeatures], dtype: dtype) : nil)
        registerParameter("bias", affine ? Tensor.zeros([numFeatures], dtype: dtype) : nil)
        if trackRunningStats {
            registerBuffer("running_mean", Tensor.zeros([numFeatures], dtype: dtype))
            registerBuffer("running_var", Tensor.ones([numFeatures], dtype: dtype))
            registerBuffer("num_batches_tracked", Tensor.zeros([], dtype: .int64))
        }
    }

    public override func forward(_ input: Tensor) -> Tensor { normalize(input, relu: false) }

    /// `forward(input).relu()` in one sweep (`Tensor.batchNormReLU`), for the
    /// BN → ReLU pairs of DenseNet and ResNet.
    ///
    /// ```swift
    /// let h = norm.forwardReLU(x)   // same as norm(x).relu()
    /// ```
    public func forwardReLU(_ input: Tensor) -> Tensor { normalize(input, relu: true) }

    private func normalize(_ input: Tensor, relu: Bool) -> Tensor {
        precondition(expectedRanks.contains(input.rank) && input.shape[1] == numFeatures,
                     "\(type(of: self)): expected input of rank \(expectedRanks) with \(numFeatures) channels, got shape \(input.shape)")
        var factor = 0.0
        if training && trackRunningStats {
            let tracked = numBatchesTracked!
            GradMode.noGrad { _ = tracked.add_(1) }
            factor = momentum ?? 1 / tracked.item()
        }
        let batchStatistics = training || !trackRunningStats
        if relu {
            return input.batchNormReLU(weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                       training: batchStatistics, momentum: factor, eps: eps)
        }
        return input.batchNorm(weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                               training: batchStatistics, momentum: factor, eps: eps)
    }
}

/// Batch normalization of `[N, C]` or `[N, C, L]` input.
public final class BatchNorm1d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true, dtype: DType = .float32) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                   trackRunningStats: trackRunningStats, expectedRanks: [2, 3], dtype: dtype)
    }
}

/// Batch normalization of `[N, C, H, W]` input.
public final class BatchNorm2d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true, dtype: DType = .float32) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                   trackRunningStats: trackRunningStats, expectedRanks: [4], dtype: dtype)
    }
}
