// The EXIF orientation tag (0x0112) from a JPEG's APP1 segment. libjpeg hands
// over the segment's bytes; this reads just enough TIFF to find the tag in
// IFD0. Anything malformed means "no orientation" (1), as PIL treats it: a
// broken EXIF block never makes a decodable image unreadable.

/// The orientation 1–8 in `tiff` (the bytes after "Exif\0\0"), or 1 when
/// absent, out of range or unreadable.
func exifOrientation(_ tiff: UnsafeRawBufferPointer) -> Int {
    guard tiff.count >= 8 else { return 1 }
    let littleEndian: Bool
    switch (tiff[0], tiff[1]) {
    case (0x49, 0x49): littleEndian = true    // "II"
    case (0x4D, 0x4D): littleEndian = false   // "MM"
    default: return 1
    }
    func u16(_ at: Int) -> Int? {
        guard at >= 0, at + 2 <= tiff.count else { return nil }
        let a = Int(tiff[at]), b = Int(tiff[at + 1])
        return littleEndian ? a | b << 8 : a << 8 | b
    }
    func u32(_ at: Int) -> Int? {
        guard let lo = u16(littleEndian ? at : at + 2), let hi = u16(littleEndian ? at + 2 : at) else { return nil }
        return lo | hi << 16
    }
    guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return 1 }
    for i in 0..<entries {
        let entry = ifd + 2 + 12 * i
        guard let tag = u16(entry) else { return 1 }
        guard tag == 0x0112 else { continue }
        // Type SHORT (3), count 1: the value sits in the entry's first two value bytes.
        guard u16(entry + 2) == 3, u32(entry + 4) == 1, let value = u16(entry + 8) else { return 1 }
        return (1...8).contains(value) ? value : 1
    }
    return 1
}
