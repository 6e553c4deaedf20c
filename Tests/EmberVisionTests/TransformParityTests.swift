// The functional transforms against torchvision 0.29 (transforms.functional
// on tensors), case by case from Tests/Fixtures/transforms/transforms.json.
//
// Tolerances:
// - crops, pads, flips, nearest resizes, grayscale, brightness, dtype
//   conversion: exact (values are moved, or computed with the same Float
//   operations in the same order).
// - float32 resize and colour: 1e-5 absolute; measured at most 8e-7
//   (non-antialiased bicubic resize): float rounding in sums that ATen
//   orders differently.
// - rotate (uint8 and float32): exact; it repeats ATen's grid-sampler
//   arithmetic operation for operation, fused multiply-adds included.
// - uint8 resize: ±1, since a Float result within a few ulps of a .5
//   boundary may round either way (torchvision computes uint8 in float32
//   and rounds, as Ember does); measured: 2 values of ~70k off by one.
// - uint8 contrast, saturation, hue: ±1 for the same reason at the
//   truncation boundary (a grey mean or luma a few ulps off); measured exact.

import EmberTestSupport
import EmberVision
import Testing

@Suite struct TransformParityTests {
    static func apply(_ c: TransformCase) -> [Tensor] {
        let x = TransformFixtures.inputs[c.input]!
        let a = c.args
        switch c.op {
        case "resize":
            return [TF.resize(x, size: a.ints("size"), interpolation: a.interpolation,
                              maxSize: a.has("max_size") ? a.int("max_size") : nil, antialias: a.bool("antialias"))]
        case "crop":
            return [TF.crop(x, top: a.int("top"), left: a.int("left"), height: a.int("height"), width: a.int("width"))]
        case "center_crop": return [TF.centerCrop(x, size: a.ints("size"))]
        case "resized_crop":
            return [TF.resizedCrop(x, top: a.int("top"), left: a.int("left"), height: a.int("height"),
                                   width: a.int("width"), size: a.ints("size"), interpolation: a.interpolation)]
        case "five_crop": return TF.fiveCrop(x, size: a.ints("size"))
        case "ten_crop": return TF.tenCrop(x, size: a.ints("size"), verticalFlip: a.bool("vertical_flip"))
        case "hflip": return [TF.hflip(x)]
        case "vflip": return [TF.vflip(x)]
        case "pad":
            return [TF.pad(x, padding: a.ints("padding"), fill: a.double("fill"),
                           mode: ImagePaddingMode(rawValue: a.string("mode"))!)]
        case "rotate":
            return [TF.rotate(x, angle: a.double("angle"), interpolation: a.interpolation, expand: a.bool("expand"),
                              center: a.has("center") ? a.doubles("center") : nil,
                              fill: a.has("fill") ? a.doubles("fill") : nil)]
        case "adjust_brightness": return [TF.adjustBrightness(x, factor: a.double("factor"))]
        case "adjust_contrast": return [TF.adjustContrast(x, factor: a.double("factor"))]
        case "adjust_saturation": return [TF.adjustSaturation(x, factor: a.double("factor"))]
        case "adjust_hue": return [TF.adjustHue(x, factor: a.double("factor"))]
        case "rgb_to_grayscale": return [TF.rgbToGrayscale(x, outputChannels: a.int("num_output_channels"))]
        case "normalize": return [TF.normalize(x, mean: a.doubles("mean"), std: a.doubles("std"))]
        case "convert_image_dtype": return [TF.convertImageDtype(x, to: a.dtype())]
        case "to_tensor_hwc": return [TF.toTensor(x.permute(1, 2, 0).contiguous())]
        default: preconditionFailure("unknown op \(c.op)")
        }
    }

    /// The tolerance stated in the header for this case.
    static func tolerance(_ c: TransformCase) -> Double {
        let uint8 = c.outputs[0].dtype == .uint8
        switch c.op {
        case "rotate": return 0   // bit-exact: same operations, fused where ATen's are
        case "resize", "resized_crop":
            if c.args.has("interpolation"), c.args.string("interpolation").hasPrefix("nearest") { return 0 }
            return uint8 ? 1 : 1e-5
        case "adjust_contrast", "adjust_saturation", "adjust_hue":
            return uint8 ? 1 : 1e-5
        default: return 0
        }
    }

    @Test(arguments: TransformFixtures.cases)
    func matchesTorchvision(_ c: TransformCase) {
        let got = Self.apply(c)
        #expect(got.count == c.outputs.count, "\(c.testDescription): \(got.count) outputs, expected \(c.outputs.count)")
        for (g, e) in zip(got, c.outputs) {
            expectMatches(g, e, tolerance: Self.tolerance(c), c.testDescription)
        }
    }

    @Test func fixtureCoversEveryFunctionalForm() {
        let ops = Set(TransformFixtures.cases.map(\.op))
        for op in ["resize", "crop", "center_crop", "resized_crop", "five_crop", "ten_crop", "hflip", "vflip", "pad",
                   "rotate", "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue",
                   "rgb_to_grayscale", "normalize", "convert_image_dtype", "to_tensor_hwc"] {
            #expect(ops.contains(op), "no fixture case for \(op)")
        }
    }
}
