// A JSON value written the way HF `tokenizers` writes tokenizer.json
// (serde_json's pretty printer): keys in insertion order, two-space indent,
// non-ASCII text raw, shortest round-trip floats. Writing our own instead of
// JSONSerialization keeps key order and makes the bytes comparable with HF's.

import Foundation

/// A JSON document node with ordered object keys.
enum TrainingJSON: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([TrainingJSON])
    case object([(String, TrainingJSON)])

    static func == (a: TrainingJSON, b: TrainingJSON) -> Bool { a.pretty() == b.pretty() }

    /// serde_json's `to_string_pretty` form.
    func pretty() -> String {
        var out = ""
        write(into: &out, indent: 0)
        return out
    }

    private func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += Self.format(d)
        case .string(let s): Self.escape(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                item.write(into: &out, indent: indent + 2)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in fields.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                Self.escape(key, into: &out)
                out += ": "
                value.write(into: &out, indent: indent + 2)
                out += i + 1 < fields.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// Only quote, backslash and C0 controls are escaped, as serde_json does.
    static func escape(_ s: String, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(c)
            }
        }
        out += "\""
    }

    /// Shortest round-trip digits laid out as HF's serde_json does: "0.0",
    /// "-3.25", "0.00001", "1e-7", "1.5e+20" (Swift would write "1e-05").
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description has the same shortest digits; take them and
        // the decimal point's position, then lay them out again.
        let s = "\(d.magnitude)"
        var digits = "", point = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = s[..<e]
            digits = mantissa.filter(\.isNumber)
            point = (Int(s[s.index(after: e)...]) ?? 0) + (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count)
        } else {
            let dot = s.firstIndex(of: ".") ?? s.endIndex
            digits = s.filter(\.isNumber)
            point = s.distance(from: s.startIndex, to: dot)
        }
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let n = digits.count
        var out = d.sign == .minus ? "-" : ""
        if n <= point && point <= 16 {
            out += digits + String(repeating: "0", count: point - n) + ".0"
        } else if 0 < point && point <= 16 {
            out += digits.prefix(point) + "." + digits.dropFirst(point)
        } else if -5 < point && point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + digits
        } else {
            out += n == 1 ? digits : digits.prefix(1) + "." + digits.dropFirst()
            out += point - 1 < 0 ? "e\(point - 1)" : "e+\(point - 1)"
        }
        return out
    }
}
