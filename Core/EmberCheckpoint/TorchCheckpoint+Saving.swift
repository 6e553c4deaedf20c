// `torch.save` for Ember: a zip-format checkpoint that
// `torch.load(weights_only=True)` reads, with the records in torch's order.

import EmberCore
import Foundation

extension TorchCheckpoint {
    static let storageNames: [DType: String] = Dictionary(uniqueKeysWithValues: storageDTypes.map { ($0.value, $0.key) })

    /// Writes `value` to `url` in PyTorch's zip format, atomically (a
    /// temporary file, then a rename). Tensors keep their strides and
    /// offsets, and tensors that share a storage share it in the file, as
    /// `torch.save` keeps them.
    ///
    /// ```swift
    /// try TorchCheckpoint.save(.dict([(.string("epoch"), .int(3)),
    ///                                 (.string("state_dict"), TorchValue(model.stateDict()))], ordered: false),
    ///                          to: URL(fileURLWithPath: "checkpoint.pth"))
    /// // Python: torch.load("checkpoint.pth", weights_only=True)["epoch"] == 3
    /// ```
    public static func save(_ value: TorchValue, to url: URL) throws {
        try save(value, to: url, zip64Threshold: 0xFFFF_FFFF)
    }

    /// `save`, with ZIP64 fields used from `zip64Threshold` bytes on (tests).
    package static func save(_ value: TorchValue, to url: URL, zip64Threshold: Int) throws {
        var pickler = TorchPickler(path: url.path)
        try pickler.finish(value)
        do throws(AtomicWriteFailure) {
            var zip = TorchZipWriter(file: try AtomicFile(url), root: archiveRoot(url), zip64Threshold: zip64Threshold)
            try zip.add("data.pkl", pickler.bytes)
            try zip.add(".format_version", Array("1".utf8))
            try zip.add(".storage_alignment", Array("64".utf8))
            try zip.add("byteorder", Array("little".utf8))
            for (i, entry) in pickler.storages.enumerated() {
                try zip.add("data/\(i)", UnsafeRawBufferPointer(start: entry.storage.data, count: entry.storage.byteCount))
            }
            try zip.add("version", Array("3\n".utf8))
            try zip.finish()
        } catch {
            throw TorchCheckpointError.writeFailed(path: error.path, reason: error.reason)
        }
    }

    /// The archive's folder: the file name without its last extension, as
    /// `torch.save` names it, or "archive" where that name is not plain ASCII.
    static func archiveRoot(_ url: URL) -> String {
        let stem = url.deletingPathExtension().lastPathComponent
        let plain = !stem.isEmpty && stem.utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F || b == 0x2D || b == 0x2E
        }
        return plain ? stem : "archive"
    }
}
