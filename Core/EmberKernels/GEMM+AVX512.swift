// A single-threaded float32 GEMM for CPUs with AVX-512, used instead of
// OpenBLAS when the build targets AVX-512 (EMBER_AVX512, set by Package.swift).
// The environment pins OpenBLAS to its Haswell (AVX2) kernels, which leave half
// of each AVX-512 FMA unit idle; this kernel uses full 16-float vectors.
//
// The structure is Goto's / BLIS's:
//
//   for jc in N by NC:                 (B block, kc × nc, packed; lives in L2/L3)
//     for pc in K by KC:
//       pack op(B)[pc.., jc..] into NR-wide column panels
//       for ic in M by MC:              (A block, mc × kc, packed; lives in L2)
//         pack alpha·op(A)[ic.., pc..] into MR-tall row panels
//         (a row-major A with alpha 1 is read in place instead; see RowsA)
//         for jr in nc by NR:           (one B panel, kc × NR: L1 / L2)
//           for ir in mc by MR:         (A panels stream from L2)
//             micro-kernel: C[MR × NR] (+)= Apanel · Bpanel
//
// Packing makes every operand layout (transposed or not, any leading dimension)
// the same contiguous stream for the micro-kernel, and pads edge panels with
// zeros so that the micro-kernel always computes a full tile; partial tiles are
// computed into a scratch tile and only their valid part is merged into C.
//
// The code compiles on every target (SIMD16 becomes narrower vectors there) so
// that its tests always run; only AVX-512 builds select it (see `blasGEMM`).

import Foundation
import Synchronization

/// Block sizes for a core with a 48 KiB L1d and a 1 MiB L2 (AMD Zen 5 here),
/// chosen by measurement (single thread, 1024² and 2048² products and
/// convolution shapes; KC 256 → 512 gained ~10%, MC and NC mattered little):
/// - `kc`: the depth of one pass. Deep passes amortize the micro-kernel's load and
///   store of its C tile; a B panel (kc × NR, 64 KiB) then streams from L2
///   rather than sitting in L1, which the prefetchers keep up with.
/// - `mc`: the packed A block (mc × kc, 384 KiB) stays in L2.
/// - `nc`: the packed B block (kc × nc, 6 MiB) is reused across all of M.
enum SGEMMBlocking {
    static let mr = 12, nr = 32
    static let kc = 512
    static let mc = 192  // a multiple of mr
    static let nc = 3072  // a multiple of nr
}

/// Whether the kernel beats single-threaded OpenBLAS (Haswell kernels) on this
/// shape, measured on Zen 5 (see Benchmarks, `ember-bench --threads 1 "gemm kernel"`):
/// 1.5-2x faster on most shapes, 1.1-1.9x on the 49-column products of 7×7
/// planes (32-2048 rows) and 1.2x at 32³; products below that are left to OpenBLAS.
func sgemmAVX512IsFaster(m: Int, n: Int, k: Int) -> Bool {
    m * n * k >= 1 << 15
}

/// Packing buffers, reused across calls: each call takes a pair from the free
/// list (one per concurrently running GEMM, so at most one per thread) and
/// returns it. Their memory is never freed; there are at most a few pairs.
private final class SGEMMBuffers: @unchecked Sendable {
    let a = UnsafeMutableRawPointer.allocate(
        byteCount: SGEMMBlocking.mc * SGEMMBlocking.kc * 4, alignment: 64).bindMemory(
        to: Float.self, capacity: SGEMMBlocking.mc * SGEMMBlocking.kc)
    let b = UnsafeMutableRawPointer.allocate(
        byteCount: SGEMMBlocking.kc * SGEMMBlocking.nc * 4, alignment: 64).bindMemory(
        to: Float.self, capacity: SGEMMBlocking.kc * SGEMMBlocking.nc)
}
private let freeSGEMMBuffers = Mutex<[SGEMMBuffers]>([])

/// `EMBER_GEMM=openblas` sends float32 GEMMs back to OpenBLAS (for comparisons).
let sgemmUsesOpenBLAS: Bool = getenv("EMBER_GEMM").map { String(cString: $0) == "openblas" } ?? false

/// `c = alpha·op(a)·op(b) + beta·c`, row-major, single-threaded. `op(a)` is
/// m × k (`a` stored k × m when `transA`), `op(b)` is k × n. With beta 0, c is
/// only written (NaNs in it do not propagate), as in BLAS. With `columns`,
/// op(b) is instead the im2col matrix of a convolution, packed straight from
/// the images; with `shifted`, it is read in place from a padded image (see
/// ShiftedRows). `b` is not read in either case.
package func sgemmAVX512(
    m: Int, n: Int, k: Int, alpha: Float,
    _ a: UnsafePointer<Float>, transA: Bool, lda: Int,
    _ b: UnsafePointer<Float>, transB: Bool, ldb: Int,
    beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int, columns: ConvolutionColumns? = nil,
    shifted: ShiftedRows? = nil
) {
    if m <= 0 || n <= 0 { return }
    if k <= 0 || alpha == 0 {
        for i in 0..<m {
            let row = c + i * ldc
            for j in 0..<n { row[j] = beta == 0 ? 0 : row[j] * beta }
        }
        return
    }
    let buffers = freeSGEMMBuffers.withLock { $0.popLast() } ?? SGEMMBuffers()
    defer { freeSGEMMBuffers.withLock { $0.append(buffers) } }
    let (MR, NR, KC, MC, NC) = (SGEMMBlocking.mr, SGEMMBlocking.nr, SGEMMBlocking.kc, SGEMMBlocking.mc, SGEMMBlocking.nc)
    let directA = !transA && alpha == 1
    // A narrow row-major B (rows at most 128 floats apart, whole 32-column
    // panels) is read in place: each panel step is two vectors of one short
    // row, as packing would lay them out, and the per-tap weight gradients of
    // convolutions with 32-128 filters no longer repack it nine times. Wide
    // rows are still packed (a panel would touch a new page every step), and
    // so are partial panels, whose vectors would read past the row's end.
    let bInPlace = !transB && columns == nil && shifted == nil && ldb <= 128 && n % NR == 0
    // A scratch tile for partial tiles at the right and bottom edges.
    withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: MR * NR / 16) { scratchVectors in
        let scratch = UnsafeMutableRawPointer(scratchVectors.baseAddress!).assumingMemoryBound(to: Float.self)
        // K and M are cut into equal blocks of at most KC and MC (k = 576 runs as
        // 2 × 288, not 512 + 64): a thin last K block would pay the C tiles' loads
        // and stores for little work.
        let kBlocks = (k + KC - 1) / KC, kcStep = (k + kBlocks - 1) / kBlocks
        let mBlocks = (m + MC - 1) / MC, mcStep = ((m + mBlocks - 1) / mBlocks + MR - 1) / MR * MR
        for jc in stride(from: 0, to: n, by: NC) {
            let nc = min(NC, n - jc)
            for pc in stride(from: 0, to: k, by: kcStep) {
                let kc = min(kcStep, k - pc)
                if shifted != nil || bInPlace {
                    // Nothing to pack: each step's row is a slice of the padded image, or B is one packed panel.
                } else if let columns {
                    columns.pack(row: pc, column: jc, kc: kc, nc: nc, into: buffers.b)
                } else {
                    packB(b, transposed: transB, ld: ldb, row: pc, column: jc, kc: kc, nc: nc, into: buffers.b)
                }
                // The first K block applies beta; later ones accumulate.
                let blockBeta = pc == 0 ? beta : 1
                for ic in stride(from: 0, to: m, by: mcStep) {
                    let mc = min(mcStep, m - ic)
                    // Full row panels of a row-major A are read in place; only
                    // a last partial panel (or a transposed or scaled A) is packed.
                    let full = directA ? mc / MR * MR : 0
                    if full < mc {
                        packA(a, transposed: transA, ld: lda, row: ic + full, column: pc, mc: mc - full, kc: kc,
                              alpha: alpha, into: buffers.a)
                    }
                    for jr in stride(from: 0, to: nc, by: NR) {
                        let nr = min(NR, nc - jr)
                        for ir in stride(from: 0, to: mc, by: MR) {
                            let mr = min(MR, mc - ir)
                            let tile = c + (ic + ir) * ldc + jc + jr
                            // The four operand combinations, each its own specialization of the kernels.
                            @inline(__always) func run<B: MicroKernelB>(_ pb: B) {
                                if ir < full {
                                    microTile(RowsA(a + (ic + ir) * lda + pc, ld: lda), pb, kc: kc, rows: MR, columns: nr,
                                              tile, ldc, beta: blockBeta, scratch: scratch)
                                } else {
                                    microTile(PackedPanelA(p: buffers.a + (ir - full) * kc), pb, kc: kc, rows: mr,
                                              columns: nr, tile, ldc, beta: blockBeta, scratch: scratch)
                                }
                            }
                            if let shifted {
                                run(ShiftedRowsB(x: shifted.x + shifted.column0 + jc + jr, offsets: shifted.offsets + pc))
                            } else if bInPlace {
                                run(PackedPanelB(p: UnsafeRawPointer(b + pc * ldb + jc + jr), step: ldb * 4))
                            } else {
                                run(PackedPanelB(p: UnsafeRawPointer(buffers.b + jr * kc), step: nr > 16 ? 128 : 64))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One MR × NR (or MR × 16 at a column tail) tile of c; partial tiles are
/// computed into `scratch` and only their valid part merged into c.
@inline(__always)
private func microTile<A: MicroKernelA, B: MicroKernelB>(
    _ a: A, _ pb: B, kc: Int, rows: Int, columns: Int,
    _ tile: UnsafeMutablePointer<Float>, _ ldc: Int, beta: Float, scratch: UnsafeMutablePointer<Float>
) {
    let (MR, NR) = (SGEMMBlocking.mr, SGEMMBlocking.nr)
    if columns > 16 {
        // Full tiles go straight to c; a last panel of at most 8 or 4 rows takes a shorter kernel.
        let height = rows > 8 ? MR : rows > 4 ? 8 : 4
        let direct = rows == height && columns == NR
        let (target, ld) = direct ? (tile, ldc) : (scratch, NR)
        let tileBeta = direct ? beta : 0
        switch height {
        case MR: sgemmKernel12x32(kc, a, pb, target, ld, beta: tileBeta)
        case 8: sgemmKernel8x32(kc, a, pb, target, ld, beta: tileBeta)
        default: sgemmKernel4x32(kc, a, pb, target, ld, beta: tileBeta)
        }
        if !direct { mergeTile(scratch, NR, into: tile, ldc, rows: rows, columns: columns, beta: beta) }
    } else {
        // A tail of at most 16 columns, packed 16 wide (see packB).
        if rows == MR && columns == 16 {
            sgemmKernel12x16(kc, a, pb, tile, ldc, beta: beta)
        } else {
            sgemmKernel12x16(kc, a, pb, scratch, 16, beta: 0)
            mergeTile(scratch, 16, into: tile, ldc, rows: rows, columns: columns, beta: beta)
        }
    }
}

/// `c[i][j] = t[i][j] + beta·c[i][j]` over a partial tile (beta 0: no read of c).
@inline(__always)
private func mergeTile(
    _ t: UnsafeMutablePointer<Float>, _ ldt: Int, into c: UnsafeMutablePointer<Float>, _ ldc: Int,
    rows: Int, columns: Int, beta: Float
) {
    for i in 0..<rows {
        let src = t + i * ldt, dst = c + i * ldc
        if beta == 0 {
            for j in 0..<columns { dst[j] = src[j] }
        } else {
            for j in 0..<columns { dst[j] = src[j] + beta * dst[j] }
        }
    }
}

/// Packs `alpha·op(a)[row..<row+mc][column..<column+kc]` into MR-row panels: panel q
/// holds, for each p, the MR values op(a)[row + q·MR + r][column + p] (r = 0..<MR),
/// so the micro-kernel reads one contiguous MR-vector per step. Missing rows are 0.
private func packA(
    _ a: UnsafePointer<Float>, transposed: Bool, ld: Int, row: Int, column: Int,
    mc: Int, kc: Int, alpha: Float, into dst: UnsafeMutablePointer<Float>
) {
    let MR = SGEMMBlocking.mr
    for i0 in stride(from: 0, to: mc, by: MR) {
        let rows = min(MR, mc - i0)
        let panel = dst + i0 * kc
        if transposed {
            // op(a)[i][p] = a[p][i]: each step's MR values are contiguous in a.
            for p in 0..<kc {
                let src = a + (column + p) * ld + row + i0
                let out = panel + p * MR
                for r in 0..<rows { out[r] = alpha * src[r] }
                for r in rows..<MR { out[r] = 0 }
            }
        } else {
            // op(a)[i][p] = a[i][p]: read MR rows side by side, writing the panel
            // in order (the MR source lines stay in L1 across consecutive p).
            let src = a + (row + i0) * ld + column
            for p in 0..<kc {
                let out = panel + p * MR
                for r in 0..<rows { out[r] = alpha * src[r * ld + p] }
                for r in rows..<MR { out[r] = 0 }
            }
        }
    }
}

/// Packs `op(b)[row..<row+kc][column..<column+nc]` into column panels NR wide, each
/// holding for each p its NR values op(b)[row + p][j0 ..< j0 + NR]. A last panel of
/// at most 16 columns is packed 16 wide (for the 16-wide micro-kernel); missing
/// columns are 0. Panel j0 starts at `dst + j0·kc` either way.
private func packB(
    _ b: UnsafePointer<Float>, transposed: Bool, ld: Int, row: Int, column: Int,
    kc: Int, nc: Int, into dst: UnsafeMutablePointer<Float>
) {
    let NR = SGEMMBlocking.nr
    for j0 in stride(from: 0, to: nc, by: NR) {
        let columns = min(NR, nc - j0)
        let width = columns > 16 ? NR : 16
        let panel = dst + j0 * kc
        if transposed {
            // op(b)[p][j] = b[j][p]: each column of the panel is a row of b; read
            // them side by side, writing the panel in order.
            let src = b + (column + j0) * ld + row
            // Whole 8 × 8 blocks (8 columns of the panel, 8 steps) go through
            // registers; the last steps and a partial panel one value at a time.
            let blockSteps = columns == NR ? kc / 8 * 8 : 0
            for p0 in stride(from: 0, to: blockSteps, by: 8) {
                for j in stride(from: 0, to: NR, by: 8) {
                    transpose8x8(src + j * ld + p0, ld, panel + p0 * NR + j, NR)
                }
            }
            for p in blockSteps..<kc {
                let out = panel + p * width
                for j in 0..<columns { out[j] = src[j * ld + p] }
                for j in columns..<width { out[j] = 0 }
            }
        } else {
            // op(b)[p][j] = b[p][j]: copy a row segment per step.
            if columns == NR {
                for p in 0..<kc {
                    let src = UnsafeRawPointer(b + (row + p) * ld + column + j0)
                    let out = UnsafeMutableRawPointer(panel + p * NR)
                    out.storeBytes(of: src.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                    out.storeBytes(of: src.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self),
                                   toByteOffset: 64, as: SIMD16<Float>.self)
                }
            } else {
                for p in 0..<kc {
                    let src = b + (row + p) * ld + column + j0
                    let out = panel + p * width
                    for j in 0..<columns { out[j] = src[j] }
                    for j in columns..<width { out[j] = 0 }
                }
            }
        }
    }
}

// The micro-kernels. Every accumulator is spelled out as its own local so that
// LLVM keeps them all in zmm registers (an array of them would live in memory);
// per step of p: load the B vector(s), broadcast each of the 12 A values, and
// fused-multiply-add. Checked with `objdump -d`: on packed panels the loop is
// vbroadcastss, vmovups and vfmadd231ps on zmm registers, unrolled twice, with
// no spills (reading A's rows in place, see RowsA).
// A 14×32 tile (28 accumulators) measured about even overall: faster on large
// squares, slower on the 32- and 128-row convolution GEMMs, so 12 rows it is.

/// The 12×32 micro-kernel: `out[0..<12][0..<32] = acc + beta·out`, where
/// acc = Σ_p a[p][r]·b[p][j] over kc steps of its operand sources (packed
/// panels, or A's rows and B's padded planes in place; GEMM+MicroKernelOperands).
/// The 24 accumulators, the 2 B vectors and one broadcast fit in the 32 zmm registers.
@inline(never)
func sgemmKernel12x32<A: MicroKernelA, B: MicroKernelB>(
    _ kc: Int, _ a: A, _ b: B,
    _ out: UnsafeMutablePointer<Float>, _ ldo: Int, beta: Float
) {
    var c0_0 = SIMD16<Float>(), c0_1 = SIMD16<Float>()
    var c1_0 = SIMD16<Float>(), c1_1 = SIMD16<Float>()
    var c2_0 = SIMD16<Float>(), c2_1 = SIMD16<Float>()
    var c3_0 = SIMD16<Float>(), c3_1 = SIMD16<Float>()
    var c4_0 = SIMD16<Float>(), c4_1 = SIMD16<Float>()
    var c5_0 = SIMD16<Float>(), c5_1 = SIMD16<Float>()
    var c6_0 = SIMD16<Float>(), c6_1 = SIMD16<Float>()
    var c7_0 = SIMD16<Float>(), c7_1 = SIMD16<Float>()
    var c8_0 = SIMD16<Float>(), c8_1 = SIMD16<Float>()
    var c9_0 = SIMD16<Float>(), c9_1 = SIMD16<Float>()
    var c10_0 = SIMD16<Float>(), c10_1 = SIMD16<Float>()
    var c11_0 = SIMD16<Float>(), c11_1 = SIMD16<Float>()
    var pa = a, pb = b
    for _ in 0..<kc {
        let b0 = pb.vector(0)
        let b1 = pb.vector(1)
        let a0 = SIMD16<Float>(repeating: pa.value(0))
        c0_0 = c0_0.addingProduct(a0, b0); c0_1 = c0_1.addingProduct(a0, b1)
        let a1 = SIMD16<Float>(repeating: pa.value(1))
        c1_0 = c1_0.addingProduct(a1, b0); c1_1 = c1_1.addingProduct(a1, b1)
        let a2 = SIMD16<Float>(repeating: pa.value(2))
        c2_0 = c2_0.addingProduct(a2, b0); c2_1 = c2_1.addingProduct(a2, b1)
        let a3 = SIMD16<Float>(repeating: pa.value(3))
        c3_0 = c3_0.addingProduct(a3, b0); c3_1 = c3_1.addingProduct(a3, b1)
        let a4 = SIMD16<Float>(repeating: pa.value(4))
        c4_0 = c4_0.addingProduct(a4, b0); c4_1 = c4_1.addingProduct(a4, b1)
        let a5 = SIMD16<Float>(repeating: pa.value(5))
        c5_0 = c5_0.addingProduct(a5, b0); c5_1 = c5_1.addingProduct(a5, b1)
        let a6 = SIMD16<Float>(repeating: pa.value(6))
        c6_0 = c6_0.addingProduct(a6, b0); c6_1 = c6_1.addingProduct(a6, b1)
        let a7 = SIMD16<Float>(repeating: pa.value(7))
        c7_0 = c7_0.addingProduct(a7, b0); c7_1 = c7_1.addingProduct(a7, b1)
        let a8 = SIMD16<Float>(repeating: pa.value(8))
        c8_0 = c8_0.addingProduct(a8, b0); c8_1 = c8_1.addingProduct(a8, b1)
        let a9 = SIMD16<Float>(repeating: pa.value(9))
        c9_0 = c9_0.addingProduct(a9, b0); c9_1 = c9_1.addingProduct(a9, b1)
        let a10 = SIMD16<Float>(repeating: pa.value(10))
        c10_0 = c10_0.addingProduct(a10, b0); c10_1 = c10_1.addingProduct(a10, b1)
        let a11 = SIMD16<Float>(repeating: pa.value(11))
        c11_0 = c11_0.addingProduct(a11, b0); c11_1 = c11_1.addingProduct(a11, b1)
        pa.advance()
        pb.advance()
    }
    let o = UnsafeMutableRawPointer(out), rowBytes = ldo * MemoryLayout<Float>.stride
    // beta 0 must not read `out` (it may hold NaN or garbage), so it is its own case.
    if beta == 0 {
        o.storeBytes(of: c0_0, toByteOffset: 0 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c0_1, toByteOffset: 0 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c1_0, toByteOffset: 1 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c1_1, toByteOffset: 1 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c2_0, toByteOffset: 2 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c2_1, toByteOffset: 2 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c3_0, toByteOffset: 3 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c3_1, toByteOffset: 3 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c4_0, toByteOffset: 4 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c4_1, toByteOffset: 4 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c5_0, toByteOffset: 5 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c5_1, toByteOffset: 5 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c6_0, toByteOffset: 6 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c6_1, toByteOffset: 6 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c7_0, toByteOffset: 7 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c7_1, toByteOffset: 7 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c8_0, toByteOffset: 8 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c8_1, toByteOffset: 8 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c9_0, toByteOffset: 9 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c9_1, toByteOffset: 9 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c10_0, toByteOffset: 10 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c10_1, toByteOffset: 10 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c11_0, toByteOffset: 11 * rowBytes + 0, as: SIMD16<Float>.self); o.storeBytes(of: c11_1, toByteOffset: 11 * rowBytes + 64, as: SIMD16<Float>.self)
    } else {
        let be = SIMD16<Float>(repeating: beta)
        @inline(__always) func update(_ acc: SIMD16<Float>, _ offset: Int) {
            let old = o.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.addingProduct(old, be), toByteOffset: offset, as: SIMD16<Float>.self)
        }
        update(c0_0, 0 * rowBytes + 0); update(c0_1, 0 * rowBytes + 64)
        update(c1_0, 1 * rowBytes + 0); update(c1_1, 1 * rowBytes + 64)
        update(c2_0, 2 * rowBytes + 0); update(c2_1, 2 * rowBytes + 64)
        update(c3_0, 3 * rowBytes + 0); update(c3_1, 3 * rowBytes + 64)
        update(c4_0, 4 * rowBytes + 0); update(c4_1, 4 * rowBytes + 64)
        update(c5_0, 5 * rowBytes + 0); update(c5_1, 5 * rowBytes + 64)
        update(c6_0, 6 * rowBytes + 0); update(c6_1, 6 * rowBytes + 64)
        update(c7_0, 7 * rowBytes + 0); update(c7_1, 7 * rowBytes + 64)
        update(c8_0, 8 * rowBytes + 0); update(c8_1, 8 * rowBytes + 64)
        update(c9_0, 9 * rowBytes + 0); update(c9_1, 9 * rowBytes + 64)
        update(c10_0, 10 * rowBytes + 0); update(c10_1, 10 * rowBytes + 64)
        update(c11_0, 11 * rowBytes + 0); update(c11_1, 11 * rowBytes + 64)
    }
}

/// The 12×16 micro-kernel: `out[0..<12][0..<16] = acc + beta·out`, where
/// acc = Σ_p a[p][r]·b[p][j] over kc steps of its operand sources, 16 columns wide.
/// Twelve accumulators: enough independent FMA chains to cover the FMA latency.
@inline(never)
func sgemmKernel12x16<A: MicroKernelA, B: MicroKernelB>(
    _ kc: Int, _ a: A, _ b: B,
    _ out: UnsafeMutablePointer<Float>, _ ldo: Int, beta: Float
) {
    var c0_0 = SIMD16<Float>()
    var c1_0 = SIMD16<Float>()
    var c2_0 = SIMD16<Float>()
    var c3_0 = SIMD16<Float>()
    var c4_0 = SIMD16<Float>()
    var c5_0 = SIMD16<Float>()
    var c6_0 = SIMD16<Float>()
    var c7_0 = SIMD16<Float>()
    var c8_0 = SIMD16<Float>()
    var c9_0 = SIMD16<Float>()
    var c10_0 = SIMD16<Float>()
    var c11_0 = SIMD16<Float>()
    var pa = a, pb = b
    for _ in 0..<kc {
        let b0 = pb.vector(0)
        let a0 = SIMD16<Float>(repeating: pa.value(0))
        c0_0 = c0_0.addingProduct(a0, b0)
        let a1 = SIMD16<Float>(repeating: pa.value(1))
        c1_0 = c1_0.addingProduct(a1, b0)
        let a2 = SIMD16<Float>(repeating: pa.value(2))
        c2_0 = c2_0.addingProduct(a2, b0)
        let a3 = SIMD16<Float>(repeating: pa.value(3))
        c3_0 = c3_0.addingProduct(a3, b0)
        let a4 = SIMD16<Float>(repeating: pa.value(4))
        c4_0 = c4_0.addingProduct(a4, b0)
        let a5 = SIMD16<Float>(repeating: pa.value(5))
        c5_0 = c5_0.addingProduct(a5, b0)
        let a6 = SIMD16<Float>(repeating: pa.value(6))
        c6_0 = c6_0.addingProduct(a6, b0)
        let a7 = SIMD16<Float>(repeating: pa.value(7))
        c7_0 = c7_0.addingProduct(a7, b0)
        let a8 = SIMD16<Float>(repeating: pa.value(8))
        c8_0 = c8_0.addingProduct(a8, b0)
        let a9 = SIMD16<Float>(repeating: pa.value(9))
        c9_0 = c9_0.addingProduct(a9, b0)
        let a10 = SIMD16<Float>(repeating: pa.value(10))
        c10_0 = c10_0.addingProduct(a10, b0)
        let a11 = SIMD16<Float>(repeating: pa.value(11))
        c11_0 = c11_0.addingProduct(a11, b0)
        pa.advance()
        pb.advance()
    }
    let o = UnsafeMutableRawPointer(out), rowBytes = ldo * MemoryLayout<Float>.stride
    // beta 0 must not read `out` (it may hold NaN or garbage), so it is its own case.
    if beta == 0 {
        o.storeBytes(of: c0_0, toByteOffset: 0 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c1_0, toByteOffset: 1 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c2_0, toByteOffset: 2 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c3_0, toByteOffset: 3 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c4_0, toByteOffset: 4 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c5_0, toByteOffset: 5 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c6_0, toByteOffset: 6 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c7_0, toByteOffset: 7 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c8_0, toByteOffset: 8 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c9_0, toByteOffset: 9 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c10_0, toByteOffset: 10 * rowBytes + 0, as: SIMD16<Float>.self)
        o.storeBytes(of: c11_0, toByteOffset: 11 * rowBytes + 0, as: SIMD16<Float>.self)
    } else {
        let be = SIMD16<Float>(repeating: beta)
        @inline(__always) func update(_ acc: SIMD16<Float>, _ offset: Int) {
            let old = o.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.addingProduct(old, be), toByteOffset: offset, as: SIMD16<Float>.self)
        }
        update(c0_0, 0 * rowBytes + 0)
        update(c1_0, 1 * rowBytes + 0)
        update(c2_0, 2 * rowBytes + 0)
        update(c3_0, 3 * rowBytes + 0)
        update(c4_0, 4 * rowBytes + 0)
        update(c5_0, 5 * rowBytes + 0)
        update(c6_0, 6 * rowBytes + 0)
        update(c7_0, 7 * rowBytes + 0)
        update(c8_0, 8 * rowBytes + 0)
        update(c9_0, 9 * rowBytes + 0)
        update(c10_0, 10 * rowBytes + 0)
        update(c11_0, 11 * rowBytes + 0)
    }
}
