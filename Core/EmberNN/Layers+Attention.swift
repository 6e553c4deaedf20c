// MultiheadAttention with PyTorch's packed in-projection, masks and
// state-dict names (`in_proj_weight`, `out_proj.weight`, ...).

import EmberCore

extension Functional {
    /// `x · weightᵀ + bias`, like `torch.nn.functional.linear`.
    ///
    /// ```swift
    /// let y = Functional.linear(x, weight: w, bias: b)   // [..., out]
    /// ```
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        let y = x.matmul(weight.t())
        return bias.map { y + $0 } ?? y
    }
}

/// Multi-head attention, like `torch.nn.MultiheadAttention`.
///
/// Inputs are `[L, N, E]` (or `[N, L, E]` with `batchFirst`, or unbatched `[L, E]`).
/// As in PyTorch, a bool `attnMask` or `keyPaddingMask` marks with `true` the
/// positions that may *not* be attended to; float masks are added to the scores.
///
/// ```swift
/// let mha = MultiheadAttention(embedDim: 64, numHeads: 4, batchFirst: true)
/// let (out, weights) = mha(x, x, x, keyPaddingMask: padding)   // [N, L, 64], [N, L, L]
/// ```
public final class MultiheadAttention: Module {
    public let embedDim: Int, numHeads: Int, dropout: Double, batchFirst: Bool
    public let kdim: Int, vdim: Int
    var packed: Bool { kdim == embedDim && vdim == embedDim }
    public var outProj: Linear { child("out_proj") as! Linear }

    public init(embedDim: Int, numHeads: Int, dropout: Double = 0, bias: Bool = true, kdim: Int? = nil, vdim: Int? = nil,
                batchFirst: Bool = false, dtype: DType = .float32) {
        precondition(numHeads > 0 && embedDim % numHeads == 0,
                     "MultiheadAttention: embed_dim \(embedDim) must be divisible by num_heads \(numHeads)")
        (self.embedDim, self.numHeads, self.dropout, self.batchFirst) = (embedDim, numHeads, dropout, batchFirst)
        (self.kdim, self.vdim) = (kdim ?? embedDim, vdim ?? embedDim)
        super.init()
        if packed {
            registerParameter("in_proj_weight", Init.xavierUniform_(Tensor.empty([3 * embedDim, embedDim], dtype: dtype)))
        } else {
            registerParameter("q_proj_weight", Init.xavierUniform_(Tensor.empty([embedDim, embedDim], dtype: dtype)))
            registerParameter("k_proj_weight", Init.xavierUniform_(Tensor.empty([embedDim, self.kdim], dtype: dtype)))
            registerParameter("v_proj_weight", Init.xavierUniform_(Tensor.empty([embedDim, self.vdim], dtype: dtype)))
        }
        registerParameter("in_proj_bias", bias ? Tensor.zeros([3 * embedDim], dtype: dtype) : nil)
        let out = Linear(inFeatures: embedDim, outFeatures: embedDim, bias: bias, dtype: dtype)
        if let b = out.bias { GradMode.noGrad { _ = b.zero_() } }
        registerModule("out_proj", out)
    }

    /// The projection weight and bias of part `i` (0 query, 1 key, 2 value).
    private func projection(_ i: Int) -> (Tensor, Tensor?) {
        let bias = parameter("in_proj_bias")?.narrow(dim: 0, start: i * embedDim, length: embedDim)
        if packed { return (parameter("in_proj_weight")!.narrow(dim: 0, start: i * embedDim, length: embedDim), bias) }
        return (parameter(["q_proj_weight", "k_proj_weight", "v_proj_weight"][i])!, bias)
    }

    /// Self-attention with no masks; returns only the output.
    public override func forward(_ input: Tensor) -> Tensor {
        callAsFunction(input, input, input, needWeights: false).output
    }

    /// Attends from `query` to `key`/`value`.
    ///
    /// - Parameters:
    ///   - keyPaddingMask: `[N, S]` (or `[S]` unbatched); `true` or -inf hides a key.
    ///   - attnMask: `[L, S]` or `[N·numHeads, L, S]`; `true` or -inf hides a pair.
    ///   - isCausal: with no `attnMask`, hides every key after the query's position.
    /// - Returns: the output, and when `needWeights` the attention weights
    ///   `[N, L, S]` (averaged over heads) or `[N, numHeads, L, S]`.
    public func callAsFunction(_ query: Tensor, _ key: Tensor, _ value: Tensor, keyPaddingMask: Tensor? = nil,
                               needWeights: Bool = true, attnMask: Tensor? = nil, averageAttnWeights: Bool = true,
                               isCausal: Bool = false) -> (output: Tensor, weights: Tensor?) {
        let batched = query.rank == 3
        precondition((batched && key.rank == 3 && value.rank == 3) || (query.rank == 2 && key.rank == 2 && value.rank == 2),
                     "MultiheadAttention: query, key and value must all be 3-D (batched) or 2-D, got \(query.shape), \(key.shape), \(value.shape)")
        // Work batch-first: [N, L, E].
        func batchFirstView(_ t: Tensor) -> Tensor { !batched ? t.unsqueeze(0) : (batchFirst ? t : t.transpose(0, 1)) }
        let (q0, k0, v0) = (batchFirstView(query), batchFirstView(key), batchFirstView(value))
        let (n, l, s) = (q0.shape[0], q0.shape[1], k0.shape[1])
        precondition(q0.shape[2] == embedDim && k0.shape[2] == kdim && v0.shape[2] == vdim && v0.shape[1] == s && k0.shape[0] == n,
                     "MultiheadAttention: expected query [.., \(embedDim)], key [.., \(kdim)] and value [.., \(vdim)] with matching batch and source lengths, got \(query.shape), \(key.shape), \(value.shape)")
        let heads = numHeads, headDim = embedDim / numHeads
        func split(_ t: Tensor, _ part: Int, length: Int) -> Tensor {
            let (w, b) = projection(part)
            return Functional.linear(t, weight: w, bias: b).reshape([n, length, heads, headDim]).transpose(1, 2)
        }
        let (q, k, v) = (split(q0, 0, length: l), split(k0, 1, length: s), split(v0, 2, length: s))
        let mask = combinedMask(attnMask: attnMask, keyPaddingMask: keyPaddingMask, isCausal: isCausal,
                                n: n, l: l, s: s, batched: batched, dtype: q.dtype)
        let p = training ? dropout : 0
        var attended: Tensor, weights: Tensor? = nil
        if needWeights {
            var scores = q.mul(1 / Double(headDim).squareRoot()).matmul(k.transpose(-2, -1))
            if let mask { scores = scores + mask }
            var w = scores.softmax(dim: -1)
            // PyTorch returns the weights after dropout.
            if p > 0 { w = Functional.dropout(w, p: p) }
            weights = averageAttnWeights ? w.mean(dim: 1) : w
            attended = w.matmul(v)
        } else {
            attended = Functional.scaledDotProductAttention(q, k, v, attnMask: mask, dropoutP: p)
        }
        var out = outProj(attended.transpose(1, 2).reshape([n, l, embedDim]))
        out = !batched ? out.squeeze(dim: 0) : (batchFirst ? out : out.transpose(0, 1))
        if !batched, let w = weights { weights = w.squeeze(dim: 0) }
        return (out, weights)
    }

    /// One additive mask `[N or 1, heads or 1, L, S]` from the attention and key-padding masks.
    private func combinedMask(attnMask: Tensor?, keyPaddingMask: Tensor?, isCausal: Bool,
                              n: Int, l: Int, s: Int, batched: Bool, dtype: DType) -> Tensor? {
        func additive(_ m: Tensor) -> Tensor {
            m.dtype == .bool ? Tensor.zeros(m.shape, dtype: dtype).maskedFill(m, -.infinity) : m.to(dtype)
        }
        var mask: Tensor? = nil
        if let attnMask {
            if attnMask.rank == 2 {
                precondition(attnMask.shape == [l, s], "MultiheadAttention: the 2-D attn_mask should be [\(l), \(s)], got \(attnMask.shape)")
                mask = additive(attnMask)
            } else {
                precondition(attnMask.shape == [n * numHeads, l, s],
                             "MultiheadAttention: the 3-D attn_mask should be [\(n * numHeads), \(l), \(s)], got \(attnMask.shape)")
                mask = additive(attnMask).reshape([n, numHeads, l, s])
            }
        } else if isCausal {
            mask = additive(Tensor.ones([l, s], dtype: .bool).triu(diagonal: 1))
        }
        if let keyPaddingMask {
            let expected = batched ? [n, s] : [s]
            precondition(keyPaddingMask.shape == expected,
                         "MultiheadAttention: key_padding_mask should be \(expected), got \(keyPaddingMask.shape)")
            let padding = additive(keyPaddingMask).reshape([n, 1, 1, s])
            mask = mask.map { $0 + padding } ?? padding
        }
        return mask
    }
}
