// A safetensors file opened for reading: the header is validated once, and
// tensors are served from a private memory mapping of the whole file.

import EmberCore
import Foundation

/// A safetensors checkpoint, memory-mapped and validated on open.
///
/// Tensors whose data is aligned to their element size (all of them in files
/// written by `safetensors` or Ember) are zero-copy views over the mapping;
/// others are copied. The mapping is private: the file on disk never changes,
/// and in-place ops on loaded tensors copy the pages they touch. It is
/// unmapped when this handle and every tensor read from it are gone.
///
/// ```swift
/// let file = try SafeTensors.open(URL(fileURLWithPath: "model.safetensors"))
/// print(file.metadata["format"] ?? "-")          // pt
/// for name in file.names { print(name, file[name]!.shape) }
/// let w = try file.tensor(named: "embeddings.word_embeddings.weight")
/// ```
public final class SafeTensors: Sendable {
    /// One tensor's description, available without loading it.
    ///
    /// ```swift
    /// let e = file["fc.weight"]!   // e.dtypeName "F32", e.shape [4, 8], e.dataOffsets 0..<128
    /// ```
    public struct Entry: Sendable, Equatable {
        /// The tensor's name (its key in the header).
        public let name: String
        /// The format's dtype name: `F32`, `BF16`, `U16`, ...
        public let dtypeName: String
        /// Ember's dtype, or nil for format dtypes Ember lacks (U16, F8_*, C64, ...).
        public let dtype: DType?
        /// Sizes of each dimension; `[]` for a scalar.
        public let shape: [Int]
        /// Byte range within the data section (the header's `data_offsets`).
        public let dataOffsets: Range<Int>
        /// Byte range within the file: `dataOffsets` shifted past the header.
        public let fileOffsets: Range<Int>
    }

    /// The file's path, as given to `open`.
    public let path: String
    /// The `__metadata__` map; empty when the file has none.
    public let metadata: [String: String]
    /// Tensor names in file order (ascending data offset).
    public let names: [String]
    /// Every entry, in file order.
    public let entries: [Entry]
    private let index: [String: Int]
    private let map: MemoryMap

    /// The largest header the reference implementation accepts.
    public static let maxHeaderLength = 100_000_000

    /// Opens and validates the safetensors file at `url`.
    ///
    /// ```swift
    /// let file = try SafeTensors.open(URL(fileURLWithPath: "model.safetensors"))
    /// ```
    public static func open(_ url: URL) throws(SafeTensorsError) -> SafeTensors {
        try open(atPath: url.path)
    }

    /// Opens and validates the safetensors file at `path`.
    ///
    /// ```swift
    /// let file = try SafeTensors.open(atPath: "model.safetensors")
    /// ```
    public static func open(atPath path: String) throws(SafeTensorsError) -> SafeTensors {
        let map = try MemoryMap(path: path, minimumSize: 8)
        let header = try Header(path: path, file: UnsafeRawBufferPointer(start: map.base, count: map.size))
        return SafeTensors(path: path, header: header, map: map)
    }

    private init(path: String, header: Header, map: MemoryMap) {
        self.path = path
        self.metadata = header.metadata
        self.entries = header.entries
        self.names = header.entries.map(\.name)
        self.index = Dictionary(uniqueKeysWithValues: header.entries.enumerated().map { ($1.name, $0) })
        self.map = map
    }

    /// The entry named `name`, or nil.
    ///
    /// ```swift
    /// if let e = file["fc.weight"] { print(e.dtypeName, e.shape, e.dataOffsets) }
    /// ```
    public subscript(name: String) -> Entry? {
        index[name].map { entries[$0] }
    }

    /// The tensor named `name`: a view over the mapping when its data is
    /// aligned to the element size, else a copy.
    ///
    /// ```swift
    /// let bias = try file.tensor(named: "fc.bias")
    /// ```
    public func tensor(named name: String) throws(SafeTensorsError) -> Tensor {
        guard let entry = self[name] else { throw .tensorNotFound(path: path, name: name) }
        guard let dtype = entry.dtype else {
            throw .unsupportedDType(path: path, tensor: name, dtype: entry.dtypeName)
        }
        let source = map.base + entry.fileOffsets.lowerBound
        let byteCount = entry.fileOffsets.count
        let aligned = Int(bitPattern: source) % dtype.itemSize == 0
        // Bytes other than 0 and 1 are not valid Swift Bools; torch reads any
        // nonzero byte as true, so such tensors are copied and normalized.
        let validBools = dtype != .bool || !UnsafeRawBufferPointer(start: source, count: byteCount).contains { $0 > 1 }
        if aligned && validBools && byteCount > 0 {
            let map = self.map
            let storage = Storage(wrapping: source, byteCount: byteCount,
                                  release: { _ in withExtendedLifetime(map) {} })
            return Tensor(storage: storage, shape: entry.shape, strides: contiguousStrides(entry.shape),
                          storageOffset: 0, dtype: dtype)
        }
        let copy = Tensor(uninitializedShape: entry.shape, dtype: dtype)
        if byteCount > 0 {
            copy.rawPointer.copyMemory(from: source, byteCount: byteCount)
            if !validBools {
                let bytes = copy.rawPointer.assumingMemoryBound(to: UInt8.self)
                for i in 0..<byteCount { bytes[i] = bytes[i] == 0 ? 0 : 1 }
            }
        }
        return copy
    }

    /// Every tensor, in file order.
    ///
    /// ```swift
    /// for (name, t) in try file.tensors() { print(name, t.shape) }
    /// ```
    public func tensors() throws(SafeTensorsError) -> [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        for name in names { out.append((name, try tensor(named: name))) }
        return out
    }

    /// True when `tensor`'s memory lies inside this file's mapping (a
    /// zero-copy view rather than a copy).
    ///
    /// ```swift
    /// let w = try file.tensor(named: "w")
    /// assert(file.isMapped(w))
    /// ```
    public func isMapped(_ tensor: Tensor) -> Bool {
        let p = UnsafeRawPointer(tensor.storage.data)
        return p >= UnsafeRawPointer(map.base) && p < UnsafeRawPointer(map.base + map.size)
    }
}
