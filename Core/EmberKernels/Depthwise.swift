// Depthwise 2-D convolution (one filter per channel), forward and both
// gradients, computed directly: as im2col + GEMM it would be a GEMM with a
// single output row per group, all overhead. Each output row accumulates one
// kernel tap at a time over its valid columns.

/// Stride 1: the plane is copied into a zero-padded buffer, and each tap is
/// then one long vector loop over "wide" output rows of the padded width
/// (whose extra columns are dropped at the end), instead of a short loop per
/// row that never fills a vector.
func depthwiseForwardWide<T: FloatTensorElement>(_: T.Type, n: Int, c: Int, _ w: Window2D, _ x: UnsafePointer<T>,
                                                 _ weight: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
    let (inPlane, outPlane, taps) = (w.inH * w.inW, w.outH * w.outW, w.kh * w.kw)
    let (wp, hp) = (w.inW + 2 * w.pw, w.inH + 2 * w.ph)
    // 16 floats of slack after both buffers: the float32 path reads and writes whole vectors.
    let wideCount = w.outH * wp, paddedCount = hp * wp + (w.kw - 1) * w.dw + 16
    let offsets = (0..<taps).map { ($0 / w.kw) * w.dh * wp + ($0 % w.kw) * w.dw }
    Parallel.forRange(n * c, grain: Swift.max(1, 8192 / Swift.max(outPlane * taps, 1))) { planes in
        let padded = UnsafeMutablePointer<T>.allocate(capacity: paddedCount)
        let wide = UnsafeMutablePointer<T>.allocate(capacity: wideCount + 16)
        defer { padded.deallocate(); wide.deallocate() }
        // The border stays zero; every plane overwrites only the interior.
        padded.initialize(repeating: 0, count: paddedCount)
        for plane in planes {
            let src = x + plane * inPlane, dst = y + plane * outPlane, filter = weight + (plane % c) * taps
            for ih in 0..<w.inH {
                (padded + (ih + w.ph) * wp + w.pw).update(from: src + ih * w.inW, count: w.inW)
            }
            if T.self == Float.self {
                // All taps of sixteen outputs in one register: one store per
                // vector instead of a read-modify-write per tap.
                let p = UnsafeRawPointer(padded), f = UnsafeRawPointer(filter).assumingMemoryBound(to: Float.self)
                for i0 in stride(from: 0, to: wideCount, by: 16) {
                    var acc = SIMD16<Float>()
                    for t in 0..<taps {
                        let v = p.loadUnaligned(fromByteOffset: (offsets[t] + i0) * 4, as: SIMD16<Float>.self)
                        acc = acc.addingProduct(v, SIMD16(repeating: f[t]))
                    }
                    UnsafeMutableRawPointer(wide + i0).storeBytes(of: acc, as: SIMD16<Float>.self)
                }
            } else {
                for i in 0..<wideCount { wide[i] = 0 }
                for t in 0..<taps {
                    let tap = filter[t], shifted = padded + offsets[t]
                    for i in 0..<wideCount { wide[i] += tap * shifted[i] }
                }
            }
            for oh in 0..<w.outH { (dst + oh * w.outW).update(from: wide + oh * wp, count: w.outW) }
        }
    }
}

func depthwiseForwardTyped<T: FloatTensorElement>(_: T.Type, n: Int, c: Int, _ w: Window2D, _ x: UnsafeRawPointer,
                                                  _ weight: UnsafeRawPointer, _ y: UnsafeMutableRawPointer) {
    let px = x.assumingMemoryBound(to: T.self), pw = weight.assumingMemoryBound(to: T.self)
    let py = y.assumingMemoryBound(to: T.self)
    if w.sh == 1 && w.sw == 1 {
        depthwiseForwardWide(T.self, n: n, c: c, w, px, pw, py)
        return
    }
    let (inPlane, outPlane, taps) = (w.inH * w.inW, w.outH * w.outW, w.kh * w.kw)
    // Each kernel column's valid output range and input offset, computed once.
    let spans = (0..<w.kw).map { kj in (validColumns(w, kj), kj * w.dw - w.pw) }
    Parallel.forRange(n * c, grain: Swift.max(1, 8192 / Swift.max(outPlane * taps, 1))) { planes in
        for plane in planes {
            let src = px + plane * inPlane, dst = py + plane * outPlane, filter = pw + (plane % c) * taps
            for i in 0..<outPlane { dst[i] = 0 }
            for oh in 0..<w.outH {
                let out = dst + oh * w.outW
                for ki in 0..<w.kh {
                    let ih = oh * w.sh - w.ph + ki * w.dh
                    if ih < 0 || ih >= w.inH { continue }
                    let row = src + ih * w.inW
                    for kj in 0..<w.kw {
                        let ((lo, hi), offset) = spans[kj]
                        let tap = filter[ki * w.kw + kj]
                        if w.sw == 1 {
                            for ow in lo..<hi { out[ow] += tap * row[ow + offset] }
                        } else {
                            for ow in lo..<hi { out[ow] += tap * row[ow * w.sw + offset] }
                        }
                    }
                }
            }
        }
    }
}

func depthwiseInputGradientTyped<T: FloatTensorElement>(_: T.Type, n: Int, c: Int, _ w: Window2D, _ g: UnsafeRawPointer,
                                                        _ weight: UnsafeRawPointer, _ dx: UnsafeMutableRawPointer) {
    let pg = g.assumingMemoryBound(to: T.self), pw = weight.assumingMemoryBound(to: T.self)
    let pdx = dx.assumingMemoryBound(to: T.self)
    let (inPlane, outPlane, taps) = (w.inH * w.inW, w.outH * w.outW, w.kh * w.kw)
    // Each kernel column's valid output range and input offset, computed once.
    let spans = (0..<w.kw).map { kj in (validColumns(w, kj), kj * w.dw - w.pw) }
    Parallel.forRange(n * c, grain: Swift.max(1, 8192 / Swift.max(outPlane * taps, 1))) { planes in
        for plane in planes {
            let grad = pg + plane * outPlane, dst = pdx + plane * inPlane, filter = pw + (plane % c) * taps
            for i in 0..<inPlane { dst[i] = 0 }
            for oh in 0..<w.outH {
                let gRow = grad + oh * w.outW
                for ki in 0..<w.kh {
                    let ih = oh * w.sh - w.ph + ki * w.dh
                    if ih < 0 || ih >= w.inH { continue }
                    let row = dst + ih * w.inW
                    for kj in 0..<w.kw {
                        let ((lo, hi), offset) = spans[kj]
                        let tap = filter[ki * w.kw + kj]
                        if w.sw == 1 {
                            for ow in lo..<hi { row[ow + offset] += tap * gRow[ow] }
                        } else {
                            for ow in lo..<hi { row[ow * w.sw + offset] += tap * gRow[ow] }
                        }
                    }
                }
            }
        }
    }
}

func depthwiseWeightGradientTyped<T: FloatTensorElement>(_: T.Type, n: Int, c: Int, _ w: Window2D, _ x: UnsafeRawPointer,
                                                         _ g: UnsafeRawPointer, _ dWeight: UnsafeMutableRawPointer) {
    let px = x.assumingMemoryBound(to: T.self), pg = g.assumingMemoryBound(to: T.self)
    let pdw = dWeight.assumingMemoryBound(to: T.self)
    let (inPlane, outPlane, taps) = (w.inH * w.inW, w.outH * w.outW, w.kh * w.kw)
    // Each kernel column's valid output range and input offset, computed once.
    let spans = (0..<w.kw).map { kj in (validColumns(w, kj), kj * w.dw - w.pw) }
    // One channel per task: every image's plane of that channel adds into the same filter.
    Parallel.forRange(c, grain: 1) { channels in
        for ch in channels {
            var acc = [T](repeating: 0, count: taps)
            for b in 0..<n {
                let src = px + (b * c + ch) * inPlane, grad = pg + (b * c + ch) * outPlane
                for ki in 0..<w.kh {
                    for kj in 0..<w.kw {
                        let ((lo, hi), offset) = spans[kj]
                        var sum: T = 0
                        for oh in 0..<w.outH {
                            let ih = oh * w.sh - w.ph + ki * w.dh
                            if ih < 0 || ih >= w.inH { continue }
                            let row = src + ih * w.inW, gRow = grad + oh * w.outW
                            if w.sw == 1 {
                                for ow in lo..<hi { sum += gRow[ow] * row[ow + offset] }
                            } else {
                                for ow in lo..<hi { sum += gRow[ow] * row[ow * w.sw + offset] }
                            }
                        }
                        acc[ki * w.kw + kj] += sum
                    }
                }
            }
            for t in 0..<taps { pdw[ch * taps + t] = acc[t] }
        }
    }
}

/// Depthwise convolution of `[n, c, inH, inW]` with weight `[c, 1, kh, kw]`, no bias.
package func depthwiseConv2d(type: DType, n: Int, c: Int, _ window: Window2D, _ x: UnsafeRawPointer,
                             _ weight: UnsafeRawPointer, _ y: UnsafeMutableRawPointer) {
    switch type {
    case .float32: depthwiseForwardTyped(Float.self, n: n, c: c, window, x, weight, y)
    case .float64: depthwiseForwardTyped(Double.self, n: n, c: c, window, x, weight, y)
    default: preconditionFailure("depthwise conv2d: \(type) is not supported")
    }
}

/// The input gradient of `depthwiseConv2d` (overwrites `dx`).
package func depthwiseConv2dInputGradient(type: DType, n: Int, c: Int, _ window: Window2D, _ g: UnsafeRawPointer,
                                          _ weight: UnsafeRawPointer, _ dx: UnsafeMutableRawPointer) {
    switch type {
    case .float32: depthwiseInputGradientTyped(Float.self, n: n, c: c, window, g, weight, dx)
    case .float64: depthwiseInputGradientTyped(Double.self, n: n, c: c, window, g, weight, dx)
    default: preconditionFailure("depthwise conv2d: \(type) is not supported")
    }
}

/// The weight gradient of `depthwiseConv2d` (overwrites `dWeight`).
package func depthwiseConv2dWeightGradient(type: DType, n: Int, c: Int, _ window: Window2D, _ x: UnsafeRawPointer,
                                           _ g: UnsafeRawPointer, _ dWeight: UnsafeMutableRawPointer) {
    switch type {
    case .float32: depthwiseWeightGradientTyped(Float.self, n: n, c: c, window, x, g, dWeight)
    case .float64: depthwiseWeightGradientTyped(Double.self, n: n, c: c, window, x, g, dWeight)
    default: preconditionFailure("depthwise conv2d: \(type) is not supported")
    }
}
