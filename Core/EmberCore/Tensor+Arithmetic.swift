// Arithmetic: add, sub, mul, div, floor division, remainder, pow, minimum and
// maximum, as methods, operators, and in-place `_` forms that write through views.

import EmberKernels

/// How `div` rounds, as in `torch.div(rounding_mode=)`.
public enum RoundingMode: Sendable {
    /// Round toward zero (C division).
    case trunc
    /// Round down (Python's `//`).
    case floor
}

extension Tensor {
    /// `self + alpha * other`, broadcasting.
    public func add(_ other: Tensor, alpha: Double = 1) -> Tensor {
        let type = resultType(self, other)
        if type == .bool && alpha == 1 { return Tensor.logical(self, other, .or, name: "add") }
        let b = alpha == 1 ? other : other.mul(alpha)
        return Tensor.binary(self, b, .add, type: type, name: "add")
    }
    /// `self - alpha * other`, broadcasting.
    public func sub(_ other: Tensor, alpha: Double = 1) -> Tensor {
        precondition(dtype != .bool && other.dtype != .bool,
                     "sub: subtraction with two bool tensors is not supported; use logicalXor")
        let b = alpha == 1 ? other : other.mul(alpha)
        return Tensor.binary(self, b, .sub, type: resultType(self, other), name: "sub")
    }
    /// `self * other`, broadcasting (bool with bool is logical and).
    public func mul(_ other: Tensor) -> Tensor {
        let type = resultType(self, other)
        if type == .bool { return Tensor.logical(self, other, .and, name: "mul") }
        return Tensor.binary(self, other, .mul, type: type, name: "mul")
    }
    /// True division; integers divide as float32 (`torch.div`), or round per `roundingMode`.
    public func div(_ other: Tensor, roundingMode: RoundingMode? = nil) -> Tensor {
        let type = resultType(self, other)
        switch roundingMode {
        case nil:
            let t = type.isFloatingPoint ? type : .float32
            return Tensor.binary(self, other, .div, type: t, name: "div")
        case .floor:
            return floorDivide(other)
        case .trunc:
            if type.isFloatingPoint {
                return Tensor.binary(self, other, .div, type: type, name: "div").trunc()
            }
            let q = floorDivide(other)
            // Floor and trunc differ where the remainder is nonzero and the signs differ.
            let fix = remainder(other).ne(0).logicalAnd(self.lt(0).logicalXor(other.lt(0)))
            return q.add(fix.to(type))
        }
    }
    /// Division rounded down (`torch.floor_divide`, Python's `//`).
    public func floorDivide(_ other: Tensor) -> Tensor {
        let type = resultType(self, other)
        if type.isIntegral { checkNoZeroDivisor(other, op: "floor_divide") }
        return Tensor.binary(self, other, .floorDivide, type: type == .bool ? .int64 : type, name: "floor_divide")
    }
    /// Python-style modulus: the result has the sign of the divisor (`torch.remainder`).
    public func remainder(_ other: Tensor) -> Tensor {
        let type = resultType(self, other)
        if type.isIntegral { checkNoZeroDivisor(other, op: "remainder") }
        return Tensor.binary(self, other, .remainder, type: type == .bool ? .int64 : type, name: "remainder")
    }
    /// `self ** exponent`, elementwise.
    public func pow(_ exponent: Tensor) -> Tensor {
        let type = resultType(self, exponent)
        if type.isIntegral {
            precondition(!exponent.lt(0).any().item(as: Bool.self),
                         "pow: integers to negative integer powers are not allowed")
        }
        return Tensor.binary(self, exponent, .pow, type: type == .bool ? .int64 : type, name: "pow")
    }
    /// Elementwise minimum; NaN wins.
    public func minimum(_ other: Tensor) -> Tensor {
        Tensor.binary(self, other, .minimum, type: resultType(self, other), name: "minimum")
    }
    /// Elementwise maximum; NaN wins.
    public func maximum(_ other: Tensor) -> Tensor {
        Tensor.binary(self, other, .maximum, type: resultType(self, other), name: "maximum")
    }

    private func checkNoZeroDivisor(_ other: Tensor, op: String) {
        precondition(!other.eq(0).any().item(as: Bool.self), "\(op): integer division by zero")
    }

    // Scalar forms: a Swift scalar never widens the tensor's dtype within its kind.
    public func add(_ s: Double, alpha: Double = 1) -> Tensor { add(scalarOperand(s * alpha, isFloatingPoint: true)) }
    public func add(_ s: Int) -> Tensor { add(scalarOperand(Double(s), isFloatingPoint: false)) }
    public func sub(_ s: Double) -> Tensor { sub(scalarOperand(s, isFloatingPoint: true)) }
    public func sub(_ s: Int) -> Tensor { sub(scalarOperand(Double(s), isFloatingPoint: false)) }
    public func mul(_ s: Double) -> Tensor { mul(scalarOperand(s, isFloatingPoint: true)) }
    public func mul(_ s: Int) -> Tensor { mul(scalarOperand(Double(s), isFloatingPoint: false)) }
    public func div(_ s: Double) -> Tensor { div(scalarOperand(s, isFloatingPoint: true)) }
    public func div(_ s: Int, roundingMode: RoundingMode? = nil) -> Tensor {
        div(scalarOperand(Double(s), isFloatingPoint: false), roundingMode: roundingMode)
    }
    public func remainder(_ s: Double) -> Tensor { remainder(scalarOperand(s, isFloatingPoint: true)) }
    public func remainder(_ s: Int) -> Tensor { remainder(scalarOperand(Double(s), isFloatingPoint: false)) }
    public func floorDivide(_ s: Int) -> Tensor { floorDivide(scalarOperand(Double(s), isFloatingPoint: false)) }
    public func pow(_ s: Double) -> Tensor { pow(scalarOperand(s, isFloatingPoint: true)) }
    public func pow(_ s: Int) -> Tensor { pow(scalarOperand(Double(s), isFloatingPoint: false)) }

    // In place, through views.
    @discardableResult public func add_(_ other: Tensor, alpha: Double = 1) -> Tensor {
        binaryInPlace(alpha == 1 ? other : other.mul(alpha), .add, name: "add_")
    }
    @discardableResult public func add_(_ s: Double) -> Tensor { binaryInPlace(scalarOperand(s, isFloatingPoint: true), .add, name: "add_") }
    @discardableResult public func add_(_ s: Int) -> Tensor { binaryInPlace(scalarOperand(Double(s), isFloatingPoint: false), .add, name: "add_") }
    @discardableResult public func mul_(_ s: Int) -> Tensor { binaryInPlace(scalarOperand(Double(s), isFloatingPoint: false), .mul, name: "mul_") }
    @discardableResult public func sub_(_ other: Tensor) -> Tensor { binaryInPlace(other, .sub, name: "sub_") }
    @discardableResult public func sub_(_ s: Double) -> Tensor { binaryInPlace(scalarOperand(s, isFloatingPoint: true), .sub, name: "sub_") }
    @discardableResult public func mul_(_ other: Tensor) -> Tensor { binaryInPlace(other, .mul, name: "mul_") }
    @discardableResult public func mul_(_ s: Double) -> Tensor { binaryInPlace(scalarOperand(s, isFloatingPoint: true), .mul, name: "mul_") }
    @discardableResult public func div_(_ other: Tensor) -> Tensor {
        precondition(dtype.isFloatingPoint, "div_: result type float can't be cast to the desired output type \(dtype)")
        return binaryInPlace(other, .div, name: "div_")
    }
    @discardableResult public func div_(_ s: Double) -> Tensor { div_(scalarOperand(s, isFloatingPoint: true)) }
    @discardableResult public func pow_(_ s: Double) -> Tensor { binaryInPlace(scalarOperand(s, isFloatingPoint: true), .pow, name: "pow_") }
}

// Operators follow Python's: `+ - * /` are add, sub, mul and true division.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { a.add(b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { a.sub(b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { a.mul(b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { a.div(b) }
    public static func % (a: Tensor, b: Tensor) -> Tensor { a.remainder(b) }
    public static prefix func - (a: Tensor) -> Tensor { a.neg() }

    public static func + (a: Tensor, s: Double) -> Tensor { a.add(s) }
    public static func - (a: Tensor, s: Double) -> Tensor { a.sub(s) }
    public static func * (a: Tensor, s: Double) -> Tensor { a.mul(s) }
    public static func / (a: Tensor, s: Double) -> Tensor { a.div(s) }
    public static func + (s: Double, a: Tensor) -> Tensor { a.add(s) }
    public static func - (s: Double, a: Tensor) -> Tensor { a.scalarOperand(s, isFloatingPoint: true).sub(a) }
    public static func * (s: Double, a: Tensor) -> Tensor { a.mul(s) }
    public static func / (s: Double, a: Tensor) -> Tensor { a.scalarOperand(s, isFloatingPoint: true).div(a) }

    public static func + (a: Tensor, s: Int) -> Tensor { a.add(s) }
    public static func - (a: Tensor, s: Int) -> Tensor { a.sub(s) }
    public static func * (a: Tensor, s: Int) -> Tensor { a.mul(s) }
    public static func / (a: Tensor, s: Int) -> Tensor { a.div(Double(s)) }
    public static func + (s: Int, a: Tensor) -> Tensor { a.add(s) }
    public static func - (s: Int, a: Tensor) -> Tensor { a.scalarOperand(Double(s), isFloatingPoint: false).sub(a) }
    public static func * (s: Int, a: Tensor) -> Tensor { a.mul(s) }

    public static func += (a: Tensor, b: Tensor) { a.add_(b) }
    public static func -= (a: Tensor, b: Tensor) { a.sub_(b) }
    public static func *= (a: Tensor, b: Tensor) { a.mul_(b) }
    public static func /= (a: Tensor, b: Tensor) { a.div_(b) }
    public static func += (a: Tensor, s: Double) { a.add_(s) }
    public static func -= (a: Tensor, s: Double) { a.sub_(s) }
    public static func *= (a: Tensor, s: Double) { a.mul_(s) }
    public static func /= (a: Tensor, s: Double) { a.div_(s) }
}
