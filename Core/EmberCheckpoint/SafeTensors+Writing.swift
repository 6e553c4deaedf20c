// Writing: the header and layout the reference writer produces (tensors
// sorted by dtype alignment, descending, then name; compact JSON; spaces
// padding the header to 8 bytes), so Ember's files are byte-identical to
// `safetensors.torch.save` and every tensor is aligned when mapped.

import EmberCore
import Foundation

extension SafeTensors {
    /// Writes `tensors` to `url` atomically: into a temporary file in the same
    /// directory, then renamed over the destination, so a reader never sees a
    /// partial file and a failed write leaves the old one in place.
    /// Non-contiguous tensors are written as their contiguous copies.
    ///
    /// ```swift
    /// try SafeTensors.write([("fc.weight", w), ("fc.bias", b)], metadata: ["format": "pt"],
    ///                       to: URL(fileURLWithPath: "model.safetensors"))
    /// ```
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]? = nil,
                             to url: URL) throws(SafeTensorsError) {
        let plan = try Plan(tensors, metadata: metadata)
        do throws(AtomicWriteFailure) {
            let file = try AtomicFile(url)
            try file.write(plan.header)
            for t in plan.tensors where t.count > 0 {
                try file.write(UnsafeRawBufferPointer(start: t.rawPointer, count: t.count * t.dtype.itemSize))
            }
            try file.commit()
        } catch {
            throw .writeFailed(path: error.path, reason: error.reason)
        }
    }

    /// Writes `tensors` to `url`; the dictionary's order does not matter,
    /// since the file's order is fixed by dtype and name.
    ///
    /// ```swift
    /// try SafeTensors.write(["w": w, "b": b], to: URL(fileURLWithPath: "m.safetensors"))
    /// ```
    public static func write(_ tensors: [String: Tensor], metadata: [String: String]? = nil,
                             to url: URL) throws(SafeTensorsError) {
        try write(tensors.map { (name: $0.key, tensor: $0.value) }, metadata: metadata, to: url)
    }

    /// The bytes of the safetensors file holding `tensors`, as `write` would
    /// write them (`safetensors.torch.save` in Python).
    ///
    /// ```swift
    /// let bytes = try SafeTensors.serialize([("x", Tensor([1, 2] as [Float]))])
    /// ```
    public static func serialize(_ tensors: [(name: String, tensor: Tensor)],
                                 metadata: [String: String]? = nil) throws(SafeTensorsError) -> [UInt8] {
        let plan = try Plan(tensors, metadata: metadata)
        var out = plan.header
        for t in plan.tensors where t.count > 0 {
            out.append(contentsOf: UnsafeRawBufferPointer(start: t.rawPointer, count: t.count * t.dtype.itemSize))
        }
        return out
    }

    /// The file's layout: the 8-byte length plus padded header, then tensors in order.
    private struct Plan {
        var header: [UInt8]
        var tensors: [Tensor]

        init(_ input: [(name: String, tensor: Tensor)], metadata: [String: String]?) throws(SafeTensorsError) {
            var seen = Set<String>()
            for (name, _) in input {
                guard name != "__metadata__" else { throw .reservedName(name: name) }
                guard seen.insert(name).inserted else { throw .duplicateName(name: name) }
            }
            // Rust compares names as bytes; Swift's String order is by
            // Unicode canonical form, so compare UTF-8 to match the reference.
            let sorted = input.map { (name: $0.name, tensor: $0.tensor, format: SafeTensorsDType($0.tensor.dtype)) }
                .sorted { a, b in
                    a.format.rank != b.format.rank ? a.format.rank > b.format.rank
                        : a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
                }
            var json = "{"
            var first = true
            if let metadata {
                // The reference keeps metadata in a HashMap (random order);
                // byte order makes Ember's output reproducible.
                let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                json += "\"__metadata__\":{" + pairs.map { "\(quoted($0.key)):\(quoted($0.value))" }
                    .joined(separator: ",") + "}"
                first = false
            }
            var offset = 0
            tensors = []
            for entry in sorted {
                let t = GradMode.noGrad { entry.tensor.contiguous() }
                let size = t.count * t.dtype.itemSize
                if !first { json += "," }
                first = false
                json += "\(quoted(entry.name)):{\"dtype\":\"\(entry.format.rawValue)\",\"shape\":["
                    + t.shape.map(String.init).joined(separator: ",")
                    + "],\"data_offsets\":[\(offset),\(offset + size)]}"
                offset += size
                tensors.append(t)
            }
            json += "}"
            var body = Array(json.utf8)
            body.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - body.count % 8) % 8))
            let n = UInt64(body.count)
            header = (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } + body
        }
    }
}

/// A JSON string literal escaped as serde_json escapes it: quote, backslash
/// and control characters only; `/` and non-ASCII stay as they are.
private func quoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{00}"..."\u{1F}":
            let hex = String(u.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}
