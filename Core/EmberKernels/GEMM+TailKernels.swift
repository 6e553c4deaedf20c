// Micro-kernels for the last row panel of a product whose row count is not a
// multiple of 12 (GEMM+AVX512.swift). Convolutions have 32, 64, 128 or 256
// filters: 12-row tiles leave a last panel of 8 or 4 rows, and computing it as
// a full 12-row tile wasted an eighth of the arithmetic of a 32- or 64-filter
// convolution. Same structure as the 12×32 kernel, fewer accumulators.

/// The 8×32 micro-kernel for a last row panel of at most 8 rows: `out[0..<8][0..<32] = acc + beta·out`
/// over the first 8 rows of a packed 12-row panel (its other rows are zero padding).
@inline(never)
func sgemmKernel8x32<A: MicroKernelA, B: MicroKernelB>(
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
        pa.advance()
        pb.advance()
    }
    let o = UnsafeMutableRawPointer(out), rowBytes = ldo * MemoryLayout<Float>.stride
    if beta == 0 {
        o.storeBytes(of: c0_0, toByteOffset: 0 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c0_1, toByteOffset: 0 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c1_0, toByteOffset: 1 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c1_1, toByteOffset: 1 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c2_0, toByteOffset: 2 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c2_1, toByteOffset: 2 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c3_0, toByteOffset: 3 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c3_1, toByteOffset: 3 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c4_0, toByteOffset: 4 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c4_1, toByteOffset: 4 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c5_0, toByteOffset: 5 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c5_1, toByteOffset: 5 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c6_0, toByteOffset: 6 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c6_1, toByteOffset: 6 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c7_0, toByteOffset: 7 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c7_1, toByteOffset: 7 * rowBytes + 64, as: SIMD16<Float>.self)
    } else {
        let be = SIMD16<Float>(repeating: beta)
        @inline(__always) func update(_ acc: SIMD16<Float>, _ offset: Int) {
            let old = o.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.addingProduct(old, be), toByteOffset: offset, as: SIMD16<Float>.self)
        }
        update(c0_0, 0 * rowBytes); update(c0_1, 0 * rowBytes + 64)
        update(c1_0, 1 * rowBytes); update(c1_1, 1 * rowBytes + 64)
        update(c2_0, 2 * rowBytes); update(c2_1, 2 * rowBytes + 64)
        update(c3_0, 3 * rowBytes); update(c3_1, 3 * rowBytes + 64)
        update(c4_0, 4 * rowBytes); update(c4_1, 4 * rowBytes + 64)
        update(c5_0, 5 * rowBytes); update(c5_1, 5 * rowBytes + 64)
        update(c6_0, 6 * rowBytes); update(c6_1, 6 * rowBytes + 64)
        update(c7_0, 7 * rowBytes); update(c7_1, 7 * rowBytes + 64)
    }
}

/// The 4×32 micro-kernel for a last row panel of at most 4 rows: `out[0..<4][0..<32] = acc + beta·out`
/// over the first 4 rows of a packed 12-row panel (its other rows are zero padding).
@inline(never)
func sgemmKernel4x32<A: MicroKernelA, B: MicroKernelB>(
    _ kc: Int, _ a: A, _ b: B,
    _ out: UnsafeMutablePointer<Float>, _ ldo: Int, beta: Float
) {
    var c0_0 = SIMD16<Float>(), c0_1 = SIMD16<Float>()
    var c1_0 = SIMD16<Float>(), c1_1 = SIMD16<Float>()
    var c2_0 = SIMD16<Float>(), c2_1 = SIMD16<Float>()
    var c3_0 = SIMD16<Float>(), c3_1 = SIMD16<Float>()
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
        pa.advance()
        pb.advance()
    }
    let o = UnsafeMutableRawPointer(out), rowBytes = ldo * MemoryLayout<Float>.stride
    if beta == 0 {
        o.storeBytes(of: c0_0, toByteOffset: 0 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c0_1, toByteOffset: 0 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c1_0, toByteOffset: 1 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c1_1, toByteOffset: 1 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c2_0, toByteOffset: 2 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c2_1, toByteOffset: 2 * rowBytes + 64, as: SIMD16<Float>.self)
        o.storeBytes(of: c3_0, toByteOffset: 3 * rowBytes, as: SIMD16<Float>.self); o.storeBytes(of: c3_1, toByteOffset: 3 * rowBytes + 64, as: SIMD16<Float>.self)
    } else {
        let be = SIMD16<Float>(repeating: beta)
        @inline(__always) func update(_ acc: SIMD16<Float>, _ offset: Int) {
            let old = o.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.addingProduct(old, be), toByteOffset: offset, as: SIMD16<Float>.self)
        }
        update(c0_0, 0 * rowBytes); update(c0_1, 0 * rowBytes + 64)
        update(c1_0, 1 * rowBytes); update(c1_1, 1 * rowBytes + 64)
        update(c2_0, 2 * rowBytes); update(c2_1, 2 * rowBytes + 64)
        update(c3_0, 3 * rowBytes); update(c3_1, 3 * rowBytes + 64)
    }
}
