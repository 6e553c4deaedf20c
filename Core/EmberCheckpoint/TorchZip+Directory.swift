// Parsing of the zip records torch.save writes: the end records, the central
// directory and each local header. Every offset and length comes from the
// file, so each is checked against a limit (the file size, or the start of
// the central directory for entry data) before it is read; arithmetic is in
// UInt64 on values that fit 64 bits, so a hostile 0xFFFF... cannot wrap.

/// Little-endian reads over the mapping, each bounds-checked first.
struct ZipBytes {
    let base: UnsafeRawPointer
    let size: Int
    let path: String

    /// Throws unless `length` bytes at `offset` lie below `limit` (≤ size).
    func require(_ offset: UInt64, _ length: Int, _ record: String, limit: Int? = nil) throws(TorchZipError) {
        let end = limit ?? size
        guard offset <= UInt64(end), UInt64(length) <= UInt64(end) - offset else {
            throw .truncatedRecord(path: path, record: record, offset: offset, length: length, limit: end)
        }
    }

    // Callers have passed `require` for the record holding these fields.
    func u16(_ offset: UInt64) -> UInt16 { UInt16(littleEndian: base.loadUnaligned(fromByteOffset: Int(offset), as: UInt16.self)) }
    func u32(_ offset: UInt64) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: Int(offset), as: UInt32.self)) }
    func u64(_ offset: UInt64) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: Int(offset), as: UInt64.self)) }

    func signature(_ offset: UInt64, _ expected: UInt32, _ record: String) throws(TorchZipError) {
        let found = u32(offset)
        guard found == expected else {
            throw .badSignature(path: path, record: record, offset: offset, found: found, expected: expected)
        }
    }

    func name(_ offset: UInt64, _ length: Int, _ record: String) throws(TorchZipError) -> String {
        let bytes = UnsafeRawBufferPointer(start: base + Int(offset), count: length)
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw .nameNotUTF8(path: path, record: record, offset: offset)
        }
        return s
    }
}

/// Where the central directory is, from the (ZIP64) end records.
struct CentralDirectoryLocation {
    var offset: UInt64
    var size: UInt64
    var entryCount: UInt64
    /// The first byte of the end records: the central directory must end here.
    var endRecordsStart: Int
}

/// One central-directory entry, before its local header is read.
struct CentralEntry {
    var name: String
    var flags: UInt16
    var method: UInt16
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var localHeaderOffset: UInt64
}

enum ZipSignature {
    static let local: UInt32 = 0x0403_4B50
    static let central: UInt32 = 0x0201_4B50
    static let end: UInt32 = 0x0605_4B50
    static let zip64End: UInt32 = 0x0606_4B50
    static let zip64Locator: UInt32 = 0x0706_4B50
}

extension ZipBytes {
    /// The classic end record, searched backwards: it is 22 bytes plus a
    /// comment of at most 65,535, and its comment must end at the end of the
    /// file (strict: trailing bytes mean truncation or tampering).
    func findEnd() throws(TorchZipError) -> CentralDirectoryLocation {
        guard size >= 22 else { throw .fileTooSmall(path: path, byteCount: size) }
        let lowest = max(0, size - 65_557)
        var at = size - 22
        while at >= lowest {
            let o = UInt64(at)
            if u32(o) == ZipSignature.end, at + 22 + Int(u16(o + 20)) == size {
                return try readEnd(at: o)
            }
            at -= 1
        }
        throw .noEndOfCentralDirectory(path: path, fileSize: size)
    }

    private func readEnd(at o: UInt64) throws(TorchZipError) -> CentralDirectoryLocation {
        let disk = u16(o + 4), cdDisk = u16(o + 6)
        guard disk == 0 || disk == 0xFFFF else { throw .multiDisk(path: path, record: "end of central directory", disk: UInt64(disk)) }
        guard cdDisk == 0 || cdDisk == 0xFFFF else { throw .multiDisk(path: path, record: "end of central directory", disk: UInt64(cdDisk)) }
        // The ZIP64 locator, when present, sits immediately before the classic record.
        if o >= 20, u32(o - 20) == ZipSignature.zip64Locator {
            return try readZip64End(locator: o - 20)
        }
        let location = CentralDirectoryLocation(offset: UInt64(u32(o + 16)), size: UInt64(u32(o + 12)),
                                                entryCount: UInt64(u16(o + 10)), endRecordsStart: Int(o))
        return try checked(location)
    }

    private func readZip64End(locator l: UInt64) throws(TorchZipError) -> CentralDirectoryLocation {
        let disks = u32(l + 16)
        guard u32(l + 4) == 0, disks <= 1 else { throw .multiDisk(path: path, record: "ZIP64 end locator", disk: UInt64(disks)) }
        let o = u64(l + 8)
        // The ZIP64 record must end where the locator begins.
        try require(o, 56, "ZIP64 end of central directory", limit: Int(l))
        try signature(o, ZipSignature.zip64End, "ZIP64 end of central directory")
        let disk = u32(o + 16), cdDisk = u32(o + 20)
        guard disk == 0, cdDisk == 0 else {
            throw .multiDisk(path: path, record: "ZIP64 end of central directory", disk: UInt64(max(disk, cdDisk)))
        }
        let location = CentralDirectoryLocation(offset: u64(o + 48), size: u64(o + 40), entryCount: u64(o + 32),
                                                endRecordsStart: Int(o))
        return try checked(location)
    }

    /// The directory must lie before the end records, and its size bounds the
    /// entry count, so nothing is ever allocated from a header value alone.
    private func checked(_ c: CentralDirectoryLocation) throws(TorchZipError) -> CentralDirectoryLocation {
        let limit = UInt64(c.endRecordsStart)
        guard c.offset <= limit, c.size <= limit - c.offset else {
            throw .centralDirectoryOutOfBounds(path: path, offset: c.offset, size: c.size, limit: c.endRecordsStart)
        }
        guard c.entryCount <= c.size / 46 else {
            throw .entryCountMismatch(path: path, declared: c.entryCount, centralDirectorySize: c.size)
        }
        return c
    }

    /// Reads every central header; the count was bounded by `checked`.
    func centralEntries(_ c: CentralDirectoryLocation) throws(TorchZipError) -> [CentralEntry] {
        let limit = Int(c.offset + c.size)
        var entries: [CentralEntry] = []
        entries.reserveCapacity(Int(c.entryCount))
        var o = c.offset
        for index in 0..<c.entryCount {
            let record = "central directory header \(index)"
            try require(o, 46, record, limit: limit)
            try signature(o, ZipSignature.central, record)
            let nameLength = Int(u16(o + 28)), extraLength = Int(u16(o + 30)), commentLength = Int(u16(o + 32))
            try require(o, 46 + nameLength + extraLength + commentLength, record, limit: limit)
            var entry = CentralEntry(name: try name(o + 46, nameLength, record), flags: u16(o + 8), method: u16(o + 10),
                                     compressedSize: UInt64(u32(o + 20)), uncompressedSize: UInt64(u32(o + 24)),
                                     localHeaderOffset: UInt64(u32(o + 42)))
            let disk = u16(o + 34)
            try applyZip64(&entry, disk: disk, extra: o + 46 + UInt64(nameLength), length: extraLength)
            entries.append(entry)
            o += 46 + UInt64(nameLength + extraLength + commentLength)
        }
        guard o == UInt64(limit) else {
            throw .entryCountMismatch(path: path, declared: c.entryCount, centralDirectorySize: c.size)
        }
        return entries
    }

    /// Replaces each 0xFFFFFFFF field by its 64-bit value from the ZIP64 extra
    /// field (ID 1), which holds only the saturated fields, in this order.
    private func applyZip64(_ e: inout CentralEntry, disk: UInt16, extra: UInt64, length: Int) throws(TorchZipError) {
        let needs = [e.uncompressedSize == 0xFFFF_FFFF, e.compressedSize == 0xFFFF_FFFF,
                     e.localHeaderOffset == 0xFFFF_FFFF, disk == 0xFFFF]
        guard needs.contains(true) else {
            guard disk == 0 else { throw .multiDisk(path: path, record: "entry \"\(e.name)\"", disk: UInt64(disk)) }
            return
        }
        var values: [UInt64] = []
        var p = extra
        let end = extra + UInt64(length)
        while p + 4 <= end {
            let id = u16(p), size = UInt64(u16(p + 2))
            guard size <= end - p - 4 else { break }
            if id == 1 {
                var q = p + 4
                while q + 8 <= p + 4 + size, values.count < 3 { values.append(u64(q)); q += 8 }
                if q + 4 <= p + 4 + size { values.append(UInt64(u32(q))) }
                break
            }
            p += 4 + size
        }
        let fields = ["uncompressed size", "compressed size", "local header offset", "disk number"]
        var next = 0
        for (i, needed) in needs.enumerated() where needed {
            guard next < values.count else { throw .missingZip64Field(path: path, entry: e.name, field: fields[i]) }
            switch i {
            case 0: e.uncompressedSize = values[next]
            case 1: e.compressedSize = values[next]
            case 2: e.localHeaderOffset = values[next]
            default:
                guard values[next] == 0 else { throw .multiDisk(path: path, record: "entry \"\(e.name)\"", disk: values[next]) }
            }
            next += 1
        }
    }

    /// The entry's data range, from its LOCAL header: torch pads the local
    /// extra field ("FB") so data starts on a 64-byte boundary, and the
    /// central directory's extra field does not repeat that padding.
    func dataRange(of e: CentralEntry, before limit: Int) throws(TorchZipError) -> Range<Int> {
        guard e.flags & 1 == 0 else { throw .encrypted(path: path, entry: e.name, flags: e.flags) }
        guard e.method == 0 else { throw .compressed(path: path, entry: e.name, method: e.method) }
        guard e.compressedSize == e.uncompressedSize else {
            throw .storedSizeMismatch(path: path, entry: e.name, compressedSize: e.compressedSize, uncompressedSize: e.uncompressedSize)
        }
        let o = e.localHeaderOffset
        let record = "local header of \"\(e.name)\""
        try require(o, 30, record, limit: limit)
        try signature(o, ZipSignature.local, record)
        let method = u16(o + 8)
        guard method == 0 else { throw .compressed(path: path, entry: e.name, method: method) }
        let nameLength = Int(u16(o + 26)), extraLength = Int(u16(o + 28))
        try require(o, 30 + nameLength + extraLength, record, limit: limit)
        let localName = try name(o + 30, nameLength, record)
        guard localName == e.name else { throw .localNameMismatch(path: path, entry: e.name, localName: localName) }
        let start = o + 30 + UInt64(nameLength + extraLength)
        guard e.compressedSize <= UInt64(limit) - start else {
            throw .entryOutOfBounds(path: path, entry: e.name, dataOffset: start, size: e.compressedSize, limit: limit)
        }
        return Int(start)..<Int(start + e.compressedSize)
    }
}
