// Normalizers that edit the text itself rather than its characters:
// Strip, Replace and Prepend (used by SentencePiece-style tokenizers).

/// HF's `Strip`: removes leading and/or trailing whitespace.
///
/// ```swift
/// Strip().normalize("  hi \n")   // "hi"
/// ```
public struct Strip: Normalizer {
    /// Which ends are stripped.
    public let left: Bool
    public let right: Bool
    public init(left: Bool = true, right: Bool = true) {
        self.left = left
        self.right = right
    }
    public func normalize(_ text: inout NormalizedString) { text.strip(left: left, right: right) }
}

/// HF's `Replace`: every match of a string or regex becomes `content`.
///
/// ```swift
/// Replace(pattern: .string(" "), content: "▁").normalize("a b")   // "a▁b"
/// ```
public struct Replace: Normalizer {
    /// What is replaced, and by what.
    public let pattern: TextPattern
    public let content: String
    public init(pattern: TextPattern, content: String) {
        self.pattern = pattern
        self.content = content
    }
    public func normalize(_ text: inout NormalizedString) {
        text.replace(pattern.matches(in: text.scalars), with: Array(content.unicodeScalars))
    }
}

/// HF's `Prepend`: puts `prefix` in front of non-empty text.
///
/// ```swift
/// Prepend("▁").normalize("hi")   // "▁hi"
/// ```
public struct Prepend: Normalizer {
    /// The text put in front.
    public let prefix: String
    public init(_ prefix: String) { self.prefix = prefix }
    public func normalize(_ text: inout NormalizedString) { text.prepend(Array(prefix.unicodeScalars)) }
}

/// HF's `ByteLevel` normalizer: every UTF-8 byte becomes its byte-level
/// scalar (as the ByteLevel pre-tokenizer does after splitting).
///
/// ```swift
/// ByteLevelNormalizer().normalize("é ")   // "Ã©Ġ"
/// ```
public struct ByteLevelNormalizer: Normalizer {
    public init() {}
    public func normalize(_ text: inout NormalizedString) {
        if text.isEmpty { return }
        text = ByteLevel.bytes(of: text, 0..<text.scalars.count)
    }
}
