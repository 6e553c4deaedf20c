// Ember's trainers against HF's on the committed corpus: same vocabularies,
// merges and bytes for BPE and WordPiece; for Unigram the same pieces with
// scores equal up to summation order, except where HF's order is a hash set's.

import EmberTokenizers
import Foundation
import Testing

@Suite struct TrainerParityTests {
    func bpe(_ t: TrainedTokenizer) -> BPEModelData? { if case .bpe(let m) = t.model { m } else { nil } }

    func hfEncoding(_ config: String) -> [String: Any] { TrainFixtures.encodings[config] as? [String: Any] ?? [:] }

    /// Ember's saved bytes are the bytes HF's `save(pretty=True)` writes for
    /// its own training run.
    func expectSameFileAsHF(_ t: TrainedTokenizer, _ config: String) throws {
        let crc = TrainFixtures.crc32(try t.jsonData())
        #expect(hfEncoding(config)["pretty_crc32"] as? Int == Int(crc))
    }

    @Test func bpeWhitespaceEqualsHF() throws {
        let t = try TrainFixtures.bpeWhitespace()
        let m = try #require(bpe(t))
        #expect(hfEncoding("bpe_whitespace")["deterministic_across_runs"] as? Bool == true)
        #expect(m.vocab == TrainFixtures.vocab("bpe_whitespace"))
        #expect(m.vocab.count == 600)
        #expect(m.merges.map { [$0.0, $0.1] } == TrainFixtures.merges("bpe_whitespace"))
        try expectSameFileAsHF(t, "bpe_whitespace")
        try TrainFixtures.writeIfAsked(t, "bpe_whitespace")
    }

    /// HF numbers the "x</w>" symbols in hash order (it changes between
    /// runs); given the order of the committed run, everything else follows.
    @Test func bpeSuffixLimitAlphabetMaxLengthEqualsHF() throws {
        let t = try TrainFixtures.bpeSuffixLimited()
        let m = try #require(bpe(t))
        #expect(m.vocab == TrainFixtures.vocab("bpe_suffix_limited"))
        #expect(m.merges.map { [$0.0, $0.1] } == TrainFixtures.merges("bpe_suffix_limited"))
        // limit_alphabet 50 plus the initial alphabet, which is always kept.
        for c in ["é", "ß", "€"] { #expect(m.vocab.contains(c)) }
        #expect(m.vocab.filter { $0.unicodeScalars.count == 1 }.count <= 50)
        for token in m.vocab where !["<s>", "</s>", "<unk>"].contains(token) {
            let n = token.hasSuffix("</w>") ? token.unicodeScalars.count - 4 : token.unicodeScalars.count
            #expect(n <= 8, "max_token_length: \(token)")
        }
        try expectSameFileAsHF(t, "bpe_suffix_limited")
        try TrainFixtures.writeIfAsked(t, "bpe_suffix_limited")
    }

    @Test func byteLevelBPEEqualsHF() throws {
        let t = try TrainFixtures.bpeByteLevel()
        let m = try #require(bpe(t))
        #expect(hfEncoding("bpe_bytelevel")["deterministic_across_runs"] as? Bool == true)
        #expect(m.vocab == TrainFixtures.vocab("bpe_bytelevel"))
        #expect(m.merges.map { [$0.0, $0.1] } == TrainFixtures.merges("bpe_bytelevel"))
        #expect(Set(m.vocab[1...256]) == Set(ByteAlphabet.table.map(String.init)))
    }

    @Test func wordPieceEqualsHFAndEncodesLikeIt() throws {
        let t = try TrainFixtures.wordPieceBert()
        guard case .wordPiece(let m) = t.model else { Issue.record("not a WordPiece model"); return }
        #expect(m.vocab == TrainFixtures.vocab("wordpiece_bert"))
        try expectSameFileAsHF(t, "wordpiece_bert")
        try TrainFixtures.writeIfAsked(t, "wordpiece_bert")

        // Ember reads its own file back and encodes held-out text as HF does
        // with the tokenizer HF trained.
        let tok = try Tokenizer(json: try t.jsonData())
        let expected = hfEncoding("wordpiece_bert")["heldout_ids"] as? [[Int]] ?? []
        #expect(expected.count == TrainFixtures.heldout.count)
        var same = 0
        for (line, ids) in zip(TrainFixtures.heldout, expected) where try tok.encode(line).ids == ids { same += 1 }
        #expect(same == expected.count)
    }

    /// Without HF's hash order Ember numbers "##x" by first appearance; the
    /// result is one HF could produce on another run. Measured: 599 of 600
    /// tokens shared; three HF runs of a 1000-token config share 991-999.
    @Test func wordPieceDefaultOrderIsCloseToHF() throws {
        let t = try TrainFixtures.wordPieceBert(hfOrder: false)
        let hf = Set(TrainFixtures.vocab("wordpiece_bert"))
        let shared = t.model.tokens.filter(hf.contains).count
        #expect(t.model.tokens.count == hf.count)
        #expect(Double(shared) >= 0.99 * Double(hf.count), "shared \(shared) of \(hf.count)")
    }

    @Test func unigramMatchesHF() throws {
        let t = try TrainFixtures.unigramWhitespace()
        guard case .unigram(let m) = t.model else { Issue.record("not a Unigram model"); return }
        let hf = TrainFixtures.pieces("unigram_whitespace")
        #expect(hf.count == 400 && m.pieces.count == 400)
        #expect(m.unkId == (TrainFixtures.hf("unigram_whitespace")["model"] as? [String: Any])?["unk_id"] as? Int)
        #expect(Set(m.pieces.map(\.piece)) == Set(hf.map(\.0)))
        #expect(Array(m.pieces.prefix(2).map(\.piece)) == ["<pad>", "<unk>"])

        // Characters the EM dropped are put back at min_score + k·1e-4, k in
        // HF's hash-set order; compare those as a set of scores.
        let hfScore = Dictionary(hf, uniquingKeysWith: { a, _ in a })
        let minScore = m.pieces.map(\.score).min()!
        let isReinserted = { (p: String, s: Double) in p.unicodeScalars.count == 1 && s < minScore + 0.01 - 1e-9 && s - minScore > -1e-12 }
        var ours: [Double] = [], theirs: [Double] = []
        var worst = 0.0
        for (p, s) in m.pieces {
            let h = try #require(hfScore[p])
            if isReinserted(p, s) || isReinserted(p, h) {
                ours.append(s)
                theirs.append(h)
            } else {
                worst = max(worst, abs(s - h) / max(abs(h), 1))
            }
        }
        #expect(worst <= 1e-9, "largest relative score difference \(worst)")
        #expect(!ours.isEmpty)
        for (a, b) in zip(ours.sorted(), theirs.sorted()) { #expect(abs(a - b) <= 1e-9) }
        try TrainFixtures.writeIfAsked(t, "unigram_whitespace")
    }

    /// Ember's saved files are still the bytes the script's `--verify` step
    /// loaded with HF `Tokenizer.from_file`, and what HF found there.
    @Test(arguments: ["bpe_whitespace", "bpe_suffix_limited", "wordpiece_bert", "unigram_whitespace"])
    func savedFileIsTheOneHFVerified(_ config: String) throws {
        let t: TrainedTokenizer = switch config {
        case "bpe_whitespace": try TrainFixtures.bpeWhitespace()
        case "bpe_suffix_limited": try TrainFixtures.bpeSuffixLimited()
        case "wordpiece_bert": try TrainFixtures.wordPieceBert()
        default: try TrainFixtures.unigramWhitespace()
        }
        let v = try #require(TrainFixtures.verification[config] as? [String: Any])
        let data = try t.jsonData()
        #expect(v["crc32"] as? Int == Int(TrainFixtures.crc32(data)))
        #expect(v["bytes"] as? Int == data.count)
        #expect(v["loads"] as? Bool == true)
        #expect(v["vocab_size_ember"] as? Int == v["vocab_size_hf"] as? Int)
        #expect(v["vocab_shared"] as? Int == v["vocab_size_hf"] as? Int)
        for set in ["corpus", "heldout"] {
            let lines = try #require(v["\(set)_lines"] as? Int)
            if config.hasPrefix("unigram") {
                // Scores differ from HF's in the last bits (summation order),
                // which flips exact ties: runs like "--------------" split as
                // "-" + 13 dashes or 13 dashes + "-". Measured: 1361-1362 of 1370
                // corpus lines, all 132 held-out lines, same token totals.
                #expect(try #require(v["\(set)_identical_tokens"] as? Int) >= lines * 99 / 100)
                #expect(v["\(set)_tokens_ember"] as? Int == v["\(set)_tokens_hf"] as? Int)
            } else {
                #expect(v["\(set)_identical_ids"] as? Int == lines)
            }
        }
    }
}
