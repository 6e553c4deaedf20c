// Colour: TF.rgbToGrayscale, adjustBrightness/Contrast/Saturation/Hue, and
// the Grayscale and ColorJitter transforms. Pixels are worked on as Float32
// in the order torchvision's tensor code computes them, and integer results
// are truncated (`.to(uint8)`), not rounded, as torchvision's `_blend` does.

extension TF {
    /// The ITU-R 601-2 luma `0.2989 R + 0.587 G + 0.114 B`, with 1 or 3
    /// (repeated) channels (`rgb_to_grayscale`); one-channel images are returned as they are.
    ///
    /// ```swift
    /// let gray = TF.rgbToGrayscale(image)                          // [1, H, W]
    /// let gray3 = TF.rgbToGrayscale(image, outputChannels: 3)      // [3, H, W]
    /// ```
    public static func rgbToGrayscale(_ image: Tensor, outputChannels: Int = 1) -> Tensor {
        precondition(outputChannels == 1 || outputChannels == 3,
                     "rgbToGrayscale: outputChannels must be 1 or 3, got \(outputChannels)")
        let (c, h, w) = imageSize(image, "rgbToGrayscale")
        precondition(image.rank >= 3 && (c == 1 || c == 3),
                     "rgbToGrayscale: expected 1 or 3 channels in [..., C, H, W], got shape \(image.shape)")
        if c == 1 { return outputChannels == 1 ? image : image.expand(channelShape(image, 3)) }
        let luma = lumaValues(floatValues(image), images: image.count / (3 * h * w), plane: h * w)
        let gray = tensorFromFloats(luma, shape: channelShape(image, 1), dtype: image.dtype, cast: .truncate)
        return outputChannels == 1 ? gray : gray.expand(image.shape)
    }

    /// The image scaled by `factor` and clamped: 0 gives black, 1 the
    /// original (`adjust_brightness`).
    ///
    /// ```swift
    /// let brighter = TF.adjustBrightness(image, factor: 1.3)
    /// ```
    public static func adjustBrightness(_ image: Tensor, factor: Double) -> Tensor {
        precondition(factor >= 0, "adjustBrightness: factor must be non-negative, got \(factor)")
        _ = imageSize(image, "adjustBrightness")
        let ratio = Float(factor), bound = Float(maxValue(image.dtype))
        // torchvision blends with a black image: ratio · x + (1 − ratio) · 0.
        let out = floatValues(image).map { Swift.min(Swift.max(ratio * $0, 0), bound) }
        return tensorFromFloats(out, shape: image.shape, dtype: image.dtype, cast: .truncate)
    }

    /// The image blended with its mean grey level (per image): 0 gives flat
    /// grey, 1 the original (`adjust_contrast`).
    ///
    /// ```swift
    /// let punchy = TF.adjustContrast(image, factor: 1.5)
    /// ```
    public static func adjustContrast(_ image: Tensor, factor: Double) -> Tensor {
        precondition(factor >= 0, "adjustContrast: factor must be non-negative, got \(factor)")
        let (c, h, w) = imageSize(image, "adjustContrast")
        precondition(image.rank >= 3 && (c == 1 || c == 3),
                     "adjustContrast: expected 1 or 3 channels in [..., C, H, W], got shape \(image.shape)")
        let x = floatValues(image)
        let images = image.count / (c * h * w), plane = h * w
        // The mean of the grayscale image, computed from its stored dtype as torchvision does.
        var gray = c == 3 ? lumaValues(x, images: images, plane: plane) : x
        if !image.dtype.isFloatingPoint { gray = gray.map { $0.rounded(.towardZero) } }
        let bound = Float(maxValue(image.dtype))
        let ratio = Float(factor), rest = Float(1 - factor)
        var out = [Float](repeating: 0, count: x.count)
        for n in 0..<images {
            var sum = 0.0
            for i in 0..<plane { sum += Double(gray[n * plane + i]) }
            let mean = Float(sum / Double(plane))
            for i in (n * c * plane)..<((n + 1) * c * plane) {
                out[i] = Swift.min(Swift.max(ratio * x[i] + rest * mean, 0), bound)
            }
        }
        return tensorFromFloats(out, shape: image.shape, dtype: image.dtype, cast: .truncate)
    }

    /// The image blended with its grayscale version: 0 gives grey, 1 the
    /// original, 2 doubles the saturation (`adjust_saturation`).
    ///
    /// ```swift
    /// let muted = TF.adjustSaturation(image, factor: 0.5)
    /// ```
    public static func adjustSaturation(_ image: Tensor, factor: Double) -> Tensor {
        precondition(factor >= 0, "adjustSaturation: factor must be non-negative, got \(factor)")
        let (c, h, w) = imageSize(image, "adjustSaturation")
        precondition(image.rank >= 3 && (c == 1 || c == 3),
                     "adjustSaturation: expected 1 or 3 channels in [..., C, H, W], got shape \(image.shape)")
        if c == 1 { return image }
        let x = floatValues(image)
        let images = image.count / (3 * h * w), plane = h * w
        var gray = lumaValues(x, images: images, plane: plane)
        if !image.dtype.isFloatingPoint { gray = gray.map { $0.rounded(.towardZero) } }
        let bound = Float(maxValue(image.dtype))
        let ratio = Float(factor), rest = Float(1 - factor)
        var out = [Float](repeating: 0, count: x.count)
        for n in 0..<images {
            for ch in 0..<3 {
                for i in 0..<plane {
                    let k = (n * 3 + ch) * plane + i
                    out[k] = Swift.min(Swift.max(ratio * x[k] + rest * gray[n * plane + i], 0), bound)
                }
            }
        }
        return tensorFromFloats(out, shape: image.shape, dtype: image.dtype, cast: .truncate)
    }

    /// The hue rotated by `factor` turns (−0.5...0.5) in HSV space (`adjust_hue`);
    /// uint8 images go through [0, 1] floats and back with
    /// `convertImageDtype`'s scaling.
    ///
    /// ```swift
    /// let shifted = TF.adjustHue(image, factor: 0.1)
    /// ```
    public static func adjustHue(_ image: Tensor, factor: Double) -> Tensor {
        precondition(-0.5 <= factor && factor <= 0.5, "adjustHue: factor must be in [-0.5, 0.5], got \(factor)")
        let (c, h, w) = imageSize(image, "adjustHue")
        precondition(image.rank >= 3 && (c == 1 || c == 3),
                     "adjustHue: expected 1 or 3 channels in [..., C, H, W], got shape \(image.shape)")
        if c == 1 { return image }
        let x = floatValues(convertImageDtype(image, to: .float32))
        let plane = h * w, shift = Float(factor)
        var out = [Float](repeating: 0, count: x.count)
        for n in 0..<(image.count / (3 * plane)) {
            let base = n * 3 * plane
            for i in 0..<plane {
                var (hue, s, v) = rgbToHSV(x[base + i], x[base + plane + i], x[base + 2 * plane + i])
                // torch's `%`: the remainder takes the divisor's sign.
                hue = (hue + shift).truncatingRemainder(dividingBy: 1)
                if hue < 0 { hue += 1 }
                let (r, g, b) = hsvToRGB(hue, s, v)
                out[base + i] = r
                out[base + plane + i] = g
                out[base + 2 * plane + i] = b
            }
        }
        return convertImageDtype(Tensor(out, shape: image.shape), to: image.dtype)
    }

    /// torchvision's `_rgb2hsv`, per pixel.
    private static func rgbToHSV(_ r: Float, _ g: Float, _ b: Float) -> (Float, Float, Float) {
        let maxc = Swift.max(r, g, b), minc = Swift.min(r, g, b)
        let eqc = maxc == minc
        let cr = maxc - minc
        let s = cr / (eqc ? 1 : maxc)
        let divisor = eqc ? 1 : cr
        let rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor
        let hr: Float = maxc == r ? bc - gc : 0
        let hg: Float = maxc == g && maxc != r ? 2 + rc - bc : 0
        let hb: Float = maxc != g && maxc != r ? 4 + gc - rc : 0
        let hue = (hr + hg + hb) / 6 + 1
        return (hue.truncatingRemainder(dividingBy: 1), s, maxc)
    }

    /// torchvision's `_hsv2rgb`, per pixel.
    private static func hsvToRGB(_ h: Float, _ s: Float, _ v: Float) -> (Float, Float, Float) {
        let i = (h * 6).rounded(.down)
        let f = h * 6 - i
        let p = Swift.min(Swift.max(v * (1 - s), 0), 1)
        let q = Swift.min(Swift.max(v * (1 - s * f), 0), 1)
        let t = Swift.min(Swift.max(v * (1 - s * (1 - f)), 0), 1)
        switch ((Int32(i) % 6) + 6) % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }

    /// Float luma per pixel of `images` RGB images (before any integer cast).
    private static func lumaValues(_ x: [Float], images: Int, plane: Int) -> [Float] {
        var out = [Float](repeating: 0, count: images * plane)
        let wr: Float = 0.2989, wg: Float = 0.587, wb: Float = 0.114
        for n in 0..<images {
            let base = n * 3 * plane
            for i in 0..<plane {
                out[n * plane + i] = wr * x[base + i] + wg * x[base + plane + i] + wb * x[base + 2 * plane + i]
            }
        }
        return out
    }

    /// The image's shape with `channels` channels.
    private static func channelShape(_ image: Tensor, _ channels: Int) -> [Int] {
        var shape = image.shape
        shape[shape.count - 3] = channels
        return shape
    }
}

/// Converts RGB to grayscale with 1 or 3 output channels
/// (`torchvision.transforms.Grayscale`).
///
/// ```swift
/// let gray = Grayscale(outputChannels: 3)(image)
/// ```
public struct Grayscale: Transform {
    public let outputChannels: Int
    public init(outputChannels: Int = 1) {
        precondition(outputChannels == 1 || outputChannels == 3,
                     "Grayscale: outputChannels must be 1 or 3, got \(outputChannels)")
        self.outputChannels = outputChannels
    }
    public func callAsFunction(_ image: Tensor) -> Tensor {
        TF.rgbToGrayscale(image, outputChannels: outputChannels)
    }
}

/// Random brightness, contrast, saturation and hue changes applied in a
/// random order (`torchvision.transforms.ColorJitter`). A value `b` means
/// factors in `max(0, 1 − b)...1 + b` (hue: `−h...h`); 0 disables that
/// adjustment.
///
/// ```swift
/// let jitter = ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1)
/// let y = jitter(image, generator: Generator(seed: 5))
/// ```
public struct ColorJitter: RandomTransform {
    public let brightness: ClosedRange<Double>?
    public let contrast: ClosedRange<Double>?
    public let saturation: ClosedRange<Double>?
    public let hue: ClosedRange<Double>?

    public init(brightness: Double = 0, contrast: Double = 0, saturation: Double = 0, hue: Double = 0) {
        func around1(_ v: Double, _ name: String) -> ClosedRange<Double>? {
            precondition(v >= 0, "ColorJitter: \(name) must be non-negative, got \(v)")
            return v == 0 ? nil : Swift.max(0, 1 - v)...(1 + v)
        }
        precondition(0 <= hue && hue <= 0.5, "ColorJitter: hue must be in [0, 0.5], got \(hue)")
        self.init(brightness: around1(brightness, "brightness"), contrast: around1(contrast, "contrast"),
                  saturation: around1(saturation, "saturation"), hue: hue == 0 ? nil : -hue...hue)
    }

    /// Explicit factor ranges; nil disables that adjustment.
    ///
    /// ```swift
    /// let jitter = ColorJitter(brightness: 0.8...1.2, contrast: nil, saturation: 0...1, hue: nil)
    /// ```
    public init(brightness: ClosedRange<Double>?, contrast: ClosedRange<Double>?,
                saturation: ClosedRange<Double>?, hue: ClosedRange<Double>?) {
        if let hue { precondition(hue.lowerBound >= -0.5 && hue.upperBound <= 0.5,
                                  "ColorJitter: hue range must lie in [-0.5, 0.5], got \(hue)") }
        // torchvision skips a factor range that is exactly 1...1 (hue 0...0).
        self.brightness = brightness == 1...1 ? nil : brightness
        self.contrast = contrast == 1...1 ? nil : contrast
        self.saturation = saturation == 1...1 ? nil : saturation
        self.hue = hue == 0...0 ? nil : hue
    }

    /// The order (a permutation of 0 brightness, 1 contrast, 2 saturation,
    /// 3 hue) and the factors, drawn as `ColorJitter.get_params`.
    ///
    /// ```swift
    /// let p = ColorJitter.parameters(brightness: 0.6...1.4, contrast: nil, saturation: nil, hue: -0.1...0.1)
    /// ```
    public static func parameters(brightness: ClosedRange<Double>?, contrast: ClosedRange<Double>?,
                                  saturation: ClosedRange<Double>?, hue: ClosedRange<Double>?,
                                  generator: Generator = .default)
        -> (order: [Int], brightness: Double?, contrast: Double?, saturation: Double?, hue: Double?) {
        let order = Tensor.randperm(4, generator: generator).scalars(as: Int64.self).map { Int($0) }
        let draw = { (r: ClosedRange<Double>?) in r.map { generator.uniform($0.lowerBound, $0.upperBound) } }
        let b = draw(brightness), c = draw(contrast), s = draw(saturation), h = draw(hue)
        return (order, b, c, s, h)
    }

    public func callAsFunction(_ image: Tensor, generator: Generator) -> Tensor {
        let p = Self.parameters(brightness: brightness, contrast: contrast, saturation: saturation, hue: hue,
                                generator: generator)
        var x = image
        for fn in p.order {
            switch fn {
            case 0: if let b = p.brightness { x = TF.adjustBrightness(x, factor: b) }
            case 1: if let c = p.contrast { x = TF.adjustContrast(x, factor: c) }
            case 2: if let s = p.saturation { x = TF.adjustSaturation(x, factor: s) }
            default: if let h = p.hue { x = TF.adjustHue(x, factor: h) }
            }
        }
        return x
    }
}
