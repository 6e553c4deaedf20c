// Matrix products. Float32 and float64 go to OpenBLAS, except float32 on
// AVX-512 builds, which mostly runs Ember's own kernel (GEMM+AVX512.swift).
// A product with one row or one column is an OpenBLAS GEMV on every build.
// Transposed operands are passed as transposes with their leading dimension.
// Integer products (rare: index arithmetic) use a plain triple loop.

import COpenBLAS
import Synchronization

/// One operand of a GEMM: a row-major matrix, possibly read transposed.
package struct MatrixOperand {
    package var pointer: UnsafeRawPointer
    package var transposed: Bool
    /// Leading dimension: the element stride between rows of the stored matrix.
    package var ld: Int

    package init(pointer: UnsafeRawPointer, transposed: Bool, ld: Int) {
        self.pointer = pointer
        self.transposed = transposed
        self.ld = ld
    }
}

/// `c = alpha * op(a) · op(b) + beta * c` with c row-major `m × n`, leading dim `ldc`.
///
/// OpenBLAS runs single-threaded (see `Parallel`); large products split their
/// rows (or columns, when there are few rows) across Ember's own threads.
/// `threaded: false` runs it whole on the calling thread, for callers that are
/// themselves one part of a parallel pass (a split would only run its parts
/// one after another, each packing the operands again). The choice is the
/// caller's, never the pool's state, so results do not depend on what other
/// threads happen to run.
package func gemm(
    type: DType, m: Int, n: Int, k: Int,
    alpha: Double = 1, _ a: MatrixOperand, _ b: MatrixOperand,
    beta: Double = 0, _ c: UnsafeMutableRawPointer, ldc: Int, threaded: Bool = true
) {
    let threads = threaded ? Parallel.threadCount : 1
    let item = type.itemSize
    if threads < 2 || m * n * k < 1 << 18 || !(type == .float32 || type == .float64) {
        blasGEMM(type: type, m: m, n: n, k: k, alpha: alpha, a, b, beta: beta, c, ldc: ldc)
        return
    }
    var splitRows = m >= n || m >= 4 * threads
    #if EMBER_AVX512
    // Ember's AVX-512 kernel reads A in place but packs all of op(b) in each
    // part: splitting rows makes every thread pack the whole of B, so it
    // splits columns whenever each thread gets at least four 32-column panels.
    if type == .float32 && !sgemmUsesOpenBLAS { splitRows = n < 128 * threads }
    #endif
    if splitRows {
        let per = (m + threads - 1) / threads
        Parallel.forRange(threads, grain: 1) { range in
            for t in range {
                let r0 = t * per, rows = Swift.min(per, m - r0)
                if rows <= 0 { continue }
                // Row block r0 of op(a): rows of a, or columns of a stored transposed.
                let offset = a.transposed ? r0 : r0 * a.ld
                let part = MatrixOperand(pointer: a.pointer + offset * item, transposed: a.transposed, ld: a.ld)
                blasGEMM(type: type, m: rows, n: n, k: k, alpha: alpha, part, b, beta: beta,
                         c + r0 * ldc * item, ldc: ldc)
            }
        }
    } else {
        let per = (n + threads - 1) / threads
        Parallel.forRange(threads, grain: 1) { range in
            for t in range {
                let c0 = t * per, cols = Swift.min(per, n - c0)
                if cols <= 0 { continue }
                let offset = b.transposed ? c0 * b.ld : c0
                let part = MatrixOperand(pointer: b.pointer + offset * item, transposed: b.transposed, ld: b.ld)
                blasGEMM(type: type, m: m, n: cols, k: k, alpha: alpha, a, part, beta: beta,
                         c + c0 * item, ldc: ldc)
            }
        }
    }
}

func blasGEMM(
    type: DType, m: Int, n: Int, k: Int,
    alpha: Double = 1, _ a: MatrixOperand, _ b: MatrixOperand,
    beta: Double = 0, _ c: UnsafeMutableRawPointer, ldc: Int
) {
    if m == 0 || n == 0 { return }
    if (m == 1 || n == 1) && k > 0 && (type == .float32 || type == .float64) {
        blasGEMV(type: type, m: m, n: n, k: k, alpha: alpha, a, b, beta: beta, c, ldc: ldc)
        return
    }
    let ta = a.transposed ? CblasTrans : CblasNoTrans
    let tb = b.transposed ? CblasTrans : CblasNoTrans
    switch type {
    case .float32:
        if k == 0 { scaleMatrix(Float.self, m: m, n: n, beta: Float(beta), c, ldc: ldc); return }
        #if EMBER_AVX512
        if !sgemmUsesOpenBLAS && sgemmAVX512IsFaster(m: m, n: n, k: k) {
            sgemmAVX512(m: m, n: n, k: k, alpha: Float(alpha),
                        a.pointer.assumingMemoryBound(to: Float.self), transA: a.transposed, lda: a.ld,
                        b.pointer.assumingMemoryBound(to: Float.self), transB: b.transposed, ldb: b.ld,
                        beta: Float(beta), c.assumingMemoryBound(to: Float.self), ldc: ldc)
            return
        }
        #endif
        cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), Float(alpha),
                    a.pointer.assumingMemoryBound(to: Float.self), Int32(a.ld),
                    b.pointer.assumingMemoryBound(to: Float.self), Int32(b.ld), Float(beta),
                    c.assumingMemoryBound(to: Float.self), Int32(ldc))
    case .float64:
        if k == 0 { scaleMatrix(Double.self, m: m, n: n, beta: beta, c, ldc: ldc); return }
        cblas_dgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), alpha,
                    a.pointer.assumingMemoryBound(to: Double.self), Int32(a.ld),
                    b.pointer.assumingMemoryBound(to: Double.self), Int32(b.ld), beta,
                    c.assumingMemoryBound(to: Double.self), Int32(ldc))
    case .int64: integerGEMM(Int64.self, m: m, n: n, k: k, alpha, a, b, beta, c, ldc: ldc)
    case .int32: integerGEMM(Int32.self, m: m, n: n, k: k, alpha, a, b, beta, c, ldc: ldc)
    case .int16: integerGEMM(Int16.self, m: m, n: n, k: k, alpha, a, b, beta, c, ldc: ldc)
    case .int8: integerGEMM(Int8.self, m: m, n: n, k: k, alpha, a, b, beta, c, ldc: ldc)
    case .uint8: integerGEMM(UInt8.self, m: m, n: n, k: k, alpha, a, b, beta, c, ldc: ldc)
    case .float16, .bfloat16, .bool: preconditionFailure("gemm: no \(type) arithmetic")
    }
}

/// A product with one row or one column is a matrix-vector product: GEMV
/// reads the matrix once, where a GEMM kernel would first pack (copy) it,
/// which triples the memory traffic of batch-1 inference (a linear layer's
/// weight, a language model's head).
func blasGEMV(
    type: DType, m: Int, n: Int, k: Int, alpha: Double, _ a: MatrixOperand, _ b: MatrixOperand,
    beta: Double, _ c: UnsafeMutableRawPointer, ldc: Int
) {
    // c (one row or one column) = alpha · matrix · vector + beta · c, in row-major terms:
    // one row: cᵀ = op(b)ᵀ · op(a)ᵀ; one column: c = op(a) · op(b).
    let (matrix, vector) = m == 1 ? (b, a) : (a, b)
    let (rows, cols) = m == 1 ? (n, k) : (m, k)          // op(matrix) is rows × cols
    // op(b)ᵀ when m == 1: b stored k × n reads transposed; b stored n × k (transposed) reads as is.
    let transposeStored = m == 1 ? !matrix.transposed : matrix.transposed
    let (storedRows, storedCols) = transposeStored ? (cols, rows) : (rows, cols)
    let trans = transposeStored ? CblasTrans : CblasNoTrans
    // The vector's stride: a row of a (or column of b) stored contiguous, or one element per ld.
    let incx = (m == 1 ? vector.transposed : !vector.transposed) ? vector.ld : 1
    let incy = m == 1 ? 1 : ldc
    // BLAS may compute 0 · c when beta is 0, so NaN in c would survive: zero it first.
    switch type {
    case .float32:
        if beta == 0 { for i in 0..<rows { c.assumingMemoryBound(to: Float.self)[i * incy] = 0 } }
        cblas_sgemv(CblasRowMajor, trans, Int32(storedRows), Int32(storedCols), Float(alpha),
                    matrix.pointer.assumingMemoryBound(to: Float.self), Int32(matrix.ld),
                    vector.pointer.assumingMemoryBound(to: Float.self), Int32(incx), Float(beta),
                    c.assumingMemoryBound(to: Float.self), Int32(incy))
    default:
        if beta == 0 { for i in 0..<rows { c.assumingMemoryBound(to: Double.self)[i * incy] = 0 } }
        cblas_dgemv(CblasRowMajor, trans, Int32(storedRows), Int32(storedCols), alpha,
                    matrix.pointer.assumingMemoryBound(to: Double.self), Int32(matrix.ld),
                    vector.pointer.assumingMemoryBound(to: Double.self), Int32(incx), beta,
                    c.assumingMemoryBound(to: Double.self), Int32(incy))
    }
}

func scaleMatrix<T: FloatTensorElement>(_: T.Type, m: Int, n: Int, beta: T, _ c: UnsafeMutableRawPointer, ldc: Int) {
    let p = c.assumingMemoryBound(to: T.self)
    for i in 0..<m { for j in 0..<n { p[i * ldc + j] = beta == 0 ? 0 : p[i * ldc + j] * beta } }
}

func integerGEMM<T: IntegerTensorElement & NumericTensorElement>(
    _: T.Type, m: Int, n: Int, k: Int, _ alpha: Double, _ a: MatrixOperand, _ b: MatrixOperand,
    _ beta: Double, _ c: UnsafeMutableRawPointer, ldc: Int
) {
    let pa = a.pointer.assumingMemoryBound(to: T.self)
    let pb = b.pointer.assumingMemoryBound(to: T.self)
    let pc = c.assumingMemoryBound(to: T.self)
    let al = T(_emberInt64: Int64(alpha)), be = T(_emberInt64: Int64(beta))
    for i in 0..<m {
        for j in 0..<n {
            var s: T = 0
            for p in 0..<k {
                let x = a.transposed ? pa[p * a.ld + i] : pa[i * a.ld + p]
                let y = b.transposed ? pb[j * b.ld + p] : pb[p * b.ld + j]
                s = s &+ x &* y
            }
            let old = beta == 0 ? 0 : pc[i * ldc + j] &* be
            pc[i * ldc + j] = al &* s &+ old
        }
    }
}

/// Many independent GEMMs of one size, spread over the thread pool.
package func batchedGEMM(
    type: DType, m: Int, n: Int, k: Int, _ a: [MatrixOperand], _ b: [MatrixOperand],
    _ c: [UnsafeMutableRawPointer], ldc: Int
) {
    let flops = m * n * k
    if a.count < Parallel.threadCount || flops > 1 << 24 {
        for i in 0..<a.count { gemm(type: type, m: m, n: n, k: k, a[i], b[i], c[i], ldc: ldc) }
        return
    }
    Parallel.forRange(a.count, grain: Swift.max(1, (1 << 18) / Swift.max(flops, 1))) { range in
        for i in range { blasGEMM(type: type, m: m, n: n, k: k, alpha: 1, a[i], b[i], beta: 0, c[i], ldc: ldc) }
    }
}
