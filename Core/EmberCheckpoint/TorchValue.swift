// The values a checkpoint loads into, and the errors of turning a pickle
// tree into tensors.

import EmberCore

/// A value from a PyTorch checkpoint: the saved object tree with tensors.
///
/// ```swift
/// let checkpoint = try TorchCheckpoint.load(URL(fileURLWithPath: "model.pth"))
/// if case .dict(let items, _) = checkpoint { print(items.map(\.key)) }
/// ```
public indirect enum TorchValue: @unchecked Sendable {
    case none
    case bool(Bool)
    case int(Int64)
    /// An integer wider than 64 bits, little-endian two's complement.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([TorchValue])
    case tuple([TorchValue])
    /// Keys and values in saved order; `ordered` for an `OrderedDict` (a state dict).
    case dict([(key: TorchValue, value: TorchValue)], ordered: Bool)
    case tensor(Tensor)

    /// The value under string key `key` of a dict, like `checkpoint["state_dict"]`.
    public subscript(key: String) -> TorchValue? {
        guard case .dict(let items, _) = self else { return nil }
        return items.first { if case .string(key) = $0.key { true } else { false } }?.value
    }
}

/// Why a checkpoint's object tree could not become tensors.
public enum TorchCheckpointError: Error, Equatable, CustomStringConvertible {
    /// A tensor rebuild with arguments of the wrong kind or count.
    case malformedTensor(path: String, reason: String)
    /// A storage class Ember has no dtype for (complex, quantized, ...).
    case unsupportedStorage(path: String, type: String)
    /// A tensor reaching outside its storage.
    case outOfBounds(path: String, storage: String, reason: String)
    /// A storage record whose size is not numel × element size.
    case storageSize(path: String, storage: String, expected: Int, found: Int)
    /// Only little-endian files are read so far.
    case bigEndian(path: String)
    /// A call to an allowed global that is not a tensor rebuild (`torch.Size`, ...).
    case unsupportedCall(path: String, function: String)
    /// Neither a zip archive nor a legacy stream (TorchScript and the ancient tar format are not loaded).
    case unknownFormat(path: String)
    /// A value `save` cannot write in a form `torch.load(weights_only=True)` reads.
    case unsupportedValue(path: String, key: String, reason: String)
    /// The file system refused the write.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformedTensor(let path, let reason): "\(path): malformed tensor: \(reason)"
        case .unsupportedStorage(let path, let type): "\(path): storage type \(type) has no Ember dtype"
        case .outOfBounds(let path, let storage, let reason): "\(path): a tensor reaches outside storage \(storage): \(reason)"
        case .storageSize(let path, let storage, let expected, let found):
            "\(path): storage \(storage) should hold \(expected) bytes, its record holds \(found)"
        case .bigEndian(let path): "\(path): big-endian checkpoints are not supported yet"
        case .unsupportedCall(let path, let function): "\(path): cannot rebuild a call to \(function)"
        case .unknownFormat(let path): "\(path): not a PyTorch zip or legacy checkpoint"
        case .unsupportedValue(let path, let key, let reason): "\(path): cannot save \(key.isEmpty ? "the value" : key): \(reason)"
        case .writeFailed(let path, let reason): "\(path): write failed: \(reason)"
        }
    }
}
