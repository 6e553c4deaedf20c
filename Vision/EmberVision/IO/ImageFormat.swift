// The vocabulary shared by decoding and encoding: formats (sniffed from magic
// bytes, never from a file's extension), torchvision's read modes, tensor
// layouts and the decoder's limits.

/// An image file format this module reads and writes.
///
/// ```swift
/// ImageFormat(sniffing: bytes)   // .png for "\u{89}PNG\r\n\u{1A}\n..."
/// ```
public enum ImageFormat: String, Sendable, CustomStringConvertible {
    /// JPEG through libjpeg-turbo.
    case jpeg = "JPEG"
    /// PNG through libpng.
    case png = "PNG"

    /// The format whose signature starts `bytes`, or nil: JPEG is `FF D8 FF`,
    /// PNG its 8-byte signature.
    ///
    /// ```swift
    /// ImageFormat(sniffing: [0xFF, 0xD8, 0xFF, 0xE0])   // .jpeg
    /// ```
    public init?(sniffing bytes: some Collection<UInt8>) {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { self = .jpeg }
        else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .png }
        else { return nil }
    }

    /// "JPEG" or "PNG", as messages name the format.
    public var description: String { rawValue }
}

/// The channels a decoded image gets, as torchvision's `ImageReadMode`.
///
/// Conversions follow PIL's `Image.convert`: gray is
/// `(19595 R + 38470 G + 7471 B + 32768) >> 16` (ITU-R 601-2 luma), dropping
/// alpha discards it without compositing, and added alpha is opaque.
///
/// ```swift
/// let rgb = try readImage(atPath: "photo.jpg", mode: .rgb)   // [3, H, W] even for gray files
/// ```
public enum ImageReadMode: Sendable {
    /// The file's own channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. Palette
    /// PNGs become RGB, and any PNG with a tRNS chunk gains an alpha channel;
    /// CMYK JPEGs become RGB.
    case unchanged
    /// One channel.
    case gray
    /// Two channels: gray and alpha.
    case grayAlpha
    /// Three channels.
    case rgb
    /// Four channels.
    case rgbAlpha

    var channels: Int? {
        switch self {
        case .unchanged: nil
        case .gray: 1
        case .grayAlpha: 2
        case .rgb: 3
        case .rgbAlpha: 4
        }
    }
}

/// Where the channel dimension goes.
///
/// ```swift
/// let hwc = try readImage(atPath: "a.png", options: .init(layout: .hwc))   // [H, W, C]
/// ```
public enum ImageLayout: Sendable {
    /// `[C, H, W]`, torchvision's layout (the default).
    case chw
    /// `[H, W, C]`, PIL's and numpy's layout.
    case hwc
}

/// How images are decoded, beyond the read mode.
///
/// ```swift
/// var options = ImageDecodingOptions()
/// options.maxPixelCount = 400_000_000        // trusted, very large scans
/// options.appliesEXIFOrientation = false
/// let image = try readImage(atPath: "big.jpg", options: options)
/// ```
public struct ImageDecodingOptions: Sendable {
    /// PIL's `Image.MAX_IMAGE_PIXELS`: 1024 × 1024 × 1024 / 4 / 3.
    public static let defaultMaxPixelCount = 89_478_485

    /// `[C, H, W]` (default) or `[H, W, C]`.
    public var layout: ImageLayout
    /// Rotates and flips images as their EXIF orientation tag (1–8) says, as
    /// PIL's `ImageOps.exif_transpose` does: a JPEG's APP1 Exif segment, or a
    /// PNG's eXIf chunk when it precedes the pixels. Unreadable EXIF counts as 1.
    public var appliesEXIFOrientation: Bool
    /// Images whose header claims more pixels than this are refused before
    /// any pixel memory is allocated. `Int.max` removes the limit for trusted
    /// files (byte sizes that overflow are still refused, and libpng refuses
    /// sides over 1,000,000; JPEG's stop at 65,535).
    public var maxPixelCount: Int
    /// 16-bit PNGs become int32 tensors holding 0...65535 instead of uint8
    /// tensors of each sample's high byte (`value >> 8`, which is what PIL
    /// gives for 16-bit RGB and torchvision's uint16 → uint8 conversion).
    public var keepsSixteenBitSamples: Bool

    /// Options with the defaults: CHW, EXIF orientation applied, PIL's pixel
    /// limit, 16-bit reduced to uint8.
    ///
    /// ```swift
    /// let options = ImageDecodingOptions(layout: .hwc, keepsSixteenBitSamples: true)
    /// ```
    public init(layout: ImageLayout = .chw, appliesEXIFOrientation: Bool = true,
                maxPixelCount: Int = ImageDecodingOptions.defaultMaxPixelCount,
                keepsSixteenBitSamples: Bool = false) {
        self.layout = layout
        self.appliesEXIFOrientation = appliesEXIFOrientation
        self.maxPixelCount = maxPixelCount
        self.keepsSixteenBitSamples = keepsSixteenBitSamples
    }
}
