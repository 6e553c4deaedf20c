// Loads the PyTorch reference cases written by Tests/Fixtures/Scripts/*.py.

import EmberCore
import Foundation
import Testing

/// One op case: inputs, keyword arguments, PyTorch's outputs and a tolerance.
public struct OpCase: CustomTestStringConvertible, Sendable {
    public let name: String
    public let op: String
    public let args: Args
    public let inputs: [TensorSpec]
    public let outputs: [TensorSpec]
    public let rtol: Double
    public let atol: Double
    /// PyTorch's `repr` of the input, for printing cases.
    public let repr: String?
    public var testDescription: String { name }
}

/// A tensor as the fixture stores it: contiguous data plus views to apply.
public struct TensorSpec: Sendable {
    public let dtype: DType
    public let shape: [Int]
    public let data: [Double]
    public let views: [[Args.Value]]

    /// The tensor, with its views applied.
    public func make() -> Tensor {
        var t = Tensor(data, shape: shape).to(dtype)
        for v in views {
            guard case .string(let kind) = v[0] else { continue }
            switch kind {
            case "t": t = t.transpose(-2, -1)
            case "permute": t = t.permute(v[1].ints)
            case "slice": t = t.slice(dim: v[1].int, start: v[2].int, end: v[3].int, step: v[4].int)
            case "expand": t = t.expand(v[1].ints)
            default: preconditionFailure("unknown view \(kind)")
            }
        }
        return t
    }
}

/// Keyword arguments of a case.
public struct Args: Sendable {
    public enum Value: Sendable {
        case number(Double), string(String), bool(Bool), list([Value]), null
        public var int: Int { if case .number(let d) = self { return Int(d) }; preconditionFailure("not a number: \(self)") }
        public var double: Double { if case .number(let d) = self { return d }; preconditionFailure("not a number: \(self)") }
        public var ints: [Int] { if case .list(let l) = self { return l.map(\.int) }; preconditionFailure("not a list: \(self)") }
        public var optionalInts: [Int]? { if case .null = self { return nil }; return ints }
    }
    public let values: [String: Value]
    public init(values: [String: Value]) { self.values = values }
    public subscript(_ key: String) -> Value {
        guard let v = values[key] else { preconditionFailure("missing argument \(key)") }
        return v
    }
    public func int(_ key: String) -> Int { self[key].int }
    public func double(_ key: String) -> Double { self[key].double }
    public func ints(_ key: String) -> [Int] { self[key].ints }
    public func string(_ key: String) -> String {
        if case .string(let s) = self[key] { return s }
        preconditionFailure("not a string: \(key)")
    }
    /// A number that may be stored as "inf", "-inf" or "nan".
    public func number(_ key: String) -> Double {
        if case .string(let s) = self[key] { return FixtureLoader.number(s) }
        return double(key)
    }
    public func bool(_ key: String) -> Bool {
        if case .bool(let b) = self[key] { return b }
        preconditionFailure("not a bool: \(key)")
    }
    public func dims(_ key: String = "dims") -> [Int]? { values[key]?.optionalInts }
    public func dtype(_ key: String = "dtype") -> DType {
        guard case .string(let s) = self[key], let d = DType(rawValue: s) else { preconditionFailure("bad dtype") }
        return d
    }
}

public enum FixtureLoader {
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static func value(_ any: Any) -> Args.Value {
        switch any {
        case let n as NSNumber where String(cString: n.objCType) == "c": return .bool(n.boolValue)
        case let n as NSNumber: return .number(n.doubleValue)
        case let s as String: return .string(s)
        case let l as [Any]: return .list(l.map(value))
        default: return .null
        }
    }

    public static func number(_ any: Any) -> Double {
        switch any {
        case let s as String:
            switch s {
            case "nan": return .nan
            case "inf": return .infinity
            case "-inf": return -.infinity
            default:
                guard let d = Double(s) else { preconditionFailure("bad number \(s)") }
                return d
            }
        case let n as NSNumber: return n.doubleValue
        default: preconditionFailure("bad number \(any)")
        }
    }

    public static func spec(_ json: [String: Any]) -> TensorSpec {
        let views = (json["views"] as? [[Any]] ?? []).map { $0.map(value) }
        let dtype = DType(rawValue: json["dtype"] as! String)!
        // Values are stored as the shortest decimal of the element type; round back to it.
        let round: (Double) -> Double = switch dtype {
        case .float32: { Double(Float($0)) }
        case .float16: { Double(Float(Float16(Float($0)))) }
        case .bfloat16: { Double(BFloat16(Float($0)).floatValue) }
        default: { $0 }
        }
        return TensorSpec(dtype: dtype, shape: json["shape"] as! [Int],
                          data: (json["data"] as! [Any]).map(number).map(round), views: views)
    }

    /// The parsed JSON object of a fixture file.
    public static func json(_ file: String) -> [String: Any] {
        let url = directory.appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            preconditionFailure("cannot read fixture \(url.path); regenerate with `make fixtures`")
        }
        return root
    }

    public static func cases(_ file: String) -> [OpCase] {
        let url = directory.appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root["cases"] as? [[String: Any]] else {
            preconditionFailure("cannot read fixture \(url.path); regenerate with `make fixtures`")
        }
        return list.map { c in
            let args = (c["args"] as? [String: Any] ?? [:]).mapValues(value)
            return OpCase(name: c["name"] as! String, op: c["op"] as! String, args: Args(values: args),
                          inputs: (c["inputs"] as! [[String: Any]]).map(spec),
                          outputs: (c["outputs"] as! [[String: Any]]).map(spec),
                          rtol: number(c["rtol"]!), atol: number(c["atol"]!), repr: c["repr"] as? String)
        }
    }
}
