// Training has its own error type so that the loading errors (TokenizerError)
// stay untouched while the model types are being added on another branch.

/// Why training or saving a tokenizer failed.
///
/// ```swift
/// do { _ = try BPETrainer(vocabSize: 10).train(lines: []) }
/// catch TrainerError.emptyCorpus { print("nothing to learn from") }
/// ```
public enum TrainerError: Error, Equatable, CustomStringConvertible {
    /// The corpus held no word after normalization and pre-tokenization.
    case emptyCorpus
    /// `vocabSize` cannot hold the special tokens and the alphabet.
    /// (HF silently returns a vocabulary larger than asked; Ember says so.)
    case vocabularyTooSmall(vocabSize: Int, required: Int)
    /// A corpus file could not be read, or is not UTF-8.
    case unreadableFile(path: String, reason: String)
    /// The tokenizer.json could not be written.
    case unwritableFile(path: String, reason: String)
    /// A pipeline component has no tokenizer.json form in this library.
    case unserializableComponent(role: String, type: String)
    /// A setting is out of range (e.g. a shrinking factor outside (0, 1)).
    case invalidSetting(String)

    /// A one-line message.
    public var description: String {
        switch self {
        case .emptyCorpus: "the training corpus has no words"
        case .vocabularyTooSmall(let v, let r): "vocab_size \(v) is smaller than the \(r) special tokens and alphabet characters"
        case .unreadableFile(let p, let r): "cannot read \(p): \(r)"
        case .unwritableFile(let p, let r): "cannot write \(p): \(r)"
        case .unserializableComponent(let role, let t): "cannot write \(role) of type \(t) to tokenizer.json"
        case .invalidSetting(let why): "invalid trainer setting: \(why)"
        }
    }
}
