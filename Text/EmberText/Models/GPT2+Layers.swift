// GPT-2's blocks under transformers' names (modeling_gpt2.py): Conv1D,
// GPT2Attention, GPT2MLP, GPT2Block. Conv1D keeps its weight [in, out], as
// the checkpoints store it, so loading needs no transposes and a product is
// x · W with the weight read in place.

import EmberCore
import EmberNN

/// transformers' `Conv1D`: a linear layer whose weight is stored `[in, out]`.
///
/// ```swift
/// let fc = Conv1D(nf: 3072, nx: 768)   // weight [768, 3072], bias [3072]
/// let y = fc(x)                        // [..., 768] → [..., 3072]
/// ```
public final class Conv1D: Module {
    public let nf: Int, nx: Int
    public var weight: Tensor { parameter("weight")! }
    public var bias: Tensor { parameter("bias")! }

    /// `nf` outputs from `nx` inputs, initialized as transformers does
    /// (normal with std 0.02 by default, zero bias).
    public init(nf: Int, nx: Int, std: Double = 0.02, dtype: DType = .float32) {
        (self.nf, self.nx) = (nf, nx)
        super.init()
        registerParameter("weight", Init.normal_(Tensor.empty([nx, nf], dtype: dtype), std: std))
        registerParameter("bias", Tensor.zeros([nf], dtype: dtype))
    }

    public override func forward(_ input: Tensor) -> Tensor {
        let rows = input.reshape([-1, nx])
        return bias.addmm(rows, weight).reshape(Array(input.shape.dropLast()) + [nf])
    }
}

/// Causal multi-head self-attention with fused q/k/v (`c_attn`) and an
/// output projection (`c_proj`).
public final class GPT2Attention: Module {
    public let config: GPT2Config
    public let layerIdx: Int
    let scaling: Double
    var cAttn: Conv1D { child("c_attn") as! Conv1D }
    var cProj: Conv1D { child("c_proj") as! Conv1D }

    public init(config: GPT2Config, layerIdx: Int) {
        (self.config, self.layerIdx) = (config, layerIdx)
        var scaling = config.scaleAttnWeights ? 1 / Double(config.headDim).squareRoot() : 1
        if config.scaleAttnByInverseLayerIdx { scaling /= Double(layerIdx + 1) }
        self.scaling = scaling
        super.init()
        registerModule("c_attn", Conv1D(nf: 3 * config.nEmbd, nx: config.nEmbd, std: config.initializerRange))
        registerModule("c_proj", Conv1D(nf: config.nEmbd, nx: config.nEmbd, std: config.residualProjectionStd))
        registerModule("attn_dropout", Dropout(p: config.attnPdrop))
        registerModule("resid_dropout", Dropout(p: config.residPdrop))
    }

    /// `[batch, t, nEmbd]` → `[batch, t, nEmbd]`; with a cache, the new
    /// positions attend to the cached ones too.
    public func forward(_ hidden: Tensor, cache: KVCache?) -> Tensor {
        let (batch, t) = (hidden.size(0), hidden.size(1))
        let (heads, headDim) = (config.nHead, config.headDim)
        let qkv = cAttn(hidden).split(config.nEmbd, dim: 2)
        func headsFirst(_ x: Tensor) -> Tensor { x.view([batch, t, heads, headDim]).transpose(1, 2) }
        let q = headsFirst(qkv[0])
        var (k, v) = (headsFirst(qkv[1]), headsFirst(qkv[2]))
        let past = cache?.length ?? 0
        if let cache { (k, v) = cache.update(layer: layerIdx, key: k, value: v) }
        // One new position may see every stored one: no mask to build. Several
        // see the past and their own prefix (the causal mask shifted by `past`).
        let mask = t > 1 ? Tensor.ones([t, past + t], dtype: .bool).tril(diagonal: past) : nil
        let dropout = child("attn_dropout") as! Dropout
        let out = training && dropout.p > 0
            ? attentionWithDropout(q, k, v, mask: mask, dropout: dropout)
            : Functional.scaledDotProductAttention(q, k, v, attnMask: mask, scale: scaling)
        let merged = out.transpose(1, 2).reshape([batch, t, config.nEmbd])
        return child("resid_dropout")!(cProj(merged))
    }

    /// transformers drops attention weights, which SDPA's composition hides.
    private func attentionWithDropout(_ q: Tensor, _ k: Tensor, _ v: Tensor, mask: Tensor?, dropout: Dropout) -> Tensor {
        var scores = q.matmul(k.transpose(-2, -1)).mul(scaling)
        if let mask { scores = scores.maskedFill(mask.logicalNot(), -.infinity) }
        return dropout(scores.softmax(dim: -1)).matmul(v)
    }

    public override func forward(_ input: Tensor) -> Tensor { forward(input, cache: nil) }
}

/// The feed-forward half of a block: `c_proj(act(c_fc(x)))`.
public final class GPT2MLP: Module {
    public let activation: GPT2Config.Activation

    public init(config: GPT2Config) {
        activation = config.activation
        super.init()
        registerModule("c_fc", Conv1D(nf: config.innerDim, nx: config.nEmbd, std: config.initializerRange))
        registerModule("c_proj", Conv1D(nf: config.nEmbd, nx: config.innerDim, std: config.residualProjectionStd))
        registerModule("dropout", Dropout(p: config.residPdrop))
    }

    public override func forward(_ input: Tensor) -> Tensor {
        child("dropout")!(child("c_proj")!(activation.apply(child("c_fc")!(input))))
    }
}

/// One pre-norm transformer block: `x + attn(ln_1(x))`, then `+ mlp(ln_2(·))`.
public final class GPT2Block: Module {
    public let layerIdx: Int
    var ln1: LayerNorm { child("ln_1") as! LayerNorm }
    var attn: GPT2Attention { child("attn") as! GPT2Attention }
    var ln2: LayerNorm { child("ln_2") as! LayerNorm }

    public init(config: GPT2Config, layerIdx: Int) {
        self.layerIdx = layerIdx
        super.init()
        registerModule("ln_1", LayerNorm([config.nEmbd], eps: config.layerNormEpsilon))
        registerModule("attn", GPT2Attention(config: config, layerIdx: layerIdx))
        registerModule("ln_2", LayerNorm([config.nEmbd], eps: config.layerNormEpsilon))
        registerModule("mlp", GPT2MLP(config: config))
    }

    public func forward(_ hidden: Tensor, cache: KVCache?) -> Tensor {
        let h = hidden + attn.forward(ln1(hidden), cache: cache)
        return h + child("mlp")!(ln2(h))
    }

    public override func forward(_ input: Tensor) -> Tensor { forward(input, cache: nil) }
}
