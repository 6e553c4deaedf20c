// Reads the HF training references written by
// Tests/Fixtures/Scripts/gen_tokenizer_training.py and builds the same
// trainer configurations in Ember. With EMBER_WRITE_FIXTURES=1 the parity
// tests also write Ember's tokenizer.json files into ember/, which the
// script's `--verify` step loads with HF.

import EmberTokenizers
import Foundation

enum TrainFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/tokenizers-training")
    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The file's lines as the script splits them (on "\n", endings dropped).
    static func lines(_ name: String) -> [String] {
        let text = (try? String(contentsOf: url(name), encoding: .utf8)) ?? ""
        return text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
    }

    static let corpus = lines("corpus.txt")
    static let heldout = lines("heldout.txt")

    static func json(_ name: String) -> [String: Any] {
        guard let data = try? Data(contentsOf: url(name)),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return root
    }

    /// HF's trained tokenizer.json for a config.
    static func hf(_ config: String) -> [String: Any] { json("hf/\(config).json") }
    static var encodings: [String: Any] { json("hf_encodings.json") }
    static var verification: [String: Any] { json("verification.json") }

    /// Vocabulary of an HF BPE/WordPiece model section, in id order.
    static func vocab(_ config: String) -> [String] {
        let model = hf(config)["model"] as? [String: Any]
        let v = model?["vocab"] as? [String: Int] ?? [:]
        return v.sorted { $0.value < $1.value }.map(\.key)
    }

    static func merges(_ config: String) -> [[String]] {
        (hf(config)["model"] as? [String: Any])?["merges"] as? [[String]] ?? []
    }

    /// Pieces and scores of an HF Unigram model section.
    static func pieces(_ config: String) -> [(String, Double)] {
        let v = (hf(config)["model"] as? [String: Any])?["vocab"] as? [[Any]] ?? []
        return v.compactMap { e in (e.first as? String).flatMap { p in (e.last as? Double).map { (p, $0) } } }
    }

    /// The prefixed/suffixed one-character symbols of an HF vocabulary, in
    /// the id order that HF's run happened to give them.
    static func derivedSymbols(_ config: String, prefix: String = "", suffix: String = "") -> [String] {
        vocab(config).filter {
            $0.hasPrefix(prefix) && $0.hasSuffix(suffix)
                && $0.unicodeScalars.count == prefix.unicodeScalars.count + suffix.unicodeScalars.count + 1
        }
    }

    /// The Ember side of each config of the script.
    static let bpeSuffixNormalizer = SequenceNormalizer([UnicodeNormalizer(.nfkc), Lowercase()])

    static func bpeWhitespace() throws -> TrainedTokenizer {
        try BPETrainer(vocabSize: 600, minFrequency: 2, specialTokens: ["[UNK]", "[PAD]"], unkToken: "[UNK]")
            .train(lines: corpus, preTokenizer: Whitespace())
    }

    static func bpeSuffixLimited(hfOrder: Bool = true) throws -> TrainedTokenizer {
        var t = BPETrainer(vocabSize: 500, specialTokens: ["<s>", "</s>", "<unk>"], limitAlphabet: 50,
                           initialAlphabet: ["é", "ß", "€"], endOfWordSuffix: "</w>", maxTokenLength: 8)
        if hfOrder { t.derivedSymbolOrder = derivedSymbols("bpe_suffix_limited", suffix: "</w>") }
        return try t.train(lines: corpus, normalizer: bpeSuffixNormalizer, preTokenizer: WhitespaceSplit())
    }

    static func wordPieceBert(hfOrder: Bool = true) throws -> TrainedTokenizer {
        var t = WordPieceTrainer(vocabSize: 600, specialTokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        if hfOrder { t.bpe.derivedSymbolOrder = derivedSymbols("wordpiece_bert", prefix: "##") }
        return try t.train(lines: corpus, normalizer: BertNormalizer(), preTokenizer: BertPreTokenizer())
    }

    /// HF's WhitespaceSplit + ByteLevel(add_prefix_space=False, use_regex=False) pipeline.
    static func bpeByteLevel() throws -> TrainedTokenizer {
        let pipeline = SequencePreTokenizer([WhitespaceSplit(), ByteLevel(addPrefixSpace: false, useRegex: false)])
        return try BPETrainer(vocabSize: 600, specialTokens: ["<|endoftext|>"],
                              initialAlphabet: Set(ByteAlphabet.table)).train(lines: corpus, preTokenizer: pipeline)
    }

    static func unigramWhitespace() throws -> TrainedTokenizer {
        try UnigramTrainer(vocabSize: 400, specialTokens: ["<pad>", "<unk>"], unkToken: "<unk>")
            .train(lines: corpus, preTokenizer: Whitespace())
    }

    /// Writes Ember's file for the script's `--verify` when asked to.
    static func writeIfAsked(_ t: TrainedTokenizer, _ config: String) throws {
        guard ProcessInfo.processInfo.environment["EMBER_WRITE_FIXTURES"] == "1" else { return }
        try FileManager.default.createDirectory(at: url("ember"), withIntermediateDirectories: true)
        try t.save(to: url("ember/\(config).json"))
    }

    /// zlib's CRC-32, to compare Ember's bytes with those HF verified.
    static func crc32(_ data: Data) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// GPT-2's byte-to-character table (HF's ByteLevel alphabet), for the
/// byte-level training test only: printable bytes stand for themselves, the
/// others for U+0100 upwards in byte order.
enum ByteAlphabet {
    static let table: [Unicode.Scalar] = {
        var out: [Unicode.Scalar] = []
        var next: UInt32 = 256
        for b in UInt32(0)..<256 {
            if (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b) {
                out.append(Unicode.Scalar(b)!)
            } else {
                out.append(Unicode.Scalar(next)!)
                next += 1
            }
        }
        return out
    }()

    static func encode(_ s: String) -> String {
        var v = String.UnicodeScalarView()
        for b in s.utf8 { v.append(table[Int(b)]) }
        return String(v)
    }
}
