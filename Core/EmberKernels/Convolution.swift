// im2col / col2im for convolution as GEMM, and 2-D pooling, on one contiguous
// [C, H, W] plane stack at a time. Column layout: row (c, ki, kj), column
// (oh, ow), so `weight[Cout, C·kh·kw] · cols` is the convolution.

/// Geometry of a 2-D window sweep (convolution or pooling).
package struct Window2D: Sendable {
    package var kh, kw, sh, sw, ph, pw, dh, dw: Int
    package var inH, inW, outH, outW: Int

    package init(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int),
                 input: (Int, Int), output: (Int, Int)) {
        (kh, kw) = kernel
        (sh, sw) = stride
        (ph, pw) = padding
        (dh, dw) = dilation
        (inH, inW) = input
        (outH, outW) = output
    }
}

/// The output columns `lo..<hi` whose kernel column `kj` lands inside the input row.
@inline(__always)
func validColumns(_ w: Window2D, _ kj: Int) -> (Int, Int) {
    let offset = kj * w.dw - w.pw
    let lo = offset >= 0 ? 0 : Swift.min(w.outW, (-offset + w.sw - 1) / w.sw)
    let hi = w.inW - offset <= 0 ? 0 : Swift.min(w.outW, (w.inW - offset + w.sw - 1) / w.sw)
    return (lo, Swift.max(lo, hi))
}

func im2colTyped<T: FloatTensorElement>(_: T.Type, channels: Int, _ w: Window2D, _ x: UnsafeRawPointer,
                                         _ cols: UnsafeMutableRawPointer, ld: Int, images: Int, imageStride: Int) {
    let plane = w.outH * w.outW, rows = channels * w.kh * w.kw
    // Images side by side in the columns: image i's rows start `i·plane` further along.
    Parallel.forRange(images * rows, grain: Swift.max(1, 16384 / Swift.max(plane, 1))) { range in
        for task in range {
            let image = task / rows, row = task % rows
            let src = x.assumingMemoryBound(to: T.self) + image * imageStride
            let dst = cols.assumingMemoryBound(to: T.self) + image * plane
            let c = row / (w.kh * w.kw), ki = (row / w.kw) % w.kh, kj = row % w.kw
            let out = dst + row * ld
            let (lo, hi) = validColumns(w, kj)
            let offset = kj * w.dw - w.pw
            for oh in 0..<w.outH {
                let ih = oh * w.sh - w.ph + ki * w.dh
                let line = out + oh * w.outW
                if ih < 0 || ih >= w.inH {
                    for ow in 0..<w.outW { line[ow] = 0 }
                    continue
                }
                let inLine = src + (c * w.inH + ih) * w.inW
                for ow in 0..<lo { line[ow] = 0 }
                if w.sw == 1 {
                    for ow in lo..<hi { line[ow] = inLine[ow + offset] }
                } else {
                    for ow in lo..<hi { line[ow] = inLine[ow * w.sw + offset] }
                }
                for ow in hi..<w.outW { line[ow] = 0 }
            }
        }
    }
}

func col2imTyped<T: FloatTensorElement>(_: T.Type, channels: Int, _ w: Window2D, _ cols: UnsafeRawPointer,
                                         _ dx: UnsafeMutableRawPointer, ld: Int, images: Int, imageStride: Int) {
    let plane = w.outH * w.outW
    // One (image, channel) per task: the windows of a channel overlap, channels don't.
    Parallel.forRange(images * channels, grain: Swift.max(1, 4096 / Swift.max(plane * w.kh * w.kw, 1))) { range in
        for task in range {
            let image = task / channels, c = task % channels
            let src = cols.assumingMemoryBound(to: T.self) + image * plane
            let dst = dx.assumingMemoryBound(to: T.self) + image * imageStride
            for ki in 0..<w.kh {
                for kj in 0..<w.kw {
                    let col = src + ((c * w.kh + ki) * w.kw + kj) * ld
                    let (lo, hi) = validColumns(w, kj)
                    let offset = kj * w.dw - w.pw
                    for oh in 0..<w.outH {
                        let ih = oh * w.sh - w.ph + ki * w.dh
                        if ih < 0 || ih >= w.inH { continue }
                        let inLine = dst + (c * w.inH + ih) * w.inW
                        let colLine = col + oh * w.outW
                        if w.sw == 1 {
                            let target = inLine + offset
                            for ow in lo..<hi { target[ow] += colLine[ow] }
                        } else {
                            for ow in lo..<hi { inLine[ow * w.sw + offset] += colLine[ow] }
                        }
                    }
                }
            }
        }
    }
}

/// Unfolds `channels` planes of `x` into columns for `window`; column rows
/// are `ld` elements apart, so several images can share one column matrix:
/// `images` images, `imageStride` elements apart in `x`, go side by side.
package func im2col(type: DType, channels: Int, _ window: Window2D, _ x: UnsafeRawPointer, _ cols: UnsafeMutableRawPointer,
                    ld: Int, images: Int = 1, imageStride: Int = 0) {
    switch type {
    case .float32: im2colTyped(Float.self, channels: channels, window, x, cols, ld: ld, images: images, imageStride: imageStride)
    case .float64: im2colTyped(Double.self, channels: channels, window, x, cols, ld: ld, images: images, imageStride: imageStride)
    default: preconditionFailure("im2col: \(type) is not supported")
    }
}

/// Adds columns back into `channels` planes of `dx` (the adjoint of im2col),
/// for `images` images laid out as `im2col` lays them.
package func col2im(type: DType, channels: Int, _ window: Window2D, _ cols: UnsafeRawPointer, _ dx: UnsafeMutableRawPointer,
                    ld: Int, images: Int = 1, imageStride: Int = 0) {
    switch type {
    case .float32: col2imTyped(Float.self, channels: channels, window, cols, dx, ld: ld, images: images, imageStride: imageStride)
    case .float64: col2imTyped(Double.self, channels: channels, window, cols, dx, ld: ld, images: images, imageStride: imageStride)
    default: preconditionFailure("col2im: \(type) is not supported")
    }
}

func maxPoolTyped<T: FloatTensorElement>(_: T.Type, planes: Int, _ w: Window2D, _ x: UnsafeRawPointer,
                                         _ y: UnsafeMutableRawPointer, _ indices: UnsafeMutablePointer<Int64>) {
    let src = x.assumingMemoryBound(to: T.self), dst = y.assumingMemoryBound(to: T.self)
    /// The kernel taps `lo..<hi` that land inside `0..<size` from `start`.
    @inline(__always) func taps(_ start: Int, _ k: Int, _ d: Int, _ size: Int) -> (Int, Int) {
        let lo = start >= 0 ? 0 : (-start + d - 1) / d
        let hi = Swift.min(k, start >= size ? 0 : (size - start + d - 1) / d)
        return (lo, Swift.max(lo, hi))
    }
    // Float32 rows take sixteen interior outputs at a time (MaxPool+Indexed.swift).
    let vector = T.self == Float.self ? maxPoolVectorColumns(w) : 0..<0
    Parallel.forRange(planes, grain: Swift.max(1, 16384 / Swift.max(w.outH * w.outW, 1))) { range in
        for p in range {
            let plane = src + p * w.inH * w.inW
            for oh in 0..<w.outH {
                let h0 = oh * w.sh - w.ph
                let (kiLo, kiHi) = taps(h0, w.kh, w.dh, w.inH)
                var ow = 0
                while ow < w.outW {
                    let o = (p * w.outH + oh) * w.outW + ow
                    if kiLo < kiHi && ow >= vector.lowerBound && ow + 16 <= vector.upperBound {
                        maxPoolSixteen(UnsafeRawPointer(plane).assumingMemoryBound(to: Float.self), w, oh: oh, ow0: ow,
                                       kiLo: kiLo, kiHi: kiHi,
                                       UnsafeMutableRawPointer(dst + o).assumingMemoryBound(to: Float.self), indices + o)
                        ow += 16
                        continue
                    }
                    let w0 = ow * w.sw - w.pw
                    let (kjLo, kjHi) = taps(w0, w.kw, w.dw, w.inW)
                    // Bounds come from the tap ranges, so the scan has no
                    // per-element checks. The first maximum in scan order wins,
                    // and any NaN replaces it, as in PyTorch's kernel.
                    var best = -T.infinity, bestIndex = -1
                    for ki in kiLo..<kiHi {
                        let row = (h0 + ki * w.dh) * w.inW
                        for kj in kjLo..<kjHi {
                            let i = row + w0 + kj * w.dw
                            let v = plane[i]
                            if v > best || v.isNaN || bestIndex < 0 {
                                best = v
                                bestIndex = i
                            }
                        }
                    }
                    dst[o] = best
                    indices[o] = Int64(bestIndex)
                    ow += 1
                }
            }
        }
    }
}

/// Max pooling over `planes` planes; `indices` get the flat position of each max within its plane.
package func maxPool2dForward(type: DType, planes: Int, _ window: Window2D, _ x: UnsafeRawPointer,
                              _ y: UnsafeMutableRawPointer, indices: UnsafeMutablePointer<Int64>?) {
    switch type {
    case .float32:
        if let indices { maxPoolTyped(Float.self, planes: planes, window, x, y, indices) }
        else { maxPoolSeparableTyped(Float.self, planes: planes, window, x, y) }
    case .float64:
        if let indices { maxPoolTyped(Double.self, planes: planes, window, x, y, indices) }
        else { maxPoolSeparableTyped(Double.self, planes: planes, window, x, y) }
    default: preconditionFailure("max_pool2d: \(type) is not supported")
    }
}

func avgPoolTyped<T: FloatTensorElement>(_: T.Type, planes: Int, _ w: Window2D, countIncludePad: Bool, backward: Bool,
                                         _ x: UnsafeRawPointer, _ y: UnsafeMutableRawPointer) {
    let src = x.assumingMemoryBound(to: T.self), dst = y.assumingMemoryBound(to: T.self)
    Parallel.forRange(planes, grain: 1) { range in
        for p in range {
            for oh in 0..<w.outH {
                for ow in 0..<w.outW {
                    var h0 = oh * w.sh - w.ph, w0 = ow * w.sw - w.pw
                    var h1 = Swift.min(h0 + w.kh, w.inH + w.ph), w1 = Swift.min(w0 + w.kw, w.inW + w.pw)
                    let poolSize = (h1 - h0) * (w1 - w0)
                    h0 = Swift.max(h0, 0); w0 = Swift.max(w0, 0)
                    h1 = Swift.min(h1, w.inH); w1 = Swift.min(w1, w.inW)
                    let divisor = T(countIncludePad ? poolSize : (h1 - h0) * (w1 - w0))
                    let o = (p * w.outH + oh) * w.outW + ow
                    if backward {
                        // x is the output gradient, y the input gradient.
                        let g = src[o] / divisor
                        for ih in h0..<Swift.max(h0, h1) { for iw in w0..<Swift.max(w0, w1) { dst[(p * w.inH + ih) * w.inW + iw] += g } }
                    } else {
                        var s: T = 0
                        for ih in h0..<Swift.max(h0, h1) { for iw in w0..<Swift.max(w0, w1) { s += src[(p * w.inH + ih) * w.inW + iw] } }
                        dst[o] = s / divisor
                    }
                }
            }
        }
    }
}

/// Average pooling with PyTorch's divisor rules, forward, or backward
/// (adding into a zeroed input gradient) when `backward`.
package func avgPool2dKernel(type: DType, planes: Int, _ window: Window2D, countIncludePad: Bool, backward: Bool,
                       _ x: UnsafeRawPointer, _ y: UnsafeMutableRawPointer) {
    switch type {
    case .float32: avgPoolTyped(Float.self, planes: planes, window, countIncludePad: countIncludePad, backward: backward, x, y)
    case .float64: avgPoolTyped(Double.self, planes: planes, window, countIncludePad: countIncludePad, backward: backward, x, y)
    default: preconditionFailure("avg_pool2d: \(type) is not supported")
    }
}
