// Every way a safetensors file can be refused, each naming the file, the
// tensor or field at fault and the numbers involved, so a bad checkpoint can
// be diagnosed from the message alone.

/// Why a safetensors file could not be read or written.
///
/// ```swift
/// do { _ = try SafeTensors.open(url) }
/// catch let error as SafeTensorsError { print(error) }   // names file, tensor and offsets
/// ```
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or mapped (missing, a directory, no permission).
    case cannotOpen(path: String, reason: String)
    /// Shorter than the 8-byte header length.
    case fileTooSmall(path: String, byteCount: Int)
    /// The header length exceeds the reference limit of 100,000,000 bytes.
    case headerTooLarge(path: String, headerLength: UInt64, limit: Int)
    /// The header length runs past the end of the file.
    case headerBeyondFile(path: String, headerLength: UInt64, fileSize: Int)
    /// The header is not valid UTF-8.
    case headerNotUTF8(path: String, byteOffset: Int)
    /// The header is not a JSON object (`byteOffset` counts from the header's first byte).
    case invalidJSON(path: String, byteOffset: Int, reason: String)
    /// A key appears twice in one JSON object.
    case duplicateKey(path: String, key: String, byteOffset: Int)
    /// A tensor entry lacks a field or has one of the wrong type.
    case invalidEntry(path: String, tensor: String, field: String, reason: String)
    /// A dtype string that safetensors does not define (names are case-sensitive).
    case unknownDType(path: String, tensor: String, dtype: String)
    /// `__metadata__` is not an object of strings.
    case invalidMetadata(path: String, key: String, reason: String)
    /// `data_offsets` ends before it begins.
    case offsetsReversed(path: String, tensor: String, begin: UInt64, end: UInt64)
    /// `data_offsets` runs past the data section.
    case offsetsOutOfBounds(path: String, tensor: String, begin: UInt64, end: UInt64, dataSize: Int)
    /// The element count or byte size of a shape overflows.
    case sizeOverflow(path: String, tensor: String, shape: [UInt64])
    /// The byte range's length differs from `shape` × element size.
    case sizeMismatch(path: String, tensor: String, dtype: String, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// A sub-byte dtype whose elements do not fill whole bytes.
    case partialByte(path: String, tensor: String, dtype: String, elementCount: Int)
    /// Two tensors' byte ranges overlap.
    case overlap(path: String, tensor: String, previous: String, begin: Int, previousEnd: Int)
    /// Bytes between two tensors (or before the first) belong to no tensor.
    case gap(path: String, tensor: String, begin: Int, expectedBegin: Int)
    /// Bytes after the last tensor belong to no tensor.
    case trailingBytes(path: String, coveredBytes: Int, dataSize: Int)
    /// No tensor of that name in the file.
    case tensorNotFound(path: String, name: String)
    /// A valid safetensors dtype that Ember has no type for (U16, F8_E4M3, ...).
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// Writing: `__metadata__` is reserved for the metadata map.
    case reservedName(name: String)
    /// Writing: two tensors with one name.
    case duplicateName(name: String)
    /// Writing: a system call failed; nothing was left at the destination.
    case writeFailed(path: String, reason: String)

    /// The message: file, then tensor or field, then the numbers at fault.
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "\(path): cannot open: \(reason)"
        case let .fileTooSmall(path, n):
            "\(path): \(n) bytes is too small for a safetensors file (the header length alone is 8 bytes)"
        case let .headerTooLarge(path, n, limit):
            "\(path): header length \(n) exceeds the limit of \(limit) bytes"
        case let .headerBeyondFile(path, n, size):
            "\(path): header length \(n) runs past the end of the file (8 + \(n) > \(size) bytes)"
        case let .headerNotUTF8(path, offset):
            "\(path): header is not valid UTF-8 at header byte \(offset)"
        case let .invalidJSON(path, offset, reason):
            "\(path): invalid header JSON at header byte \(offset): \(reason)"
        case let .duplicateKey(path, key, offset):
            "\(path): duplicate key \"\(key)\" at header byte \(offset)"
        case let .invalidEntry(path, tensor, field, reason):
            "\(path): tensor \"\(tensor)\": field \"\(field)\" \(reason)"
        case let .unknownDType(path, tensor, dtype):
            "\(path): tensor \"\(tensor)\": unknown dtype \"\(dtype)\""
        case let .invalidMetadata(path, key, reason):
            "\(path): __metadata__ key \"\(key)\": \(reason)"
        case let .offsetsReversed(path, tensor, b, e):
            "\(path): tensor \"\(tensor)\": data_offsets [\(b), \(e)] end before they begin"
        case let .offsetsOutOfBounds(path, tensor, b, e, size):
            "\(path): tensor \"\(tensor)\": data_offsets [\(b), \(e)] run past the \(size)-byte data section"
        case let .sizeOverflow(path, tensor, shape):
            "\(path): tensor \"\(tensor)\": the size of shape \(shape) overflows"
        case let .sizeMismatch(path, tensor, dtype, shape, expected, actual):
            "\(path): tensor \"\(tensor)\": \(dtype) \(shape) needs \(expected) bytes but data_offsets span \(actual)"
        case let .partialByte(path, tensor, dtype, n):
            "\(path): tensor \"\(tensor)\": \(n) elements of \(dtype) do not fill whole bytes"
        case let .overlap(path, tensor, previous, begin, previousEnd):
            "\(path): tensor \"\(tensor)\" begins at \(begin), inside \"\(previous)\" which ends at \(previousEnd)"
        case let .gap(path, tensor, begin, expected):
            "\(path): tensor \"\(tensor)\" begins at \(begin), leaving bytes \(expected)..<\(begin) unused"
        case let .trailingBytes(path, covered, size):
            "\(path): tensors cover \(covered) bytes but the data section holds \(size)"
        case let .tensorNotFound(path, name):
            "\(path): no tensor named \"\(name)\""
        case let .unsupportedDType(path, tensor, dtype):
            "\(path): tensor \"\(tensor)\": dtype \(dtype) has no Ember type"
        case let .reservedName(name):
            "cannot write a tensor named \"\(name)\": the name is reserved for metadata"
        case let .duplicateName(name):
            "cannot write two tensors named \"\(name)\""
        case let .writeFailed(path, reason):
            "\(path): write failed: \(reason)"
        }
    }
}
