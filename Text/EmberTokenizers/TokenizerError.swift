// Every failure reading a tokenizer file is one of these, naming the file and
// the JSON field, so a bad download says what is wrong instead of crashing.

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
