// Convolutions split across threads by image (ConvolutionPlan+Threads) must
// give what image-by-image convolutions give: forward, input and weight
// gradients, on the per-image path (large planes, pointwise) and the batched
// path (small planes, groups), with batches that split evenly, unevenly, or
// not at all. Also the
// fused BN → ReLU against its two-op form, inference max pooling (no
// argmax) against the recorded form, and vectorized training max pooling
// against the scalar scan, NaN and -inf included.

import EmberCore
import Testing

private struct ConvCase: CustomTestStringConvertible, Sendable {
    let name: String, input: [Int], weight: [Int], padding: (Int, Int), stride: (Int, Int), groups: Int
    var testDescription: String { name }
}

private let convCases: [ConvCase] = [
    ConvCase(name: "3x3 per-image", input: [4, 8, 32, 32], weight: [16, 8, 3, 3], padding: (1, 1), stride: (1, 1), groups: 1),
    ConvCase(name: "pointwise", input: [4, 64, 16, 16], weight: [48, 64, 1, 1], padding: (0, 0), stride: (1, 1), groups: 1),
    ConvCase(name: "batched groups", input: [6, 32, 12, 12], weight: [32, 16, 3, 3], padding: (1, 1), stride: (1, 1), groups: 2),
    ConvCase(name: "batched strided, uneven split", input: [9, 16, 14, 14], weight: [24, 16, 3, 3], padding: (1, 1),
             stride: (2, 2), groups: 1),
    ConvCase(name: "odd batch, not split", input: [5, 16, 34, 34], weight: [16, 16, 3, 3], padding: (0, 0), stride: (1, 1), groups: 1),
]

/// Output, input gradient and weight gradient of one convolution over the
/// whole batch (split by image when there are threads for it), or image by
/// image (a batch of one is never split by image: its GEMMs are split instead).
/// No thread-count change: that is global and would disturb tests running alongside.
private func convolve(_ c: ConvCase, imageByImage: Bool) -> [[Float]] {
    let x = Tensor.randn(c.input, generator: Generator(seed: 3))
    let w = Tensor.randn(c.weight, generator: Generator(seed: 4)).mul(0.1).requiresGrad_()
    let probe = Tensor.randn([c.input[0], c.weight[0], 1, 1], generator: Generator(seed: 5))
    let parts = imageByImage ? (0..<c.input[0]).map { x.narrow(dim: 0, start: $0, length: 1) } : [x]
    var outputs: [Tensor] = [], inputGrads: [Tensor] = []
    var offset = 0
    for part in parts {
        let xi = part.contiguous().requiresGrad_()
        let y = xi.conv2d(w, stride: c.stride, padding: c.padding, groups: c.groups)
        y.mul(probe.narrow(dim: 0, start: offset, length: part.shape[0])).sum().backward()
        offset += part.shape[0]
        outputs.append(y.detach())
        inputGrads.append(xi.grad!)
    }
    return [Tensor.cat(outputs, dim: 0).contiguous().scalars(), Tensor.cat(inputGrads, dim: 0).contiguous().scalars(),
            w.grad!.contiguous().scalars()]
}

@Suite struct ConvolutionThreadTests {
    @Test("conv2d over a batch matches conv2d image by image", arguments: convCases)
    fileprivate func batchMatchesImages(_ c: ConvCase) {
        let whole = convolve(c, imageByImage: false), single = convolve(c, imageByImage: true)
        for (name, (a, b)) in zip(["output", "input grad", "weight grad"], zip(whole, single)) {
            #expect(a.count == b.count)
            let scale = a.map { abs($0) }.max() ?? 1
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-5 * Swift.max(scale, 1), "\(c.name) \(name): max difference \(worst) (scale \(scale))")
        }
    }

    @Test func batchNormReLUMatchesBatchNormThenReLU() {
        for training in [true, false] {
            let x = Tensor.randn([3, 4, 5, 5], generator: Generator(seed: 8)).requiresGrad_()
            let weight = Tensor.randn([4], generator: Generator(seed: 9)).requiresGrad_()
            let bias = Tensor.randn([4], generator: Generator(seed: 10)).requiresGrad_()
            let mean = Tensor.randn([4], generator: Generator(seed: 11)), variance = Tensor.rand([4]).add(0.5)
            let probe = Tensor.randn([3, 4, 5, 5], generator: Generator(seed: 12))
            let fused = x.batchNormReLU(weight: weight, bias: bias, runningMean: mean.clone(), runningVar: variance.clone(),
                                        training: training)
            fused.mul(probe).sum().backward()
            let fusedGrads: [[Float]] = [x, weight, bias].map { $0.grad!.scalars() }
            for t in [x, weight, bias] { t.grad = nil }
            let plain = x.batchNorm(weight: weight, bias: bias, runningMean: mean.clone(), runningVar: variance.clone(),
                                    training: training).relu()
            plain.mul(probe).sum().backward()
            let plainGrads: [[Float]] = [x, weight, bias].map { $0.grad!.scalars() }
            #expect((fused.detach().scalars() as [Float]) == plain.detach().scalars())
            for (f, p) in zip(fusedGrads, plainGrads) {
                #expect(zip(f, p).allSatisfy { abs($0 - $1) <= 1e-5 * Swift.max(1, abs($1)) })
            }
        }
    }

    /// Stride-1 depthwise float32 sums all taps of sixteen outputs in a register
    /// (Depthwise.swift); float64 sweeps one tap at a time. Tolerance 1e-5 of Σ|w||x|.
    @Test func depthwiseFloat32MatchesFloat64() {
        for (input, kernel, padding, dilation) in [([2, 5, 13, 17], (3, 3), (1, 1), (1, 1)),
                                                   ([1, 3, 9, 30], (5, 3), (2, 0), (1, 2))] {
            let channels = input[1]
            let x = Tensor.randn(input, generator: Generator(seed: 31))
            let w = Tensor.randn([channels, 1, kernel.0, kernel.1], generator: Generator(seed: 32))
            let y: [Double] = x.conv2d(w, padding: padding, dilation: dilation, groups: channels).to(.float64).scalars()
            let (x64, w64) = (x.to(.float64), w.to(.float64))
            let want: [Double] = x64.conv2d(w64, padding: padding, dilation: dilation, groups: channels).scalars()
            let bound: [Double] = x64.abs().conv2d(w64.abs(), padding: padding, dilation: dilation, groups: channels).scalars()
            #expect(y.count == want.count && !y.isEmpty)
            #expect(y.indices.allSatisfy { Swift.abs(y[$0] - want[$0]) <= 1e-5 * bound[$0] + 1e-6 }, "\(input) \(kernel)")
        }
    }

    /// Training max pooling: float32 rows go sixteen outputs at a time
    /// (MaxPool+Indexed.swift), float64 through the scalar scan. On the same
    /// values, with ReLU-style ties at zero, NaN and -inf, both must pick the
    /// same positions: equal outputs and input gradients (to float32 rounding).
    @Test func maxPoolIndicesMatchScalarScan() {
        var values: [Float] = Tensor.randn([2, 3, 9, 45], generator: Generator(seed: 17)).relu().scalars()
        values[50] = .nan; values[51] = .nan; values[300] = -.infinity; values[301] = .nan
        for i in 900..<960 { values[i] = -.infinity }
        let x = Tensor(values, shape: [2, 3, 9, 45])
        let probe = Tensor.randn([2, 3, 45, 45], generator: Generator(seed: 18))
        let windows = [((3, 3), (2, 2), (1, 1), (1, 1)), ((2, 2), (1, 1), (0, 0), (1, 1)),
                       ((3, 3), (1, 1), (1, 1), (1, 2)), ((3, 5), (2, 2), (1, 2), (1, 1))]
        for (kernel, stride, padding, dilation) in windows {
            var results: [([Double], [Double])] = []
            for input in [x, x.to(.float64)] {
                let leaf = input.clone().requiresGrad_()
                let y = leaf.maxPool2d(kernelSize: kernel, stride: stride, padding: padding, dilation: dilation)
                let p = probe.narrow(dim: 2, start: 0, length: y.shape[2]).narrow(dim: 3, start: 0, length: y.shape[3])
                y.mul(p.to(y.dtype)).sum().backward()
                results.append((y.detach().to(.float64).scalars(), leaf.grad!.to(.float64).scalars()))
            }
            let (a, b) = (results[0], results[1])
            #expect(a.0.count == b.0.count && zip(a.0, b.0).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) },
                    "values, window \(kernel) \(stride)")
            // Overlapping windows that pick the same input add their probes, in
            // float32 on one side: 1e-5 covers that rounding, not a misrouted value.
            #expect(a.1.count == b.1.count && zip(a.1, b.1).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * Swift.max(1, Swift.abs($1)) },
                    "gradients, window \(kernel) \(stride)")
        }
    }

    @Test func maxPoolWithoutIndicesMatchesRecordedForm() {
        var values: [Float] = Tensor.randn([2, 3, 11, 9], generator: Generator(seed: 13)).scalars()
        values[5] = .nan; values[40] = -.infinity; values[41] = .nan; values[200] = .infinity
        for i in 100..<112 { values[i] = -.infinity }
        let x = Tensor(values, shape: [2, 3, 11, 9])
        // The separable inference pass against the indexed scan: padding,
        // stride, dilation, ceil-mode overhang, NaN and infinities, both dtypes.
        let windows = [((3, 3), (2, 2), (1, 1), (1, 1), false), ((2, 3), (1, 2), (0, 1), (2, 1), false),
                       ((3, 3), (2, 2), (1, 1), (1, 1), true), ((2, 2), (3, 2), (1, 0), (1, 2), true),
                       ((1, 1), (2, 2), (0, 0), (1, 1), false)]
        for input in [x, x.to(.float64)] {
            for (kernel, stride, padding, dilation, ceil) in windows {
                let plain = GradMode.noGrad {
                    input.maxPool2d(kernelSize: kernel, stride: stride, padding: padding, dilation: dilation, ceilMode: ceil)
                }
                let recorded = input.clone().requiresGrad_().maxPool2d(kernelSize: kernel, stride: stride, padding: padding,
                                                                      dilation: dilation, ceilMode: ceil)
                let a: [Double] = plain.to(.float64).scalars(), b: [Double] = recorded.detach().to(.float64).scalars()
                #expect(a.count == b.count && !a.isEmpty)
                #expect(zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "window \(kernel) \(stride) \(padding)")
            }
        }
    }
}
