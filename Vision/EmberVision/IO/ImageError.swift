// Every way an image can be refused, each naming the file (or the name given
// to in-memory bytes), the format and what is wrong with the numbers
// involved, so a bad file in a dataset of millions can be found from the
// message alone.

/// Why an image could not be read, decoded, encoded or written.
///
/// ```swift
/// do { _ = try readImage(atPath: "scan.png") }
/// catch let error as ImageError { print(error) }   // "scan.png: PNG is truncated: ..."
/// ```
public enum ImageError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read (missing, a directory, no permission).
    case cannotOpen(path: String, reason: String)
    /// Zero bytes.
    case empty(path: String)
    /// The leading bytes are neither JPEG's (`FF D8 FF`) nor PNG's signature.
    case unknownFormat(path: String, leadingBytes: [UInt8])
    /// The header's width × height exceeds the decoder's pixel limit (a
    /// decompression bomb); nothing was allocated for the pixels.
    case tooManyPixels(path: String, width: Int, height: Int, limit: Int)
    /// The pixel buffer's byte size would overflow `Int`.
    case dimensionsTooLarge(path: String, width: Int, height: Int, channels: Int)
    /// The data ends before the image does.
    case truncated(path: String, format: ImageFormat, detail: String)
    /// The codec refused the data; `detail` is libjpeg's or libpng's message.
    case corrupt(path: String, format: ImageFormat, detail: String)
    /// Valid data of a kind this decoder does not handle (e.g. a 2-component JPEG).
    case unsupported(path: String, format: ImageFormat, detail: String)
    /// The codec could not allocate its working memory.
    case outOfMemory(path: String, format: ImageFormat)
    /// Encoding: the tensor is not an image (dtype, rank, channels or size).
    case invalidTensor(format: ImageFormat, reason: String)
    /// Encoding: JPEG quality outside 1...100, or PNG compression outside 0...9.
    case invalidSetting(format: ImageFormat, name: String, value: Int, range: ClosedRange<Int>)
    /// Encoding: the codec refused the pixels.
    case encodingFailed(format: ImageFormat, detail: String)
    /// Writing: a system call failed; nothing was left at the destination.
    case writeFailed(path: String, reason: String)

    /// The message: file, then format, then what is wrong.
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "\(path): cannot open: \(reason)"
        case let .empty(path):
            "\(path): empty file (0 bytes) is not an image"
        case let .unknownFormat(path, bytes):
            "\(path): not a JPEG or PNG (leading bytes \(bytes.map { hex($0) }.joined(separator: " ")))"
        case let .tooManyPixels(path, w, h, limit):
            "\(path): \(w)×\(h) = \(w.multipliedReportingOverflow(by: h).partialValue) pixels exceeds the limit of \(limit) (a possible decompression bomb; raise ImageDecodingOptions.maxPixelCount if the file is trusted)"
        case let .dimensionsTooLarge(path, w, h, c):
            "\(path): \(w)×\(h)×\(c) samples overflow the address space"
        case let .truncated(path, format, detail):
            "\(path): \(format) is truncated: \(detail)"
        case let .corrupt(path, format, detail):
            "\(path): corrupt \(format): \(detail)"
        case let .unsupported(path, format, detail):
            "\(path): unsupported \(format): \(detail)"
        case let .outOfMemory(path, format):
            "\(path): out of memory decoding \(format)"
        case let .invalidTensor(format, reason):
            "cannot encode \(format): \(reason)"
        case let .invalidSetting(format, name, value, range):
            "cannot encode \(format): \(name) \(value) is outside \(range.lowerBound)...\(range.upperBound)"
        case let .encodingFailed(format, detail):
            "cannot encode \(format): \(detail)"
        case let .writeFailed(path, reason):
            "\(path): write failed: \(reason)"
        }
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}
