// A strict JSON reader for safetensors headers. Foundation's
// JSONSerialization keeps one of two duplicate keys silently and loses key
// order; this one reports duplicates, keeps order and offsets for messages,
// bounds nesting (so hostile input cannot overflow the stack) and never
// sizes an allocation by a number it read.

/// A parsed JSON value; object members keep their order and byte offsets.
/// Not `indirect`: arrays already break the recursion, and boxing every
/// value made opening a file cost an allocation per number.
enum HeaderJSON {
    case object([Member])
    case array([HeaderJSON])
    case string(String)
    /// The number's text, so integers are read exactly (no Double rounding).
    case number(String)
    case bool(Bool)
    case null

    struct Member {
        let key: String
        let value: HeaderJSON
        let offset: Int
    }

    /// Where and why parsing stopped; the caller adds the file name.
    enum Failure: Error {
        case syntax(offset: Int, reason: String)
        case duplicateKey(key: String, offset: Int)
    }

    /// serde_json's limit, so the nesting accepted matches the reference.
    static let maxDepth = 128

    /// Parses `bytes` (already checked to be UTF-8) as exactly one JSON value
    /// with optional surrounding whitespace.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> HeaderJSON {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.index != bytes.count {
            throw .syntax(offset: parser.index, reason: "trailing characters after the JSON value")
        }
        return value
    }

    var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

private struct Parser {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }

    func fail(_ reason: String, at offset: Int? = nil) -> HeaderJSON.Failure {
        .syntax(offset: offset ?? index, reason: reason)
    }

    mutating func skipWhitespace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { index += 1 }
    }

    mutating func expect(_ literal: StaticString) throws(HeaderJSON.Failure) {
        let start = index
        let text = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for c in text {
            guard peek == c else { throw fail("invalid literal", at: start) }
            index += 1
        }
    }

    mutating func value(depth: Int) throws(HeaderJSON.Failure) -> HeaderJSON {
        guard let c = peek else { throw fail("unexpected end of header") }
        switch c {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character \(describe(c))")
        }
    }

    mutating func object(depth: Int) throws(HeaderJSON.Failure) -> HeaderJSON {
        guard depth <= HeaderJSON.maxDepth else { throw fail("nested deeper than \(HeaderJSON.maxDepth) levels") }
        index += 1  // {
        var members: [HeaderJSON.Member] = []
        // Tensor entries have three members: a linear scan beats hashing
        // there; the top-level object (one member per tensor) gets a set.
        var seen = Set<String>()
        skipWhitespace()
        if peek == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            let keyOffset = index
            guard peek == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try string()
            let duplicate = members.count < 8 ? members.contains { $0.key == key } : !seen.insert(key).inserted
            guard !duplicate else { throw .duplicateKey(key: key, offset: keyOffset) }
            if members.count == 7 { seen = Set(members.map(\.key) + [key]) }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw fail("expected ':' after key") }
            index += 1
            skipWhitespace()
            members.append(.init(key: key, value: try value(depth: depth), offset: keyOffset))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw fail("expected ',' or '}' in object")
            }
        }
    }

    mutating func array(depth: Int) throws(HeaderJSON.Failure) -> HeaderJSON {
        guard depth <= HeaderJSON.maxDepth else { throw fail("nested deeper than \(HeaderJSON.maxDepth) levels") }
        index += 1  // [
        var items: [HeaderJSON] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            default: throw fail("expected ',' or ']' in array")
            }
        }
    }

    mutating func number() throws(HeaderJSON.Failure) -> String {
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        guard isDigit(peek) else { throw fail("expected a digit") }
        if peek == UInt8(ascii: "0") { index += 1 } else { while isDigit(peek) { index += 1 } }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard isDigit(peek) else { throw fail("expected a digit after '.'") }
            while isDigit(peek) { index += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard isDigit(peek) else { throw fail("expected a digit in the exponent") }
            while isDigit(peek) { index += 1 }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    mutating func string() throws(HeaderJSON.Failure) -> String {
        let start = index
        index += 1  // opening quote
        // Most strings have no escapes: taken straight from the bytes (names
        // and dtypes are short enough for Swift's allocation-free small strings).
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 {
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            defer { index = end + 1 }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
        }
        var out: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
        index = end
        while true {
            guard let c = peek else { throw fail("unterminated string", at: start) }
            switch c {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard let e = peek else { throw fail("unterminated string", at: start) }
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape())
                default: throw fail("invalid escape \\\(describe(e))", at: index - 2)
                }
            case 0..<0x20:
                throw fail("control character \(describe(c)) inside a string")
            default:
                out.append(c)
                index += 1
            }
        }
    }

    /// The UTF-8 of a `\uXXXX` escape (after the `u`), joining surrogate
    /// pairs; a lone surrogate is an error, as in serde_json.
    mutating func unicodeEscape() throws(HeaderJSON.Failure) -> [UInt8] {
        let start = index - 2
        let high = try hex4()
        var scalar: UInt32 = high
        if (0xD800...0xDBFF).contains(high) {
            guard peek == UInt8(ascii: "\\") else { throw fail("lone surrogate escape", at: start) }
            index += 1
            guard peek == UInt8(ascii: "u") else { throw fail("lone surrogate escape", at: start) }
            index += 1
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate escape", at: start) }
            scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(high) {
            throw fail("lone surrogate escape", at: start)
        }
        guard let s = Unicode.Scalar(scalar) else { throw fail("invalid unicode escape", at: start) }
        return Array(String(Character(s)).utf8)
    }

    mutating func hex4() throws(HeaderJSON.Failure) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek else { throw fail("unterminated unicode escape") }
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 0x41 + 10)
            default: throw fail("invalid hex digit \(describe(c)) in unicode escape")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    func describe(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
    }
}
