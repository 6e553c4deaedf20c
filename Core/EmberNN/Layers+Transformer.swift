// TransformerEncoderLayer and TransformerEncoder, with PyTorch's structure
// and state-dict names (`layers.0.self_attn.in_proj_weight`, `linear1`, `norm1`).

import EmberCore

/// The feed-forward activation of a transformer layer.
public enum TransformerActivation: Sendable {
    case relu, gelu
}

/// One encoder block: self-attention then a feed-forward network, each with a
/// residual connection and LayerNorm, like `torch.nn.TransformerEncoderLayer`.
/// `normFirst` normalizes before each sublayer (pre-LN) instead of after.
///
/// ```swift
/// let layer = TransformerEncoderLayer(dModel: 256, nhead: 8, dimFeedforward: 1024, activation: .gelu, batchFirst: true)
/// let y = layer(x, srcKeyPaddingMask: padding)   // [N, L, 256]
/// ```
public final class TransformerEncoderLayer: Module {
    public let dModel: Int, nhead: Int, dimFeedforward: Int, dropout: Double
    public let activation: TransformerActivation, layerNormEps: Double, batchFirst: Bool, normFirst: Bool, bias: Bool

    public var selfAttn: MultiheadAttention { child("self_attn") as! MultiheadAttention }
    public var linear1: Linear { child("linear1") as! Linear }
    public var linear2: Linear { child("linear2") as! Linear }
    public var norm1: LayerNorm { child("norm1") as! LayerNorm }
    public var norm2: LayerNorm { child("norm2") as! LayerNorm }

    public init(dModel: Int, nhead: Int, dimFeedforward: Int = 2048, dropout: Double = 0.1,
                activation: TransformerActivation = .relu, layerNormEps: Double = 1e-5, batchFirst: Bool = false,
                normFirst: Bool = false, bias: Bool = true, dtype: DType = .float32) {
        (self.dModel, self.nhead, self.dimFeedforward, self.dropout) = (dModel, nhead, dimFeedforward, dropout)
        (self.activation, self.layerNormEps, self.batchFirst, self.normFirst, self.bias) =
            (activation, layerNormEps, batchFirst, normFirst, bias)
        super.init()
        registerModule("self_attn", MultiheadAttention(embedDim: dModel, numHeads: nhead, dropout: dropout, bias: bias,
                                                       batchFirst: batchFirst, dtype: dtype))
        registerModule("linear1", Linear(inFeatures: dModel, outFeatures: dimFeedforward, bias: bias, dtype: dtype))
        registerModule("dropout", Dropout(p: dropout))
        registerModule("linear2", Linear(inFeatures: dimFeedforward, outFeatures: dModel, bias: bias, dtype: dtype))
        registerModule("norm1", LayerNorm([dModel], eps: layerNormEps, bias: bias, dtype: dtype))
        registerModule("norm2", LayerNorm([dModel], eps: layerNormEps, bias: bias, dtype: dtype))
        registerModule("dropout1", Dropout(p: dropout))
        registerModule("dropout2", Dropout(p: dropout))
    }

    /// A new layer with the same configuration and a copy of this one's
    /// parameters, as `copy.deepcopy` makes them for `TransformerEncoder`.
    public func copy() -> TransformerEncoderLayer {
        let layer = TransformerEncoderLayer(dModel: dModel, nhead: nhead, dimFeedforward: dimFeedforward, dropout: dropout,
                                            activation: activation, layerNormEps: layerNormEps, batchFirst: batchFirst,
                                            normFirst: normFirst, bias: bias, dtype: selfAttn.outProj.weight.dtype)
        // Same configuration, so the two state lists line up slot for slot.
        for (target, source) in zip(layer.stateSlots(), stateSlots()) {
            GradMode.noGrad { _ = target.tensor.copy_(source.tensor) }
        }
        return layer.train(training)
    }

    public override func forward(_ input: Tensor) -> Tensor { callAsFunction(input, srcKeyPaddingMask: nil) }

    /// - Parameters:
    ///   - srcMask: `[L, L]` or `[N·nhead, L, L]`; `true` or -inf hides a pair.
    ///   - srcKeyPaddingMask: `[N, L]`; `true` or -inf hides a position.
    ///   - isCausal: with no `srcMask`, each position sees only itself and earlier ones.
    public func callAsFunction(_ src: Tensor, srcMask: Tensor? = nil, srcKeyPaddingMask: Tensor? = nil,
                               isCausal: Bool = false) -> Tensor {
        func selfAttention(_ x: Tensor) -> Tensor {
            let out = selfAttn(x, x, x, keyPaddingMask: srcKeyPaddingMask, needWeights: false, attnMask: srcMask,
                               isCausal: isCausal).output
            return child("dropout1")!(out)
        }
        func feedForward(_ x: Tensor) -> Tensor {
            let h = linear1(x)
            let activated = activation == .relu ? h.relu() : h.gelu()
            return child("dropout2")!(linear2(child("dropout")!(activated)))
        }
        if normFirst {
            let x = src + selfAttention(norm1(src))
            return x + feedForward(norm2(x))
        }
        let x = norm1(src + selfAttention(src))
        return norm2(x + feedForward(x))
    }
}

/// A stack of `numLayers` copies of an encoder layer, with an optional final
/// norm, like `torch.nn.TransformerEncoder`. As in PyTorch, every layer starts
/// as a copy of `encoderLayer`.
///
/// ```swift
/// let encoder = TransformerEncoder(TransformerEncoderLayer(dModel: 128, nhead: 4, batchFirst: true), numLayers: 6)
/// let y = encoder(tokens, srcKeyPaddingMask: padding)
/// ```
public final class TransformerEncoder: Module {
    public let layers: ModuleList
    public var norm: Module? { child("norm") }

    public init(_ encoderLayer: TransformerEncoderLayer, numLayers: Int, norm: Module? = nil) {
        precondition(numLayers > 0, "TransformerEncoder: num_layers must be positive, got \(numLayers)")
        layers = ModuleList((0..<numLayers).map { _ in encoderLayer.copy() })
        super.init()
        registerModule("layers", layers)
        if let norm { registerModule("norm", norm) }
    }

    public override func forward(_ input: Tensor) -> Tensor { callAsFunction(input, srcKeyPaddingMask: nil) }

    /// Runs each layer in turn with the same masks, then the final norm.
    public func callAsFunction(_ src: Tensor, mask: Tensor? = nil, srcKeyPaddingMask: Tensor? = nil,
                               isCausal: Bool = false) -> Tensor {
        var x = src
        for case let layer as TransformerEncoderLayer in layers.modules {
            x = layer(x, srcMask: mask, srcKeyPaddingMask: srcKeyPaddingMask, isCausal: isCausal)
        }
        return norm.map { $0(x) } ?? x
    }
}
