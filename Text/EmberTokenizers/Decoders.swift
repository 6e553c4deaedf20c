// Decoders turn tokens back into text.

/// Joins tokens into text (HF's `decoder` section).
///
/// ```swift
/// WordPieceDecoder().decode(["hello", "##s", ",", "world"])   // "hellos, world"
/// ```
public protocol TokenDecoder: Sendable {
    /// HF's `decode_chain`: the tokens rewritten, still separate, so a
    /// `SequenceDecoder` can pass them on to the next decoder.
    func decodeChain(_ tokens: [String]) -> [String]
}

extension TokenDecoder {
    /// The text of `tokens`: the chain's output joined.
    ///
    /// ```swift
    /// FuseDecoder().decode(["a", "b"])   // "ab"
    /// ```
    public func decode(_ tokens: [String]) -> String { decodeChain(tokens).joined() }
}

/// HF's `WordPiece` decoder: every token after the first gets a space in
/// front unless it starts with `prefix` (which is dropped). With `cleanup`,
/// BERT's detokenization fixes (" ." → ".", " n't" → "n't", ...) run on each
/// token after its space is added, not on the joined text, which is why
/// "don ' t" survives, as in HF.
///
/// ```swift
/// WordPieceDecoder(cleanup: false).decode(["a", "."])   // "a ."
/// ```
public struct WordPieceDecoder: TokenDecoder {
    /// The continuing-subword prefix to remove ("##").
    public let prefix: String
    /// Whether BERT's spacing cleanup runs.
    public let cleanup: Bool
    /// HF's defaults: `WordPieceDecoder()` decodes like BERT.
    public init(prefix: String = "##", cleanup: Bool = true) {
        self.prefix = prefix
        self.cleanup = cleanup
    }

    public func decodeChain(_ tokens: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(tokens.count)
        for (i, token) in tokens.enumerated() {
            var t = token
            if i != 0 {
                if !prefix.isEmpty, t.unicodeScalars.starts(with: prefix.unicodeScalars) {
                    t = Self.replaceFirst(t, prefix)
                } else {
                    t = " " + t
                }
            }
            if cleanup { t = Self.cleanup(t) }
            out.append(t)
        }
        return out
    }

    static let cleanupRules: [(String, String)] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
        (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ]

    /// BERT's cleanup, in HF's order. Replacement works on scalars, as Rust's
    /// byte-wise `str::replace`, not on Characters (a "." followed by a
    /// combining mark is still a ".").
    static func cleanup(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)
        for (from, to) in cleanupRules {
            scalars = replaceAll(scalars, Array(from.unicodeScalars), Array(to.unicodeScalars))
        }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars)
        return String(v)
    }

    static func replaceAll(_ s: [Unicode.Scalar], _ from: [Unicode.Scalar], _ to: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard s.count >= from.count else { return s }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if i + from.count <= s.count, s[i..<(i + from.count)].elementsEqual(from) {
                out += to
                i += from.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    static func replaceFirst(_ s: String, _ prefix: String) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s.unicodeScalars.dropFirst(prefix.unicodeScalars.count))
        return String(v)
    }
}
