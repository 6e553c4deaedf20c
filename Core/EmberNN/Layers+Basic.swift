// Linear, Embedding, LayerNorm, Dropout, Identity and Flatten, with
// PyTorch's parameter names, shapes and default initialization.

import EmberCore

/// `y = x · Wᵀ + b`, like `torch.nn.Linear`.
///
/// Weight `[out, in]` and bias `[out]` start from PyTorch's defaults:
/// kaiming-uniform with a = √5, bias uniform in ±1/√in.
///
/// ```swift
/// let fc = Linear(inFeatures: 784, outFeatures: 10)
/// let logits = fc(x)            // [N, 784] → [N, 10]
/// ```
public final class Linear: Module {
    public let inFeatures: Int, outFeatures: Int
    public var weight: Tensor { parameter("weight")! }
    public var bias: Tensor? { parameter("bias") }

    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, dtype: DType = .float32) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        super.init()
        let w = Tensor.empty([outFeatures, inFeatures], dtype: dtype)
        Init.kaimingUniform_(w, a: 5.0.squareRoot())
        registerParameter("weight", w)
        if bias {
            let bound = inFeatures > 0 ? 1 / Double(inFeatures).squareRoot() : 0
            registerParameter("bias", Init.uniform_(Tensor.empty([outFeatures], dtype: dtype), low: -bound, high: bound))
        } else {
            registerParameter("bias", nil)
        }
    }

    public override func forward(_ input: Tensor) -> Tensor {
        Functional.linear(input, weight: weight, bias: bias)
    }
}

/// A lookup table of `numEmbeddings` vectors, like `torch.nn.Embedding`.
/// Rows at `paddingIdx` start at zero and receive no gradient.
public final class Embedding: Module {
    public let numEmbeddings: Int, embeddingDim: Int, paddingIdx: Int?
    public var weight: Tensor { parameter("weight")! }

    public init(numEmbeddings: Int, embeddingDim: Int, paddingIdx: Int? = nil, dtype: DType = .float32) {
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        self.paddingIdx = paddingIdx.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        super.init()
        let w = Init.normal_(Tensor.empty([numEmbeddings, embeddingDim], dtype: dtype))
        if let p = self.paddingIdx { GradMode.noGrad { _ = w.select(dim: 0, index: p).zero_() } }
        registerParameter("weight", w)
    }

    /// Looks up integer indices of any shape: `[...] → [..., embeddingDim]`.
    public override func forward(_ input: Tensor) -> Tensor {
        let rows = weight.indexSelect(dim: 0, index: input.reshape([-1]))
        var out = rows.reshape(input.shape + [embeddingDim])
        if let p = paddingIdx {
            // Same values; the padding row's lookups pass no gradient.
            let isPad = input.eq(Double(p)).unsqueeze(-1)
            out = Tensor.where(isPad, out.detach(), out)
        }
        return out
    }
}

/// Normalizes over the last dims, like `torch.nn.LayerNorm`.
public final class LayerNorm: Module {
    public let normalizedShape: [Int], eps: Double
    public var weight: Tensor? { parameter("weight") }
    public var bias: Tensor? { parameter("bias") }

    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true,
                dtype: DType = .float32) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        super.init()
        registerParameter("weight", elementwiseAffine ? Tensor.ones(normalizedShape, dtype: dtype) : nil)
        registerParameter("bias", elementwiseAffine && bias ? Tensor.zeros(normalizedShape, dtype: dtype) : nil)
    }

    public override func forward(_ input: Tensor) -> Tensor {
        Functional.layerNorm(input, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }
}

/// Zeroes elements with probability `p` in training mode and scales the rest
/// by 1/(1-p); the identity in eval mode.
public final class Dropout: Module {
    public let p: Double
    public init(p: Double = 0.5) {
        precondition(p >= 0 && p <= 1, "Dropout: probability has to be between 0 and 1, but got \(p)")
        self.p = p
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { Functional.dropout(input, p: p, training: training) }
}

/// Returns its input.
public final class Identity: Module {
    public override func forward(_ input: Tensor) -> Tensor { input }
}

/// Flattens dims `startDim...endDim` (by default all but the batch dim).
public final class Flatten: Module {
    public let startDim: Int, endDim: Int
    public init(startDim: Int = 1, endDim: Int = -1) {
        (self.startDim, self.endDim) = (startDim, endDim)
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.flatten(startDim: startDim, endDim: endDim) }
}

/// Normalizes groups of channels per sample, like `torch.nn.GroupNorm`.
public final class GroupNorm: Module {
    public let numGroups: Int, numChannels: Int, eps: Double
    public var weight: Tensor? { parameter("weight") }
    public var bias: Tensor? { parameter("bias") }

    public init(numGroups: Int, numChannels: Int, eps: Double = 1e-5, affine: Bool = true, dtype: DType = .float32) {
        precondition(numGroups > 0 && numChannels % numGroups == 0,
                     "GroupNorm: num_channels \(numChannels) must be divisible by num_groups \(numGroups)")
        (self.numGroups, self.numChannels, self.eps) = (numGroups, numChannels, eps)
        super.init()
        registerParameter("weight", affine ? Tensor.ones([numChannels], dtype: dtype) : nil)
        registerParameter("bias", affine ? Tensor.zeros([numChannels], dtype: dtype) : nil)
    }

    public override func forward(_ input: Tensor) -> Tensor {
        precondition(input.rank >= 2 && input.shape[1] == numChannels,
                     "GroupNorm: expected input with \(numChannels) channels, got shape \(input.shape)")
        let grouped = input.reshape([input.shape[0], numGroups, -1])
        var y = Functional.layerNorm(grouped, normalizedShape: [grouped.shape[2]], eps: eps).reshape(input.shape)
        var shape = [Int](repeating: 1, count: input.rank)
        shape[1] = numChannels
        if let weight { y = y * weight.reshape(shape) }
        if let bias { y = y + bias.reshape(shape) }
        return y
    }
}
