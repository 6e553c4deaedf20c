// Loads Tests/Fixtures/transforms/transforms.json (written by
// Tests/Fixtures/Scripts/gen_transforms.py): torchvision's outputs for each
// functional transform, tensors stored as base64 little-endian bytes.

import EmberTestSupport
import EmberVision
import Foundation
import Testing

struct TransformCase: CustomTestStringConvertible, Sendable {
    let index: Int
    let op: String
    let input: String
    let args: Args
    let outputs: [Tensor]
    var testDescription: String { "\(index) \(op)(\(input)) \(argsDescription)" }
    let argsDescription: String
}

enum TransformFixtures {
    static let url = FixtureLoader.directory.appendingPathComponent("transforms/transforms.json")

    static func document() -> [String: Any] {
        let data = try! Data(contentsOf: url)
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func tensor(_ object: Any) -> Tensor {
        let d = object as! [String: Any]
        let shape = (d["shape"] as! [Any]).map { ($0 as! NSNumber).intValue }
        let bytes = [UInt8](Data(base64Encoded: d["b64"] as! String)!)
        switch d["dtype"] as! String {
        case "uint8": return Tensor(bytes, shape: shape)
        case "float32":
            let floats = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            }
            return Tensor(floats, shape: shape)
        default: fatalError("unexpected dtype in transforms fixture")
        }
    }

    static let inputs: [String: Tensor] = {
        (document()["inputs"] as! [String: Any]).mapValues(tensor)
    }()

    static let cases: [TransformCase] = {
        (document()["cases"] as! [[String: Any]]).enumerated().map { i, c in
            let raw = c["args"] as! [String: Any]
            let args = Args(values: raw.mapValues(FixtureLoader.value))
            let desc = raw.keys.sorted().map { "\($0)=\(raw[$0]!)" }.joined(separator: " ")
            return TransformCase(index: i, op: c["op"] as! String, input: c["input"] as! String, args: args,
                                 outputs: (c["outputs"] as! [Any]).map(tensor), argsDescription: desc)
        }
    }()

    static func cases(_ ops: Set<String>) -> [TransformCase] { cases.filter { ops.contains($0.op) } }
}

extension Args {
    func has(_ key: String) -> Bool {
        if let v = values[key], case .null = v { return false }
        return values[key] != nil
    }
    func doubles(_ key: String) -> [Double] {
        guard case .list(let l) = self[key] else { preconditionFailure("not a list: \(key)") }
        return l.map(\.double)
    }
    var interpolation: InterpolationMode { InterpolationMode(rawValue: string("interpolation"))! }
}

/// The largest |actual − expected| (shapes must agree), or nil when they do not.
func maxAbsDifference(_ actual: Tensor, _ expected: Tensor) -> Double? {
    guard actual.shape == expected.shape, actual.dtype == expected.dtype else { return nil }
    let a: [Double] = actual.scalars(), e: [Double] = expected.scalars()
    return zip(a, e).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
}

/// Expects `actual` to match torchvision's `expected` within `tolerance`
/// (same shape and dtype), naming the case on failure.
func expectMatches(_ actual: Tensor, _ expected: Tensor, tolerance: Double, _ label: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    guard let diff = maxAbsDifference(actual, expected) else {
        Issue.record("\(label): got \(actual.dtype) \(actual.shape), expected \(expected.dtype) \(expected.shape)",
                     sourceLocation: sourceLocation)
        return
    }
    if ProcessInfo.processInfo.environment["EMBER_PRINT_ERRORS"] != nil {
        let differing = zip(actual.scalars(as: Double.self), expected.scalars(as: Double.self)).filter { $0 != $1 }.count
        print("ERR \(label): max |Δ| \(diff), \(differing)/\(expected.count) differ")
    }
    #expect(diff <= tolerance, "\(label): max |Δ| \(diff) > \(tolerance)", sourceLocation: sourceLocation)
}
