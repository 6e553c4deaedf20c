// The pattern-based pre-tokenizers: Split, Punctuation, Digits, Metaspace
// and CharDelimiterSplit, each HF's `NormalizedString::split` with its
// pattern and delimiter behavior.

/// HF's `Split`: cuts on a string or regex pattern with a delimiter
/// behavior; `invert` swaps matches and the text between them.
///
/// ```swift
/// let p = Split(pattern: .string("-"), behavior: .isolated)
/// p.preTokenize([NormalizedString("a-b")]).map(\.text)   // ["a", "-", "b"]
/// ```
public struct Split: PreTokenizer {
    /// The file's settings.
    public let pattern: TextPattern
    public let behavior: SplitBehavior
    public let invert: Bool
    public init(pattern: TextPattern, behavior: SplitBehavior, invert: Bool = false) {
        self.pattern = pattern
        self.behavior = behavior
        self.invert = invert
    }
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        pieces.flatMap { $0.split(pattern.matches(in: $0.scalars), behavior: behavior, invert: invert) }
    }
}

/// HF's `Punctuation`: every punctuation scalar (as BertPreTokenizer
/// counts them) is a delimiter, isolated by default.
///
/// ```swift
/// Punctuation().preTokenize([NormalizedString("a,b")]).map(\.text)   // ["a", ",", "b"]
/// ```
public struct Punctuation: PreTokenizer {
    /// What happens to the punctuation.
    public let behavior: SplitBehavior
    public init(behavior: SplitBehavior = .isolated) { self.behavior = behavior }
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        pieces.flatMap { $0.split($0.matches(where: BertPreTokenizer.isPunctuation), behavior: behavior) }
    }
}

/// HF's `Digits`: numbers (Rust's `char::is_numeric`, categories Nd, Nl,
/// No) apart from the rest, one digit each with `individualDigits`.
///
/// ```swift
/// Digits(individualDigits: true).preTokenize([NormalizedString("a12")]).map(\.text)   // ["a", "1", "2"]
/// ```
public struct Digits: PreTokenizer {
    /// Whether each digit is a piece of its own.
    public let individualDigits: Bool
    public init(individualDigits: Bool = false) { self.individualDigits = individualDigits }
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        pieces.flatMap {
            $0.split($0.matches(where: Self.isNumeric), behavior: individualDigits ? .isolated : .contiguous)
        }
    }

    static func isNumeric(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return c.value >= 0x30 && c.value <= 0x39 }
        switch c.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
}

/// HF's `CharDelimiterSplit`: splits on one scalar, which is removed.
///
/// ```swift
/// CharDelimiterSplit("_").preTokenize([NormalizedString("a_b")]).map(\.text)   // ["a", "b"]
/// ```
public struct CharDelimiterSplit: PreTokenizer {
    /// The delimiter.
    public let delimiter: Unicode.Scalar
    public init(_ delimiter: Unicode.Scalar) { self.delimiter = delimiter }
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        pieces.flatMap { $0.split($0.matches { $0 == delimiter }, behavior: .removed) }
    }
}

/// When Metaspace puts a replacement scalar in front of a piece.
///
/// ```swift
/// Metaspace(prependScheme: .first)   // only the piece at the start of the input
/// ```
public enum PrependScheme: String, Sendable {
    /// Every piece; only the piece at the start of the input; never.
    case always, first, never
}

/// HF's `Metaspace` (SentencePiece): spaces become `replacement` ("▁"),
/// one is put in front per `prependScheme`, and with `split` every
/// replacement starts a new piece.
///
/// ```swift
/// Metaspace().preTokenize([NormalizedString("Hey friend!")]).map(\.text)   // ["▁Hey", "▁friend!"]
/// ```
public struct Metaspace: PreTokenizer {
    /// The file's settings.
    public let replacement: Unicode.Scalar
    public let prependScheme: PrependScheme
    public let split: Bool
    public init(replacement: Unicode.Scalar = "\u{2581}", prependScheme: PrependScheme = .always, split: Bool = true) {
        self.replacement = replacement
        self.prependScheme = prependScheme
        self.split = split
    }
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        var out: [NormalizedString] = []
        for var piece in pieces {
            for i in piece.scalars.indices where piece.scalars[i] == " " { piece.scalars[i] = replacement }
            let starts = piece.scalars.first == replacement
            switch prependScheme {
            case .always where !starts: piece.prepend([replacement])
            case .first where !starts && piece.originalStart == 0: piece.prepend([replacement])
            default: break
            }
            if split {
                out += piece.split(piece.matches { $0 == replacement }, behavior: .mergedWithNext)
            } else if !piece.isEmpty {
                out.append(piece)
            }
        }
        return out
    }
}

/// HF's `FixedLength`: pieces of `length` scalars (the last may be shorter).
///
/// ```swift
/// FixedLength(length: 2).preTokenize([NormalizedString("abcde")]).map(\.text)   // ["ab", "cd", "e"]
/// ```
public struct FixedLength: PreTokenizer {
    /// Scalars per piece, at least 1.
    public let length: Int
    public init(length: Int = 5) { self.length = max(1, length) }
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        var out: [NormalizedString] = []
        for piece in pieces {
            var start = 0
            while start < piece.scalars.count {
                let end = min(start + length, piece.scalars.count)
                out.append(piece.slice(start..<end))
                start = end
            }
        }
        return out
    }
}
