// The Transform protocol, Compose, and the helpers every transform shares:
// reading an image's dimensions, drawing random numbers from a Generator,
// and moving pixels between tensors and Float buffers.
//
// Images are tensors shaped [..., C, H, W] (CHW, or NCHW batches), uint8 or
// float, as torchvision's tensor transforms take them. Random transforms draw
// their parameters once per call, so a batch shares them, as in torchvision.

import EmberKernels

/// An image transform: a tensor in, a tensor out.
///
/// ```swift
/// let t: any Transform = CenterCrop(224)
/// let y = t(image)   // [3, 224, 224]
/// ```
public protocol Transform: Sendable {
    /// The transformed image.
    func callAsFunction(_ image: Tensor) -> Tensor
}

/// A transform that draws parameters from a generator.
///
/// Called without a generator it draws from `Generator.default`, so
/// `manualSeed` or `Generator.withDefault` make it reproducible.
///
/// ```swift
/// let flip = RandomHorizontalFlip()
/// let y = flip(image, generator: Generator(seed: 0))   // the same on every run
/// ```
public protocol RandomTransform: Transform {
    /// The transformed image, with parameters drawn from `generator`.
    func callAsFunction(_ image: Tensor, generator: Generator) -> Tensor
}

extension RandomTransform {
    public func callAsFunction(_ image: Tensor) -> Tensor {
        callAsFunction(image, generator: .default)
    }
}

/// Transforms applied in order, as `torchvision.transforms.Compose`; random
/// members all draw from the one generator passed in.
///
/// ```swift
/// let preprocess = Compose([
///     Resize(256), CenterCrop(224), ConvertImageDtype(.float32),
///     Normalize(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225]),
/// ])
/// let x = preprocess(image)
/// ```
public struct Compose: RandomTransform {
    public let transforms: [any Transform]

    /// The transforms, applied first to last.
    public init(_ transforms: [any Transform]) { self.transforms = transforms }

    public func callAsFunction(_ image: Tensor, generator: Generator) -> Tensor {
        transforms.reduce(image) { x, t in
            if let r = t as? any RandomTransform { return r(x, generator: generator) }
            return t(x)
        }
    }
}

/// How resize and rotate sample between pixels (torchvision's `InterpolationMode`).
public enum InterpolationMode: String, Sendable {
    /// torch's 'nearest': source index `floor(i · in/out)`.
    case nearest
    /// torch's 'nearest-exact': source index `floor((i + 0.5) · in/out)`.
    case nearestExact = "nearest-exact"
    case bilinear
    case bicubic
}

/// How `pad` fills the border (torchvision's `padding_mode`).
public enum ImagePaddingMode: String, Sendable {
    /// The `fill` value.
    case constant
    /// The edge pixel repeated.
    case edge
    /// Mirrored without repeating the edge: [3 2 | 1 2 3 4 | 3 2].
    case reflect
    /// Mirrored repeating the edge: [2 1 | 1 2 3 4 | 4 3].
    case symmetric
}

// MARK: - Shared helpers

/// [C, H, W] of an image or batch, checked to have at least rank 2.
func imageSize(_ image: Tensor, _ op: String) -> (channels: Int, height: Int, width: Int) {
    precondition(image.rank >= 2, "\(op): expected an image [..., H, W], got shape \(image.shape)")
    let r = image.rank
    return (r >= 3 ? image.shape[r - 3] : 1, image.shape[r - 2], image.shape[r - 1])
}

/// A size given as one Int (square) or [h, w] / [s], as torchvision's `_setup_size`.
func squareOrPair(_ size: [Int], _ op: String) -> (height: Int, width: Int) {
    precondition(size.count == 1 || size.count == 2, "\(op): size must have 1 or 2 elements, got \(size)")
    return size.count == 1 ? (size[0], size[0]) : (size[0], size[1])
}

extension Generator {
    /// One uniform number in [low, high), like `torch.empty(1).uniform_(low, high).item()`.
    func uniform(_ low: Double, _ high: Double) -> Double {
        Tensor.uniform([1], low: low, high: high, dtype: .float64, generator: self).item()
    }

    /// One integer in [low, high), like `torch.randint(low, high, (1,)).item()`.
    func randint(_ low: Int, _ high: Int) -> Int {
        Int(Tensor.randint(low: low, high: high, [1], generator: self).item())
    }

    /// True with probability `p`, like `torch.rand(1) < p`.
    func bernoulli(_ p: Double) -> Bool {
        Tensor.rand([1], dtype: .float64, generator: self).item() < p
    }
}

/// The image's elements as contiguous Float32 values.
func floatValues(_ image: Tensor) -> [Float] {
    image.scalars(as: Float.self)
}

/// How Float results go back to an integer dtype: torchvision rounds after
/// resampling (`_cast_squeeze_out`) but truncates after colour blends
/// (`.to(uint8)`).
enum IntegerCast { case round, truncate }

/// A tensor of `dtype` from Float values computed for it: float dtypes take
/// them as they are, integer ones are rounded or truncated, then clamped to the
/// dtype's range.
func tensorFromFloats(_ values: [Float], shape: [Int], dtype: DType, cast: IntegerCast) -> Tensor {
    if dtype == .float32 { return Tensor(values, shape: shape) }
    if dtype.isFloatingPoint { return Tensor(values, shape: shape).to(dtype) }
    if dtype == .uint8 {
        let out = Tensor.empty(shape, dtype: .uint8)
        out.withUnsafeMutableBufferPointer(as: UInt8.self) { dst in
            values.withUnsafeBufferPointer { src in
                // Clamping first (NaN lands on 0) lets the integer come from
                // the bits of c + 2^23, which rounds half to even by itself;
                // the loops have no trapping conversion, so they vectorize.
                if cast == .round {
                    for i in 0..<src.count {
                        let v = src[i], c: Float = v > 0 ? (v < 255 ? v : 255) : 0
                        dst[i] = UInt8(truncatingIfNeeded: (c + 0x1p23).bitPattern)
                    }
                } else {
                    for i in 0..<src.count {
                        let v = src[i], c: Float = v > 0 ? (v < 255 ? v : 255) : 0
                        dst[i] = UInt8(truncatingIfNeeded: (c.rounded(.towardZero) + 0x1p23).bitPattern)
                    }
                }
            }
        }
        return out
    }
    let rounded = values.map { cast == .round ? $0.rounded(.toNearestOrEven) : $0.rounded(.towardZero) }
    return Tensor(rounded, shape: shape).to(dtype)
}

/// The largest value of an image dtype: 1 for floats, 255 for uint8 (`_max_value`).
func maxValue(_ dtype: DType) -> Double {
    switch dtype {
    case .uint8: 255
    case .int8: 127
    case .int16: 32767
    case .int32: 2147483647
    case .int64: 9.223372036854775807e18
    default: 1
    }
}
