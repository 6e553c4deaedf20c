// Element types and PyTorch's type-promotion rules. Kept beside the kernels
// because every kernel family switches over it once, then runs generic code.

/// The element type of a tensor, named as in PyTorch.
///
/// ```swift
/// let x = Tensor.zeros([2, 3], dtype: .float64)
/// print(x.dtype)                       // torch.float64
/// print(DType.promote(.int64, .float32)) // float32
/// ```
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32, float64, float16, bfloat16
    case int64, int32, int16, int8, uint8
    case bool

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64, .float16, .bfloat16: true
        default: false
        }
    }

    public var isIntegral: Bool { !isFloatingPoint && self != .bool }

    /// The type arithmetic runs in: half types compute in float32.
    public var computeType: DType {
        self == .float16 || self == .bfloat16 ? .float32 : self
    }

    /// PyTorch's printed name, `torch.float32`.
    public var description: String { "torch.\(rawValue)" }

    private var category: Int { isFloatingPoint ? 2 : (self == .bool ? 0 : 1) }

    /// The result type of a binary op on tensors of these types.
    public static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if a.category != b.category { return a.category > b.category ? a : b }
        if a.isFloatingPoint {
            if a == .float64 || b == .float64 { return .float64 }
            if a == .float32 || b == .float32 { return .float32 }
            return .float32  // float16 with bfloat16
        }
        // Integers: the wider signed type; int8 with uint8 needs int16.
        let order: [DType] = [.uint8, .int8, .int16, .int32, .int64]
        let ia = order.firstIndex(of: a)!, ib = order.firstIndex(of: b)!
        if (a == .uint8 && b == .int8) || (a == .int8 && b == .uint8) { return .int16 }
        return order[max(ia, ib)]
    }

    /// The type of `tensor op scalar`: a Swift scalar never widens a tensor
    /// within its category, but an integer tensor with a floating scalar
    /// becomes the default float type, and a bool tensor takes the scalar's kind.
    public static func promote(_ tensor: DType, scalarIsFloatingPoint: Bool) -> DType {
        if scalarIsFloatingPoint { return tensor.isFloatingPoint ? tensor : .float32 }
        return tensor == .bool ? .int64 : tensor
    }
}
