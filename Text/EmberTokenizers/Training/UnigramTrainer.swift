// HF's `UnigramTrainer`: seed pieces from a suffix array, EM with pruning
// until the vocabulary is within 1.1 × vocabSize, then the final cut with
// every character kept and the special tokens in front.

import Foundation

/// Trains a Unigram (SentencePiece-style) vocabulary, as HF
/// `tokenizers.trainers.UnigramTrainer`.
///
/// ```swift
/// let trainer = UnigramTrainer(vocabSize: 8000, specialTokens: ["<unk>"], unkToken: "<unk>")
/// let trained = try trainer.train(lines: corpus, preTokenizer: Whitespace())
/// try trained.save(to: URL(fileURLWithPath: "tokenizer.json"))
/// ```
public struct UnigramTrainer: Sendable, TokenizerTrainer {
    /// Size of the final vocabulary, special tokens included.
    public var vocabSize: Int
    /// EM iterations between two prunings.
    public var nSubIterations: Int
    /// Fraction of the pieces kept by each pruning.
    public var shrinkingFactor: Double
    /// Tokens placed first in the vocabulary, in this order.
    public var specialTokens: [String]
    /// Characters always kept, seen or not.
    public var initialAlphabet: Set<Unicode.Scalar>
    /// The unknown piece; added at id 0 when not among `specialTokens`.
    public var unkToken: String?
    /// Longest piece, in characters.
    public var maxPieceLength: Int
    /// At most this many seed pieces.
    public var seedSize: Int

    /// A trainer with HF's defaults (vocab_size 8000, 2 sub-iterations,
    /// shrinking factor 0.75, pieces of at most 16 characters).
    ///
    /// ```swift
    /// let t = UnigramTrainer(vocabSize: 1000, shrinkingFactor: 0.8, unkToken: "<unk>")
    /// ```
    public init(vocabSize: Int = 8000, nSubIterations: Int = 2, shrinkingFactor: Double = 0.75,
                specialTokens: [String] = [], initialAlphabet: Set<Unicode.Scalar> = [], unkToken: String? = nil,
                maxPieceLength: Int = 16, seedSize: Int = 1_000_000) {
        self.vocabSize = vocabSize
        self.nSubIterations = nSubIterations
        self.shrinkingFactor = shrinkingFactor
        self.specialTokens = specialTokens
        self.initialAlphabet = initialAlphabet
        self.unkToken = unkToken
        self.maxPieceLength = maxPieceLength
        self.seedSize = seedSize
    }

    /// Trains on counted words, already pre-tokenized; `normalizer` and
    /// `preTokenizer` are only recorded for the saved file.
    ///
    /// ```swift
    /// let trained = try UnigramTrainer(vocabSize: 50, unkToken: "<unk>").train(WordCounts(["hello": 4, "help": 2]))
    /// ```
    public func train(_ words: WordCounts, normalizer: (any Normalizer)? = nil,
                      preTokenizer: (any PreTokenizer)? = nil) throws(TrainerError) -> TrainedTokenizer {
        let model = try learn(words)
        return TrainedTokenizer(model: .unigram(model), normalizer: normalizer, preTokenizer: preTokenizer,
                                addedTokens: TrainedTokenizer.specials(specialTokens, in: model.pieces.map(\.piece)))
    }

    /// Learns the pieces and their log-probabilities from counted words.
    ///
    /// ```swift
    /// let model = try UnigramTrainer(vocabSize: 100).learn(WordCounts(["hello": 4, "help": 2]))
    /// ```
    public func learn(_ words: WordCounts) throws(TrainerError) -> UnigramModelData {
        guard shrinkingFactor > 0, shrinkingFactor < 1 else { throw .invalidSetting("shrinking_factor must be in (0, 1)") }
        guard nSubIterations > 0, maxPieceLength > 0 else { throw .invalidSetting("n_sub_iterations and max_piece_length must be positive") }
        let sentences = words.sorted()
        guard !sentences.isEmpty else { throw .emptyCorpus }
        var required = Set(initialAlphabet)
        for (word, _) in sentences { required.formUnion(word) }
        guard required.count <= vocabSize else { throw .vocabularyTooSmall(vocabSize: vocabSize, required: required.count) }

        // The training vocabulary always starts with an unknown piece.
        var pieces: [Piece] = [("<UNK>", .nan)] + seedPieces(sentences)
        let desired = vocabSize * 11 / 10
        var model = UnigramScorer(pieces)
        while true {
            for _ in 0..<nSubIterations {
                pieces = maximization(pieces, expectedCounts(model, sentences))
                model = UnigramScorer(pieces)
            }
            if pieces.count <= desired { break }
            pieces = prune(model, pieces, sentences)
            model = UnigramScorer(pieces)
        }
        return finalize(model, required: required)
    }

    /// The final vocabulary: every required character (those the model lost
    /// get scores just above its minimum, in code point order where HF's
    /// order is a hash set's), then the best pieces, sorted by score; special
    /// tokens (and the unknown token) first with score 0.
    func finalize(_ model: UnigramScorer, required: Set<Unicode.Scalar>) -> UnigramModelData {
        var pieces: [Piece] = []
        var inserted: Set<VocabKey> = [VocabKey("<UNK>")]
        var existing: [VocabKey: Double] = [:]
        for p in model.pieces { existing[VocabKey(p.piece)] = p.score }
        var penalty = 0.0
        for c in required.sorted(by: { $0.value < $1.value }) {
            let s = String(c)
            inserted.insert(VocabKey(s))
            if let score = existing[VocabKey(s)] {
                pieces.append((s, score))
            } else {
                pieces.append((s, model.minScore + penalty))
                penalty += 0.0001
            }
        }
        var unkId: Int? = nil, addUnk = false
        if let unkToken {
            if let i = specialTokens.firstIndex(where: { $0.unicodeScalars.elementsEqual(unkToken.unicodeScalars) }) {
                unkId = i
            } else {
                unkId = 0
                addUnk = true
            }
        }
        let limit = vocabSize - specialTokens.count - (addUnk ? 1 : 0)
        for p in model.pieces where !inserted.contains(VocabKey(p.piece)) {
            inserted.insert(VocabKey(p.piece))
            pieces.append((p.piece, p.score.isNaN ? 0 : p.score))
            if pieces.count == limit { break }
        }
        // Stable, like Rust's sort_by.
        pieces = pieces.enumerated().sorted {
            $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
        }.map(\.element)
        var front: [Piece] = specialTokens.map { ($0, 0.0) }
        if addUnk, let unkToken { front.insert((unkToken, 0.0), at: 0) }
        return UnigramModelData(pieces: front + pieces, unkId: unkId)
    }
}
