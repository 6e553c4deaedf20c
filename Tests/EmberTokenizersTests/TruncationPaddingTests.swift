// Truncation and padding set by arguments (not by the file), against HF with
// the same settings, plus batch-versus-sequential equality.

import EmberTokenizers
import Foundation
import Testing

/// One block of `settings` in a `*_cases.json`: HF's settings and its results.
struct SettingsBlock: Sendable, CustomTestStringConvertible {
    let file: String
    let truncation: Truncation
    let padding: Padding?
    /// Per input: HF's encoding, or nil where HF refused (an error).
    let cases: [(text: String, pair: String?, expected: HFCase?)]
    let batch: [HFCase]?
    var testDescription: String { "\(file) \(truncation.strategy) \(truncation.maxLength) \(padding.map { "\($0.strategy)" } ?? "no padding")" }

    static func load(_ name: String) -> [SettingsBlock] {
        guard let data = try? Data(contentsOf: TokFixtures.url("\(name)_cases.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let blocks = root["settings"] as? [[String: Any]] else { return [] }
        return blocks.map { b in
            let st = b["settings"] as! [String: Any]
            let t = st["truncation"] as! [String: Any]
            let strategy: Truncation.Strategy = switch t["strategy"] as! String {
            case "only_first": .onlyFirst
            case "only_second": .onlySecond
            default: .longestFirst
            }
            let truncation = Truncation(maxLength: t["max_length"] as! Int, strategy: strategy,
                                        direction: t["direction"] as! String == "left" ? .left : .right)
            var padding: Padding?
            if let p = st["padding"] as? [String: Any] {
                padding = Padding(strategy: (p["length"] as? Int).map { .fixed($0) } ?? .batchLongest,
                                  direction: p["direction"] as? String == "left" ? .left : .right,
                                  padToMultipleOf: p["pad_to_multiple_of"] as? Int, padId: p["pad_id"] as? Int ?? 0,
                                  padTypeId: p["pad_type_id"] as? Int ?? 0, padToken: p["pad_token"] as? String ?? "[PAD]")
            }
            let cases = (b["cases"] as! [[String: Any]]).map { c in
                (text: c["text"] as! String, pair: c["pair"] as? String, expected: c["error"] == nil ? HFCase(c) : nil)
            }
            let batch = (b["batch"] as? [[String: Any]])?.map(HFCase.init)
            return SettingsBlock(file: name, truncation: truncation, padding: padding, cases: cases, batch: batch)
        }
    }
}

@Suite struct TruncationPadding {
    @Test(arguments: SettingsBlock.load("small_bert") + SettingsBlock.load("small_seq"))
    func argumentsMatchHF(_ block: SettingsBlock) throws {
        var tok = try TokFixtures.tokenizer("\(block.file).json")
        tok.truncation = block.truncation
        tok.padding = block.padding
        for c in block.cases {
            if let expected = c.expected {
                expected.check(try tok.encode(c.text, pair: c.pair), tok)
            } else {
                #expect(throws: TokenizerError.self) { try tok.encode(c.text, pair: c.pair) }
            }
        }
        let pairs: [(String, String?)] = block.cases.filter { $0.pair != nil }.map { ($0.text, $0.pair) }
        if let batch = block.batch {
            for (c, e) in zip(batch, try tok.encodeBatch(pairs)) { c.check(e, tok) }
        } else {
            #expect(throws: TokenizerError.self) { try tok.encodeBatch(pairs) }
        }
    }

    @Test func fileSettingsAreRead() throws {
        let bert = try TokFixtures.tokenizer("small_bert.json")
        #expect(bert.truncation == Truncation(maxLength: 40))
        #expect(bert.padding == nil)
        let seq = try TokFixtures.tokenizer("small_seq.json")
        #expect(seq.padding == Padding(strategy: .batchLongest, padToMultipleOf: 8))
        #expect(seq.truncation == Truncation(maxLength: 30))
    }

    @Test func truncationNeedsRoomForSpecials() throws {
        var tok = try TokFixtures.tokenizer("small_bert.json")
        tok.truncation = Truncation(maxLength: 1)
        #expect(throws: TokenizerError.truncationTooShort(maxLength: 1, specialTokens: 2)) { try tok.encode("hello") }
        // Without special tokens the whole budget goes to the text.
        #expect(try tok.encode("hello world", addSpecialTokens: false).tokens == ["hello"])
    }

    @Test func zeroBudgetEmptiesBothSequences() throws {
        var tok = try TokFixtures.tokenizer("small_bert.json")
        tok.truncation = Truncation(maxLength: 3, strategy: .onlyFirst)
        // 3 - 3 special tokens leaves 0: both sequences go, as in HF.
        #expect(try tok.encode("hello world", pair: "world").tokens == ["[CLS]", "[SEP]", "[SEP]"])
    }

    @Test func fixedPaddingLeft() throws {
        var tok = try TokFixtures.tokenizer("small_bert.json")
        tok.padding = Padding(strategy: .fixed(6), direction: .left)
        let e = try tok.encode("hello")
        #expect(e.tokens == ["[PAD]", "[PAD]", "[PAD]", "[CLS]", "hello", "[SEP]"])
        #expect(e.attentionMask == [0, 0, 0, 1, 1, 1])
        #expect(e.specialTokensMask == [1, 1, 1, 1, 0, 1])
        #expect(e.offsets == [0..<0, 0..<0, 0..<0, 0..<0, 0..<5, 0..<0])
    }

    @Test(arguments: ["small_bert.json", "small_seq.json"])
    func batchEqualsSequential(_ file: String) throws {
        var tok = try TokFixtures.tokenizer(file)
        tok.padding = nil
        let texts = TokFixtures.cases("small_bert_cases.json", "cases").map(\.text)
        let inputs: [(String, String?)] = texts.enumerated().map { ($0.element, $0.offset % 3 == 0 ? texts[($0.offset + 7) % texts.count] : nil) }
        let batch = try tok.encodeBatch(inputs)
        #expect(batch.count == inputs.count)
        for (input, e) in zip(inputs, batch) { #expect(try tok.encode(input.0, pair: input.1) == e) }
        #expect(tok.decodeBatch(batch.map(\.ids)) == batch.map { tok.decode($0.ids) })
        // Padding the batch pads every entry to the longest.
        tok.padding = Padding()
        let padded = try tok.encodeBatch(inputs)
        let longest = batch.map(\.count).max()!
        #expect(padded.allSatisfy { $0.count == longest })
        for (p, e) in zip(padded, batch) { #expect(Array(p.ids.prefix(e.count)) == e.ids) }
    }
}
