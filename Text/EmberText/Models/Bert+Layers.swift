// The pieces of a BERT encoder, named and nested exactly as transformers'
// modeling_bert.py nests them, so `stateDict()` keys equal Hugging Face's
// (`encoder.layer.0.attention.self.query.weight`, ...).

import EmberCore
import EmberNN

/// Word, position and token-type embeddings, summed, then LayerNorm and dropout.
public final class BertEmbeddings: Module {
    let wordEmbeddings: Embedding, positionEmbeddings: Embedding, tokenTypeEmbeddings: Embedding
    let layerNorm: LayerNorm, dropout: Dropout

    public init(_ config: BertConfig) {
        wordEmbeddings = Embedding(numEmbeddings: config.vocabSize, embeddingDim: config.hiddenSize,
                                   paddingIdx: config.padTokenId)
        positionEmbeddings = Embedding(numEmbeddings: config.maxPositionEmbeddings, embeddingDim: config.hiddenSize)
        tokenTypeEmbeddings = Embedding(numEmbeddings: config.typeVocabSize, embeddingDim: config.hiddenSize)
        layerNorm = LayerNorm([config.hiddenSize], eps: config.layerNormEps)
        dropout = Dropout(p: config.hiddenDropoutProb)
        super.init()
        registerModule("word_embeddings", wordEmbeddings)
        registerModule("position_embeddings", positionEmbeddings)
        registerModule("token_type_embeddings", tokenTypeEmbeddings)
        registerModule("LayerNorm", layerNorm)
        registerModule("dropout", dropout)
    }

    /// `inputIds` and `tokenTypeIds` are int64 `[B, L]`; positions are 0..<L.
    public func callAsFunction(inputIds: Tensor, tokenTypeIds: Tensor) -> Tensor {
        let length = inputIds.size(1)
        precondition(length <= positionEmbeddings.numEmbeddings,
                     "BertEmbeddings: sequence length \(length) exceeds max_position_embeddings \(positionEmbeddings.numEmbeddings)")
        let positions = positionEmbeddings.weight.narrow(dim: 0, start: 0, length: length)
        let sum = wordEmbeddings(inputIds) + tokenTypeEmbeddings(tokenTypeIds) + positions
        return dropout(layerNorm(sum))
    }
}

/// Multi-head self-attention: `query`, `key`, `value` projections.
public final class BertSelfAttention: Module {
    let query: Linear, key: Linear, value: Linear
    let heads: Int, headDim: Int, dropoutP: Double

    public init(_ config: BertConfig) {
        let h = config.hiddenSize
        (query, key, value) = (Linear(inFeatures: h, outFeatures: h), Linear(inFeatures: h, outFeatures: h),
                               Linear(inFeatures: h, outFeatures: h))
        (heads, headDim, dropoutP) = (config.numAttentionHeads, config.headDim, config.attentionProbsDropoutProb)
        super.init()
        registerModule("query", query)
        registerModule("key", key)
        registerModule("value", value)
    }

    /// `hidden [B, L, H]`; `mask` is additive, broadcastable to `[B, heads, L, L]`.
    public func callAsFunction(_ hidden: Tensor, mask: Tensor?) -> Tensor {
        let (b, l) = (hidden.size(0), hidden.size(1))
        func split(_ t: Tensor) -> Tensor { t.reshape([b, l, heads, headDim]).permute(0, 2, 1, 3) }
        let context = Functional.scaledDotProductAttention(split(query(hidden)), split(key(hidden)), split(value(hidden)),
                                                           attnMask: mask, dropoutP: training ? dropoutP : 0)
        return context.permute(0, 2, 1, 3).reshape([b, l, heads * headDim])
    }
}

/// A dense projection, dropout, then LayerNorm of the residual sum; BERT's
/// `attention.output` and `output` blocks share this shape.
public final class BertResidualOutput: Module {
    let dense: Linear, layerNorm: LayerNorm, dropout: Dropout

    public init(inFeatures: Int, _ config: BertConfig) {
        dense = Linear(inFeatures: inFeatures, outFeatures: config.hiddenSize)
        layerNorm = LayerNorm([config.hiddenSize], eps: config.layerNormEps)
        dropout = Dropout(p: config.hiddenDropoutProb)
        super.init()
        registerModule("dense", dense)
        registerModule("LayerNorm", layerNorm)
        registerModule("dropout", dropout)
    }

    public func callAsFunction(_ hidden: Tensor, residual: Tensor) -> Tensor {
        layerNorm(dropout(dense(hidden)) + residual)
    }
}

/// `attention.self` then `attention.output`.
public final class BertAttention: Module {
    let selfAttention: BertSelfAttention, output: BertResidualOutput

    public init(_ config: BertConfig) {
        selfAttention = BertSelfAttention(config)
        output = BertResidualOutput(inFeatures: config.hiddenSize, config)
        super.init()
        registerModule("self", selfAttention)
        registerModule("output", output)
    }

    public func callAsFunction(_ hidden: Tensor, mask: Tensor?) -> Tensor {
        output(selfAttention(hidden, mask: mask), residual: hidden)
    }
}

/// One encoder layer: attention, then the feed-forward block
/// (`intermediate.dense` + activation, `output`).
public final class BertLayer: Module {
    let attention: BertAttention, intermediate: Sequential, output: BertResidualOutput
    let activation: BertConfig.Activation

    public init(_ config: BertConfig) {
        attention = BertAttention(config)
        intermediate = Sequential(named: [("dense", Linear(inFeatures: config.hiddenSize, outFeatures: config.intermediateSize))])
        output = BertResidualOutput(inFeatures: config.intermediateSize, config)
        activation = config.hiddenAct
        super.init()
        registerModule("attention", attention)
        registerModule("intermediate", intermediate)
        registerModule("output", output)
    }

    public func callAsFunction(_ hidden: Tensor, mask: Tensor?) -> Tensor {
        let attended = attention(hidden, mask: mask)
        let projected = intermediate(attended)
        let activated = switch activation {
        case .gelu: projected.gelu()
        case .geluNew, .geluPytorchTanh: projected.gelu(approximate: .tanh)
        case .relu: projected.relu()
        }
        return output(activated, residual: attended)
    }
}

/// BERT's pooler: `tanh(dense(hidden[:, 0]))`.
public final class BertPooler: Module {
    let dense: Linear

    public init(_ config: BertConfig) {
        dense = Linear(inFeatures: config.hiddenSize, outFeatures: config.hiddenSize)
        super.init()
        registerModule("dense", dense)
    }

    public override func forward(_ hidden: Tensor) -> Tensor {
        dense(hidden.select(dim: 1, index: 0)).tanh()
    }
}
