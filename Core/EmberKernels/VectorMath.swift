// Branch-free float32 exp, tanh and erf. Written as scalar code with selects
// instead of branches and libm calls, so the loops that call them vectorize
// (8 lanes with AVX2); libm works one lane at a time and is 5-10x slower.
// Accuracy: exp within 1e-7 relative (Cephes expf polynomial), tanh within
// 2e-7, erf within 1.5e-7 absolute (Abramowitz & Stegun 7.1.26, the form
// PyTorch's vectorized CPU erf uses).

@inline(__always)
package func fastExp(_ x: Float) -> Float {
    var v = x > 88.3762626647949 ? 88.3762626647949 : x
    v = v < -87.3365447505531 ? -87.3365447505531 : v
    // Rounds v·log2(e) with the 1.5·2^23 trick: n lands in t's low mantissa bits.
    let t = v * 1.44269504088896341 + 12582912.0
    let fx = t - 12582912.0
    v = v - fx * 0.693359375
    v = v + fx * 2.12194440e-4
    var y: Float = 1.9875691500e-4
    y = y * v + 1.3981999507e-3
    y = y * v + 8.3334519073e-3
    y = y * v + 4.1665795894e-2
    y = y * v + 1.6666665459e-1
    y = y * v + 5.0000001201e-1
    y = y * (v * v) + v + 1
    let n = Int32(bitPattern: t.bitPattern) &- 0x4B40_0000
    var r = y * Float(bitPattern: UInt32(bitPattern: (n &+ 127) &<< 23))
    r = x > 88.3762626647949 ? .infinity : r
    r = x < -87.3365447505531 ? 0 : r
    return x != x ? x : r
}

@inline(__always)
package func fastTanh(_ x: Float) -> Float {
    let ax = Float(bitPattern: x.bitPattern & 0x7FFF_FFFF)
    // |x| < 0.625: Cephes' odd polynomial; else 1 - 2 / (exp(2|x|) + 1).
    let z = x * x
    var p: Float = -5.70498872745e-3
    p = p * z + 2.06390887954e-2
    p = p * z - 5.37397155531e-2
    p = p * z + 1.33314422036e-1
    p = p * z - 3.33332819422e-1
    let small = p * z * x + x
    let large = 1 - 2 / (fastExp(ax + ax) + 1)
    let signed = x < 0 ? -large : large
    return ax < 0.625 ? small : signed
}

@inline(__always)
package func fastErf(_ x: Float) -> Float {
    let ax = Float(bitPattern: x.bitPattern & 0x7FFF_FFFF)
    let t = 1 / (ax * 0.3275911 + 1)
    var p: Float = 1.061405429
    p = p * t - 1.453152027
    p = p * t + 1.421413741
    p = p * t - 0.284496736
    p = p * t + 0.254829592
    let y = 1 - p * t * fastExp(-(ax * ax))
    let signed = x < 0 ? -y : y
    return x != x ? x : signed
}

@inline(__always)
package func fastSigmoid(_ x: Float) -> Float { 1 / (1 + fastExp(-x)) }

struct FastExpF: ElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { fastExp(x) }
}
struct FastTanhF: ElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { fastTanh(x) }
}
struct FastErfF: ElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { fastErf(x) }
}
struct FastSigmoidF: ElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { fastSigmoid(x) }
}
struct FastSiluF: ElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * fastSigmoid(x) }
}
struct FastGeluF: ElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * 0.5 * (1 + fastErf(x * 0.70710678118654752440)) }
}
struct FastGeluTanhF: ElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        0.5 * x * (1 + fastTanh(0.79788456080286535588 * (x + 0.044715 * x * x * x)))
    }
}

/// Runs `op` on float32 with the fast functions when it has a fast form.
/// Returns false to fall back to the libm loop.
package func vectorUnaryFloat(_ op: UnaryOp, _ loop: StridedLoop, _ a: UnsafeRawPointer, _ r: UnsafeMutableRawPointer) -> Bool {
    switch op {
    case .exp: mapRows(loop, a, r, FastExpF())
    case .tanh: mapRows(loop, a, r, FastTanhF())
    case .erf: mapRows(loop, a, r, FastErfF())
    case .sigmoid: mapRows(loop, a, r, FastSigmoidF())
    case .silu: mapRows(loop, a, r, FastSiluF())
    case .gelu: mapRows(loop, a, r, FastGeluF())
    case .geluTanh: mapRows(loop, a, r, FastGeluTanhF())
    default: return false
    }
    return true
}
