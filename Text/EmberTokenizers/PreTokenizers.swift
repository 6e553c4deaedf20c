// Pre-tokenizers cut normalized text into words before the model sees them.
// Pieces stay NormalizedStrings so every word still knows its original range.

/// Splits normalized text into pre-tokens (HF's `pre_tokenizer` section).
///
/// ```swift
/// let words = BertPreTokenizer().preTokenize([NormalizedString("Hi, you!")]).map(\.text)
/// // ["Hi", ",", "you", "!"]
/// ```
public protocol PreTokenizer: Sendable {
    /// Splits each piece further; pieces are never merged.
    func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString]
}

/// HF's `BertPreTokenizer`: whitespace (Unicode White_Space) separates words
/// and is dropped; every punctuation scalar (ASCII punctuation or a Unicode
/// P* category) becomes a word of its own. Symbols such as € © ° stay put.
///
/// ```swift
/// BertPreTokenizer().preTokenize([NormalizedString("don't")]).map(\.text)   // ["don", "'", "t"]
/// ```
public struct BertPreTokenizer: PreTokenizer {
    public init() {}
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        // One pass doing both splits: white space ends a word and is
        // dropped, punctuation ends a word and is one.
        var out: [NormalizedString] = []
        for piece in pieces {
            out.reserveCapacity(out.count + piece.scalars.count / 4)
            var start = 0
            for (i, c) in piece.scalars.enumerated() {
                if c.isWhiteSpace {
                    if start < i { out.append(piece.slice(start..<i)) }
                    start = i + 1
                } else if Self.isPunctuation(c) {
                    if start < i { out.append(piece.slice(start..<i)) }
                    out.append(piece.slice(i..<(i + 1)))
                    start = i + 1
                }
            }
            if start < piece.scalars.count { out.append(piece.slice(start..<piece.scalars.count)) }
        }
        return out
    }

    static func isWhitespace(_ c: Unicode.Scalar) -> Bool { c.isWhiteSpace }

    /// ASCII punctuation (Rust's `is_ascii_punctuation`, which includes
    /// symbols like `$+<=>^`|~`) or Unicode general category P*.
    ///
    /// ```swift
    /// BertPreTokenizer.isPunctuation("$")   // true
    /// BertPreTokenizer.isPunctuation("€")   // false
    /// ```
    public static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 {
            return (v >= 33 && v <= 47) || (v >= 58 && v <= 64) || (v >= 91 && v <= 96) || (v >= 123 && v <= 126)
        }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}

/// HF's `WhitespaceSplit`: splits on Unicode whitespace only.
///
/// ```swift
/// WhitespaceSplit().preTokenize([NormalizedString("a, b")]).map(\.text)   // ["a,", "b"]
/// ```
public struct WhitespaceSplit: PreTokenizer {
    public init() {}
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        pieces.flatMap { $0.split(isolate: false) { $0.isWhiteSpace } }
    }
}

/// HF's `Whitespace`: the regex `\w+|[^\w\s]+`, i.e. runs of word scalars and
/// runs of other non-space scalars; whitespace is dropped.
///
/// ```swift
/// Whitespace().preTokenize([NormalizedString("a+b, c")]).map(\.text)   // ["a", "+", "b", ",", "c"]
/// ```
public struct Whitespace: PreTokenizer {
    public init() {}
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        var out: [NormalizedString] = []
        for piece in pieces {
            var i = 0
            let s = piece.scalars
            while i < s.count {
                if s[i].isWhiteSpace { i += 1; continue }
                let word = Self.isWord(s[i])
                var j = i + 1
                while j < s.count, !s[j].isWhiteSpace, Self.isWord(s[j]) == word { j += 1 }
                out.append(piece.slice(i..<j))
                i = j
            }
        }
        return out
    }

    /// Rust regex's Unicode `\w`: Alphabetic, marks, decimal digits,
    /// connector punctuation and join controls.
    static func isWord(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F }
        let p = c.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }
}

/// Several pre-tokenizers applied in order (HF `Sequence`).
///
/// ```swift
/// let p = SequencePreTokenizer([WhitespaceSplit(), BertPreTokenizer()])
/// ```
public struct SequencePreTokenizer: PreTokenizer {
    /// The steps, in order.
    public let preTokenizers: [any PreTokenizer]
    public init(_ preTokenizers: [any PreTokenizer]) { self.preTokenizers = preTokenizers }
    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        preTokenizers.reduce(pieces) { $1.preTokenize($0) }
    }
}
