// Strided copy and dtype conversion between any two element types. Every
// `contiguous()`, `clone()`, `copy_` and `to(dtype)` ends here.

/// Element conversion with PyTorch's semantics: float to int truncates toward
/// zero, int to int wraps, anything to bool tests for nonzero.
package func convertElement<S: TensorElement, D: TensorElement>(_ s: S, to: D.Type) -> D {
    if S.self == D.self { return unsafeBitCast(s, to: D.self) }
    if D.isFloatingPoint {
        return S.isFloatingPoint ? D(_emberDouble: s._emberDouble) : D(_emberInt64: s._emberInt64)
    }
    if D.self == Bool.self {
        return D(_emberDouble: S.isFloatingPoint ? (s._emberDouble != 0 ? 1 : 0) : (s._emberInt64 != 0 ? 1 : 0))
    }
    return S.isFloatingPoint ? D(_emberDouble: s._emberDouble) : D(_emberInt64: s._emberInt64)
}

struct Convert<S: TensorElement, D: TensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ s: S) -> D { convertElement(s, to: D.self) }
}

struct Identity<T>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x }
}

func castTo<S: TensorElement>(_: S.Type, _ loop: StridedLoop, _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer, _ dstType: DType) {
    switch dstType {
    case .float32: mapRows(loop, src, dst, Convert<S, Float>())
    case .float64: mapRows(loop, src, dst, Convert<S, Double>())
    case .float16: mapRows(loop, src, dst, Convert<S, Float16>())
    case .bfloat16: mapRows(loop, src, dst, Convert<S, BFloat16>())
    case .int64: mapRows(loop, src, dst, Convert<S, Int64>())
    case .int32: mapRows(loop, src, dst, Convert<S, Int32>())
    case .int16: mapRows(loop, src, dst, Convert<S, Int16>())
    case .int8: mapRows(loop, src, dst, Convert<S, Int8>())
    case .uint8: mapRows(loop, src, dst, Convert<S, UInt8>())
    case .bool: mapRows(loop, src, dst, Convert<S, Bool>())
    }
}

/// Copies (and converts) `src` into `dst`. `loop` has operands `[dst, src]`.
package func copyElements(
    _ loop: StridedLoop,
    src: UnsafeRawPointer, srcType: DType,
    dst: UnsafeMutableRawPointer, dstType: DType
) {
    if srcType == dstType {
        if loop.shape.count == 2, loop.innerStride(0) == 1, loop.strides[1][0] == 1,
           loop.strides[0][0] == loop.shape[1], loop.innerStride(1) == loop.shape[0] {
            transpose2D(srcType.itemSize, rows: loop.shape[1], cols: loop.shape[0], src: src, dst: dst)
            return
        }
        switch srcType.itemSize {
        case 8: mapRows(loop, src, dst, Identity<UInt64>())
        case 4: mapRows(loop, src, dst, Identity<UInt32>())
        case 2: mapRows(loop, src, dst, Identity<UInt16>())
        default: mapRows(loop, src, dst, Identity<UInt8>())
        }
        return
    }
    switch srcType {
    case .float32: castTo(Float.self, loop, src, dst, dstType)
    case .float64: castTo(Double.self, loop, src, dst, dstType)
    case .float16: castTo(Float16.self, loop, src, dst, dstType)
    case .bfloat16: castTo(BFloat16.self, loop, src, dst, dstType)
    case .int64: castTo(Int64.self, loop, src, dst, dstType)
    case .int32: castTo(Int32.self, loop, src, dst, dstType)
    case .int16: castTo(Int16.self, loop, src, dst, dstType)
    case .int8: castTo(Int8.self, loop, src, dst, dstType)
    case .uint8: castTo(UInt8.self, loop, src, dst, dstType)
    case .bool: castTo(Bool.self, loop, src, dst, dstType)
    }
}

/// Writes `dst[c, r] = src[r, c]` for a row-major `src` of `rows × cols`
/// (dst is `cols × rows`) in cache-sized tiles.
package func transpose2D(_ itemSize: Int, rows: Int, cols: Int, src: UnsafeRawPointer, dst: UnsafeMutableRawPointer) {
    func run<T>(_: T.Type) {
        let s = src.assumingMemoryBound(to: T.self)
        let d = dst.assumingMemoryBound(to: T.self)
        let tile = 16
        let tilesR = (rows + tile - 1) / tile
        Parallel.forRange(tilesR, grain: Swift.max(1, 65536 / Swift.max(1, cols * tile))) { range in
            for tr in range {
                let r0 = tr * tile, r1 = Swift.min(rows, r0 + tile)
                var c0 = 0
                while c0 < cols {
                    let c1 = Swift.min(cols, c0 + tile)
                    // Contiguous writes; the reads stay within one tile of rows.
                    for c in c0..<c1 {
                        let out = d + c * rows
                        for r in r0..<r1 { out[r] = s[r * cols + c] }
                    }
                    c0 = c1
                }
            }
        }
    }
    switch itemSize {
    case 8: run(UInt64.self)
    case 4: run(UInt32.self)
    case 2: run(UInt16.self)
    default: run(UInt8.self)
    }
}

/// Eight rows of eight floats (one 8 × 8 block in registers).
@usableFromInline package typealias Rows8x8 = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
                             SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

/// The transpose of an 8 × 8 block held in registers. Three rounds of
/// splitting row pairs into their even and odd elements transpose it (each
/// round rotates the bits of the element index by one); each split is one
/// two-source permute, so a block costs 24 shuffles instead of 64 scalar moves.
@inlinable @inline(__always)
package func transposed8x8(_ rows: Rows8x8) -> Rows8x8 {
    var (v0, v1, v2, v3, v4, v5, v6, v7) = rows
    for _ in 0..<3 {
        let p0 = SIMD16(lowHalf: v0, highHalf: v1), p1 = SIMD16(lowHalf: v2, highHalf: v3)
        let p2 = SIMD16(lowHalf: v4, highHalf: v5), p3 = SIMD16(lowHalf: v6, highHalf: v7)
        (v0, v1, v2, v3) = (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf)
        (v4, v5, v6, v7) = (p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
    }
    return (v0, v1, v2, v3, v4, v5, v6, v7)
}

/// Writes the transpose of the 8 × 8 block at `src` (rows `ls` apart) to `dst` (rows `ld` apart).
@inline(__always)
func transpose8x8(_ src: UnsafePointer<Float>, _ ls: Int, _ dst: UnsafeMutablePointer<Float>, _ ld: Int) {
    @inline(__always) func load(_ i: Int) -> SIMD8<Float> { UnsafeRawPointer(src + i * ls).loadUnaligned(as: SIMD8<Float>.self) }
    let t = transposed8x8((load(0), load(1), load(2), load(3), load(4), load(5), load(6), load(7)))
    @inline(__always) func store(_ i: Int, _ v: SIMD8<Float>) {
        UnsafeMutableRawPointer(dst + i * ld).storeBytes(of: v, as: SIMD8<Float>.self)
    }
    store(0, t.0); store(1, t.1); store(2, t.2); store(3, t.3)
    store(4, t.4); store(5, t.5); store(6, t.6); store(7, t.7)
}
