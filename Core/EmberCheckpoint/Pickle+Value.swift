// The values a restricted unpickler can produce. A pickle never runs here:
// globals stay names, and a call to one stays a `.reduce` node that the
// checkpoint layer interprets only for the functions it knows
// (`torch._utils._rebuild_tensor_v2`, ...).

/// A Python value read from a pickle.
///
/// ```swift
/// let value = try Unpickler(bytes, source: "model.pth/data.pkl").load()
/// if case .dict(let items, _) = value { print(items.map(\.key)) }
/// ```
public indirect enum PickleValue: Sendable, Equatable {
    case none
    case bool(Bool)
    /// An integer that fits 64 bits.
    case int(Int64)
    /// A wider integer (LONG1/LONG4), little-endian two's complement.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    /// A dict in insertion order; `ordered` for `collections.OrderedDict`,
    /// whose `BUILD` state (a state dict's `_metadata`) is in `attributes`.
    case dict(items: [PickleItem], ordered: Bool, attributes: [PickleItem])
    /// An allowed global, by name (`torch._utils`, `_rebuild_tensor_v2`).
    case global(module: String, name: String)
    /// A persistent id (`BINPERSID`): a storage reference in torch files.
    case persistent(PickleValue)
    /// A call of an allowed global with its arguments (`REDUCE`), not evaluated.
    case reduce(callable: PickleValue, arguments: [PickleValue])
}

/// One key-value pair of a pickled dict.
public struct PickleItem: Sendable, Equatable {
    public var key: PickleValue
    public var value: PickleValue

    public init(key: PickleValue, value: PickleValue) {
        self.key = key
        self.value = value
    }
}

/// Why a pickle was refused. Each case names the source (a file and record)
/// and the byte offset of the opcode that failed.
public enum PickleError: Error, Equatable, CustomStringConvertible {
    /// The stream ended inside an opcode or before STOP.
    case truncated(source: String, offset: Int)
    /// An opcode this reader does not run (INST, OBJ, NEWOBJ, EXT*, text opcodes...).
    case unsupportedOpcode(source: String, offset: Int, opcode: UInt8)
    /// A global outside the allow-list, such as `posix.system`: refused, never imported.
    case forbiddenGlobal(source: String, offset: Int, module: String, name: String)
    /// The opcodes don't fit the stack: a pop from an empty stack, a missing
    /// mark, a memo index never stored, an APPEND onto a non-list...
    case malformed(source: String, offset: Int, reason: String)
    /// Nesting, object count or lengths beyond the reader's limits.
    case limitExceeded(source: String, offset: Int, reason: String)

    public var description: String {
        switch self {
        case .truncated(let source, let offset):
            return "\(source): pickle truncated at byte \(offset)"
        case .unsupportedOpcode(let source, let offset, let opcode):
            return "\(source): unsupported pickle opcode 0x\(String(opcode, radix: 16)) at byte \(offset)"
        case .forbiddenGlobal(let source, let offset, let module, let name):
            return "\(source): refusing the global \(module).\(name) at byte \(offset); only weights and plain containers are loaded"
        case .malformed(let source, let offset, let reason):
            return "\(source): malformed pickle at byte \(offset): \(reason)"
        case .limitExceeded(let source, let offset, let reason):
            return "\(source): pickle exceeds a limit at byte \(offset): \(reason)"
        }
    }
}
