// The decoders of BPE and SentencePiece-style tokenizers. Each rewrites the
// token list (HF's `decode_chain`); `decode` joins the result.

/// HF's `BPEDecoder`: the end-of-word suffix becomes a space (nothing in
/// the last token).
///
/// ```swift
/// BPEDecoder().decode(["hel", "lo</w>", "you</w>"])   // "hello you"
/// ```
public struct BPEDecoder: TokenDecoder {
    /// The end-of-word suffix.
    public let suffix: String
    public init(suffix: String = "</w>") { self.suffix = suffix }
    public func decodeChain(_ tokens: [String]) -> [String] {
        let pattern = TextPattern.string(suffix)
        return tokens.enumerated().map { i, t in
            replacing(t, pattern, with: i == tokens.count - 1 ? "" : " ")
        }
    }
}

/// HF's `Metaspace` decoder: the replacement scalar becomes a space, except
/// in the first token (unless the scheme is `never`), where it is dropped.
///
/// ```swift
/// MetaspaceDecoder().decode(["▁Hey", "▁friend!"])   // "Hey friend!"
/// ```
public struct MetaspaceDecoder: TokenDecoder {
    /// The file's settings.
    public let replacement: Unicode.Scalar
    public let prependScheme: PrependScheme
    /// Kept so the decoder is written back as read; decoding ignores it.
    public let split: Bool
    public init(replacement: Unicode.Scalar = "\u{2581}", prependScheme: PrependScheme = .always, split: Bool = true) {
        self.replacement = replacement
        self.prependScheme = prependScheme
        self.split = split
    }
    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { i, t in
            var v = String.UnicodeScalarView()
            for c in t.unicodeScalars {
                if c != replacement { v.append(c) } else if i != 0 || prependScheme == .never { v.append(" ") }
            }
            return String(v)
        }
    }
}

/// HF's `ByteFallback`: runs of `<0xNN>` tokens become their UTF-8 text,
/// or one U+FFFD per byte when the run is not valid UTF-8.
///
/// ```swift
/// ByteFallbackDecoder().decode(["<0xC3>", "<0xA9>", "t"])   // "ét"
/// ```
public struct ByteFallbackDecoder: TokenDecoder {
    public init() {}
    public func decodeChain(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var bytes: [UInt8] = []
        func flush() {
            guard !bytes.isEmpty else { return }
            if let s = String(validating: bytes, as: UTF8.self) { out.append(s) } else {
                out += Array(repeating: "\u{FFFD}", count: bytes.count)
            }
            bytes.removeAll()
        }
        for t in tokens {
            if let b = Self.byte(t) { bytes.append(b); continue }
            flush()
            out.append(t)
        }
        flush()
        return out
    }

    /// The byte of a `<0xNN>` token (hex digits of either case, as Rust's radix parse).
    static func byte(_ t: String) -> UInt8? {
        let u = Array(t.utf8)
        guard u.count == 6, u[0] == UInt8(ascii: "<"), u[1] == UInt8(ascii: "0"), u[2] == UInt8(ascii: "x"),
              u[5] == UInt8(ascii: ">") else { return nil }
        return UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
    }
}

/// HF's `Fuse`: all tokens become one.
///
/// ```swift
/// FuseDecoder().decodeChain(["a", "b"])   // ["ab"]
/// ```
public struct FuseDecoder: TokenDecoder {
    public init() {}
    public func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}

/// HF's `Strip` decoder: up to `start` copies of `content` removed from the
/// front of each token and up to `stop` from its end.
///
/// ```swift
/// StripDecoder(content: " ", start: 1, stop: 0).decode([" a"])   // "a"
/// ```
public struct StripDecoder: TokenDecoder {
    /// The scalar removed and how many at each end.
    public let content: Unicode.Scalar
    public let start: Int
    public let stop: Int
    public init(content: Unicode.Scalar, start: Int, stop: Int) {
        self.content = content
        self.start = start
        self.stop = stop
    }
    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { t in
            let s = Array(t.unicodeScalars)
            var lo = 0
            while lo < min(start, s.count), s[lo] == content { lo += 1 }
            var hi = s.count
            // HF indexes from the end without a bound check; a token shorter
            // than `stop` made of `content` only is emptied here instead.
            var n = 0
            while n < stop, hi > lo, s[hi - 1] == content { hi -= 1; n += 1 }
            var v = String.UnicodeScalarView()
            v.append(contentsOf: s[lo..<max(lo, hi)])
            return String(v)
        }
    }
}

/// HF's `Replace` decoder: in each token, matches of the pattern become `content`.
///
/// ```swift
/// ReplaceDecoder(pattern: .string("▁"), content: " ").decode(["▁a", "▁b"])   // " a b"
/// ```
public struct ReplaceDecoder: TokenDecoder {
    /// What is replaced, and by what.
    public let pattern: TextPattern
    public let content: String
    public init(pattern: TextPattern, content: String) {
        self.pattern = pattern
        self.content = content
    }
    public func decodeChain(_ tokens: [String]) -> [String] { tokens.map { replacing($0, pattern, with: content) } }
}

/// Several decoders chained (HF `Sequence`).
///
/// ```swift
/// let d = SequenceDecoder([ByteFallbackDecoder(), FuseDecoder()])
/// ```
public struct SequenceDecoder: TokenDecoder {
    /// The steps, in order.
    public let decoders: [any TokenDecoder]
    public init(_ decoders: [any TokenDecoder]) { self.decoders = decoders }
    public func decodeChain(_ tokens: [String]) -> [String] { decoders.reduce(tokens) { $1.decodeChain($0) } }
}

/// `s` with every match of `pattern` replaced by `content`.
func replacing(_ s: String, _ pattern: TextPattern, with content: String) -> String {
    let scalars = Array(s.unicodeScalars)
    var v = String.UnicodeScalarView()
    for (r, m) in pattern.matches(in: scalars) {
        if m { v.append(contentsOf: content.unicodeScalars) } else { v.append(contentsOf: scalars[r]) }
    }
    return String(v)
}

/// HF's `CTC` decoder (speech models): repeated tokens collapse to one, the
/// pad token is removed and, with `cleanup`, BERT's spacing fixes run and
/// the word delimiter becomes a space; empty results are dropped.
///
/// ```swift
/// CTCDecoder().decode(["h", "h", "<pad>", "i", "|", "y", "o", "u"])   // "hi you"
/// ```
public struct CTCDecoder: TokenDecoder {
    /// The file's settings.
    public let padToken: String
    public let wordDelimiterToken: String
    public let cleanup: Bool
    public init(padToken: String = "<pad>", wordDelimiterToken: String = "|", cleanup: Bool = true) {
        self.padToken = padToken
        self.wordDelimiterToken = wordDelimiterToken
        self.cleanup = cleanup
    }
    public func decodeChain(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var previous: String?
        for t in tokens {
            // Consecutive duplicates compare as Rust strings: byte for byte.
            if let p = previous, p.utf8.elementsEqual(t.utf8) { continue }
            previous = t
            var s = replacing(t, .string(padToken), with: "")
            if cleanup { s = replacing(WordPieceDecoder.cleanup(s), .string(wordDelimiterToken), with: " ") }
            if !s.isEmpty { out.append(s) }
        }
        return out
    }
}
