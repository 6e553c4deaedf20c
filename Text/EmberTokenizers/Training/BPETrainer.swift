// HF's `BpeTrainer`: special tokens first, then the alphabet in code point
// order, then one token per merge. Every setting has HF's name and meaning.

import Foundation

/// Trains a BPE vocabulary and merges, as HF `tokenizers.trainers.BpeTrainer`.
///
/// ```swift
/// let trainer = BPETrainer(vocabSize: 1000, minFrequency: 2, specialTokens: ["[UNK]"], unkToken: "[UNK]")
/// let trained = try trainer.train(lines: corpus, preTokenizer: Whitespace())
/// try trained.save(to: URL(fileURLWithPath: "tokenizer.json"))
/// ```
public struct BPETrainer: Sendable, TokenizerTrainer {
    /// Target size of the vocabulary, special tokens and alphabet included.
    public var vocabSize: Int
    /// A pair must occur at least this often to be merged.
    public var minFrequency: Int
    /// Tokens placed first in the vocabulary, in this order.
    public var specialTokens: [String]
    /// Keep at most this many alphabet characters (the most frequent).
    public var limitAlphabet: Int?
    /// Characters always in the alphabet, seen or not.
    public var initialAlphabet: Set<Unicode.Scalar>
    /// Prefix of every symbol that does not start a word ("##" for WordPiece).
    public var continuingSubwordPrefix: String?
    /// Suffix of every symbol that ends a word ("</w>" in the original BPE).
    public var endOfWordSuffix: String?
    /// No token longer than this many characters is learned.
    public var maxTokenLength: Int?
    /// The model's `unk_token` in the saved file (the trainer does not use it).
    public var unkToken: String?
    /// Ids for the prefixed/suffixed alphabet symbols ("##a", "a</w>") in
    /// this order, before any others. HF numbers them in hash-map order,
    /// which changes from run to run and decides ties between merges; give
    /// the order of an HF run (its vocabulary, by id) to reproduce it.
    /// nil: order of first appearance over the words in UTF-8 order.
    public var derivedSymbolOrder: [String]?

    /// A trainer with HF's defaults (vocab_size 30000, min_frequency 0).
    ///
    /// ```swift
    /// let t = BPETrainer(vocabSize: 5000, specialTokens: ["<s>", "</s>"], endOfWordSuffix: "</w>")
    /// ```
    public init(vocabSize: Int = 30000, minFrequency: Int = 0, specialTokens: [String] = [], limitAlphabet: Int? = nil,
                initialAlphabet: Set<Unicode.Scalar> = [], continuingSubwordPrefix: String? = nil,
                endOfWordSuffix: String? = nil, maxTokenLength: Int? = nil, unkToken: String? = nil) {
        self.vocabSize = vocabSize
        self.minFrequency = minFrequency
        self.specialTokens = specialTokens
        self.limitAlphabet = limitAlphabet
        self.initialAlphabet = initialAlphabet
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.endOfWordSuffix = endOfWordSuffix
        self.maxTokenLength = maxTokenLength
        self.unkToken = unkToken
    }

    /// Trains on counted words, already pre-tokenized; `normalizer` and
    /// `preTokenizer` are only recorded for the saved file.
    ///
    /// ```swift
    /// let trained = try BPETrainer(vocabSize: 100).train(WordCounts(["low": 5, "lowest": 2]))
    /// ```
    public func train(_ words: WordCounts, normalizer: (any Normalizer)? = nil,
                      preTokenizer: (any PreTokenizer)? = nil) throws(TrainerError) -> TrainedTokenizer {
        let model = try learn(words)
        return TrainedTokenizer(model: .bpe(model), normalizer: normalizer, preTokenizer: preTokenizer,
                                addedTokens: TrainedTokenizer.specials(specialTokens, in: model.vocab))
    }

    /// Learns the model from counted words, for any pre-tokenization (for
    /// example byte-level words made by your own function).
    ///
    /// ```swift
    /// var counts = WordCounts()
    /// counts.add(lines: lines) { $0.split(separator: " ").map(String.init) }
    /// let model = try BPETrainer(vocabSize: 300).learn(counts)
    /// ```
    public func learn(_ words: WordCounts) throws(TrainerError) -> BPEModelData {
        guard vocabSize > 0 else { throw .invalidSetting("vocab_size must be positive") }
        let sorted = words.sorted()
        guard !sorted.isEmpty else { throw .emptyCorpus }
        var learner = BPELearner(tokens: [], index: [:], words: [], counts: [])
        for s in specialTokens { _ = learner.id(of: s) }

        let alphabet = self.alphabet(sorted)
        for c in alphabet.sorted(by: { $0.value < $1.value }) { _ = learner.id(of: String(c)) }
        guard learner.tokens.count <= vocabSize else {
            throw .vocabularyTooSmall(vocabSize: vocabSize, required: learner.tokens.count)
        }
        // Words as symbol strings first, so that derived symbols can be
        // numbered in the requested order before the others.
        var symbolWords: [[String]] = []
        var derived: [String] = []
        var seen = Set<VocabKey>()
        for (word, _) in sorted {
            var symbols: [String] = []
            for (k, c) in word.enumerated() where alphabet.contains(c) {
                var s = String(c)
                if k > 0, let p = continuingSubwordPrefix { s = p + s }
                if k == word.count - 1, let x = endOfWordSuffix { s += x }
                if learner.index[VocabKey(s)] == nil, seen.insert(VocabKey(s)).inserted { derived.append(s) }
                symbols.append(s)
            }
            symbolWords.append(symbols)
        }
        for s in derivedSymbolOrder ?? [] where seen.contains(VocabKey(s)) { _ = learner.id(of: s) }
        for s in derived { _ = learner.id(of: s) }
        for (symbols, (_, count)) in zip(symbolWords, sorted) {
            let ids = symbols.map { learner.index[VocabKey($0)]! }
            learner.words.append(MergeWord(ids: ids, lengths: Array(repeating: 1, count: ids.count)))
            learner.counts.append(count)
        }

        let learned = learner.learn(vocabSize: vocabSize, minFrequency: minFrequency, prefix: continuingSubwordPrefix,
                                    maxTokenLength: maxTokenLength ?? Int.max)
        // HF keys its merges by pair, so a pair learned twice keeps the rank
        // of its last occurrence.
        var last: [UInt64: Int] = [:]
        for (rank, (p, _)) in learned.enumerated() { last[p] = rank }
        var merges: [(String, String)] = []
        for (rank, (p, _)) in learned.enumerated() where last[p] == rank {
            let (a, b) = BPELearner.split(p)
            merges.append((learner.tokens[Int(a)], learner.tokens[Int(b)]))
        }
        return BPEModelData(vocab: learner.tokens, merges: merges, unkToken: unkToken,
                            continuingSubwordPrefix: continuingSubwordPrefix, endOfWordSuffix: endOfWordSuffix)
    }

    /// The characters of the words (weighted by count) plus the initial
    /// alphabet; with `limitAlphabet`, the least frequent are dropped (ties:
    /// the higher code point goes first, where HF's order is arbitrary).
    func alphabet(_ words: [(word: [Unicode.Scalar], count: Int)]) -> Set<Unicode.Scalar> {
        var freq: [Unicode.Scalar: Int] = [:]
        for (word, count) in words { for c in word { freq[c, default: 0] += count } }
        for c in initialAlphabet { freq[c] = Int.max }
        guard let limit = limitAlphabet, freq.count > limit else { return Set(freq.keys) }
        let kept = freq.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.value < $1.key.value }.prefix(limit)
        return Set(kept.map(\.key))
    }
}
