// Output sizes and small deterministic cases: torchvision's shorter-side
// rule (truncating), maxSize, centre-crop rounding, and the
// transform structs forwarding to their functional forms.

import EmberVision
import Testing

@Suite struct TransformSizeTests {
    @Test func shorterSideSizesTruncateAsTorchvision() {
        // (h, w, size) → [h, w], from formats.md §5.
        #expect(TF.resizedSize(height: 600, width: 512, size: [256]) == [300, 256])
        #expect(TF.resizedSize(height: 800, width: 1023, size: [256]) == [256, 327])
        #expect(TF.resizedSize(height: 500, width: 333, size: [256]) == [384, 256])
        #expect(TF.resizedSize(height: 600, width: 512, size: [256], maxSize: 280) == [280, 238])
        #expect(TF.resizedSize(height: 10, width: 20, size: [7, 9]) == [7, 9])
    }

    @Test func unchangedSizeReturnsTheImage() {
        let x = Tensor.rand([3, 8, 8])
        #expect(TF.resize(x, size: [8]) === x)
        #expect(Resize([8, 8])(x) === x)
    }

    @Test func centerCropRoundsHalfToEven() {
        // H − crop = 33 → top 16; 35 → 18 (Python's round), measured in torchvision.
        let x = Tensor.arange(259, dtype: .float32).view([1, 259, 1])
        #expect(TF.centerCrop(x.narrow(dim: 1, start: 0, length: 257), size: [224, 1])
            .scalars(as: Float.self)[0] == 16)
        #expect(TF.centerCrop(x, size: [224, 1]).scalars(as: Float.self)[0] == 18)
    }

    @Test func structsForwardToFunctionalForms() {
        let x = Tensor.randint(low: 0, high: 256, [3, 20, 24], generator: Generator(seed: 2)).to(.uint8)
        #expect(Resize(10)(x).shape == [3, 10, 12])
        #expect(Resize(10, maxSize: 11)(x).shape == [3, 9, 11])
        #expect(CenterCrop(30)(x).shape == [3, 30, 30])
        #expect(Pad([1, 2], mode: .edge)(x).shape == [3, 24, 26])
        #expect(FiveCrop(8)(x).count == 5 && TenCrop([8, 6])(x).count == 10)
        #expect(Grayscale(outputChannels: 3)(x).shape == [3, 20, 24])
        let f = ConvertImageDtype(.float32)(x)
        #expect(f.dtype == .float32 && ToTensor(layout: .chw)(x).scalars(as: Float.self) == f.scalars(as: Float.self))
        let n = Normalize(mean: [0.5], std: [0.5])(f)
        #expect(n.scalars(as: Float.self) == f.scalars(as: Float.self).map { ($0 - 0.5) / 0.5 })
        let pipeline = Compose([Resize(12), CenterCrop(10), ConvertImageDtype(.float32),
                                Normalize(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])])
        #expect(pipeline(x).shape == [3, 10, 10])
    }

    @Test func toTensorTakesGrayHWImages() {
        let gray = Tensor([0, 51, 255, 102] as [UInt8], shape: [2, 2])
        let t = TF.toTensor(gray)
        #expect(t.shape == [1, 2, 2] && t.scalars(as: Float.self) == [0, 0.2, 1, 0.4])
    }
}
