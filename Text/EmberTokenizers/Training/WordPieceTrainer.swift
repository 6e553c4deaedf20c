// HF trains WordPiece with its BPE trainer and the "##" prefix, then keeps
// only the vocabulary: WordPiece encodes greedily, without merges.

import Foundation

/// Trains a WordPiece vocabulary, as HF `tokenizers.trainers.WordPieceTrainer`.
///
/// ```swift
/// let trainer = WordPieceTrainer(vocabSize: 2000, specialTokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
/// let trained = try trainer.train(lines: corpus, normalizer: BertNormalizer(), preTokenizer: BertPreTokenizer())
/// let tok = try trained.tokenizer()
/// ```
public struct WordPieceTrainer: Sendable, TokenizerTrainer {
    /// The BPE trainer doing the work; its `continuingSubwordPrefix` is "##".
    public var bpe: BPETrainer
    /// Model settings written to the file.
    public var unkToken: String
    public var maxInputCharsPerWord: Int

    /// A trainer with HF's defaults (vocab_size 30000, prefix "##").
    ///
    /// ```swift
    /// let t = WordPieceTrainer(vocabSize: 1000, minFrequency: 2, limitAlphabet: 500)
    /// ```
    public init(vocabSize: Int = 30000, minFrequency: Int = 0, specialTokens: [String] = [], limitAlphabet: Int? = nil,
                initialAlphabet: Set<Unicode.Scalar> = [], continuingSubwordPrefix: String = "##",
                endOfWordSuffix: String? = nil, unkToken: String = "[UNK]", maxInputCharsPerWord: Int = 100) {
        bpe = BPETrainer(vocabSize: vocabSize, minFrequency: minFrequency, specialTokens: specialTokens,
                         limitAlphabet: limitAlphabet, initialAlphabet: initialAlphabet,
                         continuingSubwordPrefix: continuingSubwordPrefix, endOfWordSuffix: endOfWordSuffix)
        self.unkToken = unkToken
        self.maxInputCharsPerWord = maxInputCharsPerWord
    }


    /// Trains on counted words, already pre-tokenized.
    ///
    /// ```swift
    /// let trained = try WordPieceTrainer(vocabSize: 100).train(WordCounts(["hug": 10, "hugs": 5]))
    /// ```
    public func train(_ words: WordCounts, normalizer: (any Normalizer)? = nil, preTokenizer: (any PreTokenizer)? = nil) throws(TrainerError) -> TrainedTokenizer {
        let learned = try bpe.learn(words)
        let model = WordPieceModelData(vocab: learned.vocab, unkToken: unkToken,
                                       continuingSubwordPrefix: bpe.continuingSubwordPrefix ?? "##",
                                       maxInputCharsPerWord: maxInputCharsPerWord)
        return TrainedTokenizer(model: .wordPiece(model), normalizer: normalizer, preTokenizer: preTokenizer,
                                addedTokens: TrainedTokenizer.specials(bpe.specialTokens, in: learned.vocab))
    }
}
