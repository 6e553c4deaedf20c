// transformers' BertModel: embeddings, a stack of encoder layers and an
// optional pooler. Loading accepts the bare layout (`embeddings.…`, as
// sentence-transformers ships MiniLM) and the task layout (`bert.embeddings.…`).

import EmberCheckpoint
import EmberCore
import EmberNN
import Foundation

/// BERT's outputs: the last hidden state and, with a pooler, the pooled CLS vector.
public struct BertOutput {
    /// `[B, L, hidden]`.
    public let lastHiddenState: Tensor
    /// `[B, hidden]`, or nil when the model has no pooler.
    public let poolerOutput: Tensor?
}

/// The BERT encoder family (BERT, MiniLM), keyed like transformers' BertModel.
///
/// ```swift
/// let bert = try BertModel(directory: ModelDirectory(url)).eval()
/// let out = bert(TextBatch(try tokenizer.encodeBatch(["Hello world"])))
/// print(out.lastHiddenState.shape)    // [1, 4, 384]
/// ```
public final class BertModel: Module {
    public let config: BertConfig
    let embeddings: BertEmbeddings
    let layers: [BertLayer]
    let pooler: BertPooler?

    public init(_ config: BertConfig, addPoolingLayer: Bool = true) {
        self.config = config
        embeddings = BertEmbeddings(config)
        layers = (0..<config.numHiddenLayers).map { _ in BertLayer(config) }
        pooler = addPoolingLayer ? BertPooler(config) : nil
        super.init()
        registerModule("embeddings", embeddings)
        let encoder = Module()
        encoder.registerModule("layer", ModuleList(layers))
        registerModule("encoder", encoder)
        if let pooler { registerModule("pooler", pooler) }
        BertModel.initializeWeights(self, std: 0.02)
    }

    /// Runs the encoder. `attentionMask` (1 = token, 0 = padding) keeps
    /// padding out of every token's attention.
    public func callAsFunction(inputIds: Tensor, tokenTypeIds: Tensor? = nil, attentionMask: Tensor? = nil) -> BertOutput {
        precondition(inputIds.rank == 2, "BertModel: input ids must be [batch, length], got \(inputIds.shape)")
        let types = tokenTypeIds ?? Tensor.zeros(inputIds.shape, dtype: .int64)
        var hidden = embeddings(inputIds: inputIds, tokenTypeIds: types)
        let mask = attentionMask.map { BertModel.additiveMask($0, dtype: hidden.dtype) }
        for layer in layers { hidden = layer(hidden, mask: mask) }
        return BertOutput(lastHiddenState: hidden, poolerOutput: pooler?(hidden))
    }

    public func callAsFunction(_ batch: TextBatch) -> BertOutput {
        self(inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask)
    }

    /// `[B, L]` 1/0 → `[B, 1, 1, L]` with 0 for tokens and the dtype's lowest
    /// value for padding, as transformers builds it (not -inf, so a fully
    /// padded row stays finite).
    static func additiveMask(_ mask: Tensor, dtype: DType) -> Tensor {
        precondition(mask.rank == 2, "BertModel: attention mask must be [batch, length], got \(mask.shape)")
        let lowest = dtype == .float64 ? -Double.greatestFiniteMagnitude : -Double(Float.greatestFiniteMagnitude)
        return mask.eq(0).to(dtype).mul(lowest).reshape([mask.size(0), 1, 1, mask.size(1)])
    }

    /// transformers' `_init_weights`: normal(0, 0.02) for linear and embedding
    /// weights, zero biases and padding rows, LayerNorm at (1, 0).
    static func initializeWeights(_ root: Module, std: Double) {
        GradMode.noGrad {
            for (_, module) in root.namedModules() {
                if let linear = module as? Linear {
                    Init.normal_(linear.weight, mean: 0, std: std)
                    if let bias = linear.bias { _ = bias.zero_() }
                } else if let embedding = module as? Embedding {
                    Init.normal_(embedding.weight, mean: 0, std: std)
                    if let p = embedding.paddingIdx { _ = embedding.weight.select(dim: 0, index: p).zero_() }
                }
            }
        }
    }
}

extension BertModel {
    /// Builds the model a directory's config.json describes and loads its
    /// weights (`bert.` prefixes stripped; the `position_ids` buffer older
    /// checkpoints carry is ignored).
    public convenience init(directory: ModelDirectory) throws {
        try self.init(BertConfig(directory.config), addPoolingLayer: true)
        let weights = try directory.loadStateDict()
        try loadHFWeights(weights, source: try directory.weightsURL().path)
    }

    /// Loads HF BERT weights; a missing pooler is allowed (sentence-transformers
    /// sometimes drops it) and leaves the pooler's random weights in place.
    public func loadHFWeights(_ weights: StateDict, source: String) throws {
        var pairs: [(String, Tensor)] = []
        let hasPrefix = weights.keys.contains { $0.hasPrefix("bert.") }
        for (key, tensor) in weights {
            var name = key
            if hasPrefix {
                guard key.hasPrefix("bert.") else { continue }   // task heads belong to the wrapper
                name = String(key.dropFirst(5))
            }
            if name.hasSuffix("position_ids") || name.hasSuffix("token_type_ids") { continue }
            pairs.append((name, tensor))
        }
        let result: LoadResult
        do { result = try loadStateDict(StateDict(pairs), strict: false) } catch {
            throw TextModelError.weights(path: source, reason: "\(error)")
        }
        let missing = result.missingKeys.filter { !$0.hasPrefix("pooler.") }
        guard missing.isEmpty, result.unexpectedKeys.isEmpty else {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? " and \(missing.count - 5) more" : "")") }
            if !result.unexpectedKeys.isEmpty { parts.append("unexpected \(result.unexpectedKeys.prefix(5).joined(separator: ", "))") }
            throw TextModelError.weights(path: source, reason: "not BERT weights for this config: " + parts.joined(separator: "; "))
        }
    }
}
