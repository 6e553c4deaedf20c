// Per-type arithmetic with PyTorch's semantics: integers wrap, floor division
// and remainder follow Python's sign rules, min and max propagate NaN.

import Glibc
import RealModule

/// Element types with arithmetic (every type but bool).
public protocol NumericTensorElement: TensorElement, Comparable {
    static func _add(_ a: Self, _ b: Self) -> Self
    static func _sub(_ a: Self, _ b: Self) -> Self
    static func _mul(_ a: Self, _ b: Self) -> Self
    static func _floorDivide(_ a: Self, _ b: Self) -> Self
    static func _remainder(_ a: Self, _ b: Self) -> Self
    static func _pow(_ a: Self, _ b: Self) -> Self
    static func _minimum(_ a: Self, _ b: Self) -> Self
    static func _maximum(_ a: Self, _ b: Self) -> Self
    static func _neg(_ a: Self) -> Self
    static func _abs(_ a: Self) -> Self
    static func _sign(_ a: Self) -> Self
}

/// Float and Double: the types floating-point arithmetic runs in.
public protocol FloatTensorElement: NumericTensorElement, BinaryFloatingPoint, Real {
    /// C's pow, which defines negative bases and infinities as IEEE 754 does.
    static func _cPow(_ a: Self, _ b: Self) -> Self
}

extension FloatTensorElement {
    @inlinable public static func _add(_ a: Self, _ b: Self) -> Self { a + b }
    @inlinable public static func _sub(_ a: Self, _ b: Self) -> Self { a - b }
    @inlinable public static func _mul(_ a: Self, _ b: Self) -> Self { a * b }
    @inlinable public static func _floorDivide(_ a: Self, _ b: Self) -> Self {
        if b == 0 { return a / b }
        let mod = a.truncatingRemainder(dividingBy: b)
        var div = (a - mod) / b
        if mod != 0 && (b < 0) != (mod < 0) { div -= 1 }
        if div == 0 { return Self(signOf: a / b, magnitudeOf: 0) }
        var floored = div.rounded(.down)
        if div - floored > 0.5 { floored += 1 }
        return floored
    }
    @inlinable public static func _remainder(_ a: Self, _ b: Self) -> Self {
        var mod = a.truncatingRemainder(dividingBy: b)
        if mod != 0 && (b < 0) != (mod < 0) { mod += b }
        return mod
    }
    @inlinable public static func _pow(_ a: Self, _ b: Self) -> Self {
        if b == 2 { return a * a }
        if b == 1 { return a }
        return _cPow(a, b)
    }
    @inlinable public static func _minimum(_ a: Self, _ b: Self) -> Self {
        a.isNaN || b.isNaN ? .nan : (a < b ? a : b)
    }
    @inlinable public static func _maximum(_ a: Self, _ b: Self) -> Self {
        a.isNaN || b.isNaN ? .nan : (a > b ? a : b)
    }
    @inlinable public static func _neg(_ a: Self) -> Self { -a }
    @inlinable public static func _abs(_ a: Self) -> Self { a.magnitude }
    @inlinable public static func _sign(_ a: Self) -> Self {
        a > 0 ? 1 : (a < 0 ? -1 : 0)  // NaN gives 0, as in PyTorch
    }
}

extension Float: FloatTensorElement {
    @inlinable public static func _cPow(_ a: Float, _ b: Float) -> Float { powf(a, b) }
}
extension Double: FloatTensorElement {
    @inlinable public static func _cPow(_ a: Double, _ b: Double) -> Double { Glibc.pow(a, b) }
}

extension IntegerTensorElement {
    @inlinable public static func _add(_ a: Self, _ b: Self) -> Self { a &+ b }
    @inlinable public static func _sub(_ a: Self, _ b: Self) -> Self { a &- b }
    @inlinable public static func _mul(_ a: Self, _ b: Self) -> Self { a &* b }
    @inlinable public static func _floorDivide(_ a: Self, _ b: Self) -> Self {
        if b == 0 { return 0 }  // callers reject zero divisors first
        if Self.isSigned && b == -1 { return 0 &- a }
        let q = a / b
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q &- 1 : q
    }
    @inlinable public static func _remainder(_ a: Self, _ b: Self) -> Self {
        if b == 0 { return 0 }
        if Self.isSigned && b == -1 { return 0 }
        let r = a % b
        return (r != 0) && ((r < 0) != (b < 0)) ? r &+ b : r
    }
    @inlinable public static func _pow(_ a: Self, _ b: Self) -> Self {
        if b < 0 { return a == 1 ? 1 : (a == 0 - 1 ? (b & 1 == 0 ? 1 : a) : 0) }
        var result: Self = 1, base = a, e = b
        while e > 0 {
            if e & 1 == 1 { result = result &* base }
            base = base &* base
            e >>= 1
        }
        return result
    }
    @inlinable public static func _minimum(_ a: Self, _ b: Self) -> Self { Swift.min(a, b) }
    @inlinable public static func _maximum(_ a: Self, _ b: Self) -> Self { Swift.max(a, b) }
    @inlinable public static func _neg(_ a: Self) -> Self { 0 &- a }
    @inlinable public static func _abs(_ a: Self) -> Self { a < 0 ? 0 &- a : a }
    @inlinable public static func _sign(_ a: Self) -> Self { a > 0 ? 1 : (a < 0 ? 0 &- 1 : 0) }
}

extension Int64: NumericTensorElement {}
extension Int32: NumericTensorElement {}
extension Int16: NumericTensorElement {}
extension Int8: NumericTensorElement {}
extension UInt8: NumericTensorElement {}
