// Header validation, rule for rule as the reference reader
// (`read_metadata` + `Metadata::validate` in safetensors 0.8): every size is
// checked against the real file before it is trusted, so no input can make
// the reader allocate by a header number, run past the mapping, or trap.

extension SafeTensors {
    struct Header {
        var metadata: [String: String] = [:]
        /// In file order (ascending data offset).
        var entries: [Entry] = []

        init(path: String, file: UnsafeRawBufferPointer) throws(SafeTensorsError) {
            guard file.count >= 8 else { throw .fileTooSmall(path: path, byteCount: file.count) }
            var length: UInt64 = 0
            for i in (0..<8).reversed() { length = length << 8 | UInt64(file[i]) }
            guard length <= UInt64(SafeTensors.maxHeaderLength) else {
                throw .headerTooLarge(path: path, headerLength: length, limit: SafeTensors.maxHeaderLength)
            }
            let headerEnd = 8 + Int(length)
            guard headerEnd <= file.count else {
                throw .headerBeyondFile(path: path, headerLength: length, fileSize: file.count)
            }
            let bytes = UnsafeRawBufferPointer(rebasing: file[8..<headerEnd])
            if let bad = Self.firstInvalidUTF8(bytes) { throw .headerNotUTF8(path: path, byteOffset: bad) }
            let json: HeaderJSON
            do { json = try HeaderJSON.parse(bytes) } catch {
                switch error {
                case let .syntax(offset, reason): throw .invalidJSON(path: path, byteOffset: offset, reason: reason)
                case let .duplicateKey(key, offset): throw .duplicateKey(path: path, key: key, byteOffset: offset)
                }
            }
            guard case .object(let members) = json else {
                throw .invalidJSON(path: path, byteOffset: 0, reason: "the header is \(json.typeName), not an object")
            }
            let dataSize = file.count - headerEnd
            var parsed: [Entry] = []
            for member in members {
                if member.key == "__metadata__" {
                    metadata = try Self.metadata(member.value, path: path)
                } else {
                    parsed.append(try Self.entry(member.key, member.value, path: path,
                                                 headerEnd: headerEnd, dataSize: dataSize))
                }
            }
            // Sorted by (begin, end), the ranges must tile the data section:
            // each begins where the previous ended, the first at 0, and the
            // last ends at the file's end. Header order breaks ties so the
            // error for a given file is always the same.
            let order = parsed.indices.sorted {
                let a = parsed[$0].dataOffsets, b = parsed[$1].dataOffsets
                return (a.lowerBound, a.upperBound, $0) < (b.lowerBound, b.upperBound, $1)
            }
            var covered = 0
            var previous: String? = nil
            for i in order {
                let e = parsed[i]
                if e.dataOffsets.lowerBound < covered {
                    throw .overlap(path: path, tensor: e.name, previous: previous ?? "", begin: e.dataOffsets.lowerBound,
                                   previousEnd: covered)
                }
                if e.dataOffsets.lowerBound > covered {
                    throw .gap(path: path, tensor: e.name, begin: e.dataOffsets.lowerBound, expectedBegin: covered)
                }
                covered = e.dataOffsets.upperBound
                previous = e.name
            }
            guard covered == dataSize else {
                throw .trailingBytes(path: path, coveredBytes: covered, dataSize: dataSize)
            }
            entries = order.map { parsed[$0] }
        }

        static func metadata(_ value: HeaderJSON, path: String) throws(SafeTensorsError) -> [String: String] {
            // serde reads `"__metadata__": null` as no metadata.
            if case .null = value { return [:] }
            guard case .object(let members) = value else {
                throw .invalidMetadata(path: path, key: "__metadata__", reason: "is \(value.typeName), not an object")
            }
            var out: [String: String] = [:]
            for m in members {
                guard case .string(let s) = m.value else {
                    throw .invalidMetadata(path: path, key: m.key, reason: "value is \(m.value.typeName), not a string")
                }
                out[m.key] = s
            }
            return out
        }

        static func entry(_ name: String, _ value: HeaderJSON, path: String,
                          headerEnd: Int, dataSize: Int) throws(SafeTensorsError) -> Entry {
            guard case .object(let members) = value else {
                throw .invalidEntry(path: path, tensor: name, field: "", reason: "is \(value.typeName), not an object")
            }
            // Unknown fields are ignored, as the reference does.
            func field(_ key: String) throws(SafeTensorsError) -> HeaderJSON {
                guard let m = members.first(where: { $0.key == key }) else {
                    throw .invalidEntry(path: path, tensor: name, field: key, reason: "is missing")
                }
                return m.value
            }
            guard case .string(let dtypeName) = try field("dtype") else {
                throw .invalidEntry(path: path, tensor: name, field: "dtype", reason: "is not a string")
            }
            guard let format = SafeTensorsDType(rawValue: dtypeName) else {
                throw .unknownDType(path: path, tensor: name, dtype: dtypeName)
            }
            let dims = try unsignedArray(try field("shape"), field: "shape", tensor: name, path: path)
            let offsets = try unsignedArray(try field("data_offsets"), field: "data_offsets", tensor: name, path: path)
            guard offsets.count == 2 else {
                throw .invalidEntry(path: path, tensor: name, field: "data_offsets",
                                    reason: "has \(offsets.count) numbers, not 2")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin <= end else { throw .offsetsReversed(path: path, tensor: name, begin: begin, end: end) }

            // Element count, then bits, with overflow checks: a header may
            // claim any shape, and only the file's real size is trusted.
            var count: UInt64 = 1
            for d in dims {
                let (p, o) = count.multipliedReportingOverflow(by: d)
                guard !o else { throw .sizeOverflow(path: path, tensor: name, shape: dims) }
                count = p
            }
            let (bits, o) = count.multipliedReportingOverflow(by: UInt64(format.bits))
            guard !o, bits / 8 <= UInt64(Int.max), dims.allSatisfy({ $0 <= UInt64(Int.max) }) else {
                throw .sizeOverflow(path: path, tensor: name, shape: dims)
            }
            guard bits % 8 == 0 else {
                throw .partialByte(path: path, tensor: name, dtype: dtypeName, elementCount: Int(count))
            }
            let shape = dims.map { Int($0) }
            guard end - begin == bits / 8 else {
                // end - begin may exceed Int when both are huge; clamp for the message.
                throw .sizeMismatch(path: path, tensor: name, dtype: dtypeName, shape: shape,
                                    expectedBytes: Int(bits / 8), actualBytes: Int(clamping: end - begin))
            }
            guard end <= UInt64(dataSize) else {
                throw .offsetsOutOfBounds(path: path, tensor: name, begin: begin, end: end, dataSize: dataSize)
            }
            let range = Int(begin)..<Int(end)
            return Entry(name: name, dtypeName: dtypeName, dtype: format.emberType, shape: shape,
                         dataOffsets: range, fileOffsets: (range.lowerBound + headerEnd)..<(range.upperBound + headerEnd))
        }

        /// A JSON array of non-negative integers, each read exactly into a UInt64
        /// (serde refuses fractions, exponents, signs and overflow for `usize`).
        static func unsignedArray(_ value: HeaderJSON, field: String, tensor: String,
                                  path: String) throws(SafeTensorsError) -> [UInt64] {
            guard case .array(let items) = value else {
                throw .invalidEntry(path: path, tensor: tensor, field: field, reason: "is \(value.typeName), not an array")
            }
            var out: [UInt64] = []
            for item in items {
                guard case .number(let text) = item, text.first != "-", let n = UInt64(text) else {
                    let shown: String = if case .number(let t) = item { t } else { item.typeName }
                    throw .invalidEntry(path: path, tensor: tensor, field: field,
                                        reason: "holds \(shown), not a non-negative integer below 2^64")
                }
                out.append(n)
            }
            return out
        }

        /// The offset of the first byte that breaks UTF-8, or nil.
        static func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
            // Headers are almost always ASCII, which this vectorized check settles.
            var high: UInt8 = 0
            for b in bytes { high |= b }
            if high < 0x80 { return nil }
            var decoder = Unicode.UTF8.ForwardParser()
            var it = bytes.makeIterator()
            var offset = 0
            while true {
                switch decoder.parseScalar(from: &it) {
                case .valid(let s): offset += s.count
                case .emptyInput: return nil
                case .error(let length): _ = length; return offset
                }
            }
        }
    }
}
