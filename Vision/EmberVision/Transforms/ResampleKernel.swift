// Internal kernel behind resize: a separable two-pass resampler on raw
// buffers. Each axis gets a table of taps (input index, weight) per output
// index, computed once; the horizontal pass then runs along each row and the
// vertical pass blends whole rows, so the inner loops are plain
// multiply-adds over contiguous memory.
//
// The tap formulas follow ATen's CPU upsampling kernels (UpSampleKernel.cpp)
// step by step, in Float where ATen uses float, so results match
// `torch.nn.functional.interpolate` on float32 to a few ulps. Sums are
// first product, then fused multiply-adds in tap order: ATen's loops are
// written that way and the compiler fuses them, and this order reproduced
// torch's antialiased bilinear bit for bit on most fixture cases (not all:
// some wide-filter cases still differ by an ulp).

import EmberKernels

/// Per-output-index taps along one axis: `width` (index, weight) pairs each.
struct ResampleTaps {
    let inSize: Int
    let outSize: Int
    let width: Int
    var index: [Int]
    var weight: [Float]

    /// Taps for `mode`; `antialias` widens bilinear/bicubic filters when downscaling.
    init(inSize: Int, outSize: Int, mode: InterpolationMode, antialias: Bool) {
        self.inSize = inSize
        self.outSize = outSize
        let scale = Float(inSize) / Float(outSize)
        switch mode {
        case .nearest, .nearestExact:
            width = 1
            index = (0..<outSize).map { i in
                if mode == .nearestExact {
                    return Swift.min(Int((Float(Double(i) + 0.5) * scale).rounded(.down)), inSize - 1)
                }
                // ATen's nearest_idx: exact shortcuts for equal and doubled sizes.
                if outSize == inSize { return i }
                if outSize == 2 * inSize { return i >> 1 }
                return Swift.min(Int((Float(i) * scale).rounded(.down)), inSize - 1)
            }
            weight = [Float](repeating: 1, count: outSize)
        case .bilinear, .bicubic:
            let cubic = mode == .bicubic
            if antialias {
                (width, index, weight) = ResampleTaps.antialiased(inSize, outSize, scale: scale, cubic: cubic)
            } else if cubic {
                (width, index, weight) = ResampleTaps.cubic(inSize, outSize, scale: scale)
            } else {
                (width, index, weight) = ResampleTaps.linear(inSize, outSize, scale: scale)
            }
        }
    }

    /// ATen's `_compute_weights_aa`: a filter stretched by the downscale
    /// factor (PIL's method), normalised to sum 1 per output index.
    private static func antialiased(_ inSize: Int, _ outSize: Int, scale: Float,
                                    cubic: Bool) -> (Int, [Int], [Float]) {
        let interpSize: Float = cubic ? 4 : 2
        let support: Float = scale >= 1 ? (interpSize * 0.5) * scale : interpSize * 0.5
        let width = Int(support.rounded(.up)) * 2 + 1
        let invScale: Float = scale >= 1 ? 1 / scale : 1
        var index = [Int](repeating: 0, count: outSize * width)
        var weight = [Float](repeating: 0, count: outSize * width)
        for i in 0..<outSize {
            let center = Float(Double(scale) * (Double(i) + 0.5))
            let xmin = Swift.max(Int(Double(center - support) + 0.5), 0)
            let xsize = Swift.min(Int(Double(center + support) + 0.5), inSize) - xmin
            var total: Float = 0
            for j in 0..<xsize {
                let x = Float((Double(Float(j + xmin) - center) + 0.5) * Double(invScale))
                let w = cubic ? keysCubic(x, a: -0.5) : triangle(x)
                weight[i * width + j] = w
                total += w
            }
            for j in 0..<width {
                // Unused taps keep weight 0 and point at a valid pixel.
                index[i * width + j] = Swift.min(xmin + j, inSize - 1)
                if j < xsize && total != 0 { weight[i * width + j] /= total }
            }
        }
        return (width, index, weight)
    }

    /// ATen's linear interpolation without antialiasing: two neighbours of
    /// `scale · (i + 0.5) − 0.5`, clamped at 0.
    private static func linear(_ inSize: Int, _ outSize: Int, scale: Float) -> (Int, [Int], [Float]) {
        var index = [Int](repeating: 0, count: outSize * 2)
        var weight = [Float](repeating: 0, count: outSize * 2)
        for i in 0..<outSize {
            var real = scale * (Float(i) + 0.5) - 0.5
            if real < 0 { real = 0 }
            let i0 = Swift.min(Int(real.rounded(.down)), inSize - 1)
            let lambda1 = Swift.min(Swift.max(real - Float(i0), 0), 1)
            index[2 * i] = i0
            index[2 * i + 1] = i0 + (i0 < inSize - 1 ? 1 : 0)
            weight[2 * i] = 1 - lambda1
            weight[2 * i + 1] = lambda1
        }
        return (2, index, weight)
    }

    /// ATen's bicubic without antialiasing: Keys' cubic with a = −0.75 on four
    /// neighbours, indices clamped to the image.
    private static func cubic(_ inSize: Int, _ outSize: Int, scale: Float) -> (Int, [Int], [Float]) {
        var index = [Int](repeating: 0, count: outSize * 4)
        var weight = [Float](repeating: 0, count: outSize * 4)
        let a: Float = -0.75
        for i in 0..<outSize {
            let real = scale * (Float(i) + 0.5) - 0.5
            let i0 = Swift.min(Int(real.rounded(.down)), inSize - 1)
            let t = Swift.min(Swift.max(real - Float(i0), 0), 1)
            let w: [Float] = [cubicFar(t + 1, a), cubicNear(t, a), cubicNear(1 - t, a), cubicFar(1 - t + 1, a)]
            for k in 0..<4 {
                index[4 * i + k] = Swift.max(Swift.min(i0 - 1 + k, inSize - 1), 0)
                weight[4 * i + k] = w[k]
            }
        }
        return (4, index, weight)
    }

    private static func triangle(_ x: Float) -> Float {
        let x = Swift.abs(x)
        return x < 1 ? 1 - x : 0
    }

    private static func keysCubic(_ x: Float, a: Float) -> Float {
        let x = Swift.abs(x)
        if x < 1 { return cubicNear(x, a) }
        if x < 2 { return cubicFar(x, a) }
        return 0
    }

    /// Keys' cubic for |x| ≤ 1 (ATen's `cubic_convolution1`).
    private static func cubicNear(_ x: Float, _ a: Float) -> Float {
        ((a + 2) * x - (a + 3)) * x * x + 1
    }

    /// Keys' cubic for 1 < |x| < 2 (ATen's `cubic_convolution2`).
    private static func cubicFar(_ x: Float, _ a: Float) -> Float {
        ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    }
}

/// Pixel types the resampler reads.
protocol ResampleSource {
    var floatValue: Float { get }
    /// Eight consecutive values from `p`, as floats.
    static func floats8(_ p: UnsafePointer<Self>) -> SIMD8<Float>
}
extension UInt8: ResampleSource {
    var floatValue: Float { Float(self) }
    static func floats8(_ p: UnsafePointer<UInt8>) -> SIMD8<Float> {
        SIMD8<Float>(UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt8>.self))
    }
}
extension Float: ResampleSource {
    var floatValue: Float { self }
    static func floats8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
}

/// Where the planes of a (possibly strided) image lie: one offset per plane,
/// and element steps between rows and between columns. A CHW view of HWC
/// pixels (`permute(2, 0, 1)`) is read in place, without a copy.
struct PlaneLayout {
    let offsets: [Int]
    let rowStride: Int
    let colStride: Int

    /// The layout of `image`'s [..., H, W] planes, leading dims flattened.
    init(_ image: Tensor) {
        let r = image.rank
        var offsets = [0]
        for d in 0..<(r - 2) {
            offsets = offsets.flatMap { o in (0..<image.shape[d]).map { o + $0 * image.strides[d] } }
        }
        self.offsets = offsets
        rowStride = image.strides[r - 2]
        colStride = image.strides[r - 1]
    }
}

enum Resampler {
    /// Resamples the `inH × inW` planes at `layout` in `base` into `dst`
    /// (`planes × rows.outSize × cols.outSize` floats, contiguous):
    /// horizontal pass first, then vertical, in Float, as ATen's separable
    /// kernel does. A nil table skips that axis (its size is unchanged).
    ///
    /// Each pass splits its rows across threads when there is enough work;
    /// every output value is computed the same way whatever the split, so
    /// results do not depend on the thread count.
    static func resample<S: ResampleSource>(
        _ base: UnsafePointer<S>, layout: PlaneLayout, inH: Int, inW: Int,
        rows: ResampleTaps?, cols: ResampleTaps?, into dst: UnsafeMutableBufferPointer<Float>
    ) {
        let planes = layout.offsets.count
        let outH = rows?.outSize ?? inH, outW = cols?.outSize ?? inW
        // The horizontal pass writes straight to dst when there is no vertical one.
        var temp = [Float](repeating: 0, count: rows == nil ? 0 : planes * inH * outW)
        temp.withUnsafeMutableBufferPointer { temp in
            let hOut = rows == nil ? dst : temp
            if let cols {
                let blocks = (inH + 7) / 8
                let costPerBlock = 8 * (inW + outW * cols.width)
                Parallel.forRange(planes * blocks, grain: Swift.max(1, minimumWork / costPerBlock)) { items in
                    let block = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: inW)
                    defer { block.deallocate() }
                    block.initialize(repeating: .zero, count: inW)
                    for item in items {
                        let p = item / blocks, y0 = (item % blocks) * 8
                        horizontal(base + layout.offsets[p], layout: layout, rows: y0..<Swift.min(y0 + 8, inH),
                                   inW: inW, taps: cols, block: block,
                                   into: hOut.baseAddress! + p * inH * outW)
                    }
                }
            } else {
                // Only the height changes: the vertical pass reads Float rows.
                for (p, offset) in layout.offsets.enumerated() {
                    for y in 0..<inH {
                        let row = base + offset + y * layout.rowStride, out = temp.baseAddress! + (p * inH + y) * inW
                        for x in 0..<inW { out[x] = row[x * layout.colStride].floatValue }
                    }
                }
            }
            guard let rows else { return }
            Parallel.forRange(planes * outH, grain: Swift.max(1, minimumWork / (outW * rows.width))) { items in
                for item in items {
                    let p = item / outH, y = item % outH
                    vertical(UnsafePointer(temp.baseAddress! + p * inH * outW), width: outW, taps: rows, row: y,
                             into: dst.baseAddress! + (p * outH + y) * outW)
                }
            }
        }
    }

    /// Multiply-adds worth a thread: smaller images stay on the calling one.
    private static let minimumWork = 1 << 16

    /// Rows `rows` (at most 8) of one plane through the horizontal taps: each
    /// output pixel is the weighted sum of its taps, in tap order. The rows
    /// are transposed (and converted to Float) into a pixel-major block, so
    /// one tap is one SIMD8 load serving all of them; each lane still adds its
    /// products in order, so the rounding is that of one row at a time. Both
    /// transposes go 8 × 8 blocks at a time through registers (transposed8x8).
    private static func horizontal<S: ResampleSource>(
        _ plane: UnsafePointer<S>, layout: PlaneLayout, rows: Range<Int>, inW: Int, taps: ResampleTaps,
        block: UnsafeMutablePointer<SIMD8<Float>>, into dst: UnsafeMutablePointer<Float>
    ) {
        let k = taps.width, outW = taps.outSize
        let lanes = UnsafeMutableRawPointer(block).assumingMemoryBound(to: Float.self)
        // Eight contiguous rows go through registers 8 × 8 at a time; the
        // rest (and strided rows) one value at a time.
        let whole = rows.count == 8 && layout.colStride == 1 ? inW / 8 * 8 : 0
        if whole > 0 {
            let first = plane + rows.lowerBound * layout.rowStride, rs = layout.rowStride
            for x0 in stride(from: 0, to: whole, by: 8) {
                let p = first + x0
                let t = transposed8x8((S.floats8(p), S.floats8(p + rs), S.floats8(p + 2 * rs), S.floats8(p + 3 * rs),
                                       S.floats8(p + 4 * rs), S.floats8(p + 5 * rs), S.floats8(p + 6 * rs),
                                       S.floats8(p + 7 * rs)))
                (block[x0], block[x0 + 1], block[x0 + 2], block[x0 + 3]) = (t.0, t.1, t.2, t.3)
                (block[x0 + 4], block[x0 + 5], block[x0 + 6], block[x0 + 7]) = (t.4, t.5, t.6, t.7)
            }
        }
        for (j, y) in rows.enumerated() {
            let row = plane + y * layout.rowStride
            if layout.colStride == 1 {
                for x in whole..<inW { lanes[x * 8 + j] = row[x].floatValue }
            } else {
                for x in 0..<inW { lanes[x * 8 + j] = row[x * layout.colStride].floatValue }
            }
        }
        taps.index.withUnsafeBufferPointer { index in
            taps.weight.withUnsafeBufferPointer { weight in
                let out = dst + rows.lowerBound * outW
                @inline(__always) func pixel(_ x: Int) -> SIMD8<Float> {
                    let t = x * k
                    var acc = block[index[t]] * weight[t]
                    for j in 1..<Swift.max(k, 1) {
                        acc = acc.addingProduct(block[index[t + j]], SIMD8(repeating: weight[t + j]))
                    }
                    return acc
                }
                // Eight output pixels of eight rows transposed back to rows in registers.
                let wholeOut = rows.count == 8 ? outW / 8 * 8 : 0
                for x0 in stride(from: 0, to: wholeOut, by: 8) {
                    let t = transposed8x8((pixel(x0), pixel(x0 + 1), pixel(x0 + 2), pixel(x0 + 3),
                                           pixel(x0 + 4), pixel(x0 + 5), pixel(x0 + 6), pixel(x0 + 7)))
                    @inline(__always) func store(_ j: Int, _ v: SIMD8<Float>) {
                        UnsafeMutableRawPointer(out + j * outW + x0).storeBytes(of: v, as: SIMD8<Float>.self)
                    }
                    store(0, t.0); store(1, t.1); store(2, t.2); store(3, t.3)
                    store(4, t.4); store(5, t.5); store(6, t.6); store(7, t.7)
                }
                for x in wholeOut..<outW {
                    let acc = pixel(x)
                    for j in 0..<rows.count { out[j * outW + x] = acc[j] }
                }
            }
        }
    }

    /// Output row `row`: the weighted sum of its source rows, accumulated
    /// row by row so the loop over x vectorizes.
    private static func vertical(
        _ src: UnsafePointer<Float>, width: Int, taps: ResampleTaps, row y: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        let k = taps.width
        let first = src + taps.index[y * k] * width
        let w0 = taps.weight[y * k]
        for x in 0..<width { out[x] = first[x] * w0 }
        for j in 1..<Swift.max(k, 1) {
            let row = src + taps.index[y * k + j] * width
            let w = taps.weight[y * k + j]
            if w == 0 { continue }   // padding taps of the antialiased table
            for x in 0..<width { out[x] = out[x].addingProduct(row[x], w) }
        }
    }
}
