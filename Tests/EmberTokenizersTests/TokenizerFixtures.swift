// Loads the HF reference outputs written by
// Tests/Fixtures/Scripts/gen_tokenizers.py and compares encodings with them.

import EmberTokenizers
import Foundation
import Testing

/// One corpus entry and HF's encoding and decodings of it.
struct HFCase: Sendable, CustomTestStringConvertible {
    let text: String
    let pair: String?
    let addSpecialTokens: Bool
    let ids: [Int]
    let typeIds: [Int]
    let tokens: [String]
    let offsets: [Range<Int>]
    let attentionMask: [Int]
    let specialTokensMask: [Int]
    let decoded: String
    let decodedWithSpecial: String

    var testDescription: String {
        let t = String(text.debugDescription.prefix(40))
        return pair.map { "\(t) + \(String($0.debugDescription.prefix(30)))" } ?? t
    }

    init(_ j: [String: Any]) {
        text = j["text"] as! String
        pair = j["pair"] as? String
        addSpecialTokens = j["add_special_tokens"] as? Bool ?? true
        ids = j["ids"] as! [Int]
        typeIds = j["type_ids"] as! [Int]
        tokens = j["tokens"] as! [String]
        offsets = (j["offsets"] as! [[Int]]).map { $0[0]..<$0[1] }
        attentionMask = j["attention_mask"] as! [Int]
        specialTokensMask = j["special_tokens_mask"] as! [Int]
        decoded = j["decoded"] as! String
        decodedWithSpecial = j["decoded_with_special"] as! String
    }

    /// Expects `e` (and its decodings by `tok`) to equal HF's, field by field.
    func check(_ e: Encoding, _ tok: Tokenizer, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(e.tokens == tokens, sourceLocation: sourceLocation)
        #expect(e.ids == ids, sourceLocation: sourceLocation)
        #expect(e.typeIds == typeIds, sourceLocation: sourceLocation)
        #expect(e.offsets == offsets, sourceLocation: sourceLocation)
        #expect(e.attentionMask == attentionMask, sourceLocation: sourceLocation)
        #expect(e.specialTokensMask == specialTokensMask, sourceLocation: sourceLocation)
        #expect(tok.decode(ids) == decoded, sourceLocation: sourceLocation)
        #expect(tok.decode(ids, skipSpecialTokens: false) == decodedWithSpecial, sourceLocation: sourceLocation)
    }

    /// Whether every field matches (for counting parity).
    func matches(_ e: Encoding, _ tok: Tokenizer) -> Bool {
        e.tokens == tokens && e.ids == ids && e.typeIds == typeIds && e.offsets == offsets
            && e.attentionMask == attentionMask && e.specialTokensMask == specialTokensMask
            && tok.decode(ids) == decoded && tok.decode(ids, skipSpecialTokens: false) == decodedWithSpecial
    }
}

enum TokFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/tokenizers")

    static let minilmDirectory = FileManager.default.homeDirectoryForCurrentUser
        .appendingPathComponent(".cache/ember/all-MiniLM-L6-v2")
    static let minilmJSON = minilmDirectory.appendingPathComponent("tokenizer.json")
    static let minilmVocab = minilmDirectory.appendingPathComponent("vocab.txt")
    static let minilmAvailable = FileManager.default.fileExists(atPath: minilmJSON.path)
        && FileManager.default.fileExists(atPath: minilmVocab.path)

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The case lists of a `*_cases.json` file, by section.
    static func cases(_ file: String, _ section: String) -> [HFCase] {
        guard let data = try? Data(contentsOf: url(file)),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root[section] as? [[String: Any]] else {
            return []
        }
        return list.map(HFCase.init)
    }

    static func tokenizer(_ file: String) throws -> Tokenizer {
        try Tokenizer(contentsOf: url(file))
    }
}
