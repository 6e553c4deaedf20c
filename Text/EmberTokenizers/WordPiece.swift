// The model turns one pre-token into vocabulary tokens. WordPiece is the
// first; BPE, Unigram and WordLevel conform to the same protocol later.

import Foundation

/// One token the model produced for a pre-token: its id, its text and its
/// range of scalars within the pre-token.
///
/// ```swift
/// let t = Token(id: 7, value: "##ing", offsets: 3..<6)
/// ```
public struct Token: Sendable, Equatable {
    public var id: Int
    public var value: String
    public var offsets: Range<Int>
    public init(id: Int, value: String, offsets: Range<Int>) {
        self.id = id
        self.value = value
        self.offsets = offsets
    }
}

/// A tokenization model (HF's `model` section), dispatched on `model.type`.
///
/// ```swift
/// let model: any TokenizerModel = WordPiece(vocab: ["[UNK]": 0, "hi": 1])
/// try model.tokenize(Array("hi".unicodeScalars)).map(\.id)   // [1]
/// ```
public protocol TokenizerModel: Sendable {
    /// The tokens of one pre-token; offsets are scalar indices into `word`.
    func tokenize(_ word: [Unicode.Scalar]) throws(TokenizerError) -> [Token]
    func tokenToId(_ token: String) -> Int?
    func idToToken(_ id: Int) -> String?
    /// Number of entries in the model's vocabulary (added tokens excluded).
    var vocabSize: Int { get }
}

/// HF's `WordPiece` model: greedy longest-match-first from the left, pieces
/// after the first looked up with `continuingSubwordPrefix`; a word with any
/// unmatched position, or longer than `maxInputCharsPerWord` scalars, becomes
/// a single `unkToken`.
///
/// ```swift
/// let wp = WordPiece(vocab: ["[UNK]": 0, "un": 1, "##aff": 2, "##able": 3])
/// try wp.tokenize(Array("unaffable".unicodeScalars)).map(\.value)   // ["un", "##aff", "##able"]
/// ```
public struct WordPiece: TokenizerModel {
    public let vocab: [String: Int]
    public let unkToken: String
    public let continuingSubwordPrefix: String
    public let maxInputCharsPerWord: Int
    let vocabR: [Int: String]

    /// A WordPiece model with HF's defaults ("[UNK]", "##", 100).
    ///
    /// ```swift
    /// let wp = WordPiece(vocab: ["[UNK]": 0, "a": 1], maxInputCharsPerWord: 50)
    /// ```
    public init(vocab: [String: Int], unkToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharsPerWord: Int = 100) {
        self.vocab = vocab
        self.unkToken = unkToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        var r: [Int: String] = [:]
        r.reserveCapacity(vocab.count)
        for (k, v) in vocab { r[v] = k }
        self.vocabR = r
    }

    /// Reads a BERT `vocab.txt`: one token a line, the line number is its id.
    ///
    /// ```swift
    /// let vocab = try WordPiece.readVocab(URL(fileURLWithPath: "vocab.txt"))
    /// ```
    public static func readVocab(_ url: URL) throws(TokenizerError) -> [String: Int] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: url.path, reason: String(describing: error))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformedFile(path: url.path, reason: "not UTF-8 text")
        }
        var vocab: [String: Int] = [:]
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // A final newline ends the last line; it does not start an empty token.
        if lines.last == "" { lines.removeLast() }
        for (i, line) in lines.enumerated() {
            // HF trims trailing whitespace (and so "\r" of CRLF files).
            var s = Substring(line)
            while let last = s.unicodeScalars.last, last.properties.isWhitespace { s = s.dropLast() }
            vocab[String(s)] = i
        }
        if vocab.isEmpty { throw .malformedFile(path: url.path, reason: "the vocabulary is empty") }
        return vocab
    }

    public var vocabSize: Int { vocab.count }
    public func tokenToId(_ token: String) -> Int? { vocab[token] }
    public func idToToken(_ id: Int) -> String? { vocabR[id] }

    public func tokenize(_ word: [Unicode.Scalar]) throws(TokenizerError) -> [Token] {
        guard let unkId = vocab[unkToken] else { throw .unknownToken(unkToken, role: "WordPiece unk_token") }
        let unk = [Token(id: unkId, value: unkToken, offsets: 0..<word.count)]
        if word.count > maxInputCharsPerWord { return unk }
        var tokens: [Token] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Token?
            while start < end {
                var piece = String.UnicodeScalarView()
                piece.append(contentsOf: word[start..<end])
                let sub = start > 0 ? continuingSubwordPrefix + String(piece) : String(piece)
                if let id = vocab[sub] {
                    found = Token(id: id, value: sub, offsets: start..<end)
                    break
                }
                end -= 1
            }
            // One unmatched position makes the whole word unknown.
            guard let token = found else { return unk }
            tokens.append(token)
            start = end
        }
        return tokens
    }
}
