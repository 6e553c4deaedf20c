// The legacy (pre-1.6) stream format: five pickles, then every storage
// packed back to back, each an int64 element count and its raw bytes.

import EmberCore

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
