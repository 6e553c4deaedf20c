// torchvision's decode_image and read_image: bytes or a file in, a uint8
// tensor out ([C, H, W] by default). The format comes from the magic bytes,
// never from the file name.

import Foundation

/// Decodes JPEG or PNG bytes into a uint8 tensor (int32 for 16-bit PNGs with
/// `options.keepsSixteenBitSamples`), `[C, H, W]` unless `options.layout` is
/// `.hwc`. torchvision's `decode_image`.
///
/// 16-bit PNGs give each sample's high byte by default. Headers claiming more
/// than `options.maxPixelCount` pixels are refused before allocation.
///
/// ```swift
/// let bytes = try Array(Data(contentsOf: url))
/// let image = try decodeImage(bytes, mode: .rgb)   // [3, H, W] uint8
/// ```
///
/// - Parameter name: How errors name the source (a path, a URL, a key in an archive).
public func decodeImage(_ bytes: [UInt8], mode: ImageReadMode = .unchanged,
                        options: ImageDecodingOptions = ImageDecodingOptions(),
                        name: String = "<memory>") throws(ImageError) -> Tensor {
    let result: Result<Tensor, ImageError> = bytes.withUnsafeBytes { raw in
        do throws(ImageError) { return .success(try decodeImage(raw, mode: mode, options: options, name: name)) }
        catch { return .failure(error) }
    }
    return try result.get()
}

/// Decodes JPEG or PNG bytes held in `Data`; see `decodeImage(_:mode:options:name:)`.
///
/// ```swift
/// let image = try decodeImage(Data(contentsOf: url), mode: .gray)   // [1, H, W]
/// ```
public func decodeImage(_ data: Data, mode: ImageReadMode = .unchanged,
                        options: ImageDecodingOptions = ImageDecodingOptions(),
                        name: String = "<memory>") throws(ImageError) -> Tensor {
    let result: Result<Tensor, ImageError> = data.withUnsafeBytes { raw in
        do throws(ImageError) { return .success(try decodeImage(raw, mode: mode, options: options, name: name)) }
        catch { return .failure(error) }
    }
    return try result.get()
}

/// Reads and decodes a JPEG or PNG file; torchvision's `read_image`.
///
/// ```swift
/// let image = try readImage(atPath: "cat.jpg")          // [3, H, W] uint8, EXIF-rotated
/// let mask = try readImage(atPath: "mask.png", mode: .gray,
///                          options: .init(layout: .hwc))  // [H, W, 1]
/// ```
public func readImage(atPath path: String, mode: ImageReadMode = .unchanged,
                      options: ImageDecodingOptions = ImageDecodingOptions()) throws(ImageError) -> Tensor {
    try decodeImage(try readFileBytes(path), mode: mode, options: options, name: path)
}

/// Reads and decodes a JPEG or PNG file at a file URL; see `readImage(atPath:mode:options:)`.
///
/// ```swift
/// let image = try readImage(at: URL(fileURLWithPath: "cat.jpg"), mode: .rgb)
/// ```
public func readImage(at url: URL, mode: ImageReadMode = .unchanged,
                      options: ImageDecodingOptions = ImageDecodingOptions()) throws(ImageError) -> Tensor {
    try readImage(atPath: url.path, mode: mode, options: options)
}

/// Sniff, decode, convert channels, orient, lay out.
func decodeImage(_ bytes: UnsafeRawBufferPointer, mode: ImageReadMode, options: ImageDecodingOptions,
                 name: String) throws(ImageError) -> Tensor {
    guard !bytes.isEmpty else { throw .empty(path: name) }
    guard let format = ImageFormat(sniffing: bytes) else {
        throw .unknownFormat(path: name, leadingBytes: Array(bytes.prefix(8)))
    }
    switch format {
    case .jpeg:
        let (pixels, orientation) = try JPEGCodec.decode(bytes, path: name, options: options)
        return pixels.converted(to: mode.channels ?? pixels.channels).oriented(orientation)
            .makeTensor(layout: options.layout, element: UInt8.self)
    case .png:
        let (decoded, orientation) = try PNGCodec.decode(bytes, path: name, options: options)
        switch decoded {
        case .bytes(let pixels):
            return pixels.converted(to: mode.channels ?? pixels.channels).oriented(orientation)
                .makeTensor(layout: options.layout, element: UInt8.self)
        case .words(let pixels):
            return pixels.converted(to: mode.channels ?? pixels.channels).oriented(orientation)
                .makeTensor(layout: options.layout, element: Int32.self)
        }
    }
}
