// Errors from reading a model directory, its config and its weights. Every
// case names the file, and the key or shape involved, so a user can fix the
// directory without reading Ember's source.

import Foundation

/// A model directory, config or checkpoint that Ember can't use.
///
/// ```swift
/// do { _ = try ModelDirectory(URL(fileURLWithPath: "minilm")) }
/// catch let error as TextModelError { print(error) }   // names the file and key
/// ```
public enum TextModelError: Error, Equatable, CustomStringConvertible {
    /// The directory, or a file it needs, doesn't exist.
    case missingFile(path: String, expected: String)
    /// A file exists but isn't valid JSON (or isn't a JSON object).
    case invalidJSON(path: String, reason: String)
    /// A config key is absent or has the wrong type or value.
    case invalidConfig(path: String, key: String, reason: String)
    /// The config names an architecture Ember doesn't build.
    case unsupportedModel(path: String, modelType: String)
    /// A weight is missing or has another shape than the config implies.
    case weights(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missingFile(path, expected): "\(path): not found (expected \(expected))"
        case let .invalidJSON(path, reason): "\(path): not a JSON object: \(reason)"
        case let .invalidConfig(path, key, reason): "\(path): key \"\(key)\": \(reason)"
        case let .unsupportedModel(path, type): "\(path): model_type \"\(type)\" is not supported"
        case let .weights(path, reason): "\(path): \(reason)"
        }
    }
}
