// The pickle half of `torch.save`: a protocol-2 writer that emits only the
// opcodes and globals `torch.load(weights_only=True)` accepts. Tensors are
// `_rebuild_tensor_v2` calls whose storages are persistent ids, numbered in
// first-seen order, so views and tied weights keep sharing one storage.

import EmberCore

/// Writes a `TorchValue` tree as the `data.pkl` of a zip-format checkpoint.
struct TorchPickler {
    private(set) var bytes: [UInt8] = [0x80, 0x02]
    /// Storages to write as `data/<index>`, in the order the pickle names them.
    private(set) var storages: [(storage: Storage, dtype: DType)] = []
    private var storageIndex: [ObjectIdentifier: Int] = [:]
    /// The destination, for error messages.
    let path: String

    /// Python's pickler batches APPENDS and SETITEMS in groups of this size.
    private static let batchSize = 1000

    init(path: String) { self.path = path }

    /// Pickles `value` and ends the stream with STOP.
    mutating func finish(_ value: TorchValue) throws {
        try write(value, key: "")
        bytes.append(0x2E)
    }

    private mutating func write(_ value: TorchValue, key: String) throws {
        switch value {
        case .none: bytes.append(0x4E)
        case .bool(let b): bytes.append(b ? 0x88 : 0x89)
        case .int(let i): writeInt(i)
        case .bigInt(let le):
            guard le.count <= 255 else {
                throw TorchCheckpointError.unsupportedValue(path: path, key: key, reason: "an integer of \(le.count) bytes")
            }
            bytes.append(0x8A)
            bytes.append(UInt8(le.count))
            bytes += le
        case .float(let d):
            bytes.append(0x47)  // BINFLOAT: big-endian, unlike every other number in a pickle.
            let bits = d.bitPattern
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        case .string(let s): writeString(s)
        case .bytes(let b):
            // Protocol 2 has no bytes opcode weights_only accepts: Python
            // writes `_codecs.encode(latin1 text, 'latin1')`.
            writeGlobal("_codecs", "encode")
            writeString(String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) })))
            writeString("latin1")
            bytes += [0x86, 0x52]  // TUPLE2, REDUCE
        case .list(let items):
            bytes.append(0x5D)  // EMPTY_LIST
            for start in stride(from: 0, to: items.count, by: Self.batchSize) {
                let batch = items[start..<Swift.min(start + Self.batchSize, items.count)]
                if batch.count > 1 { bytes.append(0x28) }
                for (i, item) in zip(batch.indices, batch) { try write(item, key: "\(key)[\(i)]") }
                bytes.append(batch.count > 1 ? 0x65 : 0x61)  // APPENDS or APPEND
            }
        case .tuple(let items):
            if items.isEmpty { bytes.append(0x29); return }
            if items.count > 3 { bytes.append(0x28) }
            for (i, item) in items.enumerated() { try write(item, key: "\(key)[\(i)]") }
            bytes.append(items.count > 3 ? 0x74 : [0x85, 0x86, 0x87][items.count - 1])
        case .dict(let items, let ordered):
            if ordered {
                writeGlobal("collections", "OrderedDict")
                bytes += [0x29, 0x52]  // EMPTY_TUPLE, REDUCE
            } else {
                bytes.append(0x7D)  // EMPTY_DICT
            }
            for start in stride(from: 0, to: items.count, by: Self.batchSize) {
                let batch = items[start..<Swift.min(start + Self.batchSize, items.count)]
                if batch.count > 1 { bytes.append(0x28) }
                for item in batch {
                    let name = item.key.keyDescription
                    try write(item.key, key: key.isEmpty ? name : key + "." + name)
                    try write(item.value, key: key.isEmpty ? name : key + "." + name)
                }
                bytes.append(batch.count > 1 ? 0x75 : 0x73)  // SETITEMS or SETITEM
            }
        case .tensor(let t): try writeTensor(t, key: key)
        }
    }

    private mutating func writeTensor(_ t: Tensor, key: String) throws {
        guard let storageName = TorchCheckpoint.storageNames[t.dtype] else {
            throw TorchCheckpointError.unsupportedValue(path: path, key: key, reason: "no torch storage for \(t.dtype)")
        }
        let id = ObjectIdentifier(t.storage)
        let index: Int
        if let known = storageIndex[id] {
            guard storages[known].dtype == t.dtype else {
                throw TorchCheckpointError.unsupportedValue(
                    path: path, key: key, reason: "its storage is also viewed as \(storages[known].dtype), it is \(t.dtype)")
            }
            index = known
        } else {
            index = storages.count
            storageIndex[id] = index
            storages.append((t.storage, t.dtype))
        }
        writeGlobal("torch._utils", "_rebuild_tensor_v2")
        bytes.append(0x28)  // MARK: the six arguments
        bytes.append(0x28)  // MARK: the persistent id ('storage', type, key, location, numel)
        writeString("storage")
        writeGlobal("torch", storageName)
        writeString(String(index))
        writeString("cpu")
        writeInt(Int64(t.storage.byteCount / t.dtype.itemSize))
        bytes += [0x74, 0x51]  // TUPLE, BINPERSID
        writeInt(Int64(t.storageOffset))
        try write(.tuple(t.shape.map { .int(Int64($0)) }), key: key)
        try write(.tuple(t.strides.map { .int(Int64($0)) }), key: key)
        bytes.append(0x89)  // requires_grad: False, as in a state dict
        writeGlobal("collections", "OrderedDict")
        bytes += [0x29, 0x52]  // backward hooks: OrderedDict()
        bytes += [0x74, 0x52]  // TUPLE, REDUCE
    }

    private mutating func writeInt(_ i: Int64) {
        switch i {
        case 0...0xFF: bytes += [0x4B, UInt8(i)]
        case 0...0xFFFF: bytes += [0x4D, UInt8(i & 0xFF), UInt8(i >> 8)]
        case Int64(Int32.min)...Int64(Int32.max):
            bytes.append(0x4A)
            appendLittleEndian(UInt64(bitPattern: i), count: 4)
        default:
            // LONG1: the shortest two's-complement form, as Python writes it.
            var n = 8
            while n > 1 {
                let top = UInt8(truncatingIfNeeded: i >> Int64(8 * (n - 1)))
                let next = UInt8(truncatingIfNeeded: i >> Int64(8 * (n - 2)))
                guard (top == 0 && next & 0x80 == 0) || (top == 0xFF && next & 0x80 != 0) else { break }
                n -= 1
            }
            bytes += [0x8A, UInt8(n)]
            appendLittleEndian(UInt64(bitPattern: i), count: n)
        }
    }

    private mutating func writeString(_ s: String) {
        let utf8 = Array(s.utf8)
        bytes.append(0x58)  // BINUNICODE
        appendLittleEndian(UInt64(utf8.count), count: 4)
        bytes += utf8
    }

    private mutating func writeGlobal(_ module: String, _ name: String) {
        bytes.append(0x63)
        bytes += Array(module.utf8) + [0x0A] + Array(name.utf8) + [0x0A]
    }

    private mutating func appendLittleEndian(_ v: UInt64, count: Int) {
        for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) }
    }
}

extension TorchValue {
    /// A dict key as it appears in an error's key path.
    var keyDescription: String {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        default: "<key>"
        }
    }
}
