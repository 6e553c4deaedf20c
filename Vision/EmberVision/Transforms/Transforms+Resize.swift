// Resizing: the functional `TF.resize`, `Resize`, and the output-size rule
// for the shorter-side form. The pixels are computed by Resampler
// (ResampleKernel.swift).

/// torchvision's `transforms.functional` on tensors: the deterministic forms
/// that the random transforms call with sampled parameters.
///
/// ```swift
/// let small = TF.resize(image, size: [128, 160])
/// let gray = TF.rgbToGrayscale(small)
/// ```
public enum TF {}

extension TF {
    /// The [height, width] that `resize` produces (torchvision's
    /// `_compute_resized_output_size`): `[h, w]` exactly, or with one `size`
    /// the shorter side becomes `size` and the longer one `int(size · long / short)`
    /// (truncated), capped at `maxSize`.
    ///
    /// ```swift
    /// TF.resizedSize(height: 600, width: 512, size: [256])   // [300, 256]
    /// ```
    public static func resizedSize(height: Int, width: Int, size: [Int], maxSize: Int? = nil) -> [Int] {
        precondition(size.count == 1 || size.count == 2, "resize: size must have 1 or 2 elements, got \(size)")
        if size.count == 2 {
            precondition(maxSize == nil, "resize: maxSize only applies when size is a single number, got \(size)")
            return size
        }
        let (short, long) = width <= height ? (width, height) : (height, width)
        let requested = size[0]
        var newShort = requested, newLong = Int(Double(requested) * Double(long) / Double(short))
        if let maxSize {
            precondition(maxSize > requested,
                         "resize: maxSize \(maxSize) must be greater than the requested size \(requested)")
            if newLong > maxSize {
                newShort = Int(Double(maxSize) * Double(newShort) / Double(newLong))
                newLong = maxSize
            }
        }
        return width <= height ? [newLong, newShort] : [newShort, newLong]
    }

    /// The image resized to `size` (`[h, w]`, or `[s]` for the shorter side),
    /// as `torchvision.transforms.functional.resize` on a tensor.
    ///
    /// Bilinear and bicubic antialias by default (PIL-style filters whose
    /// support grows with the downscale factor, as
    /// `interpolate(..., antialias=True)`); nearest ignores `antialias`.
    /// Integer images are resampled in Float and rounded back (half to even),
    /// bicubic clamped to the dtype's range first. An unchanged size returns
    /// the image itself.
    ///
    /// ```swift
    /// let y = TF.resize(image, size: [256])                         // shorter side 256
    /// let z = TF.resize(image, size: [32, 48], interpolation: .nearest)
    /// ```
    public static func resize(_ image: Tensor, size: [Int], interpolation: InterpolationMode = .bilinear,
                              maxSize: Int? = nil, antialias: Bool = true) -> Tensor {
        let (_, h, w) = imageSize(image, "resize")
        let out = resizedSize(height: h, width: w, size: size, maxSize: maxSize)
        precondition(out[0] > 0 && out[1] > 0, "resize: output size \(out) of image \(image.shape) must be positive")
        if out == [h, w] { return image }
        precondition(h > 0 && w > 0, "resize: cannot resize an empty image of shape \(image.shape)")
        let aa = antialias && (interpolation == .bilinear || interpolation == .bicubic)
        let rows = out[0] == h ? nil : ResampleTaps(inSize: h, outSize: out[0], mode: interpolation, antialias: aa)
        let cols = out[1] == w ? nil : ResampleTaps(inSize: w, outSize: out[1], mode: interpolation, antialias: aa)
        var shape = image.shape
        shape[shape.count - 2] = out[0]
        shape[shape.count - 1] = out[1]
        var result = [Float](repeating: 0, count: image.count / (h * w) * out[0] * out[1])
        // uint8 and float32 are read in place, strided views included (a CHW
        // view of decoded HWC pixels needs no copy); other dtypes go through float32.
        let x = image.dtype == .uint8 || image.dtype == .float32 ? image : image.to(.float32)
        let layout = PlaneLayout(x)
        result.withUnsafeMutableBufferPointer { dst in
            withExtendedLifetime(x) {
                if x.dtype == .uint8 {
                    Resampler.resample(UnsafePointer(x.pointer(UInt8.self)), layout: layout, inH: h, inW: w,
                                       rows: rows, cols: cols, into: dst)
                } else {
                    Resampler.resample(UnsafePointer(x.pointer(Float.self)), layout: layout, inH: h, inW: w,
                                       rows: rows, cols: cols, into: dst)
                }
            }
        }
        // torchvision clamps bicubic only for uint8; rounding + the dtype's range covers it.
        return tensorFromFloats(result, shape: shape, dtype: image.dtype, cast: .round)
    }
}

/// Resizes to a fixed `[h, w]`, or the shorter side to `size`, as
/// `torchvision.transforms.Resize`.
///
/// ```swift
/// let resize = Resize(256)                      // shorter side → 256
/// let fixed = Resize([224, 224], interpolation: .bicubic)
/// let y = resize(image)
/// ```
public struct Resize: Transform {
    public let size: [Int]
    public let interpolation: InterpolationMode
    public let maxSize: Int?
    public let antialias: Bool

    /// Shorter side to `size`, longer side capped at `maxSize`.
    public init(_ size: Int, interpolation: InterpolationMode = .bilinear, maxSize: Int? = nil,
                antialias: Bool = true) {
        self.init(size: [size], interpolation: interpolation, maxSize: maxSize, antialias: antialias)
    }

    /// Exactly `[h, w]` (or `[s]` for the shorter side).
    public init(_ size: [Int], interpolation: InterpolationMode = .bilinear, antialias: Bool = true) {
        self.init(size: size, interpolation: interpolation, maxSize: nil, antialias: antialias)
    }

    private init(size: [Int], interpolation: InterpolationMode, maxSize: Int?, antialias: Bool) {
        precondition(size.count == 1 || size.count == 2, "Resize: size must have 1 or 2 elements, got \(size)")
        precondition(size.allSatisfy { $0 > 0 }, "Resize: sizes must be positive, got \(size)")
        self.size = size
        self.interpolation = interpolation
        self.maxSize = maxSize
        self.antialias = antialias
    }

    public func callAsFunction(_ image: Tensor) -> Tensor {
        TF.resize(image, size: size, interpolation: interpolation, maxSize: maxSize, antialias: antialias)
    }
}
