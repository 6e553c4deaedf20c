// sentence-transformers' pipeline for MiniLM-style models: tokenize with the
// model's tokenizer (truncated to max_seq_length, padded per batch), BERT,
// mean pooling over real tokens, then L2 normalization when modules.json
// lists a Normalize module.

import EmberCore
import EmberNN
import EmberTokenizers
import Foundation

extension Functional {
    /// The mean of `hidden [B, L, H]` over the tokens whose `mask [B, L]` is 1,
    /// as sentence-transformers' Pooling(mean) computes it (count clamped at 1e-9).
    ///
    /// ```swift
    /// let sentence = Functional.meanPooling(out.lastHiddenState, mask: batch.attentionMask)   // [B, H]
    /// ```
    public static func meanPooling(_ hidden: Tensor, mask: Tensor) -> Tensor {
        precondition(hidden.rank == 3 && mask.shape == Array(hidden.shape.prefix(2)),
                     "meanPooling: hidden \(hidden.shape) needs a [batch, length] mask, got \(mask.shape)")
        let weights = mask.to(hidden.dtype).unsqueeze(-1)
        let summed = (hidden * weights).sum(dim: 1)
        return summed / weights.sum(dim: 1).clamp(min: 1e-9)
    }
}

/// Sentence embeddings from a sentence-transformers directory (all-MiniLM-L6-v2).
///
/// ```swift
/// let encoder = try SentenceEncoder(directory: URL(fileURLWithPath: "all-MiniLM-L6-v2"))
/// let vectors = try encoder.encode(["A man is eating food.", "A man rides a horse."])   // [2, 384]
/// ```
public final class SentenceEncoder {
    public let tokenizer: Tokenizer
    public let model: BertModel
    /// Tokens beyond this are cut (sentence_bert_config.json's max_seq_length).
    public let maxSequenceLength: Int
    /// Whether vectors are scaled to unit length (a Normalize module in modules.json).
    public let normalize: Bool

    public init(tokenizer: Tokenizer, model: BertModel, maxSequenceLength: Int, normalize: Bool) {
        var tokenizer = tokenizer
        // sentence-transformers overrides the file's fixed padding and truncation.
        tokenizer.padding = nil
        tokenizer.truncation = Truncation(maxLength: maxSequenceLength)
        self.tokenizer = tokenizer
        self.model = model.eval()
        self.maxSequenceLength = maxSequenceLength
        self.normalize = normalize
    }

    public convenience init(directory url: URL) throws {
        let directory = try ModelDirectory(url)
        let model = try BertModel(directory: directory)
        var maxLength = model.config.maxPositionEmbeddings
        let sentenceConfig = url.appendingPathComponent("sentence_bert_config.json")
        if FileManager.default.fileExists(atPath: sentenceConfig.path) {
            maxLength = try HFConfig(contentsOf: sentenceConfig)
                .int("max_seq_length", default: maxLength, range: 1...model.config.maxPositionEmbeddings)
        }
        var normalize = false
        let modules = url.appendingPathComponent("modules.json")
        if let data = try? Data(contentsOf: modules) {
            guard let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
                throw TextModelError.invalidJSON(path: modules.path, reason: "expected an array of module objects")
            }
            normalize = list.contains { ($0["type"] as? String)?.hasSuffix("Normalize") == true }
        }
        try self.init(tokenizer: directory.loadTokenizer(), model: model, maxSequenceLength: maxLength, normalize: normalize)
    }

    /// Embeds `texts` in batches of `batchSize`, longest first to pad little;
    /// rows come back in input order. `[texts.count, hidden]`.
    public func encode(_ texts: [String], batchSize: Int = 32) throws -> Tensor {
        precondition(batchSize > 0, "SentenceEncoder.encode: batch size must be positive, got \(batchSize)")
        guard !texts.isEmpty else { return Tensor.zeros([0, model.config.hiddenSize]) }
        let encodings = try tokenizer.encodeBatch(texts)
        let order = encodings.indices.sorted { encodings[$0].count > encodings[$1].count }
        var rows = [Tensor?](repeating: nil, count: texts.count)
        try GradMode.noGrad {
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let chunk = Array(order[start..<min(start + batchSize, order.count)])
                let batch = TextBatch(chunk.map { encodings[$0] }, padId: model.config.padTokenId)
                var pooled = Functional.meanPooling(model(batch).lastHiddenState, mask: batch.attentionMask)
                if normalize { pooled = Functional.normalize(pooled, dim: 1) }
                for (row, index) in chunk.enumerated() { rows[index] = pooled.select(dim: 0, index: row) }
                try Task.checkCancellation()
            }
        }
        return Tensor.stack(rows.map { $0! }, dim: 0)
    }
}
