// Turning a C shim's status code and message buffer into an ImageError, and
// checking a header's dimensions before anything is allocated for pixels.

import CImageCodecs

/// A zeroed buffer for a shim function's message.
func messageBuffer() -> [CChar] { [CChar](repeating: 0, count: Int(EMBER_IMAGE_MESSAGE_CAPACITY)) }

/// The error for a nonzero shim `status`.
func imageError(status: Int32, message: [CChar], path: String, format: ImageFormat) -> ImageError {
    let detail = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    switch Int(status) {
    case EMBER_IMAGE_TRUNCATED: return .truncated(path: path, format: format, detail: detail)
    case EMBER_IMAGE_UNSUPPORTED: return .unsupported(path: path, format: format, detail: detail)
    case EMBER_IMAGE_OUT_OF_MEMORY: return .outOfMemory(path: path, format: format)
    default: return .corrupt(path: path, format: format, detail: detail)
    }
}

/// The number of samples of a `width` × `height` × `channels` image, after
/// refusing it if it exceeds the pixel limit or its byte size overflows.
/// Called with the header's numbers, before the pixel buffer exists.
func checkedSampleCount(width: Int, height: Int, channels: Int, bytesPerSample: Int,
                        limit: Int, path: String) throws(ImageError) -> Int {
    let (pixels, o1) = width.multipliedReportingOverflow(by: height)
    if o1 || pixels > limit {
        throw .tooManyPixels(path: path, width: width, height: height, limit: limit)
    }
    let (samples, o2) = pixels.multipliedReportingOverflow(by: channels)
    let (_, o3) = samples.multipliedReportingOverflow(by: bytesPerSample * 2)  // room for one conversion copy
    if o1 || o2 || o3 { throw .dimensionsTooLarge(path: path, width: width, height: height, channels: channels) }
    return samples
}
