// Unary elementwise kernels: math functions and activations. Integer inputs to
// the floating-point functions are promoted by the tensor layer beforehand.

import RealModule

/// Unary ops; parameters travel with the case.
package enum UnaryOp: Sendable, Equatable {
    case neg, abs, sign, reciprocal, square
    case exp, expm1, log, log1p, log2, sqrt, rsqrt, sin, cos, tanh, erf
    case sigmoid, relu, relu6, gelu, geluTanh, silu
    case leakyRelu(slope: Double)
    case elu(alpha: Double)
    case softplus(beta: Double, threshold: Double)
    case floor, ceil, round, trunc
    case clamp(min: Double?, max: Double?)
    case nanToNum(nan: Double, posinf: Double, neginf: Double)

    /// True for ops defined on integers without promotion to float.
    package var isIntegerClosed: Bool {
        switch self {
        case .neg, .abs, .sign, .square, .relu, .relu6, .floor, .ceil, .round, .trunc, .clamp, .nanToNum: true
        default: false
        }
    }
}

// Float and Double functions, one functor each so loops specialize and inline.
struct NegF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { -x }
}
struct AbsF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x.magnitude }
}
struct SignF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T._sign(x) }
}
struct ReciprocalF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { 1 / x }
}
struct SquareF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x * x }
}
struct ExpF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T.exp(x) }
}
struct Expm1F<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T.expMinusOne(x) }
}
struct LogF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T.log(x) }
}
struct Log1pF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T.log(onePlus: x) }
}
struct Log2F<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T.log2(x) }
}
struct SqrtF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x.squareRoot() }
}
struct RsqrtF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { 1 / x.squareRoot() }
}
struct SinF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T.sin(x) }
}
struct CosF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T.cos(x) }
}
struct TanhF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T.tanh(x) }
}
struct ErfF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T.erf(x) }
}
struct SigmoidF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { 1 / (1 + T.exp(-x)) }
}
struct ReluF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x < 0 ? 0 : x }
}
struct Relu6F<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x < 0 ? 0 : (x > 6 ? 6 : x) }
}
struct GeluF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x * T(0.5) * (1 + T.erf(x * T(0.70710678118654752440))) }
}
struct GeluTanhF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T(0.5) * x * (1 + T.tanh(T(0.79788456080286535588) * (x + T(0.044715) * x * x * x))) }
}
struct SiluF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x / (1 + T.exp(-x)) }
}
struct FloorF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x.rounded(.down) }
}
struct CeilF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x.rounded(.up) }
}
struct RoundF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x.rounded(.toNearestOrEven) }
}
struct TruncF<T: FloatTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x.rounded(.towardZero) }
}
struct LeakyReluF<T: FloatTensorElement>: ElementFunction {
    let slope: T
    @inline(__always) func callAsFunction(_ x: T) -> T { x > 0 ? x : x * slope }
}
struct EluF<T: FloatTensorElement>: ElementFunction {
    let alpha: T
    @inline(__always) func callAsFunction(_ x: T) -> T { x > 0 ? x : alpha * T.expMinusOne(x) }
}
struct SoftplusF<T: FloatTensorElement>: ElementFunction {
    let beta: T, threshold: T
    @inline(__always) func callAsFunction(_ x: T) -> T {
        x * beta > threshold ? x : T.log(onePlus: T.exp(x * beta)) / beta
    }
}
struct ClampF<T: NumericTensorElement>: ElementFunction {
    let lo: T?, hi: T?
    @inline(__always) func callAsFunction(_ x: T) -> T {
        var y = x
        if let lo, y < lo { y = lo }
        if let hi, y > hi { y = hi }
        return y
    }
}
struct NanToNumF<T: FloatTensorElement>: ElementFunction {
    let nan: T, posinf: T, neginf: T
    @inline(__always) func callAsFunction(_ x: T) -> T {
        x.isNaN ? nan : (x == .infinity ? posinf : (x == -.infinity ? neginf : x))
    }
}

// Integer functions.
struct IntNegF<T: IntegerTensorElement & NumericTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T._neg(x) }
}
struct IntAbsF<T: IntegerTensorElement & NumericTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T._abs(x) }
}
struct IntSignF<T: IntegerTensorElement & NumericTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { T._sign(x) }
}
struct IntSquareF<T: IntegerTensorElement & NumericTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x &* x }
}
struct IntReluF<T: IntegerTensorElement & NumericTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x < 0 ? 0 : x }
}
struct IntRelu6F<T: IntegerTensorElement & NumericTensorElement>: ElementFunction {
    @inline(__always) func callAsFunction(_ x: T) -> T { x < 0 ? 0 : (x > 6 ? 6 : x) }
}

func unaryFloat<T: FloatTensorElement>(
    _: T.Type, _ op: UnaryOp, _ loop: StridedLoop, _ a: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch op {
    case .neg: mapRows(loop, a, r, NegF<T>())
    case .abs: mapRows(loop, a, r, AbsF<T>())
    case .sign: mapRows(loop, a, r, SignF<T>())
    case .reciprocal: mapRows(loop, a, r, ReciprocalF<T>())
    case .square: mapRows(loop, a, r, SquareF<T>())
    case .exp: mapRows(loop, a, r, ExpF<T>())
    case .expm1: mapRows(loop, a, r, Expm1F<T>())
    case .log: mapRows(loop, a, r, LogF<T>())
    case .log1p: mapRows(loop, a, r, Log1pF<T>())
    case .log2: mapRows(loop, a, r, Log2F<T>())
    case .sqrt: mapRows(loop, a, r, SqrtF<T>())
    case .rsqrt: mapRows(loop, a, r, RsqrtF<T>())
    case .sin: mapRows(loop, a, r, SinF<T>())
    case .cos: mapRows(loop, a, r, CosF<T>())
    case .tanh: mapRows(loop, a, r, TanhF<T>())
    case .erf: mapRows(loop, a, r, ErfF<T>())
    case .sigmoid: mapRows(loop, a, r, SigmoidF<T>())
    case .relu: mapRows(loop, a, r, ReluF<T>())
    case .relu6: mapRows(loop, a, r, Relu6F<T>())
    case .gelu: mapRows(loop, a, r, GeluF<T>())
    case .geluTanh: mapRows(loop, a, r, GeluTanhF<T>())
    case .silu: mapRows(loop, a, r, SiluF<T>())
    case .floor: mapRows(loop, a, r, FloorF<T>())
    case .ceil: mapRows(loop, a, r, CeilF<T>())
    case .round: mapRows(loop, a, r, RoundF<T>())
    case .trunc: mapRows(loop, a, r, TruncF<T>())
    case .leakyRelu(let s): mapRows(loop, a, r, LeakyReluF<T>(slope: T(s)))
    case .elu(let al): mapRows(loop, a, r, EluF<T>(alpha: T(al)))
    case .softplus(let b, let t): mapRows(loop, a, r, SoftplusF<T>(beta: T(b), threshold: T(t)))
    case .clamp(let lo, let hi): mapRows(loop, a, r, ClampF<T>(lo: lo.map { T($0) }, hi: hi.map { T($0) }))
    case .nanToNum(let n, let p, let m):
        mapRows(loop, a, r, NanToNumF<T>(nan: T(n), posinf: p.isInfinite ? T.greatestFiniteMagnitude : T(p),
                                         neginf: m.isInfinite ? -T.greatestFiniteMagnitude : T(m)))
    }
}

func unaryInteger<T: IntegerTensorElement & NumericTensorElement>(
    _: T.Type, _ op: UnaryOp, _ loop: StridedLoop, _ a: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch op {
    case .neg: mapRows(loop, a, r, IntNegF<T>())
    case .abs: mapRows(loop, a, r, IntAbsF<T>())
    case .sign: mapRows(loop, a, r, IntSignF<T>())
    case .square: mapRows(loop, a, r, IntSquareF<T>())
    case .relu: mapRows(loop, a, r, IntReluF<T>())
    case .relu6: mapRows(loop, a, r, IntRelu6F<T>())
    case .floor, .ceil, .round, .trunc, .nanToNum: mapRows(loop, a, r, Identity<T>())
    case .clamp(let lo, let hi):
        mapRows(loop, a, r, ClampF<T>(lo: lo.map { T(_emberDouble: $0.rounded(.down)) },
                                      hi: hi.map { T(_emberDouble: $0.rounded(.up)) }))
    default: preconditionFailure("unaryKernel: \(op) needs a floating-point input")
    }
}

/// `r = op(a)` for operands of `type`.
package func unaryKernel(
    _ op: UnaryOp, type: DType, _ loop: StridedLoop, _ a: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch type {
    case .float32:
        if vectorUnaryFloat(op, loop, a, r) { return }
        unaryFloat(Float.self, op, loop, a, r)
    case .float64: unaryFloat(Double.self, op, loop, a, r)
    case .int64: unaryInteger(Int64.self, op, loop, a, r)
    case .int32: unaryInteger(Int32.self, op, loop, a, r)
    case .int16: unaryInteger(Int16.self, op, loop, a, r)
    case .int8: unaryInteger(Int8.self, op, loop, a, r)
    case .uint8: unaryInteger(UInt8.self, op, loop, a, r)
    case .float16, .bfloat16, .bool: preconditionFailure("unaryKernel: no \(type) arithmetic")
    }
}
