// Every way a torch zip checkpoint can be refused. Each case names the file,
// the zip record at fault and the numbers involved, so a damaged or hostile
// archive can be diagnosed from the message alone.

/// Why a `torch.save` zip archive could not be read.
///
/// ```swift
/// do { _ = try TorchZipArchive(url: url) }
/// catch { print(error) }   // "sd.pt: entry "sd/data/0": method 8 (compressed) ..."
/// ```
public enum TorchZipError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or mapped (missing, a directory, no permission).
    case cannotOpen(path: String, reason: String)
    /// Shorter than the 22-byte end-of-central-directory record alone.
    case fileTooSmall(path: String, byteCount: Int)
    /// No end-of-central-directory record whose comment ends at the end of the
    /// file in the last 65,557 bytes: not a zip, or truncated.
    case noEndOfCentralDirectory(path: String, fileSize: Int)
    /// A fixed-size record (`record`) at `offset` runs past `limit`
    /// (the file's end, or the end of the central directory).
    case truncatedRecord(path: String, record: String, offset: UInt64, length: Int, limit: Int)
    /// A record does not start with its signature.
    case badSignature(path: String, record: String, offset: UInt64, found: UInt32, expected: UInt32)
    /// Archives split over several disks are not checkpoints.
    case multiDisk(path: String, record: String, disk: UInt64)
    /// The central directory's offset and size leave the file (or overlap the
    /// end records that follow it).
    case centralDirectoryOutOfBounds(path: String, offset: UInt64, size: UInt64, limit: Int)
    /// More entries declared than the central directory's size can hold
    /// (each header takes at least 46 bytes), or fewer headers than declared.
    case entryCountMismatch(path: String, declared: UInt64, centralDirectorySize: UInt64)
    /// An entry name is not UTF-8.
    case nameNotUTF8(path: String, record: String, offset: UInt64)
    /// A size or offset is 0xFFFFFFFF but the ZIP64 extra field lacks it.
    case missingZip64Field(path: String, entry: String, field: String)
    /// Two entries with one name.
    case duplicateEntry(path: String, entry: String)
    /// Encrypted entries (flag bit 0) are never written by torch.
    case encrypted(path: String, entry: String, flags: UInt16)
    /// Compression method other than 0 (stored); torch never compresses, so the
    /// bytes could not be mapped as tensor storage.
    case compressed(path: String, entry: String, method: UInt16)
    /// A stored entry whose compressed and uncompressed sizes differ.
    case storedSizeMismatch(path: String, entry: String, compressedSize: UInt64, uncompressedSize: UInt64)
    /// The local header's name differs from the central directory's.
    case localNameMismatch(path: String, entry: String, localName: String)
    /// The entry's header or data runs past the start of the central directory.
    case entryOutOfBounds(path: String, entry: String, dataOffset: UInt64, size: UInt64, limit: Int)
    /// No `<root>/data.pkl`: not a torch.save archive.
    case noDataPickle(path: String)
    /// Several `<root>/data.pkl` records: the root folder is ambiguous.
    case multipleRoots(path: String, roots: [String])
    /// No record of that name under the root.
    case recordNotFound(path: String, name: String)

    /// The message: file, then record or entry, then the numbers at fault.
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "\(path): cannot open: \(reason)"
        case let .fileTooSmall(path, n):
            "\(path): \(n) bytes is too small for a zip archive (the end record alone is 22 bytes)"
        case let .noEndOfCentralDirectory(path, size):
            "\(path): no zip end-of-central-directory record in the last 65557 of \(size) bytes (not a zip, or truncated)"
        case let .truncatedRecord(path, record, offset, length, limit):
            "\(path): \(record) at byte \(offset) needs \(length) bytes but only \(limit) are available"
        case let .badSignature(path, record, offset, found, expected):
            "\(path): \(record) at byte \(offset) has signature 0x\(String(found, radix: 16)), expected 0x\(String(expected, radix: 16))"
        case let .multiDisk(path, record, disk):
            "\(path): \(record) names disk \(disk); multi-disk archives are not supported"
        case let .centralDirectoryOutOfBounds(path, offset, size, limit):
            "\(path): central directory at byte \(offset) of \(size) bytes runs past byte \(limit)"
        case let .entryCountMismatch(path, declared, cdSize):
            "\(path): \(declared) entries declared but the central directory holds \(cdSize) bytes of headers"
        case let .nameNotUTF8(path, record, offset):
            "\(path): \(record) at byte \(offset) has a name that is not UTF-8"
        case let .missingZip64Field(path, entry, field):
            "\(path): entry \"\(entry)\": \(field) is 0xFFFFFFFF but the ZIP64 extra field lacks it"
        case let .duplicateEntry(path, entry):
            "\(path): entry \"\(entry)\" appears twice"
        case let .encrypted(path, entry, flags):
            "\(path): entry \"\(entry)\" is encrypted (flags 0x\(String(flags, radix: 16)))"
        case let .compressed(path, entry, method):
            "\(path): entry \"\(entry)\": method \(method) (compressed); torch checkpoints store entries uncompressed (method 0)"
        case let .storedSizeMismatch(path, entry, c, u):
            "\(path): stored entry \"\(entry)\" has compressed size \(c) but uncompressed size \(u)"
        case let .localNameMismatch(path, entry, local):
            "\(path): entry \"\(entry)\": local header names \"\(local)\""
        case let .entryOutOfBounds(path, entry, offset, size, limit):
            "\(path): entry \"\(entry)\": \(size) bytes at byte \(offset) run past byte \(limit)"
        case let .noDataPickle(path):
            "\(path): no <root>/data.pkl record; not a torch.save zip checkpoint"
        case let .multipleRoots(path, roots):
            "\(path): data.pkl under several roots \(roots)"
        case let .recordNotFound(path, name):
            "\(path): no record \"\(name)\""
        }
    }
}
