// Loading a .pth/.pt file into Ember values: the restricted
// unpickler's tree, with every `_rebuild_tensor_v2` / `_rebuild_parameter`
// call turned into a tensor over its storage record. Tensors that share a
// storage share one Ember Storage, with the file's strides and offsets.

import EmberCore
import Foundation

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
        try loadReportingFormat(url).value
    }

    /// `load`, also telling which format the file was in (`ember inspect` shows it).
    static func loadReportingFormat(_ url: URL) throws -> (value: TorchValue, isZip: Bool) {
        let map = try MemoryMap(path: url.path, minimumSize: 4)
        let head = UnsafeRawBufferPointer(start: map.base, count: Swift.min(map.size, legacyMagic.count))
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return (try loadZip(url), true) }
        if head.elementsEqual(legacyMagic) { return (try loadLegacy(map, path: url.path), false) }
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
        // A tensor's element count is the product of its sizes; like torch, refuse sizes whose product
        // overflows (even with a zero size later on), or every use of the tensor would trap.
        var elementCount = 1
        for size in shape {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw TorchCheckpointError.malformedTensor(path: path, reason: "size \(shape) has more elements than Int holds")
            }
            elementCount = product
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
