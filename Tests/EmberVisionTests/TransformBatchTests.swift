// Batches: every transform on an NCHW batch equals the stack of its results
// on each CHW image (exactly: the kernels run plane by plane), and random
// transforms apply one draw to the whole batch, as torchvision does.

import EmberVision
import Testing

@Suite struct TransformBatchTests {
    static let batchU8 = Tensor.randint(low: 0, high: 256, [2, 3, 19, 26], generator: Generator(seed: 4)).to(.uint8)
    static let batchF32 = Tensor.rand([2, 3, 19, 26], generator: Generator(seed: 5))

    static let functional: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("resize bilinear aa", { TF.resize($0, size: [11, 14]) }),
        ("resize bicubic", { TF.resize($0, size: [30, 33], interpolation: .bicubic, antialias: false) }),
        ("resize nearest", { TF.resize($0, size: [7], interpolation: .nearest) }),
        ("centerCrop padded", { TF.centerCrop($0, size: [21, 20]) }),
        ("crop out of bounds", { TF.crop($0, top: -2, left: 20, height: 10, width: 10) }),
        ("pad symmetric", { TF.pad($0, padding: [1, 2, 3, 4], mode: .symmetric) }),
        ("pad reflect", { TF.pad($0, padding: [2], mode: .reflect) }),
        ("rotate", { TF.rotate($0, angle: 33, interpolation: .bilinear, expand: true, fill: [1, 2, 3]) }),
        ("brightness", { TF.adjustBrightness($0, factor: 1.4) }),
        ("contrast", { TF.adjustContrast($0, factor: 0.6) }),
        ("saturation", { TF.adjustSaturation($0, factor: 1.8) }),
        ("hue", { TF.adjustHue($0, factor: -0.2) }),
        ("grayscale", { TF.rgbToGrayscale($0, outputChannels: 3) }),
    ]

    static func equal(_ a: Tensor, _ b: Tensor) -> Bool {
        a.shape == b.shape && a.dtype == b.dtype && a.scalars(as: Double.self) == b.scalars(as: Double.self)
    }

    @Test(arguments: 0..<functional.count)
    func batchEqualsEachImage(_ i: Int) {
        let (name, f) = Self.functional[i]
        for batch in [Self.batchU8, Self.batchF32] {
            let whole = f(batch)
            let each = Tensor.stack((0..<2).map { f(batch.select(dim: 0, index: $0)) })
            #expect(Self.equal(whole, each), "\(name) on \(batch.dtype)")
        }
    }

    @Test func normalizeBatchEqualsEachImage() {
        let f = { (x: Tensor) in TF.normalize(x, mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3]) }
        let each = Tensor.stack((0..<2).map { f(Self.batchF32.select(dim: 0, index: $0)) })
        #expect(Self.equal(f(Self.batchF32), each))
    }

    @Test func randomTransformsShareOneDrawAcrossTheBatch() {
        let t = RandomResizedCrop([9, 12])
        let whole = t(Self.batchU8, generator: Generator(seed: 21))
        let p = RandomResizedCrop.parameters(height: 19, width: 26, scale: t.scale, ratio: t.ratio,
                                             generator: Generator(seed: 21))
        let each = Tensor.stack((0..<2).map {
            TF.resizedCrop(Self.batchU8.select(dim: 0, index: $0), top: p.top, left: p.left, height: p.height,
                           width: p.width, size: [9, 12])
        })
        #expect(Self.equal(whole, each))
    }

    @Test func stridedViewsResizeAsTheirContiguousCopies() {
        // Decoded pixels are HWC; resize reads the CHW view in place.
        let hwc = Tensor.randint(low: 0, high: 256, [2, 19, 26, 3], generator: Generator(seed: 6)).to(.uint8)
        let view = hwc.permute(0, 3, 1, 2)
        for (size, mode) in [([11, 14], InterpolationMode.bilinear), ([19, 40], .bicubic), ([30, 26], .nearest)] {
            #expect(Self.equal(TF.resize(view, size: size, interpolation: mode),
                               TF.resize(view.contiguous(), size: size, interpolation: mode)), "\(size) \(mode)")
            let f = view.to(.float32)
            #expect(Self.equal(TF.resize(f.transpose(-1, -2), size: size, interpolation: mode),
                               TF.resize(f.transpose(-1, -2).contiguous(), size: size, interpolation: mode)))
        }
    }

    @Test func resizeDoesNotDependOnTheThreadCount() {
        // Large enough that both passes split their rows across threads.
        let x = Tensor.randint(low: 0, high: 256, [3, 300, 260], generator: Generator(seed: 7)).to(.uint8)
        let before = numThreads()
        setNumThreads(1)
        let one = TF.resize(x, size: [97, 131], interpolation: .bicubic)
        setNumThreads(2)
        let two = TF.resize(x, size: [97, 131], interpolation: .bicubic)
        setNumThreads(before)
        #expect(Self.equal(one, two))
    }
}
