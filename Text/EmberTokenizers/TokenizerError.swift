// Every failure reading a tokenizer file is one of these, naming the file and
// the JSON field, so a bad download says what is wrong instead of crashing.
// JSONValue gives typed access to a parsed tokenizer.json: every accessor
// knows the file and the dotted field path it reads.

import Foundation

/// Errors from loading tokenizer files and from encoding.
///
/// ```swift
/// do { _ = try Tokenizer(contentsOf: url) }
/// catch let e as TokenizerError { print(e) }   // names the file and field
/// ```
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadableFile(path: String, reason: String)
    /// The file is not valid JSON (or not UTF-8 text).
    case malformedFile(path: String, reason: String)
    /// A required field is absent.
    case missingField(path: String, field: String)
    /// A field holds a value of the wrong kind.
    case invalidField(path: String, field: String, expected: String)
    /// A component's `type` is not one this library knows.
    case unknownType(path: String, field: String, type: String)
    /// A token that must be in the vocabulary is not.
    case unknownToken(String, role: String)
    /// Truncation cannot make room for the special tokens.
    case truncationTooShort(maxLength: Int, specialTokens: Int)
    /// `OnlySecond` truncation was asked for a single sequence, or the
    /// chosen sequence is too short to remove enough tokens.
    case truncationImpossible(String)

    /// A one-line message naming the file and field.
    public var description: String {
        switch self {
        case .unreadableFile(let p, let r): "cannot read \(p): \(r)"
        case .malformedFile(let p, let r): "\(p) is malformed: \(r)"
        case .missingField(let p, let f): "\(p): missing field `\(f)`"
        case .invalidField(let p, let f, let e): "\(p): field `\(f)` should be \(e)"
        case .unknownType(let p, let f, let t): "\(p): `\(f)` has unsupported type \"\(t)\""
        case .unknownToken(let t, let role): "token \"\(t)\" (\(role)) is not in the vocabulary"
        case .truncationTooShort(let m, let n): "max_length \(m) leaves no room for \(n) special tokens"
        case .truncationImpossible(let why): "cannot truncate: \(why)"
        }
    }
}

/// A JSON value from JSONSerialization, with where it came from.
struct JSONValue {
    let file: String
    let field: String
    let raw: Any?

    var isNull: Bool { raw == nil || raw is NSNull }

    func child(_ key: String) -> JSONValue {
        let dict = raw as? JSONObject
        return JSONValue(file: file, field: field.isEmpty ? key : "\(field).\(key)", raw: dict?[key])
    }

    subscript(_ key: String) -> JSONValue { child(key) }

    func object() throws(TokenizerError) -> JSONObject {
        if raw == nil { throw .missingField(path: file, field: field) }
        guard let o = raw as? JSONObject else { throw .invalidField(path: file, field: field, expected: "an object") }
        return o
    }

    func array() throws(TokenizerError) -> [JSONValue] {
        if raw == nil { throw .missingField(path: file, field: field) }
        guard let a = raw as? [Any] else { throw .invalidField(path: file, field: field, expected: "an array") }
        return a.enumerated().map { JSONValue(file: file, field: "\(field)[\($0.offset)]", raw: $0.element) }
    }

    func string() throws(TokenizerError) -> String {
        if raw == nil { throw .missingField(path: file, field: field) }
        guard let s = raw as? String else { throw .invalidField(path: file, field: field, expected: "a string") }
        return s
    }

    func int() throws(TokenizerError) -> Int {
        if raw == nil { throw .missingField(path: file, field: field) }
        guard let i = Self.integer(raw) else { throw .invalidField(path: file, field: field, expected: "an integer") }
        return i
    }

    func bool() throws(TokenizerError) -> Bool {
        if raw == nil { throw .missingField(path: file, field: field) }
        guard let b = raw as? Bool else { throw .invalidField(path: file, field: field, expected: "true or false") }
        return b
    }

    // Absent or null → the default, else the value must have the right kind.
    func string(default d: String) throws(TokenizerError) -> String { isNull ? d : try string() }
    func int(default d: Int) throws(TokenizerError) -> Int { isNull ? d : try int() }
    func bool(default d: Bool) throws(TokenizerError) -> Bool { isNull ? d : try bool() }
    func optionalInt() throws(TokenizerError) -> Int? { isNull ? nil : try int() }
    func optionalBool() throws(TokenizerError) -> Bool? { isNull ? nil : try bool() }

    /// A component's `type` tag.
    func type() throws(TokenizerError) -> String { try self["type"].string() }

    /// An integer value (a whole Double such as 3.0 counts too); never a Bool.
    static func integer(_ raw: Any?) -> Int? {
        if let i = raw as? Int { return i }
        if let d = raw as? Double { return Int(exactly: d) }
        return nil
    }

    /// A numeric value; never a Bool.
    static func number(_ raw: Any?) -> Double? {
        if let d = raw as? Double { return d }
        if let i = raw as? Int { return Double(i) }
        return nil
    }

    /// Parses a whole file's data (with `JSONReader`, not JSONSerialization,
    /// which is slow on large vocabularies and drops a raw U+FEFF that
    /// starts a string).
    static func parse(_ data: Data, file: String) throws(TokenizerError) -> JSONValue {
        let root = try JSONReader.parse(data, file: file)
        guard root is JSONObject else { throw .malformedFile(path: file, reason: "the top level is not a JSON object") }
        return JSONValue(file: file, field: "", raw: root)
    }
}
