// Hugging Face `config.json` files: a flat JSON object whose keys each model
// reads with a default, as transformers' `PretrainedConfig` does. Values
// are checked for type and range here, so a bad file is a thrown error and
// never a huge allocation later.

import Foundation

/// A parsed `config.json` with typed, checked accessors.
///
/// ```swift
/// let config = try HFConfig(contentsOf: dir.appendingPathComponent("config.json"))
/// let layers = try config.int("num_hidden_layers", default: 12, range: 1...1024)
/// ```
public struct HFConfig: @unchecked Sendable {
    /// Where the config came from; errors name it.
    public let path: String
    /// The raw JSON object.
    public let values: [String: Any]

    public init(values: [String: Any], path: String = "config.json") {
        self.values = values
        self.path = path
    }

    public init(contentsOf url: URL) throws(TextModelError) {
        guard let data = try? Data(contentsOf: url) else {
            throw .missingFile(path: url.path, expected: "a Hugging Face config.json")
        }
        try self.init(json: data, path: url.path)
    }

    public init(json data: Data, path: String = "config.json") throws(TextModelError) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalidJSON(path: path, reason: "\(error.localizedDescription)")
        }
        guard let dict = object as? [String: Any] else {
            throw .invalidJSON(path: path, reason: "the top level is not an object")
        }
        self.init(values: dict, path: path)
    }

    /// `model_type`, or "" when the file has none.
    public var modelType: String { values["model_type"] as? String ?? "" }

    public func has(_ key: String) -> Bool { values[key] != nil && !(values[key] is NSNull) }

    /// An integer in `range`; `default` when the key is absent or null.
    public func int(_ key: String, default fallback: Int? = nil,
                    range: ClosedRange<Int> = Int.min...Int.max) throws(TextModelError) -> Int {
        guard has(key) else {
            if let fallback { return fallback }
            throw .invalidConfig(path: path, key: key, reason: "missing")
        }
        guard let number = values[key] as? NSNumber, !isBool(number),
              let value = Int(exactly: number.doubleValue) else {
            throw .invalidConfig(path: path, key: key, reason: "expected an integer, found \(describe(values[key]))")
        }
        guard range.contains(value) else {
            throw .invalidConfig(path: path, key: key, reason: "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// An optional integer: nil when absent or null.
    public func optionalInt(_ key: String, range: ClosedRange<Int> = Int.min...Int.max) throws(TextModelError) -> Int? {
        has(key) ? try int(key, range: range) : nil
    }

    /// A finite number in `range`.
    public func double(_ key: String, default fallback: Double? = nil,
                       range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
        throws(TextModelError) -> Double {
        guard has(key) else {
            if let fallback { return fallback }
            throw .invalidConfig(path: path, key: key, reason: "missing")
        }
        guard let number = values[key] as? NSNumber, !isBool(number), number.doubleValue.isFinite else {
            throw .invalidConfig(path: path, key: key, reason: "expected a number, found \(describe(values[key]))")
        }
        guard range.contains(number.doubleValue) else {
            throw .invalidConfig(path: path, key: key, reason: "\(number.doubleValue) is outside \(range)")
        }
        return number.doubleValue
    }

    public func string(_ key: String, default fallback: String? = nil) throws(TextModelError) -> String {
        guard has(key) else {
            if let fallback { return fallback }
            throw .invalidConfig(path: path, key: key, reason: "missing")
        }
        guard let value = values[key] as? String else {
            throw .invalidConfig(path: path, key: key, reason: "expected a string, found \(describe(values[key]))")
        }
        return value
    }

    public func bool(_ key: String, default fallback: Bool) throws(TextModelError) -> Bool {
        guard has(key) else { return fallback }
        guard let number = values[key] as? NSNumber, isBool(number) else {
            throw .invalidConfig(path: path, key: key, reason: "expected true or false, found \(describe(values[key]))")
        }
        return number.boolValue
    }

    /// `id2label` as an array indexed by class id (keys are decimal strings in
    /// HF's files); nil when the config has none.
    public func labels() throws(TextModelError) -> [String]? {
        guard has("id2label") else { return nil }
        guard let map = values["id2label"] as? [String: Any] else {
            throw .invalidConfig(path: path, key: "id2label", reason: "expected an object of id → label")
        }
        var labels = [String?](repeating: nil, count: map.count)
        for (key, value) in map {
            guard let id = Int(key), id >= 0, id < map.count, let label = value as? String else {
                throw .invalidConfig(path: path, key: "id2label",
                                     reason: "entry \"\(key)\" is not an id in 0..<\(map.count) with a string label")
            }
            labels[id] = label
        }
        return labels.map { $0! }
    }

    private func isBool(_ number: NSNumber) -> Bool {
        // JSONSerialization returns booleans as NSNumber too; their type tag is "c".
        String(cString: number.objCType) == "c"
    }

    private func describe(_ value: Any?) -> String {
        switch value {
        case nil: "nothing"
        case is String: "a string"
        case let n as NSNumber: isBool(n) ? "a boolean" : "the number \(n)"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        default: "null"
        }
    }
}
