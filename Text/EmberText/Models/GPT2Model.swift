// GPT2Model (embeddings, blocks, final norm) and GPT2LMHeadModel (the
// model plus a head that scores the vocabulary), with transformers'
// state-dict keys: `transformer.wte.weight`, `transformer.h.0.attn.c_attn.weight`...
// The head is tied to `wte`, as in every published GPT-2: it reads the
// embedding matrix in place rather than holding a copy, so the saved state
// dict has no `lm_head.weight`, as `save_pretrained` writes it.

import EmberCore
import EmberNN

/// GPT-2's decoder stack without a head: hidden states `[batch, t, nEmbd]`.
///
/// ```swift
/// let body = GPT2Model(config: GPT2Config(vocabSize: 100, nEmbd: 32, nLayer: 2, nHead: 4))
/// let hidden = body(Tensor([[Int64(1), 2, 3]]))   // [1, 3, 32]
/// ```
public final class GPT2Model: Module {
    public let config: GPT2Config
    public var wte: Embedding { child("wte") as! Embedding }
    public var wpe: Embedding { child("wpe") as! Embedding }
    let blocks: [GPT2Block]

    public init(config: GPT2Config) {
        self.config = config
        blocks = (0..<config.nLayer).map { GPT2Block(config: config, layerIdx: $0) }
        super.init()
        let (wte, wpe) = (Embedding(numEmbeddings: config.vocabSize, embeddingDim: config.nEmbd),
                          Embedding(numEmbeddings: config.nPositions, embeddingDim: config.nEmbd))
        // transformers' init (std 0.02), not nn.Embedding's N(0, 1).
        GradMode.noGrad { for e in [wte, wpe] { Init.normal_(e.weight, std: config.initializerRange) } }
        registerModule("wte", wte)
        registerModule("wpe", wpe)
        registerModule("drop", Dropout(p: config.embdPdrop))
        registerModule("h", ModuleList(blocks))
        registerModule("ln_f", LayerNorm([config.nEmbd], eps: config.layerNormEpsilon))
    }

    /// Hidden states for `inputIds` `[batch, t]`, placed after the cache's
    /// positions (the cache then holds these too).
    public func forward(_ inputIds: Tensor, cache: KVCache?) -> Tensor {
        precondition(inputIds.rank == 2 && inputIds.dtype.isIntegral,
                     "GPT2Model: expected integer input ids [batch, t], got \(inputIds.dtype) \(inputIds.shape)")
        let past = cache?.length ?? 0, t = inputIds.size(1)
        precondition(past + t <= config.nPositions,
                     "GPT2Model: \(past + t) positions exceed n_positions \(config.nPositions)")
        let positions = Tensor.arange(Double(past), Double(past + t), dtype: .int64)
        var hidden = wte(inputIds) + wpe(positions)
        hidden = child("drop")!(hidden)
        for block in blocks { hidden = block.forward(hidden, cache: cache) }
        cache?.advance(by: t)
        return child("ln_f")!(hidden)
    }

    public override func forward(_ input: Tensor) -> Tensor { forward(input, cache: nil) }
}

/// GPT-2 with its language-modeling head, like transformers' `GPT2LMHeadModel`.
///
/// ```swift
/// let model = try GPT2LMHeadModel.load(ModelDirectory(URL(fileURLWithPath: "gpt2")))
/// let logits = GradMode.noGrad { model(Tensor([[Int64(464), 3290]])) }   // [1, 2, 50257]
/// ```
public final class GPT2LMHeadModel: Module, CausalLanguageModel {
    public let config: GPT2Config
    public var transformer: GPT2Model { child("transformer") as! GPT2Model }

    public init(config: GPT2Config) {
        self.config = config
        super.init()
        registerModule("transformer", GPT2Model(config: config))
        if !config.tieWordEmbeddings {
            let head = Linear(inFeatures: config.nEmbd, outFeatures: config.vocabSize, bias: false)
            GradMode.noGrad { _ = Init.normal_(head.weight, std: config.initializerRange) }
            registerModule("lm_head", head)
        }
    }

    /// The head's weight `[vocab, nEmbd]`: the token embeddings when tied.
    public var lmHeadWeight: Tensor {
        (child("lm_head") as? Linear)?.weight ?? transformer.wte.weight
    }

    public var maxPositions: Int { config.nPositions }
    public var vocabSize: Int { config.vocabSize }
    public var eosTokenId: Int? { config.eosTokenId }

    public func makeCache(batchSize: Int, capacity: Int) -> KVCache {
        KVCache(layers: config.nLayer, batchSize: batchSize, heads: config.nHead,
                capacity: Swift.min(capacity, config.nPositions), headDim: config.headDim,
                dtype: transformer.wte.weight.dtype)
    }

    /// Logits `[batch, t, vocab]` for `inputIds` `[batch, t]`.
    public func logits(_ inputIds: Tensor, cache: KVCache?) -> Tensor {
        let hidden = transformer.forward(inputIds, cache: cache)
        // hidden · Wᵀ with W [vocab, nEmbd] row-major: the transposed view goes
        // to the GEMM as a transposed operand, never copied.
        return hidden.matmul(lmHeadWeight.t())
    }

    /// Logits `[batch, vocab]` of the last position only: the head's product
    /// for one row instead of `t`, as generation needs.
    public func nextTokenLogits(_ inputIds: Tensor, cache: KVCache?) -> Tensor {
        let hidden = transformer.forward(inputIds, cache: cache)
        return hidden.select(dim: 1, index: hidden.size(1) - 1).matmul(lmHeadWeight.t())
    }

    public override func forward(_ input: Tensor) -> Tensor { logits(input, cache: nil) }
}
