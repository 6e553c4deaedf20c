// torch.nn.functional: layer norm, dropout, and the losses, each composed of
// tensor ops so autograd differentiates them without extra code.

import EmberCore

/// How a loss reduces over elements, as PyTorch's `reduction=`.
public enum Reduction: Sendable {
    case none, mean, sum
    /// KL divergence only: the sum divided by the batch size.
    case batchMean
}

/// Functional forms of layers and losses, like `torch.nn.functional`.
public enum Functional {
    static func reduce(_ loss: Tensor, _ reduction: Reduction) -> Tensor {
        switch reduction {
        case .none: loss
        case .mean: loss.mean()
        case .sum: loss.sum()
        case .batchMean: loss.sum().div(Double(Swift.max(loss.rank > 0 ? loss.shape[0] : 1, 1)))
        }
    }

    /// Normalizes over the trailing `normalizedShape` dims (biased variance).
    ///
    /// ```swift
    /// let y = Functional.layerNorm(x, normalizedShape: [768], weight: gamma, bias: beta)
    /// ```
    public static func layerNorm(_ x: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil,
                                 eps: Double = 1e-5) -> Tensor {
        x.layerNorm(normalizedShape, weight: weight, bias: bias, eps: eps)
    }

    /// Zeroes elements with probability `p` and scales the rest by 1/(1-p) when training.
    public static func dropout(_ x: Tensor, p: Double = 0.5, training: Bool = true, generator: Generator = .default) -> Tensor {
        precondition(p >= 0 && p <= 1, "dropout: probability has to be between 0 and 1, but got \(p)")
        if !training || p == 0 { return x }
        if p == 1 { return x * 0.0 }
        let keep = Tensor.bernoulli(x.shape, p: 1 - p, dtype: x.dtype, generator: generator)
        return x * keep.div(1 - p)
    }

    // MARK: Losses

    /// Mean squared error.
    public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
        let d = input - target
        return reduce(d * d, reduction)
    }

    /// Mean absolute error.
    public static func l1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
        reduce((input - target).abs(), reduction)
    }

    /// Quadratic below `beta`, linear above, divided by `beta` inside: `torch.nn.functional.smooth_l1_loss`.
    public static func smoothL1Loss(_ input: Tensor, _ target: Tensor, beta: Double = 1, reduction: Reduction = .mean) -> Tensor {
        let d = (input - target).abs()
        if beta == 0 { return reduce(d, reduction) }
        let loss = Tensor.where(d.lt(beta), d * d * (0.5 / beta), d - 0.5 * beta)
        return reduce(loss, reduction)
    }

    /// Quadratic below `delta`, linear above: `torch.nn.functional.huber_loss`.
    public static func huberLoss(_ input: Tensor, _ target: Tensor, delta: Double = 1, reduction: Reduction = .mean) -> Tensor {
        let d = (input - target).abs()
        let loss = Tensor.where(d.le(delta), d * d * 0.5, (d - 0.5 * delta) * delta)
        return reduce(loss, reduction)
    }

    /// Negative log-likelihood of class indices under log-probabilities
    /// `[N, C, ...]`, with optional class weights and an ignored index.
    public static func nllLoss(_ logProbs: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                               reduction: Reduction = .mean) -> Tensor {
        precondition(logProbs.rank >= 1 && target.dtype.isIntegral,
                     "nll_loss: expected log-probabilities [N, C, ...] and integer targets, got \(logProbs.shape) and \(target.dtype)")
        let classes = logProbs.rank == 1 ? logProbs.shape[0] : logProbs.shape[1]
        let lp = logProbs.rank == 1 ? logProbs.unsqueeze(0) : logProbs
        let t = logProbs.rank == 1 ? target.unsqueeze(0) : target
        precondition(Array(lp.shape.dropFirst(2)) == Array(t.shape.dropFirst()) && lp.shape[0] == t.shape[0],
                     "nll_loss: target of shape \(target.shape) does not match input of shape \(logProbs.shape)")
        let ignored = t.eq(Double(ignoreIndex))
        let safe = t.where(ignored.logicalNot(), Tensor(scalar: 0, dtype: t.dtype))
        let picked = lp.gather(dim: 1, index: safe.unsqueeze(1)).squeeze(dim: 1)
        let w = weight.map { $0.indexSelect(dim: 0, index: safe.reshape([-1])).reshape(safe.shape) }
            ?? Tensor.ones(safe.shape, dtype: lp.dtype)
        precondition(weight == nil || weight!.shape == [classes],
                     "nll_loss: weight of shape \(weight!.shape) does not match \(classes) classes")
        let wMasked = w.maskedFill(ignored, 0)
        let loss = picked.neg() * wMasked
        let shaped = logProbs.rank == 1 ? loss.squeeze(dim: 0) : loss
        switch reduction {
        case .mean: return loss.sum() / wMasked.sum()
        default: return reduce(shaped, reduction)
        }
    }

    /// Cross entropy of logits `[N, C, ...]` against class indices, or
    /// against class probabilities of the logits' shape.
    ///
    /// ```swift
    /// let loss = Functional.crossEntropy(logits, labels, labelSmoothing: 0.1)
    /// ```
    public static func crossEntropy(_ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                                    reduction: Reduction = .mean, labelSmoothing: Double = 0) -> Tensor {
        precondition(labelSmoothing >= 0 && labelSmoothing <= 1,
                     "cross_entropy: label_smoothing must be between 0.0 and 1.0, got \(labelSmoothing)")
        let classDim = logits.rank == 1 ? 0 : 1
        let classes = logits.shape[classDim]
        let lp = logits.logSoftmax(dim: classDim)
        var weightView: Tensor? = nil
        if let weight {
            var s = [Int](repeating: 1, count: logits.rank)
            s[classDim] = classes
            weightView = weight.reshape(s)
        }
        if target.dtype.isFloatingPoint {
            precondition(target.shape == logits.shape,
                         "cross_entropy: probability target of shape \(target.shape) must match input \(logits.shape)")
            var t = target
            if labelSmoothing > 0 { t = t * (1 - labelSmoothing) + labelSmoothing / Double(classes) }
            var loss = lp * t
            if let weightView { loss = loss * weightView }
            let perSample = loss.sum(dim: classDim).neg()
            if reduction == .mean { return perSample.sum() / Double(logits.rank == 1 ? 1 : logits.shape[0]) }
            return reduce(perSample, reduction)
        }
        let nll = nllLoss(lp, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
        if labelSmoothing == 0 { return nll }
        let ignored = target.eq(Double(ignoreIndex))
        var smooth = (weightView.map { lp * $0 } ?? lp).sum(dim: classDim).neg()
        smooth = smooth.maskedFill(ignored, 0)
        let smoothReduced: Tensor
        switch reduction {
        case .mean:
            if let weight {
                let kept = target.maskedSelect(ignored.logicalNot())
                smoothReduced = smooth.sum() / weight.indexSelect(dim: 0, index: kept).sum()
            } else {
                smoothReduced = smooth.sum() / ignored.logicalNot().sum().to(smooth.dtype)
            }
        case .sum: smoothReduced = smooth.sum()
        default: smoothReduced = smooth
        }
        return nll * (1 - labelSmoothing) + smoothReduced * (labelSmoothing / Double(classes))
    }

    /// Binary cross entropy of probabilities; logs are clamped at -100 as in PyTorch.
    public static func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                          reduction: Reduction = .mean) -> Tensor {
        precondition(input.shape == target.shape,
                     "binary_cross_entropy: target size \(target.shape) differs from input size \(input.shape)")
        let logP = input.log().clamp(min: -100.0)
        let log1mP = input.neg().add(1.0).log().clamp(min: -100.0)
        var loss = (target * logP + target.neg().add(1.0) * log1mP).neg()
        if let weight { loss = loss * weight }
        return reduce(loss, reduction)
    }

    /// Binary cross entropy on logits, stable for large magnitudes, with an
    /// optional weight for positives per class (multi-label training).
    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                                    posWeight: Tensor? = nil, reduction: Reduction = .mean) -> Tensor {
        precondition(logits.shape == target.shape,
                     "binary_cross_entropy_with_logits: target size \(target.shape) differs from input size \(logits.shape)")
        // log(1 + exp(-|x|)) + max(-x, 0) is log(1 + exp(-x)) without overflow.
        let softplusNeg = logits.abs().neg().exp().log1p() + logits.neg().clamp(min: 0.0)
        var loss: Tensor
        if let posWeight {
            let logWeight = (posWeight - 1.0) * target + 1.0
            loss = target.neg().add(1.0) * logits + logWeight * softplusNeg
        } else {
            loss = target.neg().add(1.0) * logits + softplusNeg
        }
        if let weight { loss = loss * weight }
        return reduce(loss, reduction)
    }

    /// KL divergence with `input` as log-probabilities; `target` as
    /// probabilities, or log-probabilities when `logTarget`.
    public static func klDiv(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean, logTarget: Bool = false) -> Tensor {
        let loss: Tensor
        if logTarget {
            loss = target.exp() * (target - input)
        } else {
            // xlogy: 0 · log 0 counts as 0.
            let logT = target.log().where(target.gt(0), 0)
            loss = target * (logT - input)
        }
        return reduce(loss, reduction)
    }
}

extension Functional {
    /// Scales slices along `dim` to unit `p`-norm, dividing by `max(‖x‖ₚ, eps)`,
    /// like `torch.nn.functional.normalize`.
    ///
    /// ```swift
    /// let unit = Functional.normalize(embeddings, dim: 1)   // rows of length 1
    /// ```
    public static func normalize(_ x: Tensor, p: Double = 2, dim: Int = 1, eps: Double = 1e-12) -> Tensor {
        x / x.norm(p: p, dims: [dim], keepDim: true).clamp(min: eps)
    }
}
