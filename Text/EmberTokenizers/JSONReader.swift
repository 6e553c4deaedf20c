// A JSON reader for tokenizer files. Foundation's JSONSerialization boxes
// every number of a 30,000-entry vocabulary in an NSNumber and spends most
// of a load doing it; this one reads UTF-8 bytes straight into Swift values
// (String, Int, Double, Bool, NSNull, [Any], JSONObject).

import Foundation

/// Reads one JSON document; every failure is a `malformedFile` naming the
/// byte offset. Nesting is capped so hostile input cannot exhaust the stack.
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    private let file: String
    private var depth = 0
    static let maxDepth = 512

    /// The value of a whole document.
    static func parse(_ data: Data, file: String) throws(TokenizerError) -> Any {
        let result: Result<Any, TokenizerError> = data.withUnsafeBytes { raw in
            var r = JSONReader(bytes: raw.bindMemory(to: UInt8.self), file: file)
            return Result { () throws(TokenizerError) in
                // A UTF-8 byte order mark may start the file.
                if r.bytes.count >= 3, r.bytes[0] == 0xEF, r.bytes[1] == 0xBB, r.bytes[2] == 0xBF { r.i = 3 }
                let v = try r.value()
                r.skipSpace()
                if r.i != r.bytes.count { throw r.error("unexpected data after the JSON value") }
                return v
            }
        }
        return try result.get()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
    }

    private func error(_ what: String) -> TokenizerError {
        .malformedFile(path: file, reason: "invalid JSON at byte \(i): \(what)")
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private mutating func value() throws(TokenizerError) -> Any {
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        case UInt8(ascii: "n"): try literal("null"); return NSNull()
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(TokenizerError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw error("unexpected end") }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw error("unknown literal") }
        i += n
    }

    private mutating func enter() throws(TokenizerError) {
        depth += 1
        if depth > Self.maxDepth { throw error("nested deeper than \(Self.maxDepth)") }
    }

    private mutating func object() throws(TokenizerError) -> JSONObject {
        try enter()
        defer { depth -= 1 }
        i += 1
        var d = JSONObject()
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return d }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
            i += 1
            d.members.append((key, try value()))
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return d }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func array() throws(TokenizerError) -> [Any] {
        try enter()
        defer { depth -= 1 }
        i += 1
        var a: [Any] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return a }
        while true {
            a.append(try value())
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return a }
            throw error("expected ',' or ']'")
        }
    }

    private mutating func string() throws(TokenizerError) -> String {
        i += 1
        let start = i
        // Fast path: no escapes, the bytes are the string.
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 { i += 1 }
        guard i < bytes.count else { throw error("unterminated string") }
        if bytes[i] == UInt8(ascii: "\"") {
            guard let s = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self) else {
                throw error("string is not UTF-8")
            }
            i += 1
            return s
        }
        var out = Array(bytes[start..<i])
        while true {
            guard i < bytes.count else { throw error("unterminated string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b < 0x20 { throw error("control character in string") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw error("unterminated string") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    // A high surrogate must be followed by an escaped low one.
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("lone surrogate")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("lone surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(code) {
                    throw error("lone surrogate")
                }
                out += Array(String(Character(Unicode.Scalar(code)!)).utf8)
            default: throw error("unknown escape")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw error("string is not UTF-8") }
        return s
    }

    private mutating func hex4() throws(TokenizerError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw error("bad \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    /// An integer as Int when it fits, any other number as Double.
    private mutating func number() throws(TokenizerError) -> Any {
        let start = i
        var isInteger = true
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let digitsStart = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        if i == digitsStart { throw error("expected a value") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            let f = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            if i == f { throw error("bad number") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            isInteger = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let f = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            if i == f { throw error("bad number") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        if isInteger, let n = Int(text) { return n }
        guard let d = Double(text) else { throw error("bad number") }
        return d
    }
}

/// A JSON object as its members in file order: a vocabulary is read by
/// walking them, without building a dictionary it would be copied out of.
/// A repeated key means its last value, as with serde_json.
struct JSONObject {
    var members: [(key: String, value: Any)] = []

    subscript(_ key: String) -> Any? {
        for m in members.reversed() where m.key == key { return m.value }
        return nil
    }

    var count: Int { members.count }
}
