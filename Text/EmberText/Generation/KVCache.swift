// Keys and values of the positions a decoder has already seen, so each
// generation step runs the model on the new token only. Buffers are sized
// once for the whole generation and written in place: growing them with a
// concatenation per step would copy the whole cache every token.

import EmberCore

/// Per-layer key and value buffers `[batch, heads, capacity, headDim]`, and
/// how many positions of them are filled.
///
/// Inference only: writes bypass autograd.
///
/// ```swift
/// let cache = model.makeCache(batchSize: 1, capacity: 64)
/// let first = model.logits(prompt, cache: cache)       // fills positions 0..<prompt length
/// let next = model.logits(Tensor([[Int64(42)]]), cache: cache)   // one more position
/// ```
public final class KVCache {
    /// Positions already stored (the next token's position).
    public private(set) var length = 0
    /// Positions the buffers hold.
    public let capacity: Int
    private let keys: [Tensor]
    private let values: [Tensor]

    public init(layers: Int, batchSize: Int, heads: Int, capacity: Int, headDim: Int, dtype: DType = .float32) {
        precondition(layers > 0 && batchSize > 0 && heads > 0 && capacity > 0 && headDim > 0,
                     "KVCache: sizes must be positive, got \(layers) layers, batch \(batchSize), \(heads) heads, capacity \(capacity), head dim \(headDim)")
        self.capacity = capacity
        let shape = [batchSize, heads, capacity, headDim]
        keys = (0..<layers).map { _ in Tensor.zeros(shape, dtype: dtype) }
        values = (0..<layers).map { _ in Tensor.zeros(shape, dtype: dtype) }
    }

    public var layerCount: Int { keys.count }

    /// Stores `key` and `value` (`[batch, heads, t, headDim]`) of layer `layer`
    /// at positions `length..<length + t` and returns every stored position of
    /// that layer, `[batch, heads, length + t, headDim]` views of the buffers.
    /// `length` moves on only at `advance(by:)`, after the last layer.
    public func update(layer: Int, key: Tensor, value: Tensor) -> (keys: Tensor, values: Tensor) {
        let t = key.size(2)
        precondition(length + t <= capacity,
                     "KVCache: \(length) cached + \(t) new positions exceed the capacity \(capacity)")
        GradMode.noGrad {
            keys[layer].narrow(dim: 2, start: length, length: t).copy_(key)
            values[layer].narrow(dim: 2, start: length, length: t).copy_(value)
        }
        return (keys[layer].narrow(dim: 2, start: 0, length: length + t),
                values[layer].narrow(dim: 2, start: 0, length: length + t))
    }

    /// Marks `count` more positions as stored, once every layer has written them.
    public func advance(by count: Int) {
        precondition(count >= 0 && length + count <= capacity, "KVCache: cannot advance \(length) by \(count) within \(capacity)")
        length += count
    }

    /// Forgets every position, keeping the buffers for another generation.
    public func reset() { length = 0 }
}

/// A decoder that maps token ids to next-token logits, optionally through a
/// `KVCache`: what `TextGeneration` needs of a model.
///
/// ```swift
/// let model: any CausalLanguageModel = try GPT2LMHeadModel.load(ModelDirectory(url))
/// let logits = model.logits(Tensor([[Int64(464), 3290]]), cache: nil)   // [1, 2, vocab]
/// ```
public protocol CausalLanguageModel: AnyObject {
    /// The longest sequence the model has positions for.
    var maxPositions: Int { get }
    /// The vocabulary size (the logits' last dim).
    var vocabSize: Int { get }
    /// The token that ends a sequence, if the model has one.
    var eosTokenId: Int? { get }
    /// An empty cache for `batchSize` sequences of up to `capacity` tokens.
    func makeCache(batchSize: Int, capacity: Int) -> KVCache
    /// Logits `[batch, t, vocab]` for `inputIds` `[batch, t]` (int64) placed
    /// after the cache's positions; the cache then holds them too.
    func logits(_ inputIds: Tensor, cache: KVCache?) -> Tensor
    /// Like `logits`, but only the last position's, `[batch, vocab]`.
    func nextTokenLogits(_ inputIds: Tensor, cache: KVCache?) -> Tensor
}
