// Added (and special) tokens are found in the text before the model runs, as
// HF's added_vocabulary.rs does: tokens with `normalized: false` in the raw
// input, those with `normalized: true` in each normalized remaining piece.

/// A token of the `added_tokens` section: matched as a whole in the input,
/// never split by the model.
///
/// ```swift
/// let mask = AddedToken(id: 103, content: "[MASK]", special: true)
/// let lstripped = AddedToken(id: 50264, content: "<mask>", lstrip: true, special: true)
/// ```
public struct AddedToken: Sendable, Equatable {
    /// The id the token encodes to.
    public var id: Int
    /// The exact text matched.
    public var content: String
    /// Only matches when no word character (`\w`) touches it on either side.
    public var singleWord: Bool
    /// The match swallows the whitespace before it.
    public var lstrip: Bool
    /// The match swallows the whitespace after it.
    public var rstrip: Bool
    /// Matched in the normalized text (true) or the raw text (false).
    public var normalized: Bool
    /// Special tokens are dropped by `decode(skipSpecialTokens: true)`.
    public var special: Bool

    /// An added token; flags default to HF's `AddedToken` defaults except `normalized` (false here, as for specials).
    ///
    /// ```swift
    /// let t = AddedToken(id: 5, content: "new york", rstrip: true, normalized: true)
    /// ```
    public init(id: Int, content: String, singleWord: Bool = false, lstrip: Bool = false, rstrip: Bool = false,
                normalized: Bool = false, special: Bool = false) {
        self.id = id
        self.content = content
        self.singleWord = singleWord
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.normalized = normalized
        self.special = special
    }
}

/// Leftmost-longest matching of a set of patterns (what HF gets from
/// Aho-Corasick with `MatchKind::LeftmostLongest`). Patterns are few, so a
/// table of candidates per first scalar, longest first, is enough.
struct PatternMatcher: Sendable {
    private var byFirst: [Unicode.Scalar: [(pattern: [Unicode.Scalar], token: Int)]] = [:]
    /// Which ASCII scalars start a pattern, and whether any other does: most
    /// positions are ruled out without hashing.
    private var asciiFirst = [Bool](repeating: false, count: 128)
    private var nonASCIIFirst = false
    var isEmpty: Bool { byFirst.isEmpty }

    init(_ patterns: [(String, Int)]) {
        for (p, token) in patterns {
            let s = Array(p.unicodeScalars)
            guard let first = s.first else { continue }
            byFirst[first, default: []].append((s, token))
            if first.value < 128 { asciiFirst[Int(first.value)] = true } else { nonASCIIFirst = true }
        }
        for k in byFirst.keys { byFirst[k]!.sort { $0.pattern.count > $1.pattern.count } }
    }

    /// The longest pattern starting at `i`, if any.
    func match(_ s: [Unicode.Scalar], at i: Int) -> (token: Int, end: Int)? {
        let v = s[i].value
        if v < 128 ? !asciiFirst[Int(v)] : !nonASCIIFirst { return nil }
        guard let candidates = byFirst[s[i]] else { return nil }
        for (p, token) in candidates where i + p.count <= s.count {
            var ok = true
            for k in 1..<max(p.count, 1) where s[i + k] != p[k] { ok = false; break }
            if ok { return (token, i + p.count) }
        }
        return nil
    }
}

/// The added tokens of a tokenizer and their two matchers.
struct AddedVocabulary: Sendable {
    let tokens: [AddedToken]
    let byContent: [VocabKey: Int]
    let byId: [Int: Int]
    let rawMatcher: PatternMatcher
    let normalizedMatcher: PatternMatcher

    init(_ tokens: [AddedToken], normalizer: (any Normalizer)?) {
        self.tokens = tokens
        var byContent: [VocabKey: Int] = [:], byId: [Int: Int] = [:]
        var raw: [(String, Int)] = [], norm: [(String, Int)] = []
        for (i, t) in tokens.enumerated() {
            byContent[VocabKey(t.content)] = t.id
            byId[t.id] = i
            if t.normalized {
                // Matched against normalized text, so the pattern is the
                // normalized content too ("New York" finds "new york").
                norm.append((normalizer.map { $0.normalize(t.content) } ?? t.content, i))
            } else {
                raw.append((t.content, i))
            }
        }
        self.byContent = byContent
        self.byId = byId
        self.rawMatcher = PatternMatcher(raw)
        self.normalizedMatcher = PatternMatcher(norm)
    }

    func isSpecial(id: Int) -> Bool { byId[id].map { tokens[$0].special } ?? false }

    /// HF's `find_matches`: splits covering the whole text, each either a
    /// matched token (index into `tokens`) or plain text.
    func findMatches(_ s: [Unicode.Scalar], _ matcher: PatternMatcher) -> [(token: Int?, range: Range<Int>)] {
        if s.isEmpty { return [(nil, 0..<0)] }
        if matcher.isEmpty { return [(nil, 0..<s.count)] }
        var splits: [(token: Int?, range: Range<Int>)] = []
        var startOffset = 0
        var i = 0
        while i < s.count {
            guard let (t, matchEnd) = matcher.match(s, at: i) else { i += 1; continue }
            // Matching resumes after this match even when it is discarded or
            // stripped further, as Aho-Corasick's non-overlapping iterator does.
            var start = i, stop = matchEnd
            i = matchEnd
            let token = tokens[t]
            if token.singleWord {
                let startSpace = start == 0 || !Whitespace.isWord(s[start - 1])
                let stopSpace = stop == s.count || !Whitespace.isWord(s[stop])
                if !startSpace || !stopSpace { continue }
            }
            if token.lstrip {
                var newStart = start
                while newStart > 0, s[newStart - 1].isWhiteSpace { newStart -= 1 }
                // Spaces already taken by the previous match stay with it.
                start = max(newStart, startOffset)
            }
            if token.rstrip {
                while stop < s.count, s[stop].isWhiteSpace { stop += 1 }
            }
            if startOffset < start { splits.append((nil, startOffset..<start)) }
            splits.append((t, start..<stop))
            startOffset = stop
        }
        if startOffset != s.count { splits.append((nil, startOffset..<s.count)) }
        return splits
    }

    /// HF's `extract_and_normalize`: pieces of text, each with its added
    /// token when it is one. Plain pieces come back normalized.
    func extractAndNormalize(_ text: String, normalizer: (any Normalizer)?, offset: Int = 0)
        -> [(piece: NormalizedString, token: Token?)] {
        let raw = NormalizedString(Array(text.unicodeScalars), offset: offset)
        var out: [(piece: NormalizedString, token: Token?)] = []
        for (t, range) in findMatches(raw.scalars, rawMatcher) {
            var piece = raw.slice(range)
            if let t {
                out.append((piece, Token(id: tokens[t].id, value: piece.text, offsets: 0..<piece.scalars.count)))
                continue
            }
            normalizer?.normalize(&piece)
            for (t2, r2) in findMatches(piece.scalars, normalizedMatcher) {
                let sub = piece.slice(r2)
                if sub.isEmpty { continue }
                out.append((sub, t2.map { Token(id: tokens[$0].id, value: sub.text, offsets: 0..<sub.scalars.count) }))
            }
        }
        return out.filter { !$0.piece.isEmpty }
    }
}
