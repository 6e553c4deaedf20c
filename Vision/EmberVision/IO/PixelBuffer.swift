// Decoded pixels between the codec and the tensor: interleaved (HWC) samples
// of 8 or 16 bits. Channel conversions and EXIF orientation happen here, on
// plain arrays, before one final copy into the tensor's layout.

/// Interleaved samples, row-major: `samples[(y * width + x) * channels + c]`.
struct PixelBuffer<Sample: FixedWidthInteger & UnsignedInteger> {
    var width: Int
    var height: Int
    var channels: Int
    var samples: [Sample]

    /// Converts to `target` channels as PIL's `Image.convert` does: luma
    /// `(19595 R + 38470 G + 7471 B + 0x8000) >> 16`, alpha dropped without
    /// compositing, opaque alpha added, gray replicated to RGB.
    func converted(to target: Int) -> PixelBuffer {
        if target == channels { return self }
        let count = width * height
        let opaque = Sample.max
        var out = [Sample](repeating: 0, count: count * target)
        let hasAlpha = channels == 2 || channels == 4
        samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count {
                    let s = i * channels, d = i * target
                    let alpha = hasAlpha ? src[s + channels - 1] : opaque
                    switch target {
                    case 1, 2:
                        dst[d] = channels >= 3 ? luma(src[s], src[s + 1], src[s + 2]) : src[s]
                        if target == 2 { dst[d + 1] = alpha }
                    default:
                        if channels >= 3 {
                            dst[d] = src[s]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s + 2]
                        } else {
                            dst[d] = src[s]; dst[d + 1] = src[s]; dst[d + 2] = src[s]
                        }
                        if target == 4 { dst[d + 3] = alpha }
                    }
                }
            }
        }
        return PixelBuffer(width: width, height: height, channels: target, samples: out)
    }

    /// PIL's L24 luma, in integers (exact for 8 and 16 bits).
    @inline(__always)
    private func luma(_ r: Sample, _ g: Sample, _ b: Sample) -> Sample {
        Sample(truncatingIfNeeded: (19595 * Int(r) + 38470 * Int(g) + 7471 * Int(b) + 0x8000) >> 16)
    }

    /// The image as EXIF orientation `orientation` (1–8) says it should be
    /// displayed; PIL's `ImageOps.exif_transpose`. 5–8 swap width and height.
    func oriented(_ orientation: Int) -> PixelBuffer {
        guard (2...8).contains(orientation) else { return self }
        let w = width, h = height, c = channels
        let swaps = orientation >= 5
        let outWidth = swaps ? h : w, outHeight = swaps ? w : h
        // The source of output (x, y) is affine in x and y: the source pixel
        // of (0, 0), and the source step (dx, dy) for x + 1 and for y + 1.
        let (origin, xStep, yStep): ((Int, Int), (Int, Int), (Int, Int)) = switch orientation {
        case 2: ((w - 1, 0), (-1, 0), (0, 1))            // mirror horizontally
        case 3: ((w - 1, h - 1), (-1, 0), (0, -1))       // rotate 180°
        case 4: ((0, h - 1), (1, 0), (0, -1))            // mirror vertically
        case 5: ((0, 0), (0, 1), (1, 0))                 // transpose
        case 6: ((0, h - 1), (0, -1), (1, 0))            // rotate 90° clockwise
        case 7: ((w - 1, h - 1), (0, -1), (-1, 0))       // transverse
        default: ((w - 1, 0), (0, 1), (-1, 0))           // 8: rotate 90° counter-clockwise
        }
        let start = (origin.1 * w + origin.0) * c
        let xStride = (xStep.1 * w + xStep.0) * c, yStride = (yStep.1 * w + yStep.0) * c
        var out = [Sample](repeating: 0, count: samples.count)
        samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var d = 0
                for y in 0..<outHeight {
                    var s = start + y * yStride
                    for _ in 0..<outWidth {
                        for k in 0..<c { dst[d + k] = src[s + k] }
                        d += c
                        s += xStride
                    }
                }
            }
        }
        return PixelBuffer(width: outWidth, height: outHeight, channels: c, samples: out)
    }
}

extension PixelBuffer {
    /// Copies into a new contiguous tensor whose elements are `Element`.
    func makeTensor<Element: FixedWidthInteger & TensorElement>(layout: ImageLayout, element: Element.Type) -> Tensor {
        let shape = layout == .chw ? [channels, height, width] : [height, width, channels]
        let tensor = Tensor(uninitializedShape: shape, dtype: Element.dtype)
        let out = tensor.pointer(Element.self)
        let plane = width * height
        samples.withUnsafeBufferPointer { src in
            switch layout {
            case .hwc:
                for i in 0..<src.count { out[i] = Element(truncatingIfNeeded: src[i]) }
            case .chw where channels == 3:
                // One pass for RGB: three planes written side by side, a
                // stride-3 read the compiler turns into vector shuffles.
                let (r, g, b) = (out, out + plane, out + 2 * plane)
                for i in 0..<plane {
                    r[i] = Element(truncatingIfNeeded: src[3 * i])
                    g[i] = Element(truncatingIfNeeded: src[3 * i + 1])
                    b[i] = Element(truncatingIfNeeded: src[3 * i + 2])
                }
            case .chw:
                for c in 0..<channels {
                    let dst = out + c * plane
                    var s = c
                    for i in 0..<plane { dst[i] = Element(truncatingIfNeeded: src[s]); s += channels }
                }
            }
        }
        return tensor
    }
}
