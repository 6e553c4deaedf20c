// Gather, scatter and index-select on raw elements. Indices are int64 and
// already bounds-checked by the tensor layer; these only move bytes (or add,
// for scatter_add).

/// `dst[o, j, i] = src[o, index[j], i]` for contiguous `src` [outer, n, inner]
/// and `dst` [outer, m, inner]: one memcpy of `inner` elements per index.
package func indexSelectKernel(
    itemSize: Int, outer: Int, n: Int, inner: Int, indices: UnsafePointer<Int64>, count m: Int,
    _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer
) {
    let rowBytes = inner * itemSize
    Parallel.forRange(outer * m, grain: Swift.max(1, 65536 / Swift.max(rowBytes, 1))) { range in
        for job in range {
            let o = job / m, j = job % m
            let from = src + (o * n + Int(indices[j])) * rowBytes
            (dst + job * rowBytes).copyMemory(from: from, byteCount: rowBytes)
        }
    }
}

/// For each element of an index tensor: `out = src[offset + index * dimStride]`.
/// `loop` has operands [out, index, src] with src's stride along the gathered
/// dim set to zero.
package func gatherKernel(
    itemSize: Int, _ loop: StridedLoop, dimStride: Int,
    out: UnsafeMutableRawPointer, index: UnsafeRawPointer, src: UnsafeRawPointer
) {
    func run<T>(_: T.Type) {
        let o = out.assumingMemoryBound(to: T.self)
        let x = index.assumingMemoryBound(to: Int64.self)
        let s = src.assumingMemoryBound(to: T.self)
        let so = loop.innerStride(0), sx = loop.innerStride(1), ss = loop.innerStride(2)
        loop.forEachRow { off, n in
            for i in 0..<n {
                o[off[0] + i * so] = s[off[2] + i * ss + Int(x[off[1] + i * sx]) * dimStride]
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

/// For each element of an index tensor: `dst[offset + index * dimStride] = src`
/// (or `+= src` when `accumulate`). Runs on one thread: indices may repeat.
/// `loop` has operands [dst with the scattered dim's stride zeroed, index, src].
package func scatterKernel(
    type: DType, accumulate: Bool, _ loop: StridedLoop, dimStride: Int,
    dst: UnsafeMutableRawPointer, index: UnsafeRawPointer, src: UnsafeRawPointer
) {
    func run<T>(_: T.Type, _ combine: (T, T) -> T) {
        let d = dst.assumingMemoryBound(to: T.self)
        let x = index.assumingMemoryBound(to: Int64.self)
        let s = src.assumingMemoryBound(to: T.self)
        let sd = loop.innerStride(0), sx = loop.innerStride(1), ss = loop.innerStride(2)
        loop.forEachRow(grain: Int.max) { off, n in
            for i in 0..<n {
                let p = off[0] + i * sd + Int(x[off[1] + i * sx]) * dimStride
                d[p] = combine(d[p], s[off[2] + i * ss])
            }
        }
    }
    if !accumulate {
        switch type.itemSize {
        case 8: run(UInt64.self) { $1 }
        case 4: run(UInt32.self) { $1 }
        case 2: run(UInt16.self) { $1 }
        default: run(UInt8.self) { $1 }
        }
        return
    }
    switch type {
    case .float32: run(Float.self, +)
    case .float64: run(Double.self, +)
    case .int64: run(Int64.self, &+)
    case .int32: run(Int32.self, &+)
    case .int16: run(Int16.self, &+)
    case .int8: run(Int8.self, &+)
    case .uint8: run(UInt8.self, &+)
    case .bool: run(Bool.self) { $0 || $1 }
    case .float16, .bfloat16: preconditionFailure("scatterKernel: no \(type) arithmetic")
    }
}
