// JPEG through libjpeg-turbo (via the CImageCodecs shim): the header first,
// so the pixel limit is checked before the pixel buffer is allocated, then
// every scanline. Gray stays one channel; YCbCr, RGB, CMYK and YCCK become
// RGB (CMYK as PIL converts it; samples count as inverted when an Adobe
// APP14 marker is present, as Photoshop writes them, else as plain ink).

import CImageCodecs

enum JPEGCodec {
    /// The decoded pixels and the EXIF orientation (1 when absent or ignored).
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String,
                       options: ImageDecodingOptions) throws(ImageError) -> (PixelBuffer<UInt8>, orientation: Int) {
        var message = messageBuffer()
        var status: Int32 = 0
        var info = ember_jpeg_info()
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        guard let decoder = ember_jpeg_open(base, bytes.count, &info, &status, &message) else {
            throw imageError(status: status, message: message, path: path, format: .jpeg)
        }
        defer { ember_jpeg_close(decoder) }
        let width = Int(info.width), height = Int(info.height), channels = Int(info.output_channels)
        let count = try checkedSampleCount(width: width, height: height, channels: channels, bytesPerSample: 1,
                                           limit: options.maxPixelCount, path: path)
        var orientation = 1
        if options.appliesEXIFOrientation, let exif = info.exif {
            orientation = exifOrientation(UnsafeRawBufferPointer(start: exif, count: info.exif_size))
        }
        let samples = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = ember_jpeg_decode(decoder, buffer.baseAddress, &message)
            initialized = count  // bytes: valid (if meaningless) even when decoding stopped early
        }
        guard status == 0 else { throw imageError(status: status, message: message, path: path, format: .jpeg) }
        return (PixelBuffer(width: width, height: height, channels: channels, samples: samples), orientation)
    }

    /// JPEG bytes of interleaved 1- or 3-channel pixels.
    static func encode(_ pixels: PixelBuffer<UInt8>, quality: Int) throws(ImageError) -> [UInt8] {
        var message = messageBuffer()
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        let status = pixels.samples.withUnsafeBufferPointer { p in
            ember_jpeg_encode(p.baseAddress, UInt32(pixels.width), UInt32(pixels.height), Int32(pixels.channels),
                              Int32(quality), &output, &size, &message)
        }
        guard status == 0, let output else {
            throw .encodingFailed(format: .jpeg, detail: message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        defer { ember_image_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
