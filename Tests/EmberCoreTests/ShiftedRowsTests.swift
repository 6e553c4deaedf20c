// Stride-1 float32 convolutions that read their columns from padded planes
// (GEMM+ShiftedRows.swift), forward, input gradient (and so
// conv_transpose2d) and weight gradient, against the same convolution in float64, which takes the
// unfolding path: kernels 3×3, 5×5 and 1×3, padding 0 to 2, groups,
// batches of one (columns split across threads) and several (images split),
// and planes whose last panel is partial. Each case first checks that it
// really takes the padded-plane path (on builds with the AVX-512 kernel).
//
// Tolerance: |y − y64| ≤ 1e-5 · Σ|w||x| + 1e-6, the sum of the magnitudes of
// the products (the float64 convolution of |x| and |w|), as in GEMMKernelTests.

import EmberCore
import EmberKernels
import Testing

private struct ShiftedCase: CustomTestStringConvertible, Sendable {
    let name: String, input: [Int], weight: [Int], padding: (Int, Int), groups: Int
    var testDescription: String { name }
}

private let shiftedCases: [ShiftedCase] = [
    ShiftedCase(name: "3x3 pad 1, one image", input: [1, 24, 30, 29], weight: [32, 24, 3, 3], padding: (1, 1), groups: 1),
    ShiftedCase(name: "3x3 pad 1, three images", input: [3, 16, 21, 40], weight: [20, 16, 3, 3], padding: (1, 1), groups: 1),
    ShiftedCase(name: "5x5 pad 2, groups", input: [2, 12, 18, 18], weight: [26, 6, 5, 5], padding: (2, 2), groups: 2),
    ShiftedCase(name: "3x3 unpadded", input: [2, 16, 26, 33], weight: [13, 16, 3, 3], padding: (0, 0), groups: 1),
    ShiftedCase(name: "1x3 pad (0, 1)", input: [1, 40, 17, 48], weight: [37, 40, 1, 3], padding: (0, 1), groups: 1),
]

@Suite struct ShiftedRowsTests {
    @Test("padded-plane convolution matches the float64 convolution", arguments: shiftedCases)
    fileprivate func matchesFloat64(_ c: ShiftedCase) {
        let (kh, kw) = (c.weight[2], c.weight[3])
        let (oh, ow) = (c.input[2] + 2 * c.padding.0 - kh + 1, c.input[3] + 2 * c.padding.1 - kw + 1)
        let window = Window2D(kernel: (kh, kw), stride: (1, 1), padding: c.padding, dilation: (1, 1),
                              input: (c.input[2], c.input[3]), output: (oh, ow))
        let k = c.weight[1] * kh * kw
        // Where the build has no AVX-512 kernel, the same check covers the unfolding path.
        #expect(ShiftedRowsLayout.applies(type: .float32, window: window, filters: c.weight[0] / c.groups, k: k)
                == ShiftedRowsLayout.isAvailable)
        // The input gradient runs the transposed convolution on padded planes too.
        let transposed = Window2D(kernel: (kh, kw), stride: (1, 1), padding: (kh - 1 - c.padding.0, kw - 1 - c.padding.1),
                                  dilation: (1, 1), input: (oh, ow), output: (c.input[2], c.input[3]))
        #expect(ShiftedRowsLayout.applies(type: .float32, window: transposed, filters: c.weight[1], k: c.weight[0] / c.groups * kh * kw)
                == ShiftedRowsLayout.isAvailable)
        let x = Tensor.randn(c.input, generator: Generator(seed: 21)).requiresGrad_()
        let w = Tensor.randn(c.weight, generator: Generator(seed: 22)).requiresGrad_()
        let probe = Tensor.randn([c.input[0], c.weight[0], oh, ow], generator: Generator(seed: 23))
        let y = x.conv2d(w, padding: c.padding, groups: c.groups)
        y.mul(probe).sum().backward()
        let x64 = x.detach().to(.float64), w64 = w.detach().to(.float64), probe64 = probe.to(.float64)
        #expect(y.shape == [c.input[0], c.weight[0], oh, ow])
        Self.expectClose(y, x64.conv2d(w64, padding: c.padding, groups: c.groups),
                         bound: x64.abs().conv2d(w64.abs(), padding: c.padding, groups: c.groups), "\(c.name) forward")
        Self.expectClose(x.grad!, probe64.convTranspose2d(w64, padding: c.padding, groups: c.groups),
                         bound: probe64.abs().convTranspose2d(w64.abs(), padding: c.padding, groups: c.groups),
                         "\(c.name) input gradient")
        // The weight gradient, and its bound Σ|probe||x| as the gradient of the same sum over |x|.
        let (dw64, bound64) = (w64.clone().requiresGrad_(), w64.clone().requiresGrad_())
        x64.conv2d(dw64, padding: c.padding, groups: c.groups).mul(probe64).sum().backward()
        x64.abs().conv2d(bound64, padding: c.padding, groups: c.groups).mul(probe64.abs()).sum().backward()
        Self.expectClose(w.grad!, dw64.grad!, bound: bound64.grad!, "\(c.name) weight gradient")
        // conv_transpose2d's own forward pass is the same input gradient.
        Self.expectClose(probe.convTranspose2d(w.detach(), padding: c.padding, groups: c.groups),
                         probe64.convTranspose2d(w64, padding: c.padding, groups: c.groups),
                         bound: probe64.abs().convTranspose2d(w64.abs(), padding: c.padding, groups: c.groups),
                         "\(c.name) conv_transpose2d")
    }

    static func expectClose(_ actual: Tensor, _ reference: Tensor, bound magnitude: Tensor, _ what: String) {
        #expect(actual.shape == reference.shape, "\(what): \(actual.shape) vs \(reference.shape)")
        let got: [Double] = actual.to(.float64).scalars(), want: [Double] = reference.scalars()
        let bound: [Double] = magnitude.scalars()
        var worst = 0.0
        for i in got.indices { worst = Swift.max(worst, Swift.abs(got[i] - want[i]) - (1e-5 * bound[i] + 1e-6)) }
        #expect(worst <= 0, "\(what): exceeds the bound by \(worst)")
    }

    /// The output gradient in the padded column space, transposed: 8 × 8 register blocks and the remainders.
    @Test(arguments: [(16, 5, 16), (13, 4, 19), (8, 3, 7)])
    func gradientTransposeIsExact(_ shape: (Int, Int, Int)) {
        let (channels, outH, outW) = shape
        let window = Window2D(kernel: (3, 3), stride: (1, 1), padding: (1, 1), dilation: (1, 1),
                              input: (outH, outW), output: (outH, outW))
        let layout = ShiftedRowsLayout(window: window)
        let gy = (0..<(channels * outH * outW)).map { Float($0) + 0.5 }
        var out = [Float](repeating: .nan, count: layout.columns * channels)
        gy.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { layout.transposeGradient(g.baseAddress!, channels: channels, into: $0.baseAddress!) }
        }
        for j in 0..<layout.columns {
            let (oh, ow) = (j / layout.paddedW, j % layout.paddedW)
            for o in 0..<channels {
                #expect(out[j * channels + o] == (ow < outW ? gy[(o * outH + oh) * outW + ow] : 0), "column \(j), channel \(o)")
            }
        }
    }

    @Test func paddingWritesZeroBordersAndSlack() {
        let window = Window2D(kernel: (3, 5), stride: (1, 1), padding: (1, 2), dilation: (1, 1), input: (4, 6), output: (4, 6))
        let layout = ShiftedRowsLayout(window: window)
        let channels = 2
        let x = (0..<(channels * 24)).map { Float($0 + 1) }
        var padded = [Float](repeating: .nan, count: layout.count(channels: channels))
        x.withUnsafeBufferPointer { xp in
            padded.withUnsafeMutableBufferPointer { layout.pad(xp.baseAddress!, channels: channels, into: $0.baseAddress!, threaded: false) }
        }
        for c in 0..<channels {
            for h in 0..<layout.paddedH {
                for w in 0..<layout.paddedW {
                    let (ih, iw) = (h - 1, w - 2)
                    let inside = ih >= 0 && ih < 4 && iw >= 0 && iw < 6
                    #expect(padded[c * layout.plane + h * layout.paddedW + w] == (inside ? x[c * 24 + ih * 6 + iw] : 0))
                }
            }
        }
        #expect(padded[(channels * layout.plane)...].allSatisfy { $0 == 0 })
    }
}
