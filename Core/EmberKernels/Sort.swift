// Row sorting for sort, argsort and topk: a stable sort of indices per
// contiguous row, with NaN ordered above every number, as PyTorch orders it.

func sortRowsTyped<T: NumericTensorElement>(
    _: T.Type, rows: Int, n: Int, descending: Bool,
    _ src: UnsafeRawPointer, _ values: UnsafeMutableRawPointer, _ indices: UnsafeMutablePointer<Int64>
) {
    let x = src.assumingMemoryBound(to: T.self)
    let v = values.assumingMemoryBound(to: T.self)
    Parallel.forRange(rows, grain: Swift.max(1, 4096 / Swift.max(n, 1))) { range in
        var order = [Int](repeating: 0, count: n)
        for r in range {
            let row = x + r * n
            for i in 0..<n { order[i] = i }
            // (value, index) keys make the order total, so the result is stable.
            order.sort { a, b in
                let p = row[a], q = row[b]
                let pNaN = p != p, qNaN = q != q
                if pNaN || qNaN {
                    if pNaN && qNaN { return a < b }
                    return descending ? pNaN : qNaN
                }
                if p == q { return a < b }
                return descending ? p > q : p < q
            }
            for i in 0..<n {
                v[r * n + i] = row[order[i]]
                indices[r * n + i] = Int64(order[i])
            }
        }
    }
}

/// Sorts each contiguous row of length `n`, writing values and source indices.
package func sortRowsKernel(
    type: DType, rows: Int, n: Int, descending: Bool,
    _ src: UnsafeRawPointer, values: UnsafeMutableRawPointer, indices: UnsafeMutablePointer<Int64>
) {
    switch type {
    case .float32: sortRowsTyped(Float.self, rows: rows, n: n, descending: descending, src, values, indices)
    case .float64: sortRowsTyped(Double.self, rows: rows, n: n, descending: descending, src, values, indices)
    case .int64: sortRowsTyped(Int64.self, rows: rows, n: n, descending: descending, src, values, indices)
    case .int32: sortRowsTyped(Int32.self, rows: rows, n: n, descending: descending, src, values, indices)
    case .int16: sortRowsTyped(Int16.self, rows: rows, n: n, descending: descending, src, values, indices)
    case .int8: sortRowsTyped(Int8.self, rows: rows, n: n, descending: descending, src, values, indices)
    case .uint8, .bool: sortRowsTyped(UInt8.self, rows: rows, n: n, descending: descending, src, values, indices)
    case .float16, .bfloat16: preconditionFailure("sortRowsKernel: \(type) is not a compute type")
    }
}
