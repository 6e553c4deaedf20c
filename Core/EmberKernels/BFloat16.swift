// bfloat16: the top 16 bits of an IEEE float32. Stored and converted only;
// arithmetic on bfloat16 tensors runs in float32, as PyTorch does on CPU.

/// A 16-bit brain floating-point number: float32's sign and exponent with a
/// 7-bit mantissa.
///
/// ```swift
/// let h = BFloat16(3.14159)   // 3.140625
/// print(Float(h))
/// ```
public struct BFloat16: Sendable, Hashable, CustomStringConvertible {
    /// The raw bit pattern.
    public var bitPattern: UInt16

    /// Creates a value from its raw bit pattern.
    public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    /// Rounds a float32 to the nearest bfloat16, ties to even; NaN stays NaN.
    @inlinable
    public init(_ value: Float) {
        let bits = value.bitPattern
        if value.isNaN {
            bitPattern = UInt16(truncatingIfNeeded: (bits >> 16) | 0x40)
            return
        }
        let lsb = (bits >> 16) & 1
        let rounded = bits &+ 0x7FFF &+ lsb
        bitPattern = UInt16(truncatingIfNeeded: rounded >> 16)
    }

    /// Rounds a float64 through float32.
    @inlinable
    public init(_ value: Double) { self.init(Float(value)) }

    /// The exact float32 value.
    @inlinable
    public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

    public var description: String { floatValue.description }
}

extension Float {
    /// The exact float32 value of a bfloat16.
    @inlinable
    public init(_ value: BFloat16) { self = value.floatValue }
}
