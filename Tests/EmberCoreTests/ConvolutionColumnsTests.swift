// The im2col fused into the SGEMM's B packing (GEMM+ConvolutionColumns.swift)
// must give the product with the column matrix im2col writes: over strides,
// padding larger than the kernel's reach, dilation, several images side by
// side, column ranges that start mid-row (column0, as the thread split uses)
// and partial last panels. Both sides run the same kernel with the same
// blocking, so they agree to rounding.

import EmberKernels
import Testing

private struct ColumnsCase: CustomTestStringConvertible, Sendable {
    let name: String
    let channels: Int, input: (Int, Int), kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)
    let images: Int, m: Int
    var testDescription: String { name }
}

private let columnsCases: [ColumnsCase] = [
    ColumnsCase(name: "3x3 pad 1", channels: 16, input: (20, 23), kernel: (3, 3), stride: (1, 1), padding: (1, 1),
                dilation: (1, 1), images: 1, m: 30),
    ColumnsCase(name: "7x7 stride 2 pad 3", channels: 3, input: (29, 31), kernel: (7, 7), stride: (2, 2), padding: (3, 3),
                dilation: (1, 1), images: 2, m: 13),
    ColumnsCase(name: "3x3 dilated, wide padding", channels: 8, input: (9, 11), kernel: (3, 3), stride: (1, 1),
                padding: (4, 3), dilation: (2, 2), images: 3, m: 25),
    ColumnsCase(name: "7x7 planes, 5 images", channels: 40, input: (7, 7), kernel: (3, 3), stride: (1, 1), padding: (1, 1),
                dilation: (1, 1), images: 5, m: 32),
    ColumnsCase(name: "1x3 stride (1, 2)", channels: 5, input: (6, 40), kernel: (1, 3), stride: (1, 2), padding: (0, 1),
                dilation: (1, 1), images: 2, m: 12),
]

@Suite struct ConvolutionColumnsTests {
    @Test("packing from the image matches im2col then GEMM", arguments: columnsCases)
    fileprivate func packedMatchesUnfolded(_ t: ColumnsCase) {
        func out(_ size: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int) -> Int { (size + 2 * p - d * (k - 1) - 1) / s + 1 }
        let oh = out(t.input.0, t.kernel.0, t.stride.0, t.padding.0, t.dilation.0)
        let ow = out(t.input.1, t.kernel.1, t.stride.1, t.padding.1, t.dilation.1)
        let window = Window2D(kernel: t.kernel, stride: t.stride, padding: t.padding, dilation: t.dilation,
                              input: t.input, output: (oh, ow))
        let plane = oh * ow, n = t.images * plane, k = t.channels * t.kernel.0 * t.kernel.1
        let imageStride = t.channels * t.input.0 * t.input.1
        var state: UInt64 = 7
        func noise() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
        }
        let x = (0..<(t.images * imageStride)).map { _ in noise() }
        let a = (0..<(t.m * k)).map { _ in noise() }
        var cols = [Float](repeating: .nan, count: k * n)
        x.withUnsafeBytes { xp in
            cols.withUnsafeMutableBytes { cp in
                im2col(type: .float32, channels: t.channels, window, xp.baseAddress!, cp.baseAddress!, ld: n,
                       images: t.images, imageStride: imageStride)
            }
        }
        // Whole product, then a column range starting mid-row (as one thread's part).
        for (c0, count) in [(0, n), (n / 3 + 1, n - n / 3 - 1)] {
            var expected = [Float](repeating: 0, count: t.m * count), actual = [Float](repeating: .nan, count: t.m * count)
            a.withUnsafeBufferPointer { ap in
                cols.withUnsafeBufferPointer { cp in
                    sgemmAVX512(m: t.m, n: count, k: k, alpha: 1, ap.baseAddress!, transA: false, lda: k,
                                cp.baseAddress! + c0, transB: false, ldb: n, beta: 0, &expected, ldc: count)
                }
                x.withUnsafeBufferPointer { xp in
                    let columns = ConvolutionColumns(x: xp.baseAddress!, channels: t.channels, window: window,
                                                     imageStride: imageStride, column0: c0)
                    sgemmAVX512(m: t.m, n: count, k: k, alpha: 1, ap.baseAddress!, transA: false, lda: k,
                                ap.baseAddress!, transB: false, ldb: 0, beta: 0, &actual, ldc: count, columns: columns)
                }
            }
            let worst = zip(expected, actual).map { abs($0 - $1) }.max() ?? 0
            #expect(!actual.contains { $0.isNaN } && worst <= 1e-5, "\(t.name) from column \(c0): max difference \(worst)")
        }
    }

    /// The threaded product splits its columns, or its rows when there are too
    /// few columns to share (49: a 7×7 plane at batch 1); every element's sum
    /// runs in the same order as in one unsplit call, so the results are equal.
    @Test(arguments: [(32, 7), (30, 7), (40, 12)])
    func threadedSplitEqualsOneCall(_ shape: (Int, Int)) {
        let (m, side) = shape, channels = 24, k = channels * 9
        let window = Window2D(kernel: (3, 3), stride: (1, 1), padding: (1, 1), dilation: (1, 1),
                              input: (side, side), output: (side, side))
        let n = side * side
        var state: UInt64 = 11
        func noise() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
        }
        let x = (0..<(channels * n)).map { _ in noise() }, a = (0..<(m * k)).map { _ in noise() }
        var whole = [Float](repeating: .nan, count: m * n), split = [Float](repeating: .nan, count: m * n)
        x.withUnsafeBufferPointer { xp in
            a.withUnsafeBufferPointer { ap in
                let columns = ConvolutionColumns(x: xp.baseAddress!, channels: channels, window: window, imageStride: 0)
                convolutionGEMM(m: m, n: n, k: k, ap.baseAddress!, lda: k, columns, &whole, ldc: n, threaded: false)
                convolutionGEMM(m: m, n: n, k: k, ap.baseAddress!, lda: k, columns, &split, ldc: n, threaded: true)
            }
        }
        #expect(!whole.contains { $0.isNaN } && whole == split, "\(m) rows, \(n) columns")
    }
}
