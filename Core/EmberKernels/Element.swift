// The element types kernels are generic over, with the conversions that
// casting and printing need. Arithmetic lives in the kernel files themselves.

/// A type that can be stored in a tensor.
///
/// Conversions go through `Double` for floating-point values and `Int64` for
/// integers, so casts between any two element types are exact wherever the
/// destination can hold the value.
public protocol TensorElement: Sendable {
    /// The tensor element type this Swift type stores as.
    static var dtype: DType { get }
    static var zero: Self { get }
    static var one: Self { get }
    /// True for floating-point element types.
    static var isFloatingPoint: Bool { get }
    init(_emberDouble value: Double)
    init(_emberInt64 value: Int64)
    var _emberDouble: Double { get }
    var _emberInt64: Int64 { get }
}

extension TensorElement {
    @inlinable public static var isFloatingPoint: Bool { false }
}

extension Float: TensorElement {
    @inlinable public static var dtype: DType { .float32 }
    @inlinable public static var one: Float { 1 }
    @inlinable public static var isFloatingPoint: Bool { true }
    @inlinable public init(_emberDouble value: Double) { self = Float(value) }
    @inlinable public init(_emberInt64 value: Int64) { self = Float(value) }
    @inlinable public var _emberDouble: Double { Double(self) }
    @inlinable public var _emberInt64: Int64 { truncatedInt64(Double(self)) }
}

extension Double: TensorElement {
    @inlinable public static var dtype: DType { .float64 }
    @inlinable public static var one: Double { 1 }
    @inlinable public static var isFloatingPoint: Bool { true }
    @inlinable public init(_emberDouble value: Double) { self = value }
    @inlinable public init(_emberInt64 value: Int64) { self = Double(value) }
    @inlinable public var _emberDouble: Double { self }
    @inlinable public var _emberInt64: Int64 { truncatedInt64(self) }
}

extension Float16: TensorElement {
    @inlinable public static var dtype: DType { .float16 }
    @inlinable public static var one: Float16 { 1 }
    @inlinable public static var isFloatingPoint: Bool { true }
    @inlinable public init(_emberDouble value: Double) { self = Float16(Float(value)) }
    @inlinable public init(_emberInt64 value: Int64) { self = Float16(Float(value)) }
    @inlinable public var _emberDouble: Double { Double(Float(self)) }
    @inlinable public var _emberInt64: Int64 { truncatedInt64(Double(Float(self))) }
}

extension BFloat16: TensorElement {
    @inlinable public static var dtype: DType { .bfloat16 }
    @inlinable public static var zero: BFloat16 { BFloat16(bitPattern: 0) }
    @inlinable public static var one: BFloat16 { BFloat16(bitPattern: 0x3F80) }
    @inlinable public static var isFloatingPoint: Bool { true }
    @inlinable public init(_emberDouble value: Double) { self.init(Float(value)) }
    @inlinable public init(_emberInt64 value: Int64) { self.init(Float(value)) }
    @inlinable public var _emberDouble: Double { Double(floatValue) }
    @inlinable public var _emberInt64: Int64 { truncatedInt64(Double(floatValue)) }
}

extension Bool: TensorElement {
    @inlinable public static var dtype: DType { .bool }
    @inlinable public static var zero: Bool { false }
    @inlinable public static var one: Bool { true }
    @inlinable public init(_emberDouble value: Double) { self = value != 0 }
    @inlinable public init(_emberInt64 value: Int64) { self = value != 0 }
    @inlinable public var _emberDouble: Double { self ? 1 : 0 }
    @inlinable public var _emberInt64: Int64 { self ? 1 : 0 }
}

/// Integer element types wrap on overflow, as C and PyTorch do.
public protocol IntegerTensorElement: TensorElement, FixedWidthInteger {}

extension IntegerTensorElement {
    @inlinable public static var one: Self { 1 }
    @inlinable public init(_emberDouble value: Double) {
        self.init(truncatingIfNeeded: truncatedInt64(value))
    }
    @inlinable public init(_emberInt64 value: Int64) { self.init(truncatingIfNeeded: value) }
    @inlinable public var _emberDouble: Double { Double(self) }
    @inlinable public var _emberInt64: Int64 { Int64(truncatingIfNeeded: self) }
}

extension Int64: IntegerTensorElement {
    @inlinable public static var dtype: DType { .int64 }
}
extension Int32: IntegerTensorElement {
    @inlinable public static var dtype: DType { .int32 }
}
extension Int16: IntegerTensorElement {
    @inlinable public static var dtype: DType { .int16 }
}
extension Int8: IntegerTensorElement {
    @inlinable public static var dtype: DType { .int8 }
}
extension UInt8: IntegerTensorElement {
    @inlinable public static var dtype: DType { .uint8 }
}

/// Float-to-integer conversion truncates toward zero; NaN and out-of-range
/// values saturate instead of trapping (C leaves them undefined).
@inlinable
public func truncatedInt64(_ value: Double) -> Int64 {
    if value.isNaN { return 0 }
    if value >= 9.223372036854775807e18 { return .max }
    if value <= -9.223372036854775808e18 { return .min }
    return Int64(value)
}
