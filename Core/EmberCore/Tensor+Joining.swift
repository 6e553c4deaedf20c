// Joining and rearranging: cat, stack, pad, flip, roll, repeat, tile, tril,
// triu and one_hot. Each allocates its result once and fills it with copies.

import EmberKernels

/// How `pad` fills the border, as `torch.nn.functional.pad`'s `mode`.
public enum PaddingMode: Sendable {
    /// A constant value.
    case constant(Double)
    /// The mirror image, without repeating the edge (`reflect`).
    case reflect
    /// The edge value repeated (`replicate`).
    case replicate
    /// The values from the other end (`circular`).
    case circular
}

extension Tensor {
    /// Tensors joined along `dim`; dtypes promote, other dims must match.
    ///
    /// ```swift
    /// let y = Tensor.cat([a, b], dim: 1)
    /// ```
    public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "cat: expected a non-empty list of tensors")
        // PyTorch skips legacy empty 1-D tensors of shape [0].
        let parts = tensors.filter { !($0.rank == 1 && $0.shape[0] == 0) }
        guard let first = parts.first else { return tensors[0].clone() }
        precondition(first.rank > 0, "cat: zero-dimensional tensor cannot be concatenated")
        let d = normalizeDim(dim, rank: first.rank, op: "cat")
        var type = first.dtype
        var total = 0
        for t in parts {
            precondition(t.rank == first.rank,
                         "cat: tensors must have the same rank, got \(first.shape) and \(t.shape)")
            for k in 0..<first.rank where k != d {
                precondition(t.shape[k] == first.shape[k],
                             "cat: sizes must match except in dim \(d), got \(first.shape) and \(t.shape)")
            }
            type = DType.promote(type, t.dtype)
            total += t.shape[d]
        }
        var outShape = first.shape
        outShape[d] = total
        let out = Tensor(uninitializedShape: outShape, dtype: type)
        var starts: [Int] = []
        var start = 0
        GradMode.noGrad {
            for t in parts {
                out.narrow(dim: d, start: start, length: t.shape[d]).copy_(t)
                starts.append(start)
                start += t.shape[d]
            }
        }
        let lengths = parts.map { $0.shape[d] }
        return out.recorded("cat", parts) { g in
            zip(starts, lengths).map { g.narrow(dim: d, start: $0, length: $1) }
        }
    }

    /// Tensors of equal shape stacked along a new dim.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack: expected a non-empty list of tensors")
        for t in tensors {
            precondition(t.shape == tensors[0].shape,
                         "stack: expects each tensor to be equal size, got \(tensors[0].shape) and \(t.shape)")
        }
        let d = normalizeDim(dim, rank: tensors[0].rank + 1, op: "stack")
        return cat(tensors.map { $0.unsqueeze(d) }, dim: d)
    }

    /// Padded (or cropped, for negative amounts) on the last dims.
    ///
    /// `pads` lists (before, after) pairs starting from the last dim, as in
    /// `torch.nn.functional.pad`: `[left, right, top, bottom]` pads width then height.
    public func pad(_ pads: [Int], mode: PaddingMode = .constant(0)) -> Tensor {
        precondition(pads.count % 2 == 0 && pads.count / 2 <= rank,
                     "pad: padding length \(pads.count) must be even and at most twice the rank \(rank)")
        var y = self
        for p in 0..<(pads.count / 2) {
            let d = rank - 1 - p
            y = y.padDim(d, before: pads[2 * p], after: pads[2 * p + 1], mode: mode)
        }
        return y
    }

    private func padDim(_ d: Int, before: Int, after: Int, mode: PaddingMode) -> Tensor {
        let n = shape[d]
        var x = self
        // Negative padding crops first.
        let cropBefore = Swift.max(0, -before), cropAfter = Swift.max(0, -after)
        precondition(cropBefore + cropAfter <= n, "pad: cropping \(cropBefore + cropAfter) exceeds size \(n) of dim \(d)")
        if cropBefore + cropAfter > 0 { x = x.narrow(dim: d, start: cropBefore, length: n - cropBefore - cropAfter) }
        let b = Swift.max(0, before), a = Swift.max(0, after), m = x.shape[d]
        if b == 0 && a == 0 { return x }
        if case .constant(let value) = mode {
            var outShape = x.shape
            outShape[d] = m + b + a
            let out = Tensor.full(outShape, value, dtype: dtype)
            GradMode.noGrad { _ = out.narrow(dim: d, start: b, length: m).copy_(x) }
            return out.recorded("pad", [x]) { g in [g.narrow(dim: d, start: b, length: m)] }
        }
        let index: [Int64] = (-b..<(m + a)).map { i in
            switch mode {
            case .reflect:
                precondition(b < m && a < m, "pad: reflect padding (\(b), \(a)) must be smaller than the size \(m) of dim \(d)")
                return Int64(i < 0 ? -i : (i >= m ? 2 * (m - 1) - i : i))
            case .replicate:
                precondition(m > 0, "pad: cannot replicate-pad an empty dim \(d)")
                return Int64(Swift.min(Swift.max(i, 0), m - 1))
            case .circular:
                precondition(b <= m && a <= m, "pad: circular padding (\(b), \(a)) exceeds the size \(m) of dim \(d)")
                return Int64(((i % m) + m) % m)
            case .constant: return 0
            }
        }
        return x.indexSelect(dim: d, index: Tensor(index))
    }

    /// Elements reversed along `dims`.
    public func flip(_ dims: [Int]) -> Tensor {
        var newStrides = strides
        var offset = storageOffset
        for dim in Set(dims.map { normalizeDim($0, rank: rank, op: "flip") }) where shape[dim] > 0 {
            offset += (shape[dim] - 1) * strides[dim]
            newStrides[dim] = -strides[dim]
        }
        // A negative-stride view never escapes: it is copied at once.
        let out = GradMode.noGrad { view(shape: shape, strides: newStrides, offset: offset).clone() }
        return out.recorded("flip", [self]) { g in [g.flip(dims)] }
    }

    /// Elements shifted along `dims` by `shifts`, wrapping around; with no
    /// dims the flattened tensor rolls and keeps its shape.
    public func roll(_ shifts: [Int], dims: [Int] = []) -> Tensor {
        if dims.isEmpty {
            precondition(shifts.count == 1, "roll: expected one shift without dims, got \(shifts)")
            return reshape([-1]).roll(shifts, dims: [0]).reshape(shape)
        }
        precondition(shifts.count == dims.count, "roll: \(shifts.count) shifts for \(dims.count) dims")
        var y = self
        for (s, dim) in zip(shifts, dims) {
            let d = normalizeDim(dim, rank: rank, op: "roll")
            let n = shape[d]
            if n == 0 { continue }
            let k = ((s % n) + n) % n
            if k == 0 { continue }
            y = Tensor.cat([y.narrow(dim: d, start: n - k, length: k), y.narrow(dim: d, start: 0, length: n - k)], dim: d)
        }
        return y === self ? clone() : y
    }

    /// The tensor repeated `sizes[i]` times along each dim (`Tensor.repeat`);
    /// extra leading sizes add dims.
    public func `repeat`(_ sizes: [Int]) -> Tensor {
        precondition(sizes.count >= rank,
                     "repeat: number of repeat dims \(sizes.count) can not be smaller than the rank \(rank)")
        precondition(sizes.allSatisfy { $0 >= 0 }, "repeat: sizes must be non-negative, got \(sizes)")
        let lead = sizes.count - rank
        let src = reshape(Array(repeating: 1, count: lead) + shape)
        var viewShape: [Int] = [], viewStrides: [Int] = []
        for (r, (s, st)) in zip(sizes, zip(src.shape, src.strides)) {
            viewShape += [r, s]
            viewStrides += [0, st]
        }
        let out = GradMode.noGrad {
            src.view(shape: viewShape, strides: viewStrides, offset: src.storageOffset).contiguous()
                .reshape(zip(sizes, src.shape).map { $0 * $1 })
        }
        let input = shape
        let repeatDims = Array(stride(from: 0, to: viewShape.count, by: 2))
        return out.recorded("repeat", [self]) { g in
            [g.reshape(viewShape).sum(dims: repeatDims).reshape(input)]
        }
    }

    /// `repeat` with `sizes` left-padded by ones to the rank (`torch.tile`).
    public func tile(_ sizes: [Int]) -> Tensor {
        `repeat`(Array(repeating: 1, count: Swift.max(0, rank - sizes.count)) + sizes)
    }

    private func triangle(diagonal: Int, lower: Bool, op: String) -> Tensor {
        precondition(rank >= 2, "\(op): input tensor must have at least 2 dimensions, got shape \(shape)")
        let rows = Tensor.arange(shape[rank - 2]).unsqueeze(1)
        let cols = Tensor.arange(shape[rank - 1]).unsqueeze(0)
        let offset = cols - rows
        let keep = lower ? offset.le(Double(diagonal)) : offset.ge(Double(diagonal))
        return self.where(keep, Tensor.zeros([], dtype: dtype))
    }
    /// The lower triangle of the last two dims; above `diagonal` becomes zero.
    public func tril(diagonal: Int = 0) -> Tensor { triangle(diagonal: diagonal, lower: true, op: "tril") }
    /// The upper triangle of the last two dims; below `diagonal` becomes zero.
    public func triu(diagonal: Int = 0) -> Tensor { triangle(diagonal: diagonal, lower: false, op: "triu") }

    /// One-hot rows for integer class indices; `numClasses` -1 means max + 1.
    public func oneHot(numClasses: Int = -1) -> Tensor {
        precondition(dtype.isIntegral, "one_hot: expected an integer tensor, got \(dtype)")
        let classes = numClasses >= 0 ? numClasses : (count == 0 ? 0 : Int(amax().item()) + 1)
        if count > 0 {
            precondition(amin().item() >= 0, "one_hot: class values must be non-negative")
            precondition(Int(amax().item()) < classes, "one_hot: class values must be smaller than numClasses \(classes)")
        }
        return unsqueeze(-1).eq(Tensor.arange(classes)).to(.int64)
    }
}
