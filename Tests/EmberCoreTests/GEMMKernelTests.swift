// Ember's own float32 GEMM (GEMM+AVX512.swift) against a float64 reference
// triple loop, on shapes around its tile and block edges, every transpose
// combination, padded leading dimensions, alpha and beta. Operand padding holds
// NaN, so any read outside op(a), op(b) shows; C's padding must stay untouched.
//
// Tolerance: |c - ref| ≤ 1e-5 · (|alpha|·Σ_p |a_ip||b_pj| + |beta·c_ij|) + 1e-30,
// i.e. relative to the sum of the magnitudes of the products (float32 rounding
// of a k-term sum grows like k·2^-24 of that sum; 1e-5 covers k up to ~170 in
// the worst case and far more in practice, since errors largely cancel).

import EmberKernels
import Testing

@Suite struct GEMMKernelTests {
    /// A deterministic pseudo-random float in [-1, 1).
    struct Noise {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
        }
    }

    /// Runs one product and checks every element; returns the number of mismatches.
    static func check(
        m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
        padA: Int = 0, padB: Int = 0, padC: Int = 0,
        alpha: Float = 1, beta: Float = 0, nanInC: Bool = false, seed: UInt64 = 1,
        throughDispatch: Bool = false
    ) -> Int {
        var noise = Noise(state: seed)
        // Stored shapes: a is m×k (k×m when transposed), b is k×n (n×k when transposed).
        let (aRows, aCols) = transA ? (k, m) : (m, k)
        let (bRows, bCols) = transB ? (n, k) : (k, n)
        let lda = aCols + padA, ldb = bCols + padB, ldc = n + padC
        var a = [Float](repeating: .nan, count: max(1, aRows * lda))
        var b = [Float](repeating: .nan, count: max(1, bRows * ldb))
        var c = [Float](repeating: -7, count: max(1, m * ldc))
        for i in 0..<aRows { for j in 0..<aCols { a[i * lda + j] = noise.next() } }
        for i in 0..<bRows { for j in 0..<bCols { b[i * ldb + j] = noise.next() } }
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = nanInC ? .nan : noise.next() } }
        let c0 = c
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    if throughDispatch {
                        // `gemm`: the thread split and the kernel-or-OpenBLAS choice.
                        gemm(type: .float32, m: m, n: n, k: k, alpha: Double(alpha),
                             MatrixOperand(pointer: pa.baseAddress!, transposed: transA, ld: lda),
                             MatrixOperand(pointer: pb.baseAddress!, transposed: transB, ld: ldb),
                             beta: Double(beta), pc.baseAddress!, ldc: ldc)
                        return
                    }
                    sgemmAVX512(m: m, n: n, k: k, alpha: alpha,
                                pa.baseAddress!, transA: transA, lda: lda,
                                pb.baseAddress!, transB: transB, ldb: ldb,
                                beta: beta, pc.baseAddress!, ldc: ldc)
                }
            }
        }
        var bad = 0
        for i in 0..<m {
            for j in 0..<ldc {
                let got = c[i * ldc + j]
                if j >= n {
                    if got != -7 { bad += 1 }  // padding untouched
                    continue
                }
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let x = Double(transA ? a[p * lda + i] : a[i * lda + p])
                    let y = Double(transB ? b[j * ldb + p] : b[p * ldb + j])
                    sum += x * y
                    magnitude += abs(x * y)
                }
                let old = beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j])
                let expected = Double(alpha) * sum + old
                let tolerance = 1e-5 * (abs(Double(alpha)) * magnitude + abs(old)) + 1e-30
                if !(abs(Double(got) - expected) <= tolerance) { bad += 1 }
            }
        }
        return bad
    }

    static let transposes = [(false, false), (false, true), (true, false), (true, true)]

    @Test func tinyAndEmpty() {
        for (ta, tb) in Self.transposes {
            #expect(Self.check(m: 1, n: 1, k: 1, transA: ta, transB: tb) == 0)
            #expect(Self.check(m: 3, n: 5, k: 0, transA: ta, transB: tb, beta: 0.5) == 0)
            #expect(Self.check(m: 3, n: 5, k: 0, transA: ta, transB: tb, beta: 0, nanInC: true) == 0)
            #expect(Self.check(m: 2, n: 3, k: 4, transA: ta, transB: tb, alpha: 0, beta: 1) == 0)
        }
    }

    /// Sizes at and around the micro-tile (12 × 32, 16-wide tails) and the blocks
    /// (kc 512, mc 192, nc 3072; K and M split into equal blocks).
    @Test(arguments: [
        (11, 31, 7), (12, 32, 8), (13, 33, 9), (12, 16, 511), (12, 17, 512), (25, 15, 513),
        (1, 100, 64), (100, 1, 64), (191, 48, 30), (192, 64, 31), (193, 49, 1025), (385, 20, 3),
        (24, 3071, 5), (24, 3073, 5), (7, 3100, 300), (2, 2, 1000),
    ])
    func tileAndBlockEdges(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for (ta, tb) in Self.transposes {
            #expect(Self.check(m: m, n: n, k: k, transA: ta, transB: tb) == 0, "\(m)×\(n)×\(k) \(ta) \(tb)")
        }
    }

    /// Convolution-like shapes: tall, skinny, and the spatial widths of CNNs.
    @Test(arguments: [(32, 49, 1152), (64, 196, 576), (128, 784, 128), (256, 56, 9), (1152, 49, 32), (3, 3136, 27)])
    func convolutionShapes(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for (ta, tb) in Self.transposes {
            #expect(Self.check(m: m, n: n, k: k, transA: ta, transB: tb) == 0, "\(m)×\(n)×\(k) \(ta) \(tb)")
        }
    }

    @Test func leadingDimensionsAlphaBeta() {
        for (ta, tb) in Self.transposes {
            for beta: Float in [0, 1, 0.5] {
                #expect(Self.check(m: 29, n: 45, k: 270, transA: ta, transB: tb, padA: 3, padB: 5, padC: 2,
                                   alpha: 1.5, beta: beta) == 0)
                #expect(Self.check(m: 12, n: 32, k: 40, transA: ta, transB: tb, padA: 1, padB: 17, padC: 33,
                                   alpha: -0.25, beta: beta) == 0)
                // B read in place: 32 and 96 columns (NaN after each row).
                #expect(Self.check(m: 29, n: 32, k: 70, transA: ta, transB: tb, beta: beta) == 0)
                #expect(Self.check(m: 29, n: 96, k: 70, transA: ta, transB: tb, padB: 11, beta: beta) == 0)
            }
        }
    }

    @Test func betaZeroIgnoresNaN() {
        for (ta, tb) in Self.transposes {
            #expect(Self.check(m: 30, n: 70, k: 300, transA: ta, transB: tb, padC: 4, beta: 0, nanInC: true) == 0)
            #expect(Self.check(m: 12, n: 32, k: 3, transA: ta, transB: tb, alpha: 2, beta: 0, nanInC: true) == 0)
        }
    }

    /// The same through `gemm`, which splits rows or columns across threads and
    /// picks the kernel or OpenBLAS per part: few rows and many columns (split by
    /// columns on AVX-512 builds), many rows, narrow products, and one row or
    /// one column (batch-1 inference), which go to GEMV.
    @Test(arguments: [(32, 3136, 64), (16, 1000, 70), (95, 300, 40), (300, 95, 40), (128, 49, 1024), (40, 40, 40),
                      (1, 3000, 700), (3000, 1, 700), (1, 1, 300)])
    func throughDispatch(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for (ta, tb) in Self.transposes {
            #expect(Self.check(m: m, n: n, k: k, transA: ta, transB: tb, padA: 2, padB: 1, padC: 3,
                               alpha: 0.5, beta: 0.5, throughDispatch: true) == 0, "\(m)×\(n)×\(k) \(ta) \(tb)")
            #expect(Self.check(m: m, n: n, k: k, transA: ta, transB: tb, nanInC: true, throughDispatch: true) == 0)
        }
    }
}
