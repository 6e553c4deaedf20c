// Stride-1 convolutions as a GEMM that reads its columns in place. With the
// input zero-padded into planes Wp = W + 2·pw wide and Hp = H + 2·ph tall,
// output pixel (oh, ow) becomes column j = oh·Wp + ow, and row p = (c, ki, kj)
// of the column matrix is b[p][j] = xpad[c·Hp·Wp + ki·Wp + kj + j]: every row
// is a contiguous slice of the padded planes, shifted by its tap. The
// micro-kernel loads those slices directly (ShiftedRowsB), so nothing is
// unfolded or packed; the price is Wp − Wout wasted columns per output row
// (2 of 58 at 56×56), dropped when the product is copied out. DenseNet's
// 32-filter 3×3 convolutions had spent as long packing their columns (each
// feeding only 32 rows) as multiplying them.

/// op(b) of `sgemmAVX512` read from padded planes: b[p][j] = x[offsets[p] + column0 + j].
package struct ShiftedRows {
    package let x: UnsafePointer<Float>
    package let offsets: UnsafePointer<Int>
    package var column0: Int

    package init(x: UnsafePointer<Float>, offsets: UnsafePointer<Int>, column0: Int = 0) {
        (self.x, self.offsets, self.column0) = (x, offsets, column0)
    }
}

/// The padded-plane layout of a stride-1, undilated convolution window.
package struct ShiftedRowsLayout {
    package let window: Window2D
    package var paddedH: Int { window.inH + 2 * window.ph }
    package var paddedW: Int { window.inW + 2 * window.pw }
    package var plane: Int { paddedH * paddedW }
    /// Columns of the product: output rows `paddedW` apart, the last one `outW` long.
    package var columns: Int { (window.outH - 1) * paddedW + window.outW }

    package init(window: Window2D) { self.window = window }

    /// Whether a float32 convolution with this window, `filters` output rows
    /// and `k` column rows runs on padded planes: stride 1, no dilation, a
    /// kernel larger than 1×1, symmetric padding that gives the stated output
    /// size, and at most a fifth of the columns wasted (7×7 planes, 2 of 9,
    /// keep the packed columns).
    package static func applies(type: DType, window w: Window2D, filters: Int, k: Int) -> Bool {
        guard isAvailable, type == .float32, w.sh == 1, w.sw == 1, w.dh == 1, w.dw == 1,
              w.kh * w.kw > 1, w.outH == w.inH + 2 * w.ph - w.kh + 1, w.outW == w.inW + 2 * w.pw - w.kw + 1,
              w.outH > 0, w.outW > 0 else { return false }
        let layout = ShiftedRowsLayout(window: w)
        return 5 * w.outW >= 4 * layout.paddedW && sgemmAVX512IsFaster(m: filters, n: layout.columns, k: k)
    }

    /// Whether this build runs float32 GEMMs on the AVX-512 kernel, which alone reads padded planes.
    package static var isAvailable: Bool {
        #if EMBER_AVX512
        return !sgemmUsesOpenBLAS
        #else
        return false
        #endif
    }

    /// Floats of a padded buffer for `channels` planes: the last panel of the
    /// last row may read up to NR floats past the planes.
    package func count(channels: Int) -> Int { channels * plane + SGEMMBlocking.nr }

    /// Row p = (c, ki, kj) of the column matrix starts at `offsets[p]`.
    package func offsets(channels: Int) -> [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(channels * window.kh * window.kw)
        for c in 0..<channels {
            for ki in 0..<window.kh {
                for kj in 0..<window.kw { offsets.append(c * plane + ki * paddedW + kj) }
            }
        }
        return offsets
    }

    /// Writes `channels` planes from `x` (contiguous H×W planes) into `padded`
    /// with zero borders and zero slack, split over the threads when `threaded`.
    package func pad(_ x: UnsafePointer<Float>, channels: Int, into padded: UnsafeMutablePointer<Float>, threaded: Bool) {
        let w = window, wp = paddedW
        let body = { (range: Range<Int>) in
            for c in range {
                let src = x + c * w.inH * w.inW, dst = padded + c * plane
                dst.update(repeating: 0, count: w.ph * wp)
                for h in 0..<w.inH {
                    let row = dst + (w.ph + h) * wp
                    row.update(repeating: 0, count: w.pw)
                    (row + w.pw).update(from: src + h * w.inW, count: w.inW)
                    (row + w.pw + w.inW).update(repeating: 0, count: w.pw)
                }
                (dst + (w.ph + w.inH) * wp).update(repeating: 0, count: w.ph * wp)
            }
        }
        if threaded {
            Parallel.forRange(channels, grain: Swift.max(1, 16384 / Swift.max(plane, 1)), body)
        } else {
            body(0..<channels)
        }
        (padded + channels * plane).update(repeating: 0, count: SGEMMBlocking.nr)
    }

    /// Writes `channels` output-gradient planes (each outH × outW) transposed
    /// into the padded column space, `[columns × channels]`: row j = oh·Wp + ow,
    /// zero where ow ≥ outW, so that the wasted columns add nothing to a weight gradient.
    package func transposeGradient(_ gy: UnsafePointer<Float>, channels: Int, into dst: UnsafeMutablePointer<Float>) {
        let w = window, wp = paddedW
        let blockChannels = channels / 8 * 8, blockColumns = w.outW / 8 * 8
        for oh in 0..<w.outH {
            let row = dst + oh * wp * channels
            // 8 × 8 blocks through registers, the rest one value at a time.
            for o0 in stride(from: 0, to: blockChannels, by: 8) {
                let src = gy + (o0 * w.outH + oh) * w.outW
                for ow0 in stride(from: 0, to: blockColumns, by: 8) {
                    transpose8x8(src + ow0, w.outH * w.outW, row + ow0 * channels + o0, channels)
                }
            }
            for o in 0..<channels {
                let src = gy + (o * w.outH + oh) * w.outW
                for ow in (o < blockChannels ? blockColumns : 0)..<w.outW { row[ow * channels + o] = src[ow] }
            }
            if oh < w.outH - 1 { (row + w.outW * channels).update(repeating: 0, count: (wp - w.outW) * channels) }
        }
    }

    /// Copies the valid `outW` columns of each output row of `rows` (`rowCount`
    /// rows of `columns`) into `y`, split over the threads when `threaded`.
    package func compact(_ rows: UnsafePointer<Float>, rowCount: Int, into y: UnsafeMutablePointer<Float>, threaded: Bool) {
        let w = window, n = columns
        let body = { (range: Range<Int>) in
            for r in range {
                for oh in 0..<w.outH {
                    (y + (r * w.outH + oh) * w.outW).update(from: rows + r * n + oh * paddedW, count: w.outW)
                }
            }
        }
        if threaded {
            Parallel.forRange(rowCount, grain: Swift.max(1, 16384 / Swift.max(n, 1)), body)
        } else {
            body(0..<rowCount)
        }
    }
}

/// `c = a · b` (m × `layout.columns`, leading dimension `ldc`) with b the
/// column matrix read from the padded planes at `padded`; `a` is m × k
/// row-major (`lda`). Splits the columns across the threads when `threaded`.
package func shiftedRowsGEMM(m: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, layout: ShiftedRowsLayout,
                             padded: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
                             _ c: UnsafeMutablePointer<Float>, ldc: Int, threaded: Bool) {
    let n = layout.columns
    let threads = threaded ? Parallel.threadCount : 1
    let rows = ShiftedRows(x: padded, offsets: offsets)
    if threads < 2 || m * n * k < 1 << 18 || n < 2 * SGEMMBlocking.nr {
        sgemmAVX512(m: m, n: n, k: k, alpha: 1, a, transA: false, lda: lda, a, transB: false, ldb: 0,
                    beta: 0, c, ldc: ldc, shifted: rows)
        return
    }
    forEachColumnPart(n: n, threads: threads) { c0, count in
        var part = rows
        part.column0 += c0
        sgemmAVX512(m: m, n: count, k: k, alpha: 1, a, transA: false, lda: lda, a, transB: false, ldb: 0,
                    beta: 0, c + c0, ldc: ldc, shifted: part)
    }
}

/// The weight gradient of a convolution on padded planes, transposed and by
/// tap: `dwT[tap][c][o] += Σ_j xpad[c·plane + tap offset + j] · gyT[j][o]`
/// over the padded columns j, for `channels` input and `filters` output
/// channels. Ordered by tap, the rows of the column matrix are the channels
/// one plane apart, which the kernel reads in place (RowsA); ordered (c, ki,
/// kj) as the weight is, they would need an unfolded column matrix. Splits
/// each tap's rows across the threads when `threaded`.
package func shiftedRowsWeightGradient(layout: ShiftedRowsLayout, channels: Int, filters: Int,
                                       padded: UnsafePointer<Float>, gradient gyT: UnsafePointer<Float>,
                                       into dwT: UnsafeMutablePointer<Float>, threaded: Bool) {
    let w = layout.window, taps = w.kh * w.kw
    let blocks = threaded ? Parallel.threadCount : 1
    let mr = SGEMMBlocking.mr
    let rowsPerBlock = ((channels + blocks - 1) / blocks + mr - 1) / mr * mr
    let body = { (range: Range<Int>) in
        for task in range {
            let tap = task / blocks, r0 = (task % blocks) * rowsPerBlock
            let rows = min(rowsPerBlock, channels - r0)
            if rows <= 0 { continue }
            let a = padded + r0 * layout.plane + (tap / w.kw) * layout.paddedW + tap % w.kw
            sgemmAVX512(m: rows, n: filters, k: layout.columns, alpha: 1, a, transA: false, lda: layout.plane,
                        gyT, transB: false, ldb: filters, beta: 1, dwT + (tap * channels + r0) * filters, ldc: filters)
        }
    }
    if blocks > 1 { Parallel.forRange(taps * blocks, grain: 1, body) } else { body(0..<taps) }
}
