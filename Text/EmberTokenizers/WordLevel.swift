// HF's `WordLevel` model: each pre-token is one vocabulary entry or unknown.

/// HF's `WordLevel` model: a word maps to its id, or to `unkToken`'s.
///
/// ```swift
/// let w = WordLevel(vocab: ["<unk>": 0, "hello": 1], unkToken: "<unk>")
/// try w.tokenize(Array("hello".unicodeScalars)).map(\.id)   // [1]
/// ```
public struct WordLevel: TokenizerModel {
    let vocabByKey: [VocabKey: Int]
    let vocabR: [Int: String]
    /// The token unknown words become.
    public let unkToken: String

    public init(vocab: [String: Int], unkToken: String = "<unk>") {
        var byKey: [VocabKey: Int] = [:], r: [Int: String] = [:]
        for (k, v) in vocab {
            byKey[VocabKey(k)] = v
            r[v] = k
        }
        self.vocabByKey = byKey
        self.vocabR = r
        self.unkToken = unkToken
    }

    public var vocabSize: Int { vocabByKey.count }
    public func tokenToId(_ token: String) -> Int? { vocabByKey[VocabKey(token)] }
    public func idToToken(_ id: Int) -> String? { vocabR[id] }

    public func tokenize(_ word: [Unicode.Scalar]) throws(TokenizerError) -> [Token] {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: word)
        let s = String(v)
        if let id = vocabByKey[VocabKey(s)] { return [Token(id: id, value: s, offsets: 0..<word.count)] }
        guard let unk = vocabByKey[VocabKey(unkToken)] else { throw .unknownToken(unkToken, role: "WordLevel unk_token") }
        return [Token(id: unk, value: unkToken, offsets: 0..<word.count)]
    }
}
