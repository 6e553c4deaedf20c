// The zip container `torch.save` writes, from the writing side: every
// record stored uncompressed, its data starting on a 64-byte boundary
// (padded by an "FB" extra field, as PyTorch's writer pads), CRC-32s filled
// in, and ZIP64 end records always present, with ZIP64 sizes and offsets in
// any entry that passes 4 GiB.

import CZlib

/// Appends records to an `AtomicFile` and then the central directory.
struct TorchZipWriter {
    let file: AtomicFile
    /// The folder every record sits in (`<root>/data.pkl`).
    let root: String
    /// Sizes and offsets at or above this go into ZIP64 extra fields; tests
    /// lower it to exercise the ZIP64 path without writing 4 GiB.
    let zip64Threshold: Int
    private var entries: [(name: [UInt8], crc: UInt32, size: Int, offset: Int)] = []

    static let alignment = 64

    init(file: AtomicFile, root: String, zip64Threshold: Int = 0xFFFF_FFFF) {
        (self.file, self.root, self.zip64Threshold) = (file, root, zip64Threshold)
    }

    mutating func add(_ name: String, _ data: [UInt8]) throws(AtomicWriteFailure) {
        let failure: AtomicWriteFailure? = data.withUnsafeBytes { b in
            do throws(AtomicWriteFailure) { try add(name, b); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    mutating func add(_ name: String, _ data: UnsafeRawBufferPointer) throws(AtomicWriteFailure) {
        let fullName = Array((root + "/" + name).utf8)
        let crc = crc32(data)
        let offset = file.offset
        let big = data.count >= zip64Threshold
        var extra: [UInt8] = []
        if big {
            extra.le(0x0001, 2); extra.le(16, 2)
            extra.le(UInt64(data.count), 8); extra.le(UInt64(data.count), 8)
        }
        let unpadded = offset + 30 + fullName.count + extra.count + 4
        let padding = (Self.alignment - unpadded % Self.alignment) % Self.alignment
        extra += [0x46, 0x42]  // "FB"
        extra.le(UInt64(padding), 2)
        extra += repeatElement(UInt8(ascii: "Z"), count: padding)

        var header: [UInt8] = []
        header.le(0x0403_4B50, 4)
        header.le(big ? 45 : 20, 2)  // version needed
        header.le(0, 2)  // flags
        header.le(0, 2)  // stored
        header.le(0, 2); header.le(0x21, 2)  // time, date: 1980-01-01
        header.le(UInt64(crc), 4)
        let size32 = big ? 0xFFFF_FFFF : UInt64(data.count)
        header.le(size32, 4); header.le(size32, 4)
        header.le(UInt64(fullName.count), 2)
        header.le(UInt64(extra.count), 2)
        try file.write(header + fullName + extra)
        try file.write(data)
        entries.append((fullName, crc, data.count, offset))
    }

    /// Writes the central directory and end records, then publishes the file.
    consuming func finish() throws(AtomicWriteFailure) {
        let directoryOffset = file.offset
        var directory: [UInt8] = []
        for e in entries {
            let bigSize = e.size >= zip64Threshold, bigOffset = e.offset >= zip64Threshold
            var extra: [UInt8] = []
            if bigSize || bigOffset {
                var fields: [UInt8] = []
                if bigSize { fields.le(UInt64(e.size), 8); fields.le(UInt64(e.size), 8) }
                if bigOffset { fields.le(UInt64(e.offset), 8) }
                extra.le(0x0001, 2); extra.le(UInt64(fields.count), 2)
                extra += fields
            }
            directory.le(0x0201_4B50, 4)
            directory.le(45, 2)  // made by
            directory.le(extra.isEmpty ? 20 : 45, 2)
            directory.le(0, 2); directory.le(0, 2)
            directory.le(0, 2); directory.le(0x21, 2)
            directory.le(UInt64(e.crc), 4)
            let size32 = bigSize ? 0xFFFF_FFFF : UInt64(e.size)
            directory.le(size32, 4); directory.le(size32, 4)
            directory.le(UInt64(e.name.count), 2)
            directory.le(UInt64(extra.count), 2)
            directory.le(0, 2); directory.le(0, 2); directory.le(0, 2)  // comment, disk, internal attributes
            directory.le(0, 4)  // external attributes
            directory.le(bigOffset ? 0xFFFF_FFFF : UInt64(e.offset), 4)
            directory += e.name + extra
        }
        let end64Offset = directoryOffset + directory.count
        // ZIP64 end record and locator, which PyTorch's writer always emits.
        directory.le(0x0606_4B50, 4)
        directory.le(44, 8)
        directory.le(45, 2); directory.le(45, 2)
        directory.le(0, 4); directory.le(0, 4)
        directory.le(UInt64(entries.count), 8); directory.le(UInt64(entries.count), 8)
        directory.le(UInt64(end64Offset - directoryOffset), 8)
        directory.le(UInt64(directoryOffset), 8)
        directory.le(0x0706_4B50, 4)
        directory.le(0, 4)
        directory.le(UInt64(end64Offset), 8)
        directory.le(1, 4)
        // The classic end record, saturated where ZIP64 holds the real values.
        directory.le(0x0605_4B50, 4)
        directory.le(0, 2); directory.le(0, 2)
        let count16 = UInt64(Swift.min(entries.count, 0xFFFF))
        directory.le(count16, 2); directory.le(count16, 2)
        directory.le(UInt64(Swift.min(end64Offset - directoryOffset, 0xFFFF_FFFF)), 4)
        directory.le(UInt64(Swift.min(directoryOffset, 0xFFFF_FFFF)), 4)
        directory.le(0, 2)
        try file.write(directory)
        try file.commit()
    }
}

/// zlib's CRC-32 of `data`, fed in pieces zlib's 32-bit length can take.
func crc32(_ data: UnsafeRawBufferPointer) -> UInt32 {
    var crc = CZlib.crc32(0, nil, 0)
    var rest = data
    while !rest.isEmpty {
        let n = Swift.min(rest.count, 1 << 30)
        crc = CZlib.crc32(crc, rest.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(n))
        rest = UnsafeRawBufferPointer(rebasing: rest[n...])
    }
    return UInt32(crc)
}

extension [UInt8] {
    /// Appends the low `count` bytes of `v`, little-endian.
    mutating func le(_ v: UInt64, _ count: Int) {
        for i in 0..<count { append(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) }
    }
}
