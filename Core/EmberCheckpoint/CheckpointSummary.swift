// What `ember inspect` shows: a checkpoint's tensors (name, dtype, shape,
// bytes), its safetensors metadata, and for PyTorch files the whole nested
// object tree, as text or as JSON.

import EmberCore
import EmberNN
import Foundation

/// A description of a checkpoint file that never copies tensor data.
///
/// ```swift
/// let summary = try CheckpointSummary(contentsOf: URL(fileURLWithPath: "model.pth"))
/// print(summary.text())
/// ```
public struct CheckpointSummary {
    public enum Format: String, Sendable {
        case safetensors
        case torchZip = "pytorch-zip"
        case torchLegacy = "pytorch-legacy"
    }

    /// One tensor: its key path (`state_dict.module.fc.weight`), dtype, shape and bytes.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        /// PyTorch's name (`float32`), or the file's own where Ember has no such dtype (`F8_E4M3`).
        public let dtype: String
        public let shape: [Int]
        public let byteCount: Int
    }

    public let path: String
    public let format: Format
    /// safetensors `__metadata__` (nil for PyTorch files and for files without any).
    public let metadata: [String: String]?
    public let tensors: [TensorInfo]
    /// A PyTorch file's object tree; nil for safetensors, whose tensors are the whole content.
    public let tree: TorchValue?

    public var totalBytes: Int { tensors.reduce(0) { $0 + $1.byteCount } }

    public init(contentsOf url: URL) throws {
        path = url.path
        if try StateDict.isSafeTensorsFile(url) {
            let file = try SafeTensors.open(url)
            format = .safetensors
            metadata = file.metadata.isEmpty ? nil : file.metadata
            tensors = file.entries.map {
                TensorInfo(name: $0.name, dtype: $0.dtype?.rawValue ?? $0.dtypeName, shape: $0.shape,
                           byteCount: $0.dataOffsets.count)
            }
            tree = nil
        } else {
            let (value, isZip) = try TorchCheckpoint.loadReportingFormat(url)
            format = isZip ? .torchZip : .torchLegacy
            metadata = nil
            var found: [TensorInfo] = []
            Self.collect(value, prefix: "", into: &found)
            tensors = found
            tree = value
        }
    }

    private static func collect(_ value: TorchValue, prefix: String, into out: inout [TensorInfo]) {
        func join(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }
        switch value {
        case .tensor(let t):
            out.append(TensorInfo(name: prefix, dtype: t.dtype.rawValue, shape: t.shape, byteCount: t.count * t.dtype.itemSize))
        case .dict(let items, _):
            for item in items { collect(item.value, prefix: join(item.key.keyDescription), into: &out) }
        case .list(let items), .tuple(let items):
            for (i, item) in items.enumerated() { collect(item, prefix: join(String(i)), into: &out) }
        default: break
        }
    }

    /// The summary as a JSON object: `file`, `format`, `metadata`, `tensors`
    /// (name, dtype, shape, bytes), `total_bytes`, and for PyTorch files `tree`.
    public func jsonObject() -> [String: Any] {
        var out: [String: Any] = [
            "file": path, "format": format.rawValue, "total_bytes": totalBytes,
            "tensors": tensors.map { ["name": $0.name, "dtype": $0.dtype, "shape": $0.shape, "bytes": $0.byteCount] as [String: Any] },
        ]
        if let metadata { out["metadata"] = metadata }
        if let tree { out["tree"] = Self.json(tree) }
        return out
    }

    /// Tensors as `{"dtype", "shape"}`, dicts as objects, tuples as arrays,
    /// and integers too wide for JSON as strings.
    private static func json(_ value: TorchValue) -> Any {
        switch value {
        case .none: NSNull()
        case .bool(let b): b
        case .int(let i): i
        case .bigInt: value.scalarText
        case .float(let d): d.isFinite ? d as Any : String(d)
        case .string(let s): s
        case .bytes(let b): ["bytes": b.count]
        case .list(let items), .tuple(let items): items.map(json)
        case .dict(let items, _):
            Dictionary(items.map { ($0.key.keyDescription, json($0.value)) }, uniquingKeysWith: { a, _ in a })
        case .tensor(let t): ["dtype": t.dtype.rawValue, "shape": t.shape] as [String: Any]
        }
    }

    /// A human-readable listing: a header line, then the metadata and
    /// tensors (safetensors) or the indented object tree (PyTorch).
    public func text() -> String {
        let count = tensors.count == 1 ? "1 tensor" : "\(tensors.count) tensors"
        var lines = ["\(path): \(format.rawValue), \(count), \(Self.bytes(totalBytes))"]
        if let metadata {
            lines.append("metadata:")
            for (k, v) in metadata.sorted(by: { $0.key < $1.key }) { lines.append("  \(k.displayed): \(v.displayed)") }
        }
        if let tree {
            Self.describe(tree, indent: "", into: &lines)
        } else {
            let width = tensors.map(\.name.displayed.count).max() ?? 0
            for t in tensors {
                lines.append("  " + t.name.displayed.padding(toLength: width, withPad: " ", startingAt: 0)
                             + "  \(t.dtype) \(t.shape)  \(Self.bytes(t.byteCount))")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ value: TorchValue, indent: String, into lines: inout [String]) {
        switch value {
        case .dict(let items, _):
            for item in items {
                let key = item.key.keyDescription.displayed
                if item.value.isContainer {
                    lines.append("\(indent)\(key):")
                    describe(item.value, indent: indent + "  ", into: &lines)
                } else {
                    lines.append("\(indent)\(key): \(item.value.scalarText)")
                }
            }
        case .list(let items), .tuple(let items):
            for (i, item) in items.enumerated() {
                if item.isContainer {
                    lines.append("\(indent)[\(i)]:")
                    describe(item, indent: indent + "  ", into: &lines)
                } else {
                    lines.append("\(indent)[\(i)]: \(item.scalarText)")
                }
            }
        default: lines.append(indent + value.scalarText)
        }
    }

    static func bytes(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(n), u = 0
        while v >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
        return u == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[u])
    }
}

extension TorchValue {
    /// Dicts, and lists or tuples that hold a dict, list or tensor, get their own lines.
    var isContainer: Bool {
        switch self {
        case .dict: true
        case .list(let items), .tuple(let items): items.contains { $0.isContainer || $0.isTensor }
        default: false
        }
    }

    var isTensor: Bool { if case .tensor = self { true } else { false } }

    /// A leaf (or a list of leaves) as one line of Python-like text; long lists are cut.
    var scalarText: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let le):
            // Two's complement, little-endian: shown in hex, which needs no bignum arithmetic.
            let negative = (le.last ?? 0) & 0x80 != 0
            return (negative ? "<negative int 0x" : "0x") + le.reversed().map { String(format: "%02x", $0) }.joined()
                + (negative ? ">" : "")
        case .float(let d): return String(d)
        case .string(let s): return "\"\(s.displayed)\""
        case .bytes(let b): return "<\(b.count) bytes>"
        case .tensor(let t): return "tensor \(t.dtype.rawValue) \(t.shape)  \(CheckpointSummary.bytes(t.count * t.dtype.itemSize))"
        case .dict(let items, _): return "{\(items.count) keys}"
        case .list(let items), .tuple(let items):
            let (open, close) = if case .tuple = self { ("(", ")") } else { ("[", "]") }
            let shown = items.prefix(16).map(\.scalarText).joined(separator: ", ")
            return open + shown + (items.count > 16 ? ", … \(items.count) items" : "") + close
        }
    }
}

extension String {
    /// Control characters escaped, so one name stays on one line of output.
    var displayed: String {
        guard unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return self }
        return unicodeScalars.map { u in
            switch u {
            case "\n": "\\n"
            case "\t": "\\t"
            case "\r": "\\r"
            default: u.properties.generalCategory == .control ? "\\u{\(String(u.value, radix: 16))}" : String(u)
            }
        }.joined()
    }
}
