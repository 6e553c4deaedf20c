// Splitting a tensor into views along one dim.

extension Tensor {
    /// Views of `size` elements each along `dim` (the last may be shorter).
    public func split(_ size: Int, dim: Int = 0) -> [Tensor] {
        let d = normalizeDim(dim, rank: rank, op: "split")
        precondition(size > 0 || shape[d] == 0, "split: split size must be positive, got \(size)")
        if shape[d] == 0 { return [self] }
        return stride(from: 0, to: shape[d], by: size).map {
            narrow(dim: d, start: $0, length: Swift.min(size, shape[d] - $0))
        }
    }

    /// Views with the given sizes along `dim`, which must add up to its size.
    public func split(sizes: [Int], dim: Int = 0) -> [Tensor] {
        let d = normalizeDim(dim, rank: rank, op: "split")
        precondition(sizes.reduce(0, +) == shape[d] && sizes.allSatisfy { $0 >= 0 },
                     "split: sizes \(sizes) don't add up to the size \(shape[d]) of dim \(d)")
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return narrow(dim: d, start: start, length: n)
        }
    }

    /// `chunks` views of nearly equal size along `dim` (`torch.chunk`).
    public func chunk(_ chunks: Int, dim: Int = 0) -> [Tensor] {
        precondition(chunks > 0, "chunk: number of chunks must be positive, got \(chunks)")
        let d = normalizeDim(dim, rank: rank, op: "chunk")
        let size = (shape[d] + chunks - 1) / chunks
        return split(Swift.max(size, 1), dim: d)
    }

    /// Views along `dim`, one per index, with that dim removed.
    public func unbind(dim: Int = 0) -> [Tensor] {
        let d = normalizeDim(dim, rank: rank, op: "unbind")
        return (0..<shape[d]).map { select(dim: d, index: $0) }
    }
}
