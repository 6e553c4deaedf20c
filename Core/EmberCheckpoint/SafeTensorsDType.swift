// The dtype names safetensors defines, in the reference enum's order: the
// order is "increasing alignment" and decides where the writer places each
// tensor, so files come out byte-identical to `safetensors.torch.save`.

import EmberCore

/// Every dtype of the format, including those Ember cannot hold, so files
/// with them still open and validate (only loading such a tensor fails).
enum SafeTensorsDType: String, CaseIterable {
    case BOOL, F4, F6_E2M3, F6_E3M2, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, F8_E4M3FNUZ, F8_E5M2FNUZ
    case I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64

    var bits: Int {
        switch self {
        case .F4: 4
        case .F6_E2M3, .F6_E3M2: 6
        case .BOOL, .U8, .I8, .F8_E5M2, .F8_E4M3, .F8_E8M0, .F8_E4M3FNUZ, .F8_E5M2FNUZ: 8
        case .I16, .U16, .F16, .BF16: 16
        case .I32, .U32, .F32: 32
        case .C64, .F64, .I64, .U64: 64
        }
    }

    /// Position in the reference enum; the writer sorts by it, descending.
    var rank: Int { Self.allCases.firstIndex(of: self)! }

    var emberType: DType? {
        switch self {
        case .F64: .float64
        case .F32: .float32
        case .F16: .float16
        case .BF16: .bfloat16
        case .I64: .int64
        case .I32: .int32
        case .I16: .int16
        case .I8: .int8
        case .U8: .uint8
        case .BOOL: .bool
        default: nil
        }
    }

    init(_ dtype: DType) {
        switch dtype {
        case .float64: self = .F64
        case .float32: self = .F32
        case .float16: self = .F16
        case .bfloat16: self = .BF16
        case .int64: self = .I64
        case .int32: self = .I32
        case .int16: self = .I16
        case .int8: self = .I8
        case .uint8: self = .U8
        case .bool: self = .BOOL
        }
    }
}
