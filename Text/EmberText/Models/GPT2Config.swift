// GPT-2's config.json keys, read with transformers' defaults (GPT2Config)
// and bounded, so a hostile or corrupt config can't size a huge model
// before the weights file is even looked at.

import EmberCore

/// The hyperparameters of a GPT-2 model, under Hugging Face's config keys.
///
/// ```swift
/// let config = try GPT2Config(HFConfig(contentsOf: dir.appendingPathComponent("config.json")))
/// let model = GPT2LMHeadModel(config: config)
/// ```
public struct GPT2Config: Sendable, Equatable {
    /// The MLP's activation, transformers' `activation_function` names.
    public enum Activation: String, Sendable, CaseIterable {
        case geluNew = "gelu_new", geluPytorchTanh = "gelu_pytorch_tanh", gelu, relu, silu, swish, tanh
    }

    public var vocabSize: Int
    public var nPositions: Int
    public var nEmbd: Int
    public var nLayer: Int
    public var nHead: Int
    /// The MLP's hidden width; nil means 4 × nEmbd.
    public var nInner: Int?
    public var activation: Activation
    public var layerNormEpsilon: Double
    public var bosTokenId: Int?
    public var eosTokenId: Int?
    public var tieWordEmbeddings: Bool
    public var scaleAttnWeights: Bool
    public var scaleAttnByInverseLayerIdx: Bool
    /// Dropout probabilities (training only): embeddings, residual branches, attention weights.
    public var embdPdrop = 0.1, residPdrop = 0.1, attnPdrop = 0.1
    /// The standard deviation of freshly initialized weights.
    public var initializerRange = 0.02

    /// GPT-2 small's shape unless overridden.
    public init(vocabSize: Int = 50257, nPositions: Int = 1024, nEmbd: Int = 768, nLayer: Int = 12, nHead: Int = 12,
                nInner: Int? = nil, activation: Activation = .geluNew, layerNormEpsilon: Double = 1e-5,
                bosTokenId: Int? = 50256, eosTokenId: Int? = 50256, tieWordEmbeddings: Bool = true,
                scaleAttnWeights: Bool = true, scaleAttnByInverseLayerIdx: Bool = false) {
        precondition(nHead > 0 && nEmbd % nHead == 0, "GPT2Config: n_embd \(nEmbd) must be divisible by n_head \(nHead)")
        (self.vocabSize, self.nPositions, self.nEmbd, self.nLayer, self.nHead) = (vocabSize, nPositions, nEmbd, nLayer, nHead)
        (self.nInner, self.activation, self.layerNormEpsilon) = (nInner, activation, layerNormEpsilon)
        (self.bosTokenId, self.eosTokenId, self.tieWordEmbeddings) = (bosTokenId, eosTokenId, tieWordEmbeddings)
        (self.scaleAttnWeights, self.scaleAttnByInverseLayerIdx) = (scaleAttnWeights, scaleAttnByInverseLayerIdx)
    }

    /// Reads `config` with transformers' defaults. Sizes are bounded (the
    /// largest GPT-2 is 1600 wide with 48 layers) and checked against each
    /// other; anything out of range is an error naming the key.
    public init(_ config: HFConfig) throws(TextModelError) {
        let type = config.modelType
        guard type.isEmpty || type == "gpt2" else { throw .unsupportedModel(path: config.path, modelType: type) }
        let nEmbd = try config.int("n_embd", default: 768, range: 1...16384)
        let nHead = try config.int("n_head", default: 12, range: 1...1024)
        guard nEmbd % nHead == 0 else {
            throw .invalidConfig(path: config.path, key: "n_head", reason: "n_embd \(nEmbd) is not divisible by n_head \(nHead)")
        }
        let vocab = try config.int("vocab_size", default: 50257, range: 1...1_048_576)
        let positions = try config.int("n_positions", default: 1024, range: 1...131_072)
        let layers = try config.int("n_layer", default: 12, range: 1...256)
        let inner = try config.optionalInt("n_inner", range: 1...65536)
        let name = try config.string("activation_function", default: "gelu_new")
        guard let activation = Activation(rawValue: name) else {
            throw .invalidConfig(path: config.path, key: "activation_function",
                                 reason: "\"\(name)\" is not one of \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if try config.bool("add_cross_attention", default: false) {
            throw .invalidConfig(path: config.path, key: "add_cross_attention", reason: "cross-attention is not supported")
        }
        // Bounding each key alone still allows a terabyte of weights: bound the product too.
        let perLayer = 4 * nEmbd * nEmbd + 2 * nEmbd * (inner ?? 4 * nEmbd)
        let total = (vocab + positions) * nEmbd + layers * perLayer
        guard total <= 8_000_000_000 else {
            throw .invalidConfig(path: config.path, key: "n_embd",
                                 reason: "the model would have \(total) parameters (more than 8e9)")
        }
        self.init(vocabSize: vocab, nPositions: positions, nEmbd: nEmbd, nLayer: layers, nHead: nHead, nInner: inner,
                  activation: activation,
                  layerNormEpsilon: try config.double("layer_norm_epsilon", default: 1e-5, range: 0...1),
                  bosTokenId: try config.optionalInt("bos_token_id", range: 0...(vocab - 1)),
                  eosTokenId: try Self.eos(config, vocab: vocab),
                  tieWordEmbeddings: try config.bool("tie_word_embeddings", default: true),
                  scaleAttnWeights: try config.bool("scale_attn_weights", default: true),
                  scaleAttnByInverseLayerIdx: try config.bool("scale_attn_by_inverse_layer_idx", default: false))
        embdPdrop = try config.double("embd_pdrop", default: 0.1, range: 0...1)
        residPdrop = try config.double("resid_pdrop", default: 0.1, range: 0...1)
        attnPdrop = try config.double("attn_pdrop", default: 0.1, range: 0...1)
        initializerRange = try config.double("initializer_range", default: 0.02, range: 0...100)
    }

    /// `eos_token_id` may be a list in newer configs; generation stops at the first.
    private static func eos(_ config: HFConfig, vocab: Int) throws(TextModelError) -> Int? {
        if let list = config.values["eos_token_id"] as? [Any] {
            guard let first = list.first else { return nil }
            return try HFConfig(values: ["eos_token_id": first], path: config.path).int("eos_token_id", range: 0...(vocab - 1))
        }
        return try config.optionalInt("eos_token_id", range: 0...(vocab - 1))
    }

    /// The MLP's hidden width.
    public var innerDim: Int { nInner ?? 4 * nEmbd }
    /// Each attention head's width.
    public var headDim: Int { nEmbd / nHead }
    /// transformers shrinks the init of the projections that feed the residual
    /// stream by √(2 · n_layer), so the stream's variance doesn't grow with depth.
    public var residualProjectionStd: Double { initializerRange / (2 * Double(nLayer)).squareRoot() }
}

extension GPT2Config.Activation {
    /// Applies the activation, as transformers' ACT2FN does.
    func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .geluNew, .geluPytorchTanh: x.gelu(approximate: .tanh)
        case .gelu: x.gelu()
        case .relu: x.relu()
        case .silu, .swish: x.silu()
        case .tanh: x.tanh()
        }
    }
}
