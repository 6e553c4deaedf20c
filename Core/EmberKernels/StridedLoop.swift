// The iteration engine under every elementwise kernel: operands described by a
// shared shape and per-operand element strides (0 where broadcast). Adjacent
// dims that are contiguous in every operand merge, so most loops become one
// long inner row that the compiler vectorizes.

/// A loop nest over `shape` with one stride vector per operand.
package struct StridedLoop {
    /// Outer-to-inner sizes after merging; never empty (a scalar is `[1]`).
    package var shape: [Int]
    /// `strides[k]` holds operand k's strides, aligned with `shape`.
    package var strides: [[Int]]

    package init(shape: [Int], strides: [[Int]]) {
        var dims: [Int] = []
        var merged: [[Int]] = Array(repeating: [], count: strides.count)
        for d in 0..<shape.count where shape[d] != 1 {
            if let last = dims.last,
               (0..<strides.count).allSatisfy({ merged[$0].last! == strides[$0][d] * shape[d] }) {
                dims[dims.count - 1] = last * shape[d]
                for k in 0..<strides.count { merged[k][merged[k].count - 1] = strides[k][d] }
            } else {
                dims.append(shape[d])
                for k in 0..<strides.count { merged[k].append(strides[k][d]) }
            }
        }
        if shape.contains(0) { dims = [0]; merged = merged.map { _ in [0] } }
        if dims.isEmpty { dims = [1]; merged = merged.map { _ in [0] } }
        self.shape = dims
        self.strides = merged
    }

    package var innerCount: Int { shape[shape.count - 1] }
    package var rowCount: Int { shape.dropLast().reduce(1, *) }
    package func innerStride(_ k: Int) -> Int { strides[k][shape.count - 1] }

    /// Calls `body(offsets, n)` for every inner row, where `offsets[k]` is
    /// operand k's element offset at the row start. Work is split across
    /// threads when there are at least `grain` elements per thread; long rows
    /// are cut into pieces so that even a single contiguous row runs in parallel.
    @inline(__always)
    package func forEachRow(grain: Int = 32768, _ body: (UnsafeMutableBufferPointer<Int>, Int) -> Void) {
        let rows = rowCount
        let inner = innerCount
        if rows * inner == 0 { return }
        let threads = Parallel.threadCount
        let pieces = rows >= threads ? 1 : Swift.max(1, Swift.min(threads, inner / Swift.max(grain, 1)))
        let pieceLength = (inner + pieces - 1) / pieces
        let outer = Array(shape.dropLast())
        let operands = strides.count
        let jobGrain = pieces > 1 ? 1 : Swift.max(1, grain / Swift.max(inner, 1))
        Parallel.forRange(rows * pieces, grain: jobGrain) { range in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: operands + outer.count) { tmp in
                let offsets = UnsafeMutableBufferPointer(rebasing: tmp[0..<operands])
                let index = UnsafeMutableBufferPointer(rebasing: tmp[operands...])
                // Decompose the first row number into a multi-index.
                var r = range.lowerBound / pieces
                for d in stride(from: outer.count - 1, through: 0, by: -1) {
                    index[d] = r % outer[d]
                    r /= outer[d]
                }
                for k in 0..<operands {
                    var o = 0
                    for d in 0..<outer.count { o += index[d] * strides[k][d] }
                    offsets[k] = o
                }
                var job = range.lowerBound
                while job < range.upperBound {
                    let start = (job % pieces) * pieceLength
                    let n = Swift.min(pieceLength, inner - start)
                    if n > 0 {
                        if start > 0 { for k in 0..<operands { offsets[k] += start * strides[k][outer.count] } }
                        body(offsets, n)
                        if start > 0 { for k in 0..<operands { offsets[k] -= start * strides[k][outer.count] } }
                    }
                    job += 1
                    if job % pieces != 0 { continue }
                    // Odometer step to the next row.
                    var d = outer.count - 1
                    while d >= 0 {
                        index[d] += 1
                        for k in 0..<operands { offsets[k] += strides[k][d] }
                        if index[d] < outer[d] { break }
                        for k in 0..<operands { offsets[k] -= strides[k][d] * outer[d] }
                        index[d] = 0
                        d -= 1
                    }
                }
            }
        }
    }
}
