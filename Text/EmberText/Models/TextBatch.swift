// Tokenizer output as the int64 tensors a model takes, padded to the longest
// sequence in the batch (HF's `padding=True`), with the attention mask
// marking real tokens.

import EmberCore
import EmberTokenizers

/// `input_ids`, `token_type_ids` and `attention_mask` for a batch of encodings.
///
/// ```swift
/// let batch = TextBatch(try tokenizer.encodeBatch(["a cat", "a dog sat"]))
/// let out = bert(batch)        // last hidden state [2, L, hidden]
/// ```
public struct TextBatch {
    public let inputIds: Tensor
    public let tokenTypeIds: Tensor
    public let attentionMask: Tensor

    public init(inputIds: Tensor, tokenTypeIds: Tensor? = nil, attentionMask: Tensor? = nil) {
        precondition(inputIds.rank == 2, "TextBatch: input ids must be [batch, length], got \(inputIds.shape)")
        self.inputIds = inputIds
        self.tokenTypeIds = tokenTypeIds ?? Tensor.zeros(inputIds.shape, dtype: .int64)
        self.attentionMask = attentionMask ?? Tensor.ones(inputIds.shape, dtype: .int64)
        precondition(self.tokenTypeIds.shape == inputIds.shape && self.attentionMask.shape == inputIds.shape,
                     "TextBatch: token type ids \(self.tokenTypeIds.shape) and attention mask \(self.attentionMask.shape) must match input ids \(inputIds.shape)")
    }

    /// Pads shorter encodings on the right with `padId` (mask 0).
    public init(_ encodings: [Encoding], padId: Int = 0) {
        precondition(!encodings.isEmpty, "TextBatch: no encodings")
        let length = max(encodings.map(\.count).max() ?? 0, 1)
        var ids = [Int64](repeating: Int64(padId), count: encodings.count * length)
        var types = [Int64](repeating: 0, count: ids.count), mask = [Int64](repeating: 0, count: ids.count)
        for (row, encoding) in encodings.enumerated() {
            for column in 0..<min(length, encoding.count) {
                ids[row * length + column] = Int64(encoding.ids[column])
                types[row * length + column] = Int64(encoding.typeIds[column])
                mask[row * length + column] = Int64(encoding.attentionMask[column])
            }
        }
        let shape = [encodings.count, length]
        self.init(inputIds: Tensor(ids, shape: shape), tokenTypeIds: Tensor(types, shape: shape),
                  attentionMask: Tensor(mask, shape: shape))
    }

    public var batchSize: Int { inputIds.size(0) }
    public var length: Int { inputIds.size(1) }
}
