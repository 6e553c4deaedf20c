// Reductions over the middle axis of a contiguous [outer, n, inner] buffer.
// inner == 1 is a row reduction (vectorized along the row); otherwise whole
// rows of `inner` accumulate into the output, which vectorizes across inner.
// The tensor layer permutes any other reduction into this form.

/// Reductions with a value result.
package enum ReduceOp: Sendable {
    case sum, prod, max, min
}

func combine<T: NumericTensorElement>(_ op: ReduceOp, _ a: T, _ b: T) -> T {
    switch op {
    case .sum: T._add(a, b)
    case .prod: T._mul(a, b)
    case .max: T._maximum(a, b)
    case .min: T._minimum(a, b)
    }
}

func identity<T: NumericTensorElement>(_ op: ReduceOp, _: T.Type) -> T? {
    switch op {
    case .sum: T.zero
    case .prod: T.one
    case .max, .min: nil
    }
}

/// Sum of a contiguous float32 row: 64 lanes within blocks of 4096, blocks in
/// float64, so 16M-element sums keep float32 accuracy.
func sumRow(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var total = 0.0
    var start = 0
    while start < n {
        let end = min(n, start + 4096)
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var i = start
        let raw = UnsafeRawPointer(x)
        while i + 64 <= end {
            a0 += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            a1 += raw.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD16<Float>.self)
            a2 += raw.loadUnaligned(fromByteOffset: (i + 32) * 4, as: SIMD16<Float>.self)
            a3 += raw.loadUnaligned(fromByteOffset: (i + 48) * 4, as: SIMD16<Float>.self)
            i += 64
        }
        var s = ((a0 + a1) + (a2 + a3)).sum()
        while i < end { s += x[i]; i += 1 }
        total += Double(s)
        start = end
    }
    return Float(total)
}

func reduceTyped<T: NumericTensorElement>(
    _: T.Type, _ op: ReduceOp, outer: Int, n: Int, inner: Int,
    _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer
) {
    let x = src.assumingMemoryBound(to: T.self)
    let y = dst.assumingMemoryBound(to: T.self)
    if n == 0 {
        let v = identity(op, T.self)!  // callers reject empty max/min
        for i in 0..<(outer * inner) { y[i] = v }
        return
    }
    if inner == 1 {
        Parallel.forRange(outer, grain: max(1, 32768 / n)) { range in
            for o in range {
                let row = x + o * n
                if op == .sum, T.self == Float.self {
                    y[o] = unsafeBitCast(sumRow(UnsafeRawPointer(row).assumingMemoryBound(to: Float.self), n), to: T.self)
                    continue
                }
                var acc = row[0]
                for i in 1..<n { acc = combine(op, acc, row[i]) }
                y[o] = acc
            }
        }
        return
    }
    // Split across output columns when there are few outer slices.
    let chunks = outer >= Parallel.threadCount ? 1 : max(1, min(Parallel.threadCount, inner / 1024))
    let per = (inner + chunks - 1) / chunks
    Parallel.forRange(outer * chunks, grain: max(1, 32768 / max(1, n * per))) { range in
        for job in range {
            let o = job / chunks, c0 = (job % chunks) * per, c1 = min(inner, c0 + per)
            if c0 >= c1 { continue }
            let base = x + o * n * inner
            let out = y + o * inner
            for c in c0..<c1 { out[c] = base[c] }
            for i in 1..<n {
                let row = base + i * inner
                switch op {
                case .sum: for c in c0..<c1 { out[c] = T._add(out[c], row[c]) }
                case .prod: for c in c0..<c1 { out[c] = T._mul(out[c], row[c]) }
                case .max: for c in c0..<c1 { out[c] = T._maximum(out[c], row[c]) }
                case .min: for c in c0..<c1 { out[c] = T._minimum(out[c], row[c]) }
                }
            }
        }
    }
}

/// `dst[o, i] = op over k of src[o, k, i]` for a contiguous source of `type`.
package func reduceKernel(
    _ op: ReduceOp, type: DType, outer: Int, n: Int, inner: Int,
    _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer
) {
    switch type {
    case .float32: reduceTyped(Float.self, op, outer: outer, n: n, inner: inner, src, dst)
    case .float64: reduceTyped(Double.self, op, outer: outer, n: n, inner: inner, src, dst)
    case .int64: reduceTyped(Int64.self, op, outer: outer, n: n, inner: inner, src, dst)
    case .int32: reduceTyped(Int32.self, op, outer: outer, n: n, inner: inner, src, dst)
    case .int16: reduceTyped(Int16.self, op, outer: outer, n: n, inner: inner, src, dst)
    case .int8: reduceTyped(Int8.self, op, outer: outer, n: n, inner: inner, src, dst)
    case .uint8, .bool: reduceTyped(UInt8.self, op, outer: outer, n: n, inner: inner, src, dst)
    case .float16, .bfloat16: preconditionFailure("reduceKernel: no \(type) arithmetic")
    }
}

func argTyped<T: NumericTensorElement>(
    _: T.Type, max isMax: Bool, outer: Int, n: Int, inner: Int,
    _ src: UnsafeRawPointer, _ values: UnsafeMutableRawPointer, _ indices: UnsafeMutablePointer<Int64>
) {
    let x = src.assumingMemoryBound(to: T.self)
    let v = values.assumingMemoryBound(to: T.self)
    Parallel.forRange(outer * inner, grain: max(1, 32768 / max(n, 1))) { range in
        for j in range {
            let o = j / inner, c = j % inner
            let base = x + o * n * inner + c
            var best = base[0], bestIndex = 0
            // NaN wins and sticks, as in PyTorch; ties keep the first index.
            if !(best != best) {
                for k in 1..<max(n, 1) {
                    let e = base[k * inner]
                    if e != e { best = e; bestIndex = k; break }
                    if isMax ? e > best : e < best { best = e; bestIndex = k }
                }
            }
            v[j] = best
            indices[j] = Int64(bestIndex)
        }
    }
}

/// Values and first indices of the max (or min) over the middle axis.
package func argReduceKernel(
    max isMax: Bool, type: DType, outer: Int, n: Int, inner: Int,
    _ src: UnsafeRawPointer, values: UnsafeMutableRawPointer, indices: UnsafeMutablePointer<Int64>
) {
    switch type {
    case .float32: argTyped(Float.self, max: isMax, outer: outer, n: n, inner: inner, src, values, indices)
    case .float64: argTyped(Double.self, max: isMax, outer: outer, n: n, inner: inner, src, values, indices)
    case .int64: argTyped(Int64.self, max: isMax, outer: outer, n: n, inner: inner, src, values, indices)
    case .int32: argTyped(Int32.self, max: isMax, outer: outer, n: n, inner: inner, src, values, indices)
    case .int16: argTyped(Int16.self, max: isMax, outer: outer, n: n, inner: inner, src, values, indices)
    case .int8: argTyped(Int8.self, max: isMax, outer: outer, n: n, inner: inner, src, values, indices)
    case .uint8, .bool: argTyped(UInt8.self, max: isMax, outer: outer, n: n, inner: inner, src, values, indices)
    case .float16, .bfloat16: preconditionFailure("argReduceKernel: no \(type) arithmetic")
    }
}
