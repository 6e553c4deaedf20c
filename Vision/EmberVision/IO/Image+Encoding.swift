// torchvision's encode_png / encode_jpeg / write_png / write_jpeg: a uint8
// image tensor ([C, H, W] by default, or [H, W]) to file bytes, and those
// bytes to a file atomically.

import Foundation

/// PNG bytes of a uint8 image tensor with 1 (gray), 2 (gray+alpha), 3 (RGB)
/// or 4 (RGBA) channels, or of a `[H, W]` gray tensor. Lossless: decoding
/// gives the same tensor back.
///
/// ```swift
/// let png = try encodePNG(image)                        // image: [3, H, W] uint8
/// let same = try decodeImage(png)                       // equal to image
/// ```
///
/// - Parameter compressionLevel: zlib's 0 (none) ... 9 (smallest); 6 by default, as libpng.
public func encodePNG(_ image: Tensor, layout: ImageLayout = .chw, compressionLevel: Int = 6) throws(ImageError) -> [UInt8] {
    guard (0...9).contains(compressionLevel) else {
        throw .invalidSetting(format: .png, name: "compressionLevel", value: compressionLevel, range: 0...9)
    }
    let pixels = try interleavedPixels(image, layout: layout, format: .png, channels: 1...4)
    return try PNGCodec.encode(pixels, compressionLevel: compressionLevel)
}

/// JPEG bytes of a uint8 image tensor with 1 (gray) or 3 (RGB) channels, or
/// of a `[H, W]` gray tensor, at `quality` 1...100 (75 by default, as PIL and
/// torchvision; 4:2:0 chroma subsampling, as libjpeg's defaults).
///
/// ```swift
/// let jpeg = try encodeJPEG(image, quality: 95)
/// ```
public func encodeJPEG(_ image: Tensor, quality: Int = 75, layout: ImageLayout = .chw) throws(ImageError) -> [UInt8] {
    guard (1...100).contains(quality) else {
        throw .invalidSetting(format: .jpeg, name: "quality", value: quality, range: 1...100)
    }
    let pixels = try interleavedPixels(image, layout: layout, format: .jpeg, channels: 1...3)
    guard pixels.channels != 2 else {
        throw .invalidTensor(format: .jpeg, reason: "2 channels (gray+alpha): JPEG has no alpha; use 1 or 3")
    }
    guard pixels.width <= 65_500, pixels.height <= 65_500 else {
        throw .invalidTensor(format: .jpeg, reason: "\(pixels.width)×\(pixels.height) exceeds JPEG's 65500 pixels per side")
    }
    return try JPEGCodec.encode(pixels, quality: quality)
}

/// Encodes `image` as PNG and writes it to `path` atomically (a temporary file
/// beside it, then a rename); torchvision's `write_png`.
///
/// ```swift
/// try writePNG(image, toPath: "out/mask.png")
/// ```
public func writePNG(_ image: Tensor, toPath path: String, layout: ImageLayout = .chw,
                     compressionLevel: Int = 6) throws(ImageError) {
    try writeFileAtomically(try encodePNG(image, layout: layout, compressionLevel: compressionLevel), to: path)
}

/// Encodes `image` as JPEG and writes it to `path` atomically; torchvision's `write_jpeg`.
///
/// ```swift
/// try writeJPEG(image, toPath: "out/photo.jpg", quality: 90)
/// ```
public func writeJPEG(_ image: Tensor, toPath path: String, quality: Int = 75,
                      layout: ImageLayout = .chw) throws(ImageError) {
    try writeFileAtomically(try encodeJPEG(image, quality: quality, layout: layout), to: path)
}

/// Encodes `image` as PNG and writes it atomically to a file URL.
///
/// ```swift
/// try writePNG(image, to: URL(fileURLWithPath: "mask.png"))
/// ```
public func writePNG(_ image: Tensor, to url: URL, layout: ImageLayout = .chw, compressionLevel: Int = 6) throws(ImageError) {
    try writePNG(image, toPath: url.path, layout: layout, compressionLevel: compressionLevel)
}

/// Encodes `image` as JPEG and writes it atomically to a file URL.
///
/// ```swift
/// try writeJPEG(image, to: URL(fileURLWithPath: "photo.jpg"), quality: 95)
/// ```
public func writeJPEG(_ image: Tensor, to url: URL, quality: Int = 75, layout: ImageLayout = .chw) throws(ImageError) {
    try writeJPEG(image, toPath: url.path, quality: quality, layout: layout)
}

/// The tensor's pixels interleaved (HWC), after checking dtype, rank and channels.
private func interleavedPixels(_ image: Tensor, layout: ImageLayout, format: ImageFormat,
                               channels allowed: ClosedRange<Int>) throws(ImageError) -> PixelBuffer<UInt8> {
    guard image.dtype == .uint8 else {
        throw .invalidTensor(format: format, reason: "dtype \(image.dtype), expected uint8 (convert with .to(.uint8) after scaling to 0...255)")
    }
    let hwc: Tensor
    switch (image.rank, layout) {
    case (2, _): hwc = image.reshape([image.shape[0], image.shape[1], 1])
    case (3, .chw): hwc = image.permute(1, 2, 0)
    case (3, .hwc): hwc = image
    default:
        throw .invalidTensor(format: format, reason: "shape \(image.shape), expected [C, H, W], [H, W, C] or [H, W]")
    }
    let (height, width, channels) = (hwc.shape[0], hwc.shape[1], hwc.shape[2])
    guard allowed.contains(channels) else {
        throw .invalidTensor(format: format, reason: "\(channels) channels in shape \(image.shape) (\(layout)), expected \(allowed.lowerBound)...\(allowed.upperBound)")
    }
    guard width > 0, height > 0, width <= Int(UInt32.max >> 1), height <= Int(UInt32.max >> 1) else {
        throw .invalidTensor(format: format, reason: "\(width)×\(height) pixels in shape \(image.shape)")
    }
    let dense = hwc.contiguous()
    let bytes = [UInt8](UnsafeBufferPointer(start: dense.pointer(UInt8.self), count: dense.count))
    return PixelBuffer(width: width, height: height, channels: channels, samples: bytes)
}
