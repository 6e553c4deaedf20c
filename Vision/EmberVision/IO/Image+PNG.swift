// PNG through libpng (via the CImageCodecs shim): every color type and bit
// depth, interlaced or not. Palette images expand to RGB, 1/2/4-bit gray to
// 8 bits, and a tRNS chunk to an alpha channel (so palette+tRNS is RGBA, as
// torchvision gives it). 16-bit samples are kept whole or reduced to their
// high byte (see ImageDecodingOptions.keepsSixteenBitSamples). An eXIf
// chunk before the pixels gives the orientation, as in JPEGs.

import CImageCodecs

/// Decoded pixels of either width.
enum DecodedPixels {
    case bytes(PixelBuffer<UInt8>)
    case words(PixelBuffer<UInt16>)
}

enum PNGCodec {
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String,
                       options: ImageDecodingOptions) throws(ImageError) -> (DecodedPixels, orientation: Int) {
        var message = messageBuffer()
        var status: Int32 = 0
        var info = ember_png_info()
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        guard let decoder = ember_png_open(base, bytes.count, &info, &status, &message) else {
            throw imageError(status: status, message: message, path: path, format: .png)
        }
        defer { ember_png_close(decoder) }
        let width = Int(info.width), height = Int(info.height), channels = Int(info.output_channels)
        var orientation = 1
        if options.appliesEXIFOrientation, let exif = info.exif {
            orientation = exifOrientation(UnsafeRawBufferPointer(start: exif, count: info.exif_size))
        }
        let wide = options.keepsSixteenBitSamples && info.bit_depth == 16
        let count = try checkedSampleCount(width: width, height: height, channels: channels,
                                           bytesPerSample: wide ? 2 : 1, limit: options.maxPixelCount, path: path)
        if wide {
            let samples = [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
                status = ember_png_decode(decoder, buffer.baseAddress, 1, &message)
                initialized = count
            }
            guard status == 0 else { throw imageError(status: status, message: message, path: path, format: .png) }
            return (.words(PixelBuffer(width: width, height: height, channels: channels, samples: samples)), orientation)
        }
        let samples = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = ember_png_decode(decoder, buffer.baseAddress, 0, &message)
            initialized = count
        }
        guard status == 0 else { throw imageError(status: status, message: message, path: path, format: .png) }
        return (.bytes(PixelBuffer(width: width, height: height, channels: channels, samples: samples)), orientation)
    }

    /// PNG bytes of interleaved 1- to 4-channel 8-bit pixels.
    static func encode(_ pixels: PixelBuffer<UInt8>, compressionLevel: Int) throws(ImageError) -> [UInt8] {
        var message = messageBuffer()
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        let status = pixels.samples.withUnsafeBufferPointer { p in
            ember_png_encode(p.baseAddress, UInt32(pixels.width), UInt32(pixels.height), Int32(pixels.channels),
                             Int32(compressionLevel), &output, &size, &message)
        }
        guard status == 0, let output else {
            throw .encodingFailed(format: .png, detail: message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        defer { ember_image_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
