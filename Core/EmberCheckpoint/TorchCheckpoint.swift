// Loading a zip-format .pth/.pt file into Ember values: the restricted
// unpickler's tree, with every `_rebuild_tensor_v2` / `_rebuild_parameter`
// call turned into a tensor over its storage record. Tensors that share a
// storage share one Ember Storage, with the file's strides and offsets.

import EmberCore
import Foundation

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
        }
    }
}

/// Loads PyTorch checkpoints without executing them.
public enum TorchCheckpoint {
    static let storageDTypes: [String: DType] = [
        "DoubleStorage": .float64, "FloatStorage": .float32, "HalfStorage": .float16, "BFloat16Storage": .bfloat16,
        "LongStorage": .int64, "IntStorage": .int32, "ShortStorage": .int16, "CharStorage": .int8,
        "ByteStorage": .uint8, "BoolStorage": .bool,
    ]

    /// The first bytes of a legacy (pre-1.6) stream: the pickled magic number.
    static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]

    /// Loads a PyTorch checkpoint in either format `torch.save` writes: zip
    /// (torch 1.6 and later) or the legacy stream (older files, such as
    /// CheXNet's `model.pth.tar`). Zip storages are zero-copy views of the
    /// memory-mapped file; legacy ones too where their bytes are aligned.
    ///
    /// ```swift
    /// let sd = try TorchCheckpoint.load(URL(fileURLWithPath: "resnet18.pth"))
    /// let conv1 = sd["conv1.weight"]   // .tensor([64, 3, 7, 7])
    /// ```
    public static func load(_ url: URL) throws -> TorchValue {
        let map = try MemoryMap(path: url.path, minimumSize: 4)
        let head = UnsafeRawBufferPointer(start: map.base, count: Swift.min(map.size, legacyMagic.count))
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try loadZip(url) }
        if head.elementsEqual(legacyMagic) { return try loadLegacy(map, path: url.path) }
        throw TorchCheckpointError.unknownFormat(path: url.path)
    }

    static func loadZip(_ url: URL) throws -> TorchValue {
        let archive = try TorchZipArchive(url: url)
        if archive.contains("byteorder"), try archive.bytes(named: "byteorder") != Array("little".utf8) {
            throw TorchCheckpointError.bigEndian(path: archive.path)
        }
        var reader = Unpickler(try archive.bytes(named: "data.pkl"), source: archive.path + "/data.pkl")
        var rebuilder = Rebuilder(path: archive.path) { key, byteCount, dtype in
            let range = try archive.record(named: "data/" + key).range
            guard range.count == byteCount else {
                throw TorchCheckpointError.storageSize(path: archive.path, storage: key, expected: byteCount, found: range.count)
            }
            let map = archive.map, source = map.base + range.lowerBound
            // A Swift Bool must be 0 or 1; torch reads any nonzero byte as true, so such storages are copied and normalized.
            if dtype == .bool && UnsafeRawBufferPointer(start: source, count: byteCount).contains(where: { $0 > 1 }) {
                let copy = Storage(byteCount: byteCount)
                let target = copy.data.assumingMemoryBound(to: UInt8.self), bytes = source.assumingMemoryBound(to: UInt8.self)
                for i in 0..<byteCount { target[i] = bytes[i] == 0 ? 0 : 1 }
                return copy
            }
            return Storage(wrapping: source, byteCount: byteCount, release: { _ in withExtendedLifetime(map) {} })
        }
        return try rebuilder.value(try reader.load())
    }
}

extension TorchCheckpoint {
    /// The legacy stream: five pickles (magic number, protocol, sys_info, the
    /// object, the storage keys), then each storage in key order as an int64
    /// element count and its raw bytes.
    static func loadLegacy(_ map: MemoryMap, path: String) throws -> TorchValue {
        let bytes = Array(UnsafeRawBufferPointer(start: map.base, count: map.size))
        var pickles: [PickleValue] = []
        var offset = 0
        for _ in 0..<5 {
            var reader = Unpickler(bytes, source: path, startingAt: offset)
            pickles.append(try reader.load())
            offset = reader.offset
        }
        guard case .dict(let info, _, _) = pickles[2],
              info.contains(PickleItem(key: .string("little_endian"), value: .bool(true))) else {
            throw TorchCheckpointError.bigEndian(path: path)
        }
        guard case .list(let keyValues) = pickles[4] else {
            throw TorchCheckpointError.malformedTensor(path: path, reason: "the storage key list is \(pickles[4])")
        }
        var types: [String: DType] = [:]
        try collectLegacyStorages(pickles[3], path: path, into: &types)
        // Walk the storage section: each record's size comes from its count and the type the pickle gave it.
        var ranges: [String: Range<Int>] = [:]
        for keyValue in keyValues {
            guard case .string(let key) = keyValue, let dtype = types[key], ranges[key] == nil else {
                throw TorchCheckpointError.malformedTensor(path: path, reason: "storage key \(keyValue) is unknown or repeated")
            }
            guard map.size - offset >= 8 else {
                throw TorchCheckpointError.storageSize(path: path, storage: key, expected: 8, found: map.size - offset)
            }
            var count: UInt64 = 0
            for i in 0..<8 { count |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            let (byteCount, overflow) = Int(clamping: count).multipliedReportingOverflow(by: dtype.itemSize)
            guard !overflow, count <= UInt64(Int.max), byteCount <= map.size - offset - 8 else {
                throw TorchCheckpointError.storageSize(path: path, storage: key, expected: overflow ? Int.max : byteCount,
                                                      found: map.size - offset - 8)
            }
            ranges[key] = (offset + 8)..<(offset + 8 + byteCount)
            offset += 8 + byteCount
        }
        var rebuilder = Rebuilder(path: path) { key, byteCount, dtype in
            guard let range = ranges[key] else {
                throw TorchCheckpointError.malformedTensor(path: path, reason: "storage \(key) is not in the storage section")
            }
            guard range.count == byteCount else {
                throw TorchCheckpointError.storageSize(path: path, storage: key, expected: byteCount, found: range.count)
            }
            let source = map.base + range.lowerBound
            let misaligned = Int(bitPattern: source) % dtype.itemSize != 0
            let badBools = dtype == .bool && UnsafeRawBufferPointer(start: source, count: byteCount).contains { $0 > 1 }
            if misaligned || badBools {
                // Legacy records are packed without alignment: those are copied (and bools normalized).
                let copy = Storage(byteCount: byteCount)
                copy.data.copyMemory(from: source, byteCount: byteCount)
                if badBools {
                    let b = copy.data.assumingMemoryBound(to: UInt8.self)
                    for i in 0..<byteCount { b[i] = b[i] == 0 ? 0 : 1 }
                }
                return copy
            }
            return Storage(wrapping: source, byteCount: byteCount, release: { _ in withExtendedLifetime(map) {} })
        }
        return try rebuilder.value(pickles[3])
    }

    /// Every storage the object names, with its dtype; legacy view metadata (pre-1.0 storage views) is refused.
    static func collectLegacyStorages(_ v: PickleValue, path: String, into types: inout [String: DType]) throws {
        switch v {
        case .persistent(.tuple(let pid)):
            guard pid.count == 6, case .global(_, let typeName) = pid[1], case .string(let key) = pid[2] else {
                throw TorchCheckpointError.malformedTensor(path: path, reason: "a legacy storage id \(pid)")
            }
            guard case .none = pid[5] else {
                throw TorchCheckpointError.malformedTensor(path: path, reason: "storage \(key) is a pre-1.0 storage view")
            }
            guard let dtype = storageDTypes[typeName] else { throw TorchCheckpointError.unsupportedStorage(path: path, type: typeName) }
            types[key] = dtype
        case .list(let items), .tuple(let items):
            for item in items { try collectLegacyStorages(item, path: path, into: &types) }
        case .dict(let items, _, _):
            for item in items {
                try collectLegacyStorages(item.key, path: path, into: &types)
                try collectLegacyStorages(item.value, path: path, into: &types)
            }
        case .reduce(let callable, let arguments):
            try collectLegacyStorages(callable, path: path, into: &types)
            for a in arguments { try collectLegacyStorages(a, path: path, into: &types) }
        default: break
        }
    }
}

/// Turns a pickle tree into Ember values, one Storage per storage key.
struct Rebuilder {
    let path: String
    /// The storage for a key, given its expected byte count and dtype.
    let storage: (String, Int, DType) throws -> Storage
    var storages: [String: (Storage, DType, Int)] = [:]

    init(path: String, storage: @escaping (String, Int, DType) throws -> Storage) {
        self.path = path
        self.storage = storage
    }

    mutating func value(_ v: PickleValue) throws -> TorchValue {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let b): return .bigInt(b)
        case .float(let f): return .float(f)
        case .string(let s): return .string(s)
        case .bytes(let b): return .bytes(b)
        case .list(let items): return .list(try items.map { try value($0) })
        case .tuple(let items): return .tuple(try items.map { try value($0) })
        case .dict(let items, let ordered, _):
            return .dict(try items.map { (key: try value($0.key), value: try value($0.value)) }, ordered: ordered)
        case .reduce(.global("torch._utils", "_rebuild_tensor_v2"), let args),
             .reduce(.global("torch._utils", "_rebuild_tensor"), let args):
            return .tensor(try tensor(args))
        case .reduce(.global("torch._utils", "_rebuild_parameter"), let args),
             .reduce(.global("torch._utils", "_rebuild_parameter_with_state"), let args):
            guard let data = args.first else { throw TorchCheckpointError.malformedTensor(path: path, reason: "a parameter without data") }
            return try value(data)
        case .reduce(.global(let module, let name), _):
            throw TorchCheckpointError.unsupportedCall(path: path, function: "\(module).\(name)")
        case .global(let module, let name):
            throw TorchCheckpointError.unsupportedCall(path: path, function: "\(module).\(name)")
        case .persistent, .reduce:
            throw TorchCheckpointError.malformedTensor(path: path, reason: "a storage or call outside a tensor rebuild")
        }
    }

    /// `(storage, storage_offset, size, stride, ...)` into a strided view of the storage.
    mutating func tensor(_ args: [PickleValue]) throws -> Tensor {
        func ints(_ v: PickleValue, _ what: String) throws -> [Int] {
            guard case .tuple(let items) = v else { throw TorchCheckpointError.malformedTensor(path: path, reason: "\(what) is not a tuple") }
            return try items.map {
                guard case .int(let i) = $0, i >= 0, i <= Int64(Int32.max) * 1024 else {
                    throw TorchCheckpointError.malformedTensor(path: path, reason: "\(what) holds \($0)")
                }
                return Int(i)
            }
        }
        guard args.count >= 4, case .persistent(.tuple(let pid)) = args[0], pid.count >= 5,
              case .string("storage") = pid[0], case .global(_, let typeName) = pid[1], case .string(let key) = pid[2],
              case .int(let numel64) = pid[4], numel64 >= 0, case .int(let offset64) = args[1], offset64 >= 0 else {
            throw TorchCheckpointError.malformedTensor(path: path, reason: "unexpected rebuild arguments")
        }
        guard let dtype = TorchCheckpoint.storageDTypes[typeName] else {
            throw TorchCheckpointError.unsupportedStorage(path: path, type: typeName)
        }
        let (shape, strides) = (try ints(args[2], "size"), try ints(args[3], "stride"))
        guard shape.count == strides.count else {
            throw TorchCheckpointError.malformedTensor(path: path, reason: "size \(shape) and stride \(strides) differ in rank")
        }
        let (numel, offset) = (Int(numel64), Int(offset64))
        let (byteCount, overflow) = numel.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow else { throw TorchCheckpointError.outOfBounds(path: path, storage: key, reason: "\(numel) elements overflow") }
        let entry: (Storage, DType, Int)
        if let cached = storages[key] {
            entry = cached
        } else {
            entry = (try storage(key, byteCount, dtype), dtype, numel)
            storages[key] = entry
        }
        guard entry.1 == dtype, entry.2 == numel else {
            throw TorchCheckpointError.malformedTensor(path: path, reason: "storage \(key) is used as two types or sizes")
        }
        // The last element the view touches must lie inside the storage (empty views touch nothing).
        if !shape.contains(0) {
            var last = offset
            for (size, stride) in zip(shape, strides) {
                let (span, o1) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, o2) = last.addingReportingOverflow(span)
                guard !o1, !o2 else { throw TorchCheckpointError.outOfBounds(path: path, storage: key, reason: "size \(shape) stride \(strides) overflow") }
                last = sum
            }
            guard last < numel else {
                throw TorchCheckpointError.outOfBounds(path: path, storage: key,
                                                      reason: "offset \(offset), size \(shape), stride \(strides) reach element \(last) of \(numel)")
            }
        }
        return Tensor(storage: entry.0, shape: shape, strides: strides, storageOffset: offset, dtype: dtype)
    }
}
