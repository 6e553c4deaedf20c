// Crop, pad and flip transforms: CenterCrop, RandomCrop, RandomResizedCrop,
// FiveCrop, TenCrop, Pad, RandomHorizontalFlip, RandomVerticalFlip. Each
// draws its parameters (if any) and calls the TF functional form.

import Foundation

/// The centred crop of `size` (zero-padded when larger than the image), as
/// `torchvision.transforms.CenterCrop`.
///
/// ```swift
/// let y = CenterCrop(224)(image)        // [.., 224, 224]
/// let z = CenterCrop([100, 50])(image)  // [.., 100, 50]
/// ```
public struct CenterCrop: Transform {
    public let size: [Int]
    public init(_ size: Int) { self.init([size]) }
    public init(_ size: [Int]) {
        _ = squareOrPair(size, "CenterCrop")
        self.size = size
    }
    public func callAsFunction(_ image: Tensor) -> Tensor { TF.centerCrop(image, size: size) }
}

/// Padding around the image, as `torchvision.transforms.Pad`.
///
/// ```swift
/// let y = Pad([4], mode: .reflect)(image)   // 4 pixels on every side
/// ```
public struct Pad: Transform {
    public let padding: [Int]
    public let fill: Double
    public let mode: ImagePaddingMode
    public init(_ padding: [Int], fill: Double = 0, mode: ImagePaddingMode = .constant) {
        precondition([1, 2, 4].contains(padding.count), "Pad: padding must have 1, 2 or 4 elements, got \(padding)")
        self.padding = padding
        self.fill = fill
        self.mode = mode
    }
    public func callAsFunction(_ image: Tensor) -> Tensor {
        TF.pad(image, padding: padding, fill: fill, mode: mode)
    }
}

/// A crop of `size` at a random position, after optional padding, as
/// `torchvision.transforms.RandomCrop`. `padIfNeeded` pads both sides of a
/// dimension by the shortfall when the image is smaller than the crop.
///
/// ```swift
/// let crop = RandomCrop(32, padding: [4])
/// let y = crop(image, generator: Generator(seed: 1))
/// ```
public struct RandomCrop: RandomTransform {
    public let size: [Int]
    public let padding: [Int]?
    public let padIfNeeded: Bool
    public let fill: Double
    public let paddingMode: ImagePaddingMode

    public init(_ size: Int, padding: [Int]? = nil, padIfNeeded: Bool = false, fill: Double = 0,
                paddingMode: ImagePaddingMode = .constant) {
        self.init([size], padding: padding, padIfNeeded: padIfNeeded, fill: fill, paddingMode: paddingMode)
    }

    public init(_ size: [Int], padding: [Int]? = nil, padIfNeeded: Bool = false, fill: Double = 0,
                paddingMode: ImagePaddingMode = .constant) {
        _ = squareOrPair(size, "RandomCrop")
        self.size = size
        self.padding = padding
        self.padIfNeeded = padIfNeeded
        self.fill = fill
        self.paddingMode = paddingMode
    }

    /// (top, left) of a `size` crop in an `h × w` image (`RandomCrop.get_params`).
    ///
    /// ```swift
    /// let (top, left) = RandomCrop.parameters(height: 40, width: 40, size: [32], generator: g)
    /// ```
    public static func parameters(height h: Int, width w: Int, size: [Int],
                                  generator: Generator = .default) -> (top: Int, left: Int) {
        let (th, tw) = squareOrPair(size, "RandomCrop")
        precondition(h >= th && w >= tw, "RandomCrop: crop \(th)×\(tw) is larger than the image \(h)×\(w)")
        if h == th && w == tw { return (0, 0) }
        let top = generator.randint(0, h - th + 1)
        let left = generator.randint(0, w - tw + 1)
        return (top, left)
    }

    public func callAsFunction(_ image: Tensor, generator: Generator) -> Tensor {
        var x = image
        if let padding { x = TF.pad(x, padding: padding, fill: fill, mode: paddingMode) }
        let (th, tw) = squareOrPair(size, "RandomCrop")
        if padIfNeeded, imageSize(x, "RandomCrop").width < tw {
            x = TF.pad(x, padding: [tw - imageSize(x, "RandomCrop").width, 0], fill: fill, mode: paddingMode)
        }
        if padIfNeeded, imageSize(x, "RandomCrop").height < th {
            x = TF.pad(x, padding: [0, th - imageSize(x, "RandomCrop").height], fill: fill, mode: paddingMode)
        }
        let (_, h, w) = imageSize(x, "RandomCrop")
        let (top, left) = Self.parameters(height: h, width: w, size: size, generator: generator)
        return TF.crop(x, top: top, left: left, height: th, width: tw)
    }
}

/// A random-area, random-aspect crop resized to `size`, as
/// `torchvision.transforms.RandomResizedCrop`.
///
/// ```swift
/// let rrc = RandomResizedCrop(224)   // scale 0.08...1, ratio 3/4...4/3
/// let y = rrc(image, generator: Generator(seed: 7))
/// ```
public struct RandomResizedCrop: RandomTransform {
    public let size: [Int]
    public let scale: ClosedRange<Double>
    public let ratio: ClosedRange<Double>
    public let interpolation: InterpolationMode
    public let antialias: Bool

    public init(_ size: Int, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3),
                interpolation: InterpolationMode = .bilinear, antialias: Bool = true) {
        self.init([size], scale: scale, ratio: ratio, interpolation: interpolation, antialias: antialias)
    }

    public init(_ size: [Int], scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3),
                interpolation: InterpolationMode = .bilinear, antialias: Bool = true) {
        let (h, w) = squareOrPair(size, "RandomResizedCrop")
        precondition(h > 0 && w > 0, "RandomResizedCrop: size must be positive, got \(size)")
        precondition(ratio.lowerBound > 0, "RandomResizedCrop: ratio must be positive, got \(ratio)")
        self.size = [h, w]
        self.scale = scale
        self.ratio = ratio
        self.interpolation = interpolation
        self.antialias = antialias
    }

    /// The crop (top, left, height, width) for an `height × width` image
    /// (`RandomResizedCrop.get_params`): up to 10 draws of an area fraction in
    /// `scale` and a log-uniform aspect ratio in `ratio`, keeping the first crop
    /// that fits; else the centred crop of the whole image clamped to `ratio`.
    ///
    /// ```swift
    /// let p = RandomResizedCrop.parameters(height: 100, width: 80, scale: 0.5...1, ratio: 0.75...1.33)
    /// ```
    public static func parameters(height: Int, width: Int, scale: ClosedRange<Double>, ratio: ClosedRange<Double>,
                                  generator: Generator = .default)
        -> (top: Int, left: Int, height: Int, width: Int) {
        let area = Double(height * width)
        // torch computes log(ratio) in float32.
        let logLow = Double(logf(Float(ratio.lowerBound)))
        let logHigh = Double(logf(Float(ratio.upperBound)))
        for _ in 0..<10 {
            let targetArea = area * generator.uniform(scale.lowerBound, scale.upperBound)
            let aspect = Double(expf(Float(generator.uniform(logLow, logHigh))))
            let w = Int((targetArea * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((targetArea / aspect).squareRoot().rounded(.toNearestOrEven))
            if 0 < w && w <= width && 0 < h && h <= height {
                let top = generator.randint(0, height - h + 1)
                let left = generator.randint(0, width - w + 1)
                return (top, left, h, w)
            }
        }
        let inRatio = Double(width) / Double(height)
        var w = width, h = height
        if inRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if inRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return ((height - h) / 2, (width - w) / 2, h, w)
    }

    public func callAsFunction(_ image: Tensor, generator: Generator) -> Tensor {
        let (_, h, w) = imageSize(image, "RandomResizedCrop")
        let p = Self.parameters(height: h, width: w, scale: scale, ratio: ratio, generator: generator)
        return TF.resizedCrop(image, top: p.top, left: p.left, height: p.height, width: p.width, size: size,
                              interpolation: interpolation, antialias: antialias)
    }
}

/// The four corner crops and the centre crop (`torchvision.transforms.FiveCrop`).
/// Returns an array rather than a tensor, so it is not a `Transform`.
///
/// ```swift
/// let crops = FiveCrop(224)(image)   // 5 × [C, 224, 224]
/// ```
public struct FiveCrop: Sendable {
    public let size: [Int]
    public init(_ size: Int) { self.init([size]) }
    public init(_ size: [Int]) {
        _ = squareOrPair(size, "FiveCrop")
        self.size = size
    }
    public func callAsFunction(_ image: Tensor) -> [Tensor] { TF.fiveCrop(image, size: size) }
}

/// FiveCrop of the image and of its mirror (`torchvision.transforms.TenCrop`).
///
/// ```swift
/// let crops = TenCrop(224)(image)   // 10 × [C, 224, 224]
/// ```
public struct TenCrop: Sendable {
    public let size: [Int]
    public let verticalFlip: Bool
    public init(_ size: Int, verticalFlip: Bool = false) { self.init([size], verticalFlip: verticalFlip) }
    public init(_ size: [Int], verticalFlip: Bool = false) {
        _ = squareOrPair(size, "TenCrop")
        self.size = size
        self.verticalFlip = verticalFlip
    }
    public func callAsFunction(_ image: Tensor) -> [Tensor] {
        TF.tenCrop(image, size: size, verticalFlip: verticalFlip)
    }
}

/// Mirrors the image left to right with probability `p`
/// (`torchvision.transforms.RandomHorizontalFlip`).
///
/// ```swift
/// let y = RandomHorizontalFlip(p: 0.5)(image, generator: Generator(seed: 3))
/// ```
public struct RandomHorizontalFlip: RandomTransform {
    public let p: Double
    public init(p: Double = 0.5) { self.p = p }
    public func callAsFunction(_ image: Tensor, generator: Generator) -> Tensor {
        generator.bernoulli(p) ? TF.hflip(image) : image
    }
}

/// Mirrors the image top to bottom with probability `p`
/// (`torchvision.transforms.RandomVerticalFlip`).
///
/// ```swift
/// let y = RandomVerticalFlip()(image)
/// ```
public struct RandomVerticalFlip: RandomTransform {
    public let p: Double
    public init(p: Double = 0.5) { self.p = p }
    public func callAsFunction(_ image: Tensor, generator: Generator) -> Tensor {
        generator.bernoulli(p) ? TF.vflip(image) : image
    }
}
