// The operands of the SGEMM micro-kernels (GEMM+AVX512.swift), as small
// generic sources the kernels are specialized for: A from a packed panel or
// straight from the rows of a row-major matrix, B from a packed panel or
// straight from a padded image (ShiftedRows). Each step p the kernel takes
// MR values of A, broadcast, and one or two 16-float vectors of B.

/// Where a micro-kernel reads its MR values of op(a) for each step p.
protocol MicroKernelA {
    /// op(a)[r][p] at the current step.
    func value(_ r: Int) -> Float
    /// Moves to step p + 1.
    mutating func advance()
}

/// A packed MR-row panel (see packA): each step's values are contiguous.
struct PackedPanelA: MicroKernelA {
    var p: UnsafePointer<Float>
    @inline(__always) func value(_ r: Int) -> Float { p[r] }
    @inline(__always) mutating func advance() { p += SGEMMBlocking.mr }
}

/// Twelve rows of a row-major A read where they lie, `ld` apart. Packing
/// them (a strided gather per step) cost as much as the arithmetic on the
/// few-column products of convolutions (ResNet-50's 7×7 planes: 49 columns).
/// LLVM keeps twelve row pointers and one shared offset; with the 24
/// accumulators it reloads a few pointers from the stack each step (about 4
/// moves per 24 FMAs), which did not measurably slow the kernel.
struct RowsA: MicroKernelA {
    var p0: UnsafePointer<Float>, p4: UnsafePointer<Float>, p8: UnsafePointer<Float>
    let ld: Int
    @inline(__always) init(_ a: UnsafePointer<Float>, ld: Int) {
        (p0, p4, p8, self.ld) = (a, a + 4 * ld, a + 8 * ld, ld)
    }
    @inline(__always) func value(_ r: Int) -> Float { (r < 4 ? p0 : r < 8 ? p4 : p8)[(r & 3) * ld] }
    @inline(__always) mutating func advance() { p0 += 1; p4 += 1; p8 += 1 }
}

/// Where a micro-kernel reads its 16-float vectors of op(b) for each step p.
protocol MicroKernelB {
    /// Columns 16·i ..< 16·i + 16 of the panel at the current step.
    func vector(_ i: Int) -> SIMD16<Float>
    /// Moves to step p + 1.
    mutating func advance()
}

/// A packed panel (see packB): `step` bytes per step, 128 for NR = 32 columns, 64 for a 16-wide tail.
struct PackedPanelB: MicroKernelB {
    var p: UnsafeRawPointer
    let step: Int
    @inline(__always) func vector(_ i: Int) -> SIMD16<Float> { p.load(fromByteOffset: 64 * i, as: SIMD16<Float>.self) }
    @inline(__always) mutating func advance() { p += step }
}

/// A panel of a stride-1 convolution's column matrix read in place: step p's
/// row is the padded image from `x + offsets[p]` (see ShiftedRows).
struct ShiftedRowsB: MicroKernelB {
    let x: UnsafePointer<Float>
    var offsets: UnsafePointer<Int>
    @inline(__always) func vector(_ i: Int) -> SIMD16<Float> {
        UnsafeRawPointer(x + offsets.pointee + 16 * i).loadUnaligned(as: SIMD16<Float>.self)
    }
    @inline(__always) mutating func advance() { offsets += 1 }
}
