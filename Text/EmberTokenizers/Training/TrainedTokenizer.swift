// What a trainer returns: the learned model plus the pipeline it was trained
// through, ready to be written as a tokenizer.json. The learned model is plain
// data (not a TokenizerModel): it is written in HF's layout, and `tokenizer()`
// reads that file back, so what Ember encodes with is what HF would load.

import Foundation

/// A learned vocabulary, in the form HF writes it.
///
/// ```swift
/// if case .bpe(let m) = trained.model { print(m.merges.prefix(3)) }
/// trained.model.tokens.count   // vocabulary size
/// ```
public enum TrainedModel: Sendable, Equatable {
    /// HF `BPE`: tokens by id, merges by rank.
    case bpe(BPEModelData)
    /// HF `WordPiece`: tokens by id.
    case wordPiece(WordPieceModelData)
    /// HF `Unigram`: pieces with log-probabilities, in id order.
    case unigram(UnigramModelData)

    /// The token of every id, in id order.
    public var tokens: [String] {
        switch self {
        case .bpe(let m): m.vocab
        case .wordPiece(let m): m.vocab
        case .unigram(let m): m.pieces.map(\.piece)
        }
    }
}

/// A trained BPE model.
///
/// ```swift
/// let m = try BPETrainer(vocabSize: 300).learn(counts)
/// m.vocab[0]; m.merges.first   // ("t", "h"), say
/// ```
public struct BPEModelData: Sendable, Equatable {
    /// Tokens in id order; `merges` in rank order.
    public var vocab: [String]
    public var merges: [(String, String)]
    /// Settings written to the `model` section.
    public var unkToken: String?
    public var continuingSubwordPrefix: String?
    public var endOfWordSuffix: String?

    /// A BPE model from its parts.
    ///
    /// ```swift
    /// let m = BPEModelData(vocab: ["a", "b", "ab"], merges: [("a", "b")])
    /// ```
    public init(vocab: [String], merges: [(String, String)], unkToken: String? = nil,
                continuingSubwordPrefix: String? = nil, endOfWordSuffix: String? = nil) {
        self.vocab = vocab
        self.merges = merges
        self.unkToken = unkToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.endOfWordSuffix = endOfWordSuffix
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.vocab == b.vocab && a.merges.count == b.merges.count && zip(a.merges, b.merges).allSatisfy { $0 == $1 }
            && a.unkToken == b.unkToken && a.continuingSubwordPrefix == b.continuingSubwordPrefix
            && a.endOfWordSuffix == b.endOfWordSuffix
    }
}

/// A trained WordPiece model.
///
/// ```swift
/// if case .wordPiece(let m) = trained.model { print(m.vocab.filter { $0.hasPrefix("##") }.count) }
/// ```
public struct WordPieceModelData: Sendable, Equatable {
    /// Tokens in id order.
    public var vocab: [String]
    public var unkToken: String
    public var continuingSubwordPrefix: String
    public var maxInputCharsPerWord: Int

    /// A WordPiece model from its parts, with HF's defaults.
    ///
    /// ```swift
    /// let m = WordPieceModelData(vocab: ["[UNK]", "a", "##b"])
    /// ```
    public init(vocab: [String], unkToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharsPerWord: Int = 100) {
        self.vocab = vocab
        self.unkToken = unkToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
    }
}

/// A trained Unigram model.
///
/// ```swift
/// let m = try UnigramTrainer(vocabSize: 500, unkToken: "<unk>").learn(counts)
/// m.pieces[0]   // ("<unk>", 0.0)
/// ```
public struct UnigramModelData: Sendable, Equatable {
    /// Pieces in id order with their log-probabilities.
    public var pieces: [(piece: String, score: Double)]
    /// Id of the unknown piece, if any.
    public var unkId: Int?

    /// A Unigram model from its parts.
    ///
    /// ```swift
    /// let m = UnigramModelData(pieces: [("<unk>", 0), ("a", -1.5)], unkId: 0)
    /// ```
    public init(pieces: [(piece: String, score: Double)], unkId: Int?) {
        self.pieces = pieces
        self.unkId = unkId
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.unkId == b.unkId && a.pieces.count == b.pieces.count
            && zip(a.pieces, b.pieces).allSatisfy { $0.piece == $1.piece && $0.score == $1.score }
    }
}

/// A freshly trained tokenizer: the model and the pipeline around it.
///
/// ```swift
/// let trained = try WordPieceTrainer(vocabSize: 2000, specialTokens: ["[PAD]", "[UNK]"])
///     .train(lines: corpus, normalizer: BertNormalizer(), preTokenizer: BertPreTokenizer())
/// try trained.save(to: URL(fileURLWithPath: "tokenizer.json"))
/// let tok = try trained.tokenizer()   // Ember's Tokenizer, where it knows the model type
/// ```
public struct TrainedTokenizer: Sendable {
    /// The learned vocabulary.
    public var model: TrainedModel
    /// The pipeline, written to the file as given; nil parts are `null`.
    public var normalizer: (any Normalizer)?
    public var preTokenizer: (any PreTokenizer)?
    public var postProcessor: (any PostProcessor)?
    public var decoder: (any TokenDecoder)?
    /// The trainer's special tokens with their ids in the vocabulary.
    public var addedTokens: [AddedToken]

    /// A trained tokenizer from its parts.
    ///
    /// ```swift
    /// let t = TrainedTokenizer(model: .wordPiece(data), preTokenizer: Whitespace())
    /// ```
    public init(model: TrainedModel, normalizer: (any Normalizer)? = nil, preTokenizer: (any PreTokenizer)? = nil,
                postProcessor: (any PostProcessor)? = nil, decoder: (any TokenDecoder)? = nil, addedTokens: [AddedToken] = []) {
        self.model = model
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.postProcessor = postProcessor
        self.decoder = decoder
        self.addedTokens = addedTokens
    }

    /// The id of a token in the learned vocabulary.
    ///
    /// ```swift
    /// trained.tokenToId("[UNK]")   // 0
    /// ```
    public func tokenToId(_ token: String) -> Int? {
        model.tokens.firstIndex { $0.unicodeScalars.elementsEqual(token.unicodeScalars) }
    }

    /// An Ember `Tokenizer` read back from the tokenizer.json this writes, so
    /// it is exactly what a later `Tokenizer(contentsOf:)` would load.
    ///
    /// ```swift
    /// let ids = try trained.tokenizer().encode("some text").ids
    /// ```
    public func tokenizer() throws -> Tokenizer {
        try Tokenizer(json: try jsonData(), source: "trained tokenizer.json")
    }

    /// Special tokens as HF's `Tokenizer.train` adds them: special, not
    /// normalized, each with the id the model gave it.
    static func specials(_ contents: [String], in vocab: [String]) -> [AddedToken] {
        var index: [VocabKey: Int] = [:]
        for (i, t) in vocab.enumerated() where index[VocabKey(t)] == nil { index[VocabKey(t)] = i }
        var seen = Set<VocabKey>()
        var next = vocab.count
        var out: [AddedToken] = []
        for c in contents where seen.insert(VocabKey(c)).inserted {
            let id: Int
            if let i = index[VocabKey(c)] { id = i } else { id = next; next += 1 }
            out.append(AddedToken(id: id, content: c, normalized: false, special: true))
        }
        return out.sorted { $0.id < $1.id }
    }
}
