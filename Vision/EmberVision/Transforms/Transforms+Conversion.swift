// Conversions and normalization: TF.toTensor, TF.convertImageDtype,
// TF.normalize and their transforms ToTensor, ConvertImageDtype, Normalize.

extension TF {
    /// Where the channels of a decoded image are.
    public enum Layout: Sendable {
        /// [H, W, C] (or [H, W]), as decoders and numpy arrays hold pixels.
        case hwc
        /// [C, H, W], already channels-first.
        case chw
    }

    /// A uint8 image as float32 CHW in [0, 1] (`x / 255`, a true division, as
    /// `torchvision.transforms.ToTensor`); an [H, W] image gains one channel.
    /// Other dtypes are only moved to CHW, not scaled, as torchvision does.
    ///
    /// ```swift
    /// let x = TF.toTensor(decodedHWC)   // [3, H, W] float32
    /// ```
    public static func toTensor(_ image: Tensor, layout: Layout = .hwc) -> Tensor {
        var x = image
        if layout == .hwc {
            precondition(image.rank == 2 || image.rank == 3,
                         "toTensor: expected an [H, W, C] or [H, W] image, got shape \(image.shape)")
            x = image.rank == 2 ? image.unsqueeze(0) : image.permute(2, 0, 1)
        } else {
            precondition(image.rank >= 2, "toTensor: expected a [C, H, W] image, got shape \(image.shape)")
            if image.rank == 2 { x = image.unsqueeze(0) }
        }
        guard x.dtype == .uint8 else { return x.contiguous() }
        return convertImageDtype(x, to: .float32)
    }

    /// The image in `dtype`, rescaled between integer ranges and [0, 1] as
    /// `convert_image_dtype`: uint8 → float divides by 255; float → uint8
    /// multiplies by 255.999 and truncates; float → float only casts.
    ///
    /// ```swift
    /// let f = TF.convertImageDtype(image, to: .float32)   // [0, 1]
    /// let u = TF.convertImageDtype(f, to: .uint8)
    /// ```
    public static func convertImageDtype(_ image: Tensor, to dtype: DType) -> Tensor {
        if image.dtype == dtype { return image }
        precondition(image.dtype != .bool && dtype != .bool, "convertImageDtype: bool images are not supported")
        if image.dtype.isFloatingPoint {
            if dtype.isFloatingPoint { return image.to(dtype) }
            precondition(!(image.dtype == .float32 && (dtype == .int32 || dtype == .int64))
                         && !(image.dtype == .float64 && dtype == .int64),
                         "convertImageDtype: the cast from \(image.dtype) to \(dtype) cannot be performed safely")
            if image.dtype == .float32 && dtype == .uint8 {
                let scale = Float(255 + 1.0 - 1e-3)
                return tensorFromFloats(floatValues(image).map { $0 * scale }, shape: image.shape,
                                        dtype: .uint8, cast: .truncate)
            }
            return (image * (maxValue(dtype) + 1 - 1e-3)).to(dtype)
        }
        let inMax = maxValue(image.dtype)
        if dtype.isFloatingPoint {
            if image.dtype == .uint8 && dtype == .float32 {
                // A true division, as torchvision's `image / 255` (×(1/255) differs in the last bit).
                let out = Tensor.empty(image.shape, dtype: .float32)
                image.contiguous().withUnsafeBufferPointer(as: UInt8.self) { src in
                    out.withUnsafeMutableBufferPointer(as: Float.self) { dst in
                        for i in 0..<src.count { dst[i] = Float(src[i]) / 255 }
                    }
                }
                return out
            }
            return image.to(dtype) / inMax
        }
        let outMax = maxValue(dtype)
        if inMax > outMax {
            return image.floorDivide(Int((inMax + 1) / (outMax + 1))).to(dtype)
        }
        return image.to(dtype) * Double(Int((outMax + 1) / (inMax + 1)))
    }

    /// `(x − mean[c]) / std[c]` per channel of a float image or batch
    /// (`normalize`); mean and std are cast to the image's dtype first.
    ///
    /// ```swift
    /// let y = TF.normalize(x, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    /// ```
    public static func normalize(_ image: Tensor, mean: [Double], std: [Double]) -> Tensor {
        let (c, h, w) = imageSize(image, "normalize")
        precondition(image.rank >= 3, "normalize: expected [..., C, H, W], got shape \(image.shape)")
        precondition(image.dtype.isFloatingPoint, "normalize: expected a float image, got \(image.dtype)")
        precondition((mean.count == 1 || mean.count == c) && (std.count == 1 || std.count == c),
                     "normalize: mean (\(mean.count)) and std (\(std.count)) must have 1 or \(c) values for \(image.shape)")
        precondition(std.allSatisfy { $0 != 0 }, "normalize: std evaluated to zero, leading to division by zero")
        guard image.dtype == .float32 else {
            let m = Tensor(mean.count == 1 ? Array(repeating: mean[0], count: c) : mean).to(image.dtype)
            let s = Tensor(std.count == 1 ? Array(repeating: std[0], count: c) : std).to(image.dtype)
            return (image - m.view([c, 1, 1])) / s.view([c, 1, 1])
        }
        let plane = h * w
        let out = Tensor.empty(image.shape, dtype: .float32)
        image.contiguous().withUnsafeBufferPointer(as: Float.self) { src in
            out.withUnsafeMutableBufferPointer(as: Float.self) { dst in
                for p in 0..<(image.count / Swift.max(plane, 1)) {
                    let ch = p % c
                    let m = Float(mean.count == 1 ? mean[0] : mean[ch]), s = Float(std.count == 1 ? std[0] : std[ch])
                    // Subtract then divide, as torchvision's sub_/div_ (not × 1/std).
                    let from = src.baseAddress! + p * plane, to = dst.baseAddress! + p * plane
                    for i in 0..<plane { to[i] = (from[i] - m) / s }
                }
            }
        }
        return out
    }
}

/// uint8 HWC (or CHW) pixels to float32 CHW in [0, 1]
/// (`torchvision.transforms.ToTensor`).
///
/// ```swift
/// let x = ToTensor()(decodedHWC)               // [3, H, W] float32
/// let y = ToTensor(layout: .chw)(imageCHW)
/// ```
public struct ToTensor: Transform {
    public let layout: TF.Layout
    public init(layout: TF.Layout = .hwc) { self.layout = layout }
    public func callAsFunction(_ image: Tensor) -> Tensor { TF.toTensor(image, layout: layout) }
}

/// Converts between uint8 and float images with torchvision's scaling
/// (`torchvision.transforms.ConvertImageDtype`).
///
/// ```swift
/// let x = ConvertImageDtype(.float32)(image)   // uint8 → [0, 1]
/// ```
public struct ConvertImageDtype: Transform {
    public let dtype: DType
    public init(_ dtype: DType) { self.dtype = dtype }
    public func callAsFunction(_ image: Tensor) -> Tensor { TF.convertImageDtype(image, to: dtype) }
}

/// Per-channel `(x − mean) / std` (`torchvision.transforms.Normalize`).
///
/// ```swift
/// let norm = Normalize(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
/// let y = norm(x)
/// ```
public struct Normalize: Transform {
    public let mean: [Double]
    public let std: [Double]
    public init(mean: [Double], std: [Double]) {
        precondition(std.allSatisfy { $0 != 0 }, "Normalize: std evaluated to zero, leading to division by zero")
        self.mean = mean
        self.std = std
    }
    public func callAsFunction(_ image: Tensor) -> Tensor { TF.normalize(image, mean: mean, std: std) }
}
