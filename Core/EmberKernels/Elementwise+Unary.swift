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

func unaryFloat<T: FloatTensorElement>(
    _: T.Type, _ op: UnaryOp, _ loop: StridedLoop, _ a: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch op {
    case .neg: mapRows(loop, a, r) { (x: T) in -x }
    case .abs: mapRows(loop, a, r) { (x: T) in x.magnitude }
    case .sign: mapRows(loop, a, r) { (x: T) in T._sign(x) }
    case .reciprocal: mapRows(loop, a, r) { (x: T) in 1 / x }
    case .square: mapRows(loop, a, r) { (x: T) in x * x }
    case .exp: mapRows(loop, a, r) { (x: T) in T.exp(x) }
    case .expm1: mapRows(loop, a, r) { (x: T) in T.expMinusOne(x) }
    case .log: mapRows(loop, a, r) { (x: T) in T.log(x) }
    case .log1p: mapRows(loop, a, r) { (x: T) in T.log(onePlus: x) }
    case .log2: mapRows(loop, a, r) { (x: T) in T.log2(x) }
    case .sqrt: mapRows(loop, a, r) { (x: T) in x.squareRoot() }
    case .rsqrt: mapRows(loop, a, r) { (x: T) in 1 / x.squareRoot() }
    case .sin: mapRows(loop, a, r) { (x: T) in T.sin(x) }
    case .cos: mapRows(loop, a, r) { (x: T) in T.cos(x) }
    case .tanh: mapRows(loop, a, r) { (x: T) in T.tanh(x) }
    case .erf: mapRows(loop, a, r) { (x: T) in T.erf(x) }
    case .sigmoid: mapRows(loop, a, r) { (x: T) in 1 / (1 + T.exp(-x)) }
    case .relu: mapRows(loop, a, r) { (x: T) in x < 0 ? 0 : x }
    case .relu6: mapRows(loop, a, r) { (x: T) in x < 0 ? 0 : (x > 6 ? 6 : x) }
    case .gelu:
        mapRows(loop, a, r) { (x: T) in x * T(0.5) * (1 + T.erf(x * T(0.70710678118654752440))) }
    case .geluTanh:
        mapRows(loop, a, r) { (x: T) in
            let inner = T(0.79788456080286535588) * (x + T(0.044715) * x * x * x)
            return T(0.5) * x * (1 + T.tanh(inner))
        }
    case .silu: mapRows(loop, a, r) { (x: T) in x / (1 + T.exp(-x)) }
    case .leakyRelu(let s):
        let slope = T(s)
        mapRows(loop, a, r) { (x: T) in x > 0 ? x : x * slope }
    case .elu(let al):
        let alpha = T(al)
        mapRows(loop, a, r) { (x: T) in x > 0 ? x : alpha * T.expMinusOne(x) }
    case .softplus(let b, let t):
        let beta = T(b), threshold = T(t)
        mapRows(loop, a, r) { (x: T) in
            x * beta > threshold ? x : T.log(onePlus: T.exp(x * beta)) / beta
        }
    case .floor: mapRows(loop, a, r) { (x: T) in x.rounded(.down) }
    case .ceil: mapRows(loop, a, r) { (x: T) in x.rounded(.up) }
    case .round: mapRows(loop, a, r) { (x: T) in x.rounded(.toNearestOrEven) }
    case .trunc: mapRows(loop, a, r) { (x: T) in x.rounded(.towardZero) }
    case .clamp(let lo, let hi):
        let l = lo.map { T($0) }, h = hi.map { T($0) }
        mapRows(loop, a, r) { (x: T) in
            var y = x
            if let l, y < l { y = l }
            if let h, y > h { y = h }
            return y
        }
    case .nanToNum(let n, let p, let m):
        let nanV = T(n)
        let posV = p.isInfinite ? T.greatestFiniteMagnitude : T(p)
        let negV = m.isInfinite ? -T.greatestFiniteMagnitude : T(m)
        mapRows(loop, a, r) { (x: T) in
            x.isNaN ? nanV : (x == .infinity ? posV : (x == -.infinity ? negV : x))
        }
    }
}

func unaryInteger<T: IntegerTensorElement & NumericTensorElement>(
    _: T.Type, _ op: UnaryOp, _ loop: StridedLoop, _ a: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch op {
    case .neg: mapRows(loop, a, r) { (x: T) in T._neg(x) }
    case .abs: mapRows(loop, a, r) { (x: T) in T._abs(x) }
    case .sign: mapRows(loop, a, r) { (x: T) in T._sign(x) }
    case .square: mapRows(loop, a, r) { (x: T) in x &* x }
    case .relu: mapRows(loop, a, r) { (x: T) in x < 0 ? 0 : x }
    case .relu6: mapRows(loop, a, r) { (x: T) in x < 0 ? 0 : (x > 6 ? 6 : x) }
    case .floor, .ceil, .round, .trunc, .nanToNum: mapRows(loop, a, r) { (x: T) in x }
    case .clamp(let lo, let hi):
        let l = lo.map { T(_emberDouble: $0.rounded(.down)) }
        let h = hi.map { T(_emberDouble: $0.rounded(.up)) }
        mapRows(loop, a, r) { (x: T) in
            var y = x
            if let l, y < l { y = l }
            if let h, y > h { y = h }
            return y
        }
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
