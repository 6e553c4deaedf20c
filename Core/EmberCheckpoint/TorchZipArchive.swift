// The zip container `torch.save` writes (torch ≥ 1.6): a read-only view of a
// memory-mapped file. Only what torch writes is accepted: stored entries on
// one disk, located through the central directory and checked against their
// local headers, all within the real file size. Record bytes are never
// copied unless asked, so storages can later become views on the mapping.

import Foundation

/// One record's bytes inside the archive file.
public struct TorchZipRecord: Sendable, Equatable {
    /// The full entry name, `<root>/data/0`.
    public let name: String
    /// The byte range of the record's data in the file (after its local header).
    public let range: Range<Int>
}

/// A `torch.save` zip checkpoint, mapped read-only.
///
/// ```swift
/// let archive = try TorchZipArchive(url: URL(fileURLWithPath: "resnet.pth"))
/// print(archive.root)                                   // "resnet"
/// var pickle = Unpickler(try archive.bytes(named: "data.pkl"), source: "resnet.pth/data.pkl")
/// let tree = try pickle.load()
/// let storage = try archive.record(named: "data/0")     // a byte range in the file
/// ```
public final class TorchZipArchive: @unchecked Sendable {
    /// The file's path, as used in error messages.
    public let path: String
    /// The folder holding `data.pkl` (`sd` for `sd.pt`, `model.pth` for
    /// `model.pth.tar`). Found, never assumed: it follows the saved file name.
    public let root: String
    /// Every entry name in central-directory order.
    public let entryNames: [String]

    let map: MemoryMap
    private let records: [String: TorchZipRecord]

    /// Opens and validates the archive; any structural fault throws.
    public init(url: URL) throws(TorchZipError) {
        let path = url.path
        do {
            map = try MemoryMap(path: path, minimumSize: 22)
        } catch {
            switch error {
            case let .fileTooSmall(_, n): throw .fileTooSmall(path: path, byteCount: n)
            case let .cannotOpen(_, reason): throw .cannotOpen(path: path, reason: reason)
            default: throw .cannotOpen(path: path, reason: error.description)
            }
        }
        let bytes = ZipBytes(base: UnsafeRawPointer(map.base), size: map.size, path: path)
        let directory = try bytes.findEnd()
        let entries = try bytes.centralEntries(directory)
        var records: [String: TorchZipRecord] = [:]
        for entry in entries {
            let range = try bytes.dataRange(of: entry, before: Int(directory.offset))
            guard records.updateValue(TorchZipRecord(name: entry.name, range: range), forKey: entry.name) == nil else {
                throw .duplicateEntry(path: path, entry: entry.name)
            }
        }
        self.path = path
        self.entryNames = entries.map(\.name)
        self.records = records
        self.root = try Self.findRoot(entryNames, path: path)
    }

    /// The one top-level folder with a `data.pkl`; like torch, the record
    /// names below it are relative to it.
    private static func findRoot(_ names: [String], path: String) throws(TorchZipError) -> String {
        let roots = names.compactMap { name -> String? in
            guard name.hasSuffix("/data.pkl") else { return nil }
            let folder = String(name.dropLast("/data.pkl".count))
            return folder.isEmpty || folder.contains("/") ? nil : folder
        }
        guard let root = roots.first else { throw .noDataPickle(path: path) }
        guard roots.count == 1 else { throw .multipleRoots(path: path, roots: roots) }
        return root
    }

    /// The record `<root>/<name>` (`"data.pkl"`, `"byteorder"`, `"data/3"`).
    public func record(named name: String) throws(TorchZipError) -> TorchZipRecord {
        guard let record = records[root + "/" + name] else { throw .recordNotFound(path: path, name: root + "/" + name) }
        return record
    }

    /// Whether `<root>/<name>` exists (older torch omits `byteorder`).
    public func contains(_ name: String) -> Bool { records[root + "/" + name] != nil }

    /// Calls `body` with the record's bytes in the mapping, without copying.
    /// The pointer is valid only inside `body`.
    public func withBytes<R>(named name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let range = try record(named: name).range
        return try body(UnsafeRawBufferPointer(start: map.base + range.lowerBound, count: range.count))
    }

    /// A copy of the record's bytes: for small records (`data.pkl`, `byteorder`).
    public func bytes(named name: String) throws(TorchZipError) -> [UInt8] {
        let range = try record(named: name).range
        return Array(UnsafeRawBufferPointer(start: map.base + range.lowerBound, count: range.count))
    }
}
