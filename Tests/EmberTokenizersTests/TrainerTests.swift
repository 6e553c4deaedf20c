// Trainer behaviour that does not need HF: word counting, settings, errors,
// saving and reading back.

import EmberTokenizers
import Foundation
import Testing

@Suite struct TrainerTests {
    @Test func wordCountsKeepCanonicalEquivalentsApart() {
        var counts = WordCounts()
        counts.add(lines: ["caf\u{E9} cafe\u{301} caf\u{E9}", "", "  "], preTokenizer: WhitespaceSplit())
        #expect(counts.count == 2)
        #expect(counts["caf\u{E9}"] == 2)
        #expect(counts["cafe\u{301}"] == 1)
    }

    @Test func parallelCountingEqualsSerial() {
        let lines = Array(repeating: TrainFixtures.corpus, count: 8).joined() + TrainFixtures.heldout
        // Counting goes parallel from two chunks of 2048 lines up.
        #expect(lines.count >= 2 * 2048)
        var parallel = WordCounts()
        parallel.add(lines: lines, normalizer: Lowercase(), preTokenizer: Whitespace())
        var serial = WordCounts()
        for line in lines {
            var s = NormalizedString(line)
            Lowercase().normalize(&s)
            serial.add(words: Whitespace().preTokenize([s]).map(\.text))
        }
        #expect(parallel.count == serial.count)
        for w in ["the", "license", "you", ",", "東京"] { #expect(parallel[w] == serial[w] && serial[w] > 0) }
    }

    @Test func minFrequencyStopsMerging() throws {
        let t = try BPETrainer(vocabSize: 1000, minFrequency: 1_000_000, specialTokens: ["<unk>"])
            .train(lines: ["low lower lowest", "newer newest"], preTokenizer: Whitespace())
        guard case .bpe(let m) = t.model else { Issue.record("not BPE"); return }
        #expect(m.merges.isEmpty)
        #expect(m.vocab == ["<unk>"] + Set("lowernst".unicodeScalars).sorted { $0.value < $1.value }.map(String.init))
    }

    @Test func mergesRebuildEveryToken() throws {
        let t = try BPETrainer(vocabSize: 80).train(lines: TrainFixtures.heldout, preTokenizer: Whitespace())
        guard case .bpe(let m) = t.model else { Issue.record("not BPE"); return }
        #expect(m.vocab.count == 80)
        let learned = Set(m.merges.map { $0.0 + $0.1 })
        let alphabet = m.vocab.count - m.merges.count
        for token in m.vocab[alphabet...] { #expect(learned.contains(token)) }
    }

    @Test func filesTrainLikeLines() throws {
        let fromFile = try BPETrainer(vocabSize: 300).train(files: [TrainFixtures.url("heldout.txt")],
                                                            preTokenizer: Whitespace())
        let fromLines = try BPETrainer(vocabSize: 300).train(lines: TrainFixtures.heldout, preTokenizer: Whitespace())
        #expect(fromFile.model == fromLines.model)
    }

    @Test func emptyCorpusIsAnError() {
        #expect(throws: TrainerError.emptyCorpus) { try BPETrainer(vocabSize: 10).train(lines: ["", "   "], preTokenizer: Whitespace()) }
        #expect(throws: TrainerError.emptyCorpus) { try WordPieceTrainer(vocabSize: 10).train(lines: []) }
        #expect(throws: TrainerError.emptyCorpus) { try UnigramTrainer(vocabSize: 10).train(lines: ["\n"], preTokenizer: Whitespace()) }
    }

    @Test func vocabularySmallerThanAlphabetIsAnError() {
        #expect(throws: TrainerError.vocabularyTooSmall(vocabSize: 4, required: 5)) {
            try BPETrainer(vocabSize: 4, specialTokens: ["<unk>"]).train(lines: ["abcd"])
        }
        #expect(throws: TrainerError.vocabularyTooSmall(vocabSize: 3, required: 4)) {
            try UnigramTrainer(vocabSize: 3).train(lines: ["abcd abcd"], preTokenizer: Whitespace())
        }
        #expect(throws: TrainerError.invalidSetting("shrinking_factor must be in (0, 1)")) {
            try UnigramTrainer(vocabSize: 30, shrinkingFactor: 1.5).train(lines: ["abcd"])
        }
    }

    @Test func unreadableFileIsAnError() {
        let missing = URL(fileURLWithPath: "/nonexistent/corpus.txt")
        #expect {
            try BPETrainer(vocabSize: 10).train(files: [missing])
        } throws: { e in
            guard case TrainerError.unreadableFile(let path, _) = e else { return false }
            return path == missing.path
        }
    }

    @Test func nonUTF8FileIsAnError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ember-train-\(UUID().uuidString).txt")
        try Data([0x61, 0xFF, 0xFE, 0x0A]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: TrainerError.unreadableFile(path: url.path, reason: "not UTF-8 text")) {
            try UnigramTrainer(vocabSize: 10).train(files: [url])
        }
    }

    /// A given symbol order only numbers symbols the corpus has; the rest
    /// keep their default order after them.
    @Test func derivedSymbolOrderNumbersOnlySeenSymbols() throws {
        var t = WordPieceTrainer(vocabSize: 12, specialTokens: ["[UNK]"])
        t.bpe.derivedSymbolOrder = ["##zz", "##c", "##q"]
        let trained = try t.train(WordCounts(["abc": 3, "ab": 2]))
        let vocab = trained.model.tokens
        #expect(Array(vocab.prefix(6)) == ["[UNK]", "a", "b", "c", "##c", "##b"])
        #expect(!vocab.contains("##zz") && !vocab.contains("##q"))
        t.bpe.derivedSymbolOrder = nil
        #expect(Array(try t.train(WordCounts(["abc": 3, "ab": 2])).model.tokens.prefix(6)) == ["[UNK]", "a", "b", "c", "##b", "##c"])
    }

    struct Shouting: Normalizer {
        func normalize(_ text: inout NormalizedString) {}
    }

    @Test func componentWithoutJSONFormIsAnError() throws {
        let t = try BPETrainer(vocabSize: 30).train(lines: ["hello world"],
                                                    normalizer: SequenceNormalizer([Lowercase(), Shouting()]),
                                                    preTokenizer: Whitespace())
        #expect(throws: TrainerError.unserializableComponent(role: "normalizer", type: "Shouting")) { try t.jsonData() }
    }

    @Test func saveIsAtomicAndOverwrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tokenizer.json")
        try Data("old".utf8).write(to: url)
        let t = try WordPieceTrainer(vocabSize: 100, specialTokens: ["[UNK]"]).train(lines: TrainFixtures.heldout,
                                                                                  preTokenizer: BertPreTokenizer())
        try t.save(to: url)
        #expect(try Data(contentsOf: url) == t.jsonData())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["tokenizer.json"])
        let back = try Tokenizer(contentsOf: url)
        #expect(back.tokenToId("[UNK]") == 0)
        #expect(back.addedTokens.map(\.content) == ["[UNK]"])
        #expect(throws: TrainerError.self) { try t.save(to: URL(fileURLWithPath: "/nonexistent/dir/tokenizer.json")) }
    }

    /// Every part of the pipeline survives a round trip through the file.
    @Test func pipelineRoundTripsThroughTheFile() throws {
        var t = try WordPieceTrainer(vocabSize: 200, specialTokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"])
            .train(lines: TrainFixtures.heldout,
                   normalizer: SequenceNormalizer([UnicodeNormalizer(.nfd), StripAccentsNormalizer(), Lowercase()]),
                   preTokenizer: SequencePreTokenizer([WhitespaceSplit(), BertPreTokenizer()]))
        t.postProcessor = try TemplateProcessing(single: "[CLS]:0 $A:0 [SEP]:0", pair: "[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
                                                 specialTokens: ["[CLS]": ([2], ["[CLS]"]), "[SEP]": ([3], ["[SEP]"])])
        t.decoder = WordPieceDecoder()
        let tok = try t.tokenizer()
        let e = try tok.encode("Café \u{1}\"quoted\"\tTEXT", pair: "second")
        #expect(e.ids.first == 2 && e.typeIds.last == 1)
        #expect(tok.decode(e.ids).hasPrefix("cafe"))
        let again = try TrainedTokenizer(model: t.model, normalizer: tok.normalizer, preTokenizer: tok.preTokenizer,
                                         postProcessor: tok.postProcessor, decoder: tok.decoder,
                                         addedTokens: tok.addedTokens).jsonData()
        #expect(again == (try t.jsonData()))
    }

    @Test func unigramSavesScoresThatParseBack() throws {
        let t = try UnigramTrainer(vocabSize: 120, unkToken: "<unk>").train(lines: TrainFixtures.heldout,
                                                                           preTokenizer: Whitespace())
        guard case .unigram(let m) = t.model else { Issue.record("not Unigram"); return }
        #expect(m.unkId == 0 && m.pieces[0].piece == "<unk>")
        #expect(m.pieces.count == 120)
        #expect(zip(m.pieces.dropFirst(), m.pieces.dropFirst(2)).allSatisfy { $0.score >= $1.score })
        // Foundation's JSON parser can be one ulp off, so the numbers are
        // read with Swift's exact Double(String) from the pretty layout,
        // where each score is a line of its own.
        let text = String(decoding: try t.jsonData(), as: UTF8.self)
        let scores = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.first == "-" || $0.first?.isNumber == true }.compactMap { Double($0) }
        #expect(scores == m.pieces.map(\.score))
    }
}

/// The writer lays out floats and escapes strings as HF's serde_json does:
/// the script saved a Unigram tokenizer with these pieces from HF.
@Test func jsonLayoutMatchesHF() throws {
    let pieces: [(piece: String, score: Double)] = [
        ("<unk>", 0.0), ("a", -1.0), ("b", -2.5), ("c", 1e-5), ("d", -1.5e-5), ("e", 1e-6), ("f", -3e-7),
        ("g", 123456789.0), ("h", 1e16), ("i", 1.2345678901234567e20), ("j", -9.87654321e-10), ("k", 0.1),
        ("l", -0.30000000000000004), ("m", Double.leastNonzeroMagnitude), ("n", 1.7976931348623157e308), ("o", 9007199254740993.0),
        ("p", -2.821095567027995), ("q\"\\\n\t\u{1}\u{7f}\u{e9}\u{6771}\u{1F600}", -4.25), ("r", 1e15), ("s", 0.001),
    ]
    let t = TrainedTokenizer(model: .unigram(UnigramModelData(pieces: pieces, unkId: 0)))
    let hf = try Data(contentsOf: TrainFixtures.url("hf/unigram_float_layout.json"))
    #expect(String(decoding: try t.jsonData(), as: UTF8.self) == String(decoding: hf, as: UTF8.self))
}
