// Fused, numerically stable softmax and log-softmax over contiguous rows:
// one pass for the max, one for exp and its sum, one to scale.

import RealModule

func softmaxRowsTyped<T: FloatTensorElement>(
    _: T.Type, log: Bool, rows: Int, n: Int, _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer
) {
    let x = src.assumingMemoryBound(to: T.self)
    let y = dst.assumingMemoryBound(to: T.self)
    Parallel.forRange(rows, grain: max(1, 16384 / max(n, 1))) { range in
        for r in range {
            let a = x + r * n, b = y + r * n
            var m = -T.infinity
            for i in 0..<n { m = T._maximum(m, a[i]) }
            if m == -T.infinity { m = 0 }  // an all -inf row gives NaN, as in PyTorch
            var s: T = 0
            if log {
                for i in 0..<n { s += T.exp(a[i] - m) }
                let lse = m + T.log(s)
                for i in 0..<n { b[i] = a[i] - lse }
            } else {
                for i in 0..<n { let e = T.exp(a[i] - m); b[i] = e; s += e }
                let inv = 1 / s
                for i in 0..<n { b[i] *= inv }
            }
        }
    }
}

func softmaxRowsFloat(log: Bool, rows: Int, n: Int, _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer) {
    let x = src.assumingMemoryBound(to: Float.self)
    let y = dst.assumingMemoryBound(to: Float.self)
    Parallel.forRange(rows, grain: Swift.max(1, 16384 / Swift.max(n, 1))) { range in
        for r in range {
            let a = x + r * n, b = y + r * n
            let ra = UnsafeRawPointer(a)
            var mv = SIMD8<Float>(repeating: -.infinity)
            var i = 0
            while i + 8 <= n {
                let v = ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                mv.replace(with: v, where: v .> mv)  // NaN rows turn NaN through the sum
                i += 8
            }
            var m = mv.max()
            while i < n { if a[i] > m { m = a[i] }; i += 1 }
            if m == -.infinity { m = 0 }
            // exp into the output (a loop that vectorizes), then a blocked sum.
            for j in 0..<n { b[j] = fastExp(a[j] - m) }
            let s = sumRow(UnsafePointer(b), n)
            if log {
                let lse = m + Float.log(s)
                for j in 0..<n { b[j] = a[j] - lse }
            } else {
                let inv = 1 / s
                for j in 0..<n { b[j] *= inv }
            }
        }
    }
}

/// Softmax (or log-softmax) of each contiguous row of length `n`.
package func softmaxKernel(log: Bool, type: DType, rows: Int, n: Int, _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer) {
    if rows * n == 0 { return }
    switch type {
    case .float32: softmaxRowsFloat(log: log, rows: rows, n: n, src, dst)
    case .float64: softmaxRowsTyped(Double.self, log: log, rows: rows, n: n, src, dst)
    default: preconditionFailure("softmaxKernel: \(type) is not a compute type")
    }
}

func cumsumTyped<T: NumericTensorElement>(
    _: T.Type, outer: Int, n: Int, inner: Int, _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer
) {
    let x = src.assumingMemoryBound(to: T.self)
    let y = dst.assumingMemoryBound(to: T.self)
    for o in 0..<outer {
        let a = x + o * n * inner, b = y + o * n * inner
        for c in 0..<inner where n > 0 { b[c] = a[c] }
        for k in 1..<max(n, 1) {
            for c in 0..<inner { b[k * inner + c] = T._add(b[(k - 1) * inner + c], a[k * inner + c]) }
        }
    }
}

/// Running sums along the middle axis of a contiguous [outer, n, inner] buffer.
package func cumsumKernel(type: DType, outer: Int, n: Int, inner: Int, _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer) {
    switch type {
    case .float32: cumsumTyped(Float.self, outer: outer, n: n, inner: inner, src, dst)
    case .float64: cumsumTyped(Double.self, outer: outer, n: n, inner: inner, src, dst)
    case .int64: cumsumTyped(Int64.self, outer: outer, n: n, inner: inner, src, dst)
    default: preconditionFailure("cumsumKernel: \(type) is not a compute type")
    }
}
