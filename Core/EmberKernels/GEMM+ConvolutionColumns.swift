// im2col fused into the GEMM's B packing. A convolution's column matrix is
// 9x its input for a 3×3 kernel (49x for 7×7); writing it out and having the
// GEMM read it back to pack it was the largest memory-bound pass of DenseNet
// inference (a fifth of the time on two threads). Here the AVX-512 SGEMM's
// packB step reads the input planes directly, so each column panel is built
// in L2 from an input that stays in cache, and the column matrix never exists.

/// The column matrix `im2col` would write for `images` images of `channels`
/// planes (`imageStride` floats apart), read as op(b) of a GEMM: row
/// p = (c, ki, kj), column j = (image, oh, ow), starting at column `column0`.
package struct ConvolutionColumns {
    package let x: UnsafePointer<Float>
    package let channels: Int
    package let window: Window2D
    package let imageStride: Int
    package var column0: Int

    package init(x: UnsafePointer<Float>, channels: Int, window: Window2D, imageStride: Int, column0: Int = 0) {
        (self.x, self.channels, self.window, self.imageStride, self.column0) = (x, channels, window, imageStride, column0)
    }

    /// One run of consecutive columns within one output row of one image.
    private struct Run { var j: Int, count: Int, image: Int, oh: Int, ow: Int }

    /// Packs rows `row..<row+kc`, columns `column..<column+nc` like `packB`:
    /// NR-wide panels (a last one of at most 16 columns packed 16 wide), zeros
    /// for padding and missing columns.
    func pack(row: Int, column: Int, kc: Int, nc: Int, into dst: UnsafeMutablePointer<Float>) {
        let NR = SGEMMBlocking.nr, w = window
        let plane = w.outH * w.outW, taps = w.kh * w.kw
        withUnsafeTemporaryAllocation(of: Run.self, capacity: NR) { runs in
            for j0 in stride(from: 0, to: nc, by: NR) {
                let columns = min(NR, nc - j0)
                let width = columns > 16 ? NR : 16
                let panel = dst + j0 * kc
                // The panel's columns cut at output-row ends: a few runs, shared by all its rows.
                var runCount = 0, j = 0
                while j < columns {
                    let col = column0 + column + j0 + j
                    let image = col / plane, pos = col % plane
                    let oh = pos / w.outW, ow = pos % w.outW
                    let count = min(columns - j, w.outW - ow)
                    runs[runCount] = Run(j: j, count: count, image: image, oh: oh, ow: ow)
                    runCount += 1
                    j += count
                }
                var c = row / taps, ki = (row / w.kw) % w.kh, kj = row % w.kw
                for p in 0..<kc {
                    let out = panel + p * width
                    let offset = kj * w.dw - w.pw
                    for r in 0..<runCount {
                        let run = runs[r]
                        let target = out + run.j
                        let ih = run.oh * w.sh - w.ph + ki * w.dh
                        if ih < 0 || ih >= w.inH {
                            zeroRun(target, run.count)
                            continue
                        }
                        let line = x + run.image * imageStride + (c * w.inH + ih) * w.inW
                        if w.sw == 1 {
                            // iw = ow + t + offset must lie in 0..<inW: a zero head, a copy, a zero tail.
                            let start = run.ow + offset
                            let lo = min(run.count, max(0, -start)), hi = max(lo, min(run.count, w.inW - start))
                            for t in 0..<lo { target[t] = 0 }
                            copyRun(target + lo, line + start + lo, hi - lo)
                            for t in hi..<run.count { target[t] = 0 }
                        } else {
                            for t in 0..<run.count {
                                let iw = (run.ow + t) * w.sw + offset
                                target[t] = iw >= 0 && iw < w.inW ? line[iw] : 0
                            }
                        }
                    }
                    if columns < width { zeroRun(out + columns, width - columns) }
                    // Next row of the column matrix: (c, ki, kj) in row-major order.
                    kj += 1
                    if kj == w.kw {
                        kj = 0
                        ki += 1
                        if ki == w.kh { ki = 0; c += 1 }
                    }
                }
            }
        }
    }
}

/// Copies `count` floats in 16-wide vectors; a tail goes as one more vector
/// overlapping the last (the same values written twice), so runs of 16-32
/// floats, the usual ones, take two or three moves instead of a scalar loop.
@inline(__always)
private func copyRun(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ count: Int) {
    let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
    if count >= 16 {
        var t = 0
        while t + 16 <= count {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: t * 4, as: SIMD16<Float>.self), toByteOffset: t * 4,
                         as: SIMD16<Float>.self)
            t += 16
        }
        if t < count {
            let last = (count - 16) * 4
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: last, as: SIMD16<Float>.self), toByteOffset: last,
                         as: SIMD16<Float>.self)
        }
    } else if count >= 4 {
        var t = 0
        while t + 4 <= count {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: t * 4, as: SIMD4<Float>.self), toByteOffset: t * 4,
                         as: SIMD4<Float>.self)
            t += 4
        }
        if t < count {
            let last = (count - 4) * 4
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: last, as: SIMD4<Float>.self), toByteOffset: last,
                         as: SIMD4<Float>.self)
        }
    } else {
        for t in 0..<count { dst[t] = src[t] }
    }
}

@inline(__always)
private func zeroRun(_ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    let d = UnsafeMutableRawPointer(dst)
    var t = 0
    while t + 16 <= count {
        d.storeBytes(of: SIMD16<Float>(), toByteOffset: t * 4, as: SIMD16<Float>.self)
        t += 16
    }
    for i in t..<count { dst[i] = 0 }
}

/// Whether `convolutionGEMM` runs this product (else: im2col, then `gemm`).
/// Not when a threaded product would split its rows (many filters: ResNet's
/// 128-512): each part would pack all the columns, repeating the unfolding
/// per thread, where im2col splits it and only the cheap copy into panels repeats.
package func convolutionGEMMApplies(type: DType, m: Int, n: Int, k: Int, threaded: Bool) -> Bool {
    #if EMBER_AVX512
    let threads = threaded ? Parallel.threadCount : 1
    if threads > 1 && m * n * k >= 1 << 18 && (m >= 48 * threads || m >= n) { return false }
    return type == .float32 && !sgemmUsesOpenBLAS && sgemmAVX512IsFaster(m: m, n: n, k: k)
    #else
    return false
    #endif
}

/// `c = a · columns` (m × n, leading dimension `ldc`) with the columns packed
/// from the images; `a` is m × k row-major with leading dimension `lda`. Splits
/// the rows or the columns across the threads when `threaded` (see `gemm`);
/// each element's sum runs in the same order either way.
package func convolutionGEMM(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int,
                             _ columns: ConvolutionColumns, _ c: UnsafeMutablePointer<Float>, ldc: Int,
                             threaded: Bool = true) {
    let threads = threaded ? Parallel.threadCount : 1
    let nr = SGEMMBlocking.nr
    if threads < 2 || m * n * k < 1 << 18 || (n < 2 * nr && m < 8 * threads) {
        sgemmAVX512(m: m, n: n, k: k, alpha: 1, a, transA: false, lda: lda, a, transB: false, ldb: 0,
                    beta: 0, c, ldc: ldc, columns: columns)
        return
    }
    if n < 2 * nr {
        // Too few columns to share (DenseNet's 7×7 planes at batch 1: 49): each
        // part takes a run of rows, a multiple of 4 for the row-tail kernels,
        // and packs the few columns itself.
        let per = ((m + threads - 1) / threads + 3) / 4 * 4
        Parallel.forRange(threads, grain: 1) { range in
            for t in range {
                let r0 = t * per, rows = min(per, m - r0)
                if rows <= 0 { continue }
                sgemmAVX512(m: rows, n: n, k: k, alpha: 1, a + r0 * lda, transA: false, lda: lda, a, transB: false,
                            ldb: 0, beta: 0, c + r0 * ldc, ldc: ldc, columns: columns)
            }
        }
        return
    }
    // Equal halves of the columns (`convolutionGEMMApplies` sent many-row
    // products, which would split rows, to im2col): whole-panel parts, rounded
    // up to 32, would leave 128 + 68 of a 14×14 plane's 196, a third of a thread idle.
    forEachColumnPart(n: n, threads: threads) { c0, count in
        var part = columns
        part.column0 += c0
        sgemmAVX512(m: m, n: count, k: k, alpha: 1, a, transA: false, lda: lda, a, transB: false, ldb: 0,
                    beta: 0, c + c0, ldc: ldc, columns: part)
    }
}

/// Runs `body(c0, count)` for `threads` equal runs of `n` columns, in parallel.
func forEachColumnPart(n: Int, threads: Int, _ body: (Int, Int) -> Void) {
    let per = (n + threads - 1) / threads
    Parallel.forRange(threads, grain: 1) { range in
        for t in range where t * per < n { body(t * per, min(per, n - t * per)) }
    }
}
