// Word counting: every trainer learns from a table of pre-tokenized words and
// their counts, as HF's `Trainer::feed` builds it. Words are keyed scalar by
// scalar (VocabKey) because HF's maps are byte-keyed: "é" and "e\u{301}" are
// different words there.

import Foundation

/// Words of a corpus with their counts: what a trainer learns from.
///
/// ```swift
/// var counts = WordCounts()
/// counts.add(lines: ["a cat", "a dog"], preTokenizer: Whitespace())
/// counts["a"]   // 2
/// ```
public struct WordCounts: Sendable {
    var counts: [VocabKey: Int] = [:]

    /// An empty table.
    public init() {}

    /// A table from explicit words and counts (already pre-tokenized).
    ///
    /// ```swift
    /// let counts = WordCounts(["hello": 3, "world": 1])
    /// ```
    public init(_ words: [String: Int]) {
        for (w, c) in words where c > 0 { counts[VocabKey(w), default: 0] += c }
    }

    /// Number of distinct words.
    ///
    /// ```swift
    /// WordCounts(["a": 2, "b": 1]).count   // 2
    /// ```
    public var count: Int { counts.count }
    /// The count of one word (0 when absent).
    ///
    /// ```swift
    /// WordCounts(["a": 2])["a"]   // 2
    /// ```
    public subscript(_ word: String) -> Int { counts[VocabKey(word)] ?? 0 }

    /// Counts each word once per occurrence. Empty words carry no symbol to
    /// learn from and are dropped.
    ///
    /// ```swift
    /// counts.add(words: ["Ġthe", "Ġcat"])
    /// ```
    public mutating func add<S: Sequence>(words: S) where S.Element == String {
        for w in words where !w.isEmpty { counts[VocabKey(w), default: 0] += 1 }
    }

    /// Runs each line through the normalizer and pre-tokenizer (as HF's
    /// `Tokenizer.train` does) and counts the resulting words. Lines are
    /// split over the cores; the counts do not depend on the split.
    ///
    /// ```swift
    /// counts.add(lines: lines, normalizer: BertNormalizer(), preTokenizer: BertPreTokenizer())
    /// ```
    public mutating func add(lines: [String], normalizer: (any Normalizer)? = nil, preTokenizer: (any PreTokenizer)? = nil) {
        add(lines: lines) { line in
            var s = NormalizedString(line)
            normalizer?.normalize(&s)
            if s.isEmpty { return [] }
            return (preTokenizer?.preTokenize([s]) ?? [s]).map(\.text)
        }
    }

    /// Counts the words that `split` cuts each line into: use this for a
    /// pre-tokenization that is not a `PreTokenizer` of this library.
    ///
    /// ```swift
    /// counts.add(lines: lines) { $0.split(separator: " ").map(String.init) }
    /// ```
    public mutating func add(lines: [String], split: @Sendable (String) -> [String]) {
        let chunks = max(1, min(lines.count / 2048, ProcessInfo.processInfo.activeProcessorCount * 4))
        if chunks == 1 {
            for line in lines { add(words: split(line)) }
            return
        }
        let partial = UnsafeMutableBufferPointer<[VocabKey: Int]>.allocate(capacity: chunks)
        partial.initialize(repeating: [:])
        defer { partial.deinitialize(); partial.deallocate() }
        // Each chunk writes only its own slot.
        nonisolated(unsafe) let slots = partial
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            var local: [VocabKey: Int] = [:]
            let lo = lines.count * k / chunks, hi = lines.count * (k + 1) / chunks
            for line in lines[lo..<hi] {
                for w in split(line) where !w.isEmpty { local[VocabKey(w), default: 0] += 1 }
            }
            slots[k] = local
        }
        for local in partial {
            for (w, c) in local { counts[w, default: 0] += c }
        }
    }

    /// The words in UTF-8 byte order with their counts. Trainers walk words
    /// in this order so that results never depend on hashing.
    func sorted() -> [(word: [Unicode.Scalar], count: Int)] {
        counts.map { (Array($0.key.string.unicodeScalars), $0.value) }
            .sorted { $0.word.lexicographicallyPrecedes($1.word) { $0.value < $1.value } }
    }
}

/// Reading corpus files the way HF's `train_from_files` does: every line keeps
/// its ending ("\n", "\r\n"), which matters for pre-tokenizers that do not
/// drop whitespace.
enum CorpusFiles {
    static func lines(_ urls: [URL]) throws(TrainerError) -> [String] {
        var lines: [String] = []
        for url in urls {
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw .unreadableFile(path: url.path, reason: error.localizedDescription)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw .unreadableFile(path: url.path, reason: "not UTF-8 text")
            }
            var current = String.UnicodeScalarView()
            for c in text.unicodeScalars {
                current.append(c)
                if c == "\n" {
                    lines.append(String(current))
                    current = String.UnicodeScalarView()
                }
            }
            if !current.isEmpty { lines.append(String(current)) }
        }
        return lines
    }
}

/// What BPE, WordPiece and Unigram trainers share: they learn from counted
/// words, and lines or files are counted through the pipeline first.
///
/// ```swift
/// func vocabulary(_ trainer: some TokenizerTrainer, _ lines: [String]) throws -> TrainedTokenizer {
///     try trainer.train(lines: lines, preTokenizer: Whitespace())
/// }
/// ```
public protocol TokenizerTrainer {
    /// Trains on counted words, already pre-tokenized; `normalizer` and
    /// `preTokenizer` are only recorded for the saved file.
    func train(_ words: WordCounts, normalizer: (any Normalizer)?,
               preTokenizer: (any PreTokenizer)?) throws(TrainerError) -> TrainedTokenizer
}

extension TokenizerTrainer {
    /// Trains on lines of text through a normalizer and pre-tokenizer; the
    /// result carries both, to be written to the tokenizer.json.
    ///
    /// ```swift
    /// let trained = try BPETrainer(vocabSize: 500).train(lines: ["low lower lowest"], preTokenizer: Whitespace())
    /// ```
    public func train(lines: [String], normalizer: (any Normalizer)? = nil,
                      preTokenizer: (any PreTokenizer)? = nil) throws(TrainerError) -> TrainedTokenizer {
        var counts = WordCounts()
        counts.add(lines: lines, normalizer: normalizer, preTokenizer: preTokenizer)
        return try train(counts, normalizer: normalizer, preTokenizer: preTokenizer)
    }

    /// Trains on text files, line by line with line endings kept (HF's
    /// `train(files)`).
    ///
    /// ```swift
    /// let trained = try UnigramTrainer(vocabSize: 8000).train(files: [corpusURL], preTokenizer: Whitespace())
    /// ```
    public func train(files: [URL], normalizer: (any Normalizer)? = nil,
                      preTokenizer: (any PreTokenizer)? = nil) throws(TrainerError) -> TrainedTokenizer {
        try train(lines: try CorpusFiles.lines(files), normalizer: normalizer, preTokenizer: preTokenizer)
    }
}
