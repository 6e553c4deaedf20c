// Rotation: TF.rotate and RandomRotation. torchvision rotates tensors by
// building an affine grid and calling grid_sample; this file computes the
// same sampling positions pixel by pixel, in Float32 in the same order of
// operations: theta rescaled by the half-sizes, the grid unnormalized as
// `(g + 1) · size/2 − 0.5` in one fused multiply-add, and the four corners
// summed as a product then fused multiply-adds, as ATen's compiled grid
// sampler does. This reproduces torchvision bit for bit on every fixture case.

import Foundation

extension TF {
    /// The image rotated `angle` degrees counter-clockwise about `center`
    /// (pixel coordinates (x, y) from the top-left corner; the image centre by
    /// default), as `torchvision.transforms.functional.rotate` on a tensor.
    ///
    /// `expand` grows the output to hold the whole rotated image. Pixels from
    /// outside the image are 0, or `fill` (one value, or one per channel)
    /// blended by coverage as torchvision does. Integer images are sampled in
    /// Float and rounded back.
    ///
    /// ```swift
    /// let y = TF.rotate(image, angle: 30, interpolation: .bilinear, expand: true)
    /// ```
    public static func rotate(_ image: Tensor, angle: Double, interpolation: InterpolationMode = .nearest,
                              expand: Bool = false, center: [Double]? = nil, fill: [Double]? = nil) -> Tensor {
        precondition(interpolation == .nearest || interpolation == .bilinear,
                     "rotate: only nearest and bilinear interpolation are supported, got \(interpolation)")
        let (c, h, w) = imageSize(image, "rotate")
        if let fill {
            precondition(fill.count == 1 || fill.count == c,
                         "rotate: fill must have 1 or \(c) values for image \(image.shape), got \(fill.count)")
        }
        if let center { precondition(center.count == 2, "rotate: center must be [x, y], got \(center)") }
        let cx = center.map { $0[0] - Double(w) * 0.5 } ?? 0
        let cy = center.map { $0[1] - Double(h) * 0.5 } ?? 0
        let m = inverseRotationMatrix(centerX: cx, centerY: cy, angle: -angle)
        let (ow, oh) = expand ? expandedSize(m, width: w, height: h) : (w, h)

        // Sampling positions in input pixels, shared by every plane.
        let theta = m.map { Float($0) }
        let halfW = Float(0.5 * Double(w)), halfH = Float(0.5 * Double(h))
        let rx = [theta[0] / halfW, theta[1] / halfW, theta[2] / halfW]
        let ry = [theta[3] / halfH, theta[4] / halfH, theta[5] / halfH]
        let sizeW = Float(w) / 2, sizeH = Float(h) / 2
        var xs = [Float](repeating: 0, count: oh * ow), ys = xs
        for oy in 0..<oh {
            let y = Float(-Double(oh) * 0.5 + 0.5) + Float(oy)
            for ox in 0..<ow {
                let x = Float(-Double(ow) * 0.5 + 0.5) + Float(ox)
                let gx = x * rx[0] + y * rx[1] + rx[2]
                let gy = x * ry[0] + y * ry[1] + ry[2]
                // (g + 1) · size/2 − 0.5, fused.
                xs[oy * ow + ox] = (-0.5 as Float).addingProduct(gx + 1, sizeW)
                ys[oy * ow + ox] = (-0.5 as Float).addingProduct(gy + 1, sizeH)
            }
        }

        let src = floatValues(image)
        let planes = image.count / Swift.max(h * w, 1)
        var out = [Float](repeating: 0, count: planes * oh * ow)
        for p in 0..<planes {
            let plane = p * h * w
            let channel = c > 0 ? p % c : 0
            let fillValue = fill.map { Float($0.count == 1 ? $0[0] : $0[channel]) }
            for i in 0..<(oh * ow) {
                let (value, coverage) = interpolation == .nearest
                    ? sampleNearest(src, plane, h, w, xs[i], ys[i])
                    : sampleBilinear(src, plane, h, w, xs[i], ys[i])
                var v = value
                if let fillValue {
                    // torchvision samples a channel of ones alongside to find
                    // where the image came from, then blends the fill in.
                    if interpolation == .nearest {
                        if coverage < 0.5 { v = fillValue }
                    } else {
                        v = value * coverage + (1 - coverage) * fillValue
                    }
                }
                out[p * oh * ow + i] = v
            }
        }
        var shape = image.shape
        shape[shape.count - 2] = oh
        shape[shape.count - 1] = ow
        return tensorFromFloats(out, shape: shape, dtype: image.dtype, cast: .round)
    }

    /// torchvision's `_get_inverse_affine_matrix` for a pure rotation: the
    /// output-to-input map about a centre given relative to the image centre.
    static func inverseRotationMatrix(centerX cx: Double, centerY cy: Double, angle: Double) -> [Double] {
        let rot = angle * Double.pi / 180
        let a = cos(rot), b = -sin(rot), c = sin(rot), d = cos(rot)
        var m = [d, -b, 0.0, -c, a, 0.0]
        m[2] += m[0] * (-cx - 0) + m[1] * (-cy - 0)
        m[5] += m[3] * (-cx - 0) + m[4] * (-cy - 0)
        m[2] += cx
        m[5] += cy
        return m
    }

    /// torchvision's `_compute_affine_output_size`: the bounding box of the
    /// mapped corners in Float32, trimmed to 1e-4 before ceil/floor so that
    /// rounding noise does not add a pixel.
    static func expandedSize(_ matrix: [Double], width w: Int, height h: Int) -> (Int, Int) {
        let t = matrix.map { Float($0) }
        let fw = Float(0.5 * Double(w)), fh = Float(0.5 * Double(h))
        let corners: [(Float, Float)] = [(-fw, -fh), (-fw, fh), (fw, fh), (fw, -fh)]
        var minX = Float.infinity, maxX = -Float.infinity, minY = Float.infinity, maxY = -Float.infinity
        for (x, y) in corners {
            let nx = x * t[0] + y * t[1] + t[2]
            let ny = x * t[3] + y * t[4] + t[5]
            minX = Swift.min(minX, nx); maxX = Swift.max(maxX, nx)
            minY = Swift.min(minY, ny); maxY = Swift.max(maxY, ny)
        }
        let tol = Float(1e-4)
        func trimmedCeil(_ v: Float) -> Float { ((v / tol).rounded(.towardZero) * tol).rounded(.up) }
        func trimmedFloor(_ v: Float) -> Float { ((v / tol).rounded(.towardZero) * tol).rounded(.down) }
        let width = trimmedCeil(maxX + fw) - trimmedFloor(minX + fw)
        let height = trimmedCeil(maxY + fh) - trimmedFloor(minY + fh)
        return (Int(width), Int(height))
    }

    /// grid_sample 'nearest' with zero padding: (value, 1 if inside else 0).
    /// Ties round half to even, as ATen's vectorized `round`.
    private static func sampleNearest(_ src: [Float], _ plane: Int, _ h: Int, _ w: Int,
                                      _ x: Float, _ y: Float) -> (Float, Float) {
        let xn = x.rounded(.toNearestOrEven), yn = y.rounded(.toNearestOrEven)
        guard xn > -1 && xn < Float(w) && yn > -1 && yn < Float(h) else { return (0, 0) }
        return (src[plane + Int(yn) * w + Int(xn)], 1)
    }

    /// grid_sample 'bilinear' with zero padding: (value, coverage), where
    /// coverage is the same blend of an all-ones image.
    private static func sampleBilinear(_ src: [Float], _ plane: Int, _ h: Int, _ w: Int,
                                       _ x: Float, _ y: Float) -> (Float, Float) {
        let x0 = x.rounded(.down), y0 = y.rounded(.down)
        let fx = x - x0, fy = y - y0
        let e = 1 - fx, s = 1 - fy
        let ix = Int(x0), iy = Int(y0)
        // One corner: its pixel (0 outside the image) and its weight (0 outside).
        func corner(_ yy: Int, _ xx: Int, _ weight: Float) -> (Float, Float) {
            guard yy >= 0 && yy < h && xx >= 0 && xx < w else { return (0, 0) }
            return (src[plane + yy * w + xx], weight)
        }
        let nw = corner(iy, ix, s * e), ne = corner(iy, ix + 1, s * fx)
        let sw = corner(iy + 1, ix, fy * e), se = corner(iy + 1, ix + 1, fy * fx)
        // ATen's order, nw + ne + sw + se, as a first product then fused multiply-adds.
        let value = (nw.0 * nw.1).addingProduct(ne.0, ne.1).addingProduct(sw.0, sw.1).addingProduct(se.0, se.1)
        let coverage = nw.1 + ne.1 + sw.1 + se.1
        return (value, coverage)
    }
}

/// Rotates the image by an angle drawn uniformly from `degrees`, as
/// `torchvision.transforms.RandomRotation` (which always passes its fill,
/// 0 by default, so the border blends towards it).
///
/// ```swift
/// let rot = RandomRotation(degrees: 15, interpolation: .bilinear)
/// let y = rot(image, generator: Generator(seed: 2))
/// ```
public struct RandomRotation: RandomTransform {
    public let degrees: ClosedRange<Double>
    public let interpolation: InterpolationMode
    public let expand: Bool
    public let center: [Double]?
    public let fill: [Double]

    /// Angles in −degrees...degrees.
    ///
    /// ```swift
    /// let rot = RandomRotation(degrees: 10, fill: [255])
    /// ```
    public init(degrees: Double, interpolation: InterpolationMode = .nearest, expand: Bool = false,
                center: [Double]? = nil, fill: [Double] = [0]) {
        precondition(degrees >= 0, "RandomRotation: degrees must be non-negative, got \(degrees)")
        self.init(degrees: -degrees...degrees, interpolation: interpolation, expand: expand, center: center, fill: fill)
    }

    /// Angles in `degrees`.
    ///
    /// ```swift
    /// let rot = RandomRotation(degrees: 0...90, interpolation: .bilinear, expand: true)
    /// ```
    public init(degrees: ClosedRange<Double>, interpolation: InterpolationMode = .nearest, expand: Bool = false,
                center: [Double]? = nil, fill: [Double] = [0]) {
        precondition(interpolation == .nearest || interpolation == .bilinear,
                     "RandomRotation: only nearest and bilinear interpolation are supported, got \(interpolation)")
        self.degrees = degrees
        self.interpolation = interpolation
        self.expand = expand
        self.center = center
        self.fill = fill
    }

    /// The angle this transform would draw (`RandomRotation.get_params`).
    ///
    /// ```swift
    /// let angle = RandomRotation.parameters(degrees: -10...10, generator: Generator(seed: 0))
    /// ```
    public static func parameters(degrees: ClosedRange<Double>, generator: Generator = .default) -> Double {
        generator.uniform(degrees.lowerBound, degrees.upperBound)
    }

    public func callAsFunction(_ image: Tensor, generator: Generator) -> Tensor {
        let angle = Self.parameters(degrees: degrees, generator: generator)
        return TF.rotate(image, angle: angle, interpolation: interpolation, expand: expand, center: center, fill: fill)
    }
}
