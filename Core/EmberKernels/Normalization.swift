// Batch and layer normalization, forward and backward, in one or two passes
// over memory instead of the half-dozen a composition of tensor ops takes.
// Batch norm works on contiguous [N, C, S] (S = the spatial size), layer norm
// on contiguous rows of length D. Sums run in SIMD lanes of T within a plane
// or row and in Double across them.

/// Σ x and Σ (x - center)² over `n` contiguous elements.
@inline(__always)
func moments<T: FloatTensorElement & SIMDScalar>(_ x: UnsafePointer<T>, _ n: Int, center: T) -> (Double, Double) {
    var s0 = SIMD16<T>(), s1 = SIMD16<T>(), q0 = SIMD16<T>(), q1 = SIMD16<T>()
    let c = SIMD16<T>(repeating: center)
    let raw = UnsafeRawPointer(x)
    var i = 0
    while i + 32 <= n {
        let a = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.stride, as: SIMD16<T>.self) - c
        let b = raw.loadUnaligned(fromByteOffset: (i + 16) * MemoryLayout<T>.stride, as: SIMD16<T>.self) - c
        s0 += a; s1 += b
        q0 += a * a; q1 += b * b
        i += 32
    }
    var s = Double((s0 + s1).sum()), q = Double((q0 + q1).sum())
    while i < n {
        let d = x[i] - center
        s += Double(d); q += Double(d * d)
        i += 1
    }
    return (s, q)
}

/// Σ g and Σ g·(x - center) over `n` contiguous elements.
@inline(__always)
func gradientSums<T: FloatTensorElement & SIMDScalar>(_ g: UnsafePointer<T>, _ x: UnsafePointer<T>, _ n: Int,
                                                    center: T) -> (Double, Double) {
    var s0 = SIMD16<T>(), s1 = SIMD16<T>(), p0 = SIMD16<T>(), p1 = SIMD16<T>()
    let c = SIMD16<T>(repeating: center)
    let rg = UnsafeRawPointer(g), rx = UnsafeRawPointer(x), w = MemoryLayout<T>.stride
    var i = 0
    while i + 32 <= n {
        let g0 = rg.loadUnaligned(fromByteOffset: i * w, as: SIMD16<T>.self)
        let g1 = rg.loadUnaligned(fromByteOffset: (i + 16) * w, as: SIMD16<T>.self)
        s0 += g0; s1 += g1
        p0 += g0 * (rx.loadUnaligned(fromByteOffset: i * w, as: SIMD16<T>.self) - c)
        p1 += g1 * (rx.loadUnaligned(fromByteOffset: (i + 16) * w, as: SIMD16<T>.self) - c)
        i += 32
    }
    var s = Double((s0 + s1).sum()), p = Double((p0 + p1).sum())
    while i < n {
        s += Double(g[i]); p += Double(g[i] * (x[i] - center))
        i += 1
    }
    return (s, p)
}

/// Per-channel mean and biased variance of `[n, c, s]`, written to `mean` and `variance`.
func channelMomentsTyped<T: FloatTensorElement & SIMDScalar>(_: T.Type, n: Int, c: Int, s: Int, _ x: UnsafeRawPointer,
                                                             mean: UnsafeMutablePointer<Double>, variance: UnsafeMutablePointer<Double>) {
    let p = x.assumingMemoryBound(to: T.self)
    let count = Double(n * s)
    Parallel.forRange(c, grain: 1) { channels in
        for ch in channels {
            // A first pass for the mean keeps the variance free of cancellation.
            var total = 0.0
            for b in 0..<n { total += moments(p + (b * c + ch) * s, s, center: 0).0 }
            let m = total / count
            var squares = 0.0, shift = 0.0
            for b in 0..<n {
                let (d, q) = moments(p + (b * c + ch) * s, s, center: T(m))
                shift += d; squares += q
            }
            mean[ch] = m
            // T(m) rounds the mean; the shifted sum corrects for it exactly.
            variance[ch] = Swift.max(0, squares / count - (shift / count) * (shift / count))
        }
    }
}

/// Per-channel Σ g and Σ g·(x - mean[ch]) of `[n, c, s]` tensors.
func channelGradientSumsTyped<T: FloatTensorElement & SIMDScalar>(_: T.Type, n: Int, c: Int, s: Int, _ g: UnsafeRawPointer,
                                                                  _ x: UnsafeRawPointer, mean: UnsafePointer<Double>,
                                                                  sumG: UnsafeMutablePointer<Double>, sumGX: UnsafeMutablePointer<Double>) {
    let pg = g.assumingMemoryBound(to: T.self), px = x.assumingMemoryBound(to: T.self)
    Parallel.forRange(c, grain: 1) { channels in
        for ch in channels {
            var a = 0.0, b = 0.0
            let center = T(mean[ch])
            for i in 0..<n {
                let (s1, s2) = gradientSums(pg + (i * c + ch) * s, px + (i * c + ch) * s, s, center: center)
                a += s1; b += s2
            }
            sumG[ch] = a
            // Σ g·(x - m) from the rounded center: add back Σg·(center - m).
            sumGX[ch] = b + a * (Double(center) - mean[ch])
        }
    }
}

/// `out = a[ch]·p + b[ch]·q + d[ch]` over `[n, c, s]` (q may be nil when b is unused).
func channelAffineTyped<T: FloatTensorElement & SIMDScalar>(_: T.Type, n: Int, c: Int, s: Int, _ p: UnsafeRawPointer,
                                                            _ q: UnsafeRawPointer?, a: UnsafePointer<Double>,
                                                            b: UnsafePointer<Double>?, d: UnsafePointer<Double>,
                                                            relu: Bool, _ out: UnsafeMutableRawPointer) {
    let pp = p.assumingMemoryBound(to: T.self), pq = q?.assumingMemoryBound(to: T.self)
    let po = out.assumingMemoryBound(to: T.self)
    Parallel.forRange(n * c, grain: Swift.max(1, 32768 / Swift.max(s, 1))) { planes in
        for plane in planes {
            let ch = plane % c, base = plane * s
            let ka = T(a[ch]), kd = T(d[ch])
            if let pq, let b {
                let kb = T(b[ch])
                for i in base..<(base + s) { po[i] = ka * pp[i] + kb * pq[i] + kd }
            } else if relu {
                // Same rule as ReluF (NaN passes through), in the same sweep.
                for i in base..<(base + s) {
                    let v = ka * pp[i] + kd
                    po[i] = v < 0 ? 0 : v
                }
            } else {
                for i in base..<(base + s) { po[i] = ka * pp[i] + kd }
            }
        }
    }
}

/// Layer norm of `rows` rows of length `d`: `y = (x - mean)·rstd·w + b`, saving mean and rstd per row.
func layerNormForwardTyped<T: FloatTensorElement & SIMDScalar>(_: T.Type, rows: Int, d: Int, eps: Double,
                                                               _ x: UnsafeRawPointer, weight: UnsafeRawPointer?,
                                                               bias: UnsafeRawPointer?, _ y: UnsafeMutableRawPointer,
                                                               mean: UnsafeMutablePointer<T>, rstd: UnsafeMutablePointer<T>) {
    let px = x.assumingMemoryBound(to: T.self), py = y.assumingMemoryBound(to: T.self)
    let pw = weight?.assumingMemoryBound(to: T.self), pb = bias?.assumingMemoryBound(to: T.self)
    Parallel.forRange(rows, grain: Swift.max(1, 16384 / Swift.max(d, 1))) { range in
        for r in range {
            let row = px + r * d, out = py + r * d
            let m = moments(row, d, center: 0).0 / Double(d)
            let (shift, squares) = moments(row, d, center: T(m))
            let variance = Swift.max(0, squares / Double(d) - (shift / Double(d)) * (shift / Double(d)))
            let inv = T(1 / (variance + eps).squareRoot()), mu = T(m)
            mean[r] = mu
            rstd[r] = inv
            switch (pw, pb) {
            case let (w?, b?): for i in 0..<d { out[i] = (row[i] - mu) * inv * w[i] + b[i] }
            case let (w?, nil): for i in 0..<d { out[i] = (row[i] - mu) * inv * w[i] }
            case let (nil, b?): for i in 0..<d { out[i] = (row[i] - mu) * inv + b[i] }
            case (nil, nil): for i in 0..<d { out[i] = (row[i] - mu) * inv }
            }
        }
    }
}

/// Layer-norm backward: `dx` for every row, and Σ over rows of `g·x̂` and `g`
/// into `dWeight` / `dBias` (zeroed by the caller) when given.
func layerNormBackwardTyped<T: FloatTensorElement & SIMDScalar>(_: T.Type, rows: Int, d: Int, _ g: UnsafeRawPointer,
                                                                _ x: UnsafeRawPointer, mean: UnsafePointer<T>, rstd: UnsafePointer<T>,
                                                                weight: UnsafeRawPointer?, _ dx: UnsafeMutableRawPointer,
                                                                dWeight: UnsafeMutableRawPointer?, dBias: UnsafeMutableRawPointer?) {
    let pg = g.assumingMemoryBound(to: T.self), px = x.assumingMemoryBound(to: T.self)
    let pw = weight?.assumingMemoryBound(to: T.self), pdx = dx.assumingMemoryBound(to: T.self)
    let chunks = Swift.max(1, Swift.min(Parallel.threadCount, rows * d / 16384))
    // Per-chunk partial sums for the parameter gradients, added up at the end.
    let partial = UnsafeMutablePointer<T>.allocate(capacity: chunks * 2 * d)
    partial.initialize(repeating: 0, count: chunks * 2 * d)
    defer { partial.deallocate() }
    let per = (rows + chunks - 1) / chunks
    Parallel.forRange(chunks, grain: 1) { chunkRange in
        for chunk in chunkRange {
            let pdw = partial + chunk * 2 * d, pdb = pdw + d
            for r in (chunk * per)..<Swift.min(rows, (chunk + 1) * per) {
                let gr = pg + r * d, xr = px + r * d, out = pdx + r * d
                let mu = mean[r], inv = rstd[r]
                var sumG: T = 0, sumGX: T = 0
                if let pw {
                    for i in 0..<d {
                        let gw = gr[i] * pw[i], xhat = (xr[i] - mu) * inv
                        sumG += gw; sumGX += gw * xhat
                    }
                } else {
                    for i in 0..<d {
                        let xhat = (xr[i] - mu) * inv
                        sumG += gr[i]; sumGX += gr[i] * xhat
                    }
                }
                let meanG = sumG / T(d), meanGX = sumGX / T(d)
                for i in 0..<d {
                    let xhat = (xr[i] - mu) * inv
                    let gw = pw.map { gr[i] * $0[i] } ?? gr[i]
                    out[i] = inv * (gw - meanG - xhat * meanGX)
                    pdw[i] += gr[i] * xhat
                    pdb[i] += gr[i]
                }
            }
        }
    }
    for chunk in 0..<chunks {
        let pdw = partial + chunk * 2 * d, pdb = pdw + d
        if let dWeight {
            let out = dWeight.assumingMemoryBound(to: T.self)
            for i in 0..<d { out[i] += pdw[i] }
        }
        if let dBias {
            let out = dBias.assumingMemoryBound(to: T.self)
            for i in 0..<d { out[i] += pdb[i] }
        }
    }
}

// MARK: Dtype dispatch

package func channelMoments(type: DType, n: Int, c: Int, s: Int, _ x: UnsafeRawPointer,
                            mean: UnsafeMutablePointer<Double>, variance: UnsafeMutablePointer<Double>) {
    switch type {
    case .float32: channelMomentsTyped(Float.self, n: n, c: c, s: s, x, mean: mean, variance: variance)
    case .float64: channelMomentsTyped(Double.self, n: n, c: c, s: s, x, mean: mean, variance: variance)
    default: preconditionFailure("batch_norm: \(type) is not supported")
    }
}

package func channelGradientSums(type: DType, n: Int, c: Int, s: Int, _ g: UnsafeRawPointer, _ x: UnsafeRawPointer,
                                 mean: UnsafePointer<Double>, sumG: UnsafeMutablePointer<Double>,
                                 sumGX: UnsafeMutablePointer<Double>) {
    switch type {
    case .float32: channelGradientSumsTyped(Float.self, n: n, c: c, s: s, g, x, mean: mean, sumG: sumG, sumGX: sumGX)
    case .float64: channelGradientSumsTyped(Double.self, n: n, c: c, s: s, g, x, mean: mean, sumG: sumG, sumGX: sumGX)
    default: preconditionFailure("batch_norm: \(type) is not supported")
    }
}

package func channelAffine(type: DType, n: Int, c: Int, s: Int, _ p: UnsafeRawPointer, _ q: UnsafeRawPointer?,
                           a: UnsafePointer<Double>, b: UnsafePointer<Double>?, d: UnsafePointer<Double>,
                           relu: Bool = false, _ out: UnsafeMutableRawPointer) {
    precondition(!relu || q == nil, "channelAffine: relu applies to the one-input form only")
    switch type {
    case .float32: channelAffineTyped(Float.self, n: n, c: c, s: s, p, q, a: a, b: b, d: d, relu: relu, out)
    case .float64: channelAffineTyped(Double.self, n: n, c: c, s: s, p, q, a: a, b: b, d: d, relu: relu, out)
    default: preconditionFailure("batch_norm: \(type) is not supported")
    }
}

package func layerNormForward(type: DType, rows: Int, d: Int, eps: Double, _ x: UnsafeRawPointer, weight: UnsafeRawPointer?,
                              bias: UnsafeRawPointer?, _ y: UnsafeMutableRawPointer, mean: UnsafeMutableRawPointer,
                              rstd: UnsafeMutableRawPointer) {
    switch type {
    case .float32:
        layerNormForwardTyped(Float.self, rows: rows, d: d, eps: eps, x, weight: weight, bias: bias, y,
                              mean: mean.assumingMemoryBound(to: Float.self), rstd: rstd.assumingMemoryBound(to: Float.self))
    case .float64:
        layerNormForwardTyped(Double.self, rows: rows, d: d, eps: eps, x, weight: weight, bias: bias, y,
                              mean: mean.assumingMemoryBound(to: Double.self), rstd: rstd.assumingMemoryBound(to: Double.self))
    default: preconditionFailure("layer_norm: \(type) is not supported")
    }
}

package func layerNormBackward(type: DType, rows: Int, d: Int, _ g: UnsafeRawPointer, _ x: UnsafeRawPointer,
                               mean: UnsafeRawPointer, rstd: UnsafeRawPointer, weight: UnsafeRawPointer?,
                               _ dx: UnsafeMutableRawPointer, dWeight: UnsafeMutableRawPointer?, dBias: UnsafeMutableRawPointer?) {
    switch type {
    case .float32:
        layerNormBackwardTyped(Float.self, rows: rows, d: d, g, x, mean: mean.assumingMemoryBound(to: Float.self),
                               rstd: rstd.assumingMemoryBound(to: Float.self), weight: weight, dx, dWeight: dWeight, dBias: dBias)
    case .float64:
        layerNormBackwardTyped(Double.self, rows: rows, d: d, g, x, mean: mean.assumingMemoryBound(to: Double.self),
                               rstd: rstd.assumingMemoryBound(to: Double.self), weight: weight, dx, dWeight: dWeight, dBias: dBias)
    default: preconditionFailure("layer_norm: \(type) is not supported")
    }
}
