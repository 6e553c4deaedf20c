// Exact equality with HF `tokenizers` for every corpus entry: ids, tokens,
// offsets, type ids, masks and decoded text.

import EmberTokenizers
import Foundation
import Testing

@Suite struct SmallTokenizerParity {
    static let bert = try! TokFixtures.tokenizer("small_bert.json")
    static let seq = try! TokFixtures.tokenizer("small_seq.json")

    @Test(arguments: TokFixtures.cases("small_bert_cases.json", "cases") + TokFixtures.cases("small_bert_cases.json", "plain")
        + TokFixtures.cases("small_bert_cases.json", "random"))
    func smallBert(_ c: HFCase) throws {
        c.check(try Self.bert.encode(c.text, pair: c.pair, addSpecialTokens: c.addSpecialTokens), Self.bert)
    }

    @Test(arguments: TokFixtures.cases("small_seq_cases.json", "cases") + TokFixtures.cases("small_seq_cases.json", "plain")
        + TokFixtures.cases("small_seq_cases.json", "random"))
    func smallSeq(_ c: HFCase) throws {
        c.check(try Self.seq.encode(c.text, pair: c.pair, addSpecialTokens: c.addSpecialTokens), Self.seq)
    }

    @Test(arguments: ["small_bert", "small_seq"])
    func batch(_ name: String) throws {
        let tok = name == "small_bert" ? Self.bert : Self.seq
        let cases = TokFixtures.cases("\(name)_cases.json", "batch")
        #expect(!cases.isEmpty)
        let batch = try tok.encodeBatch(cases.map(\.text))
        for (c, e) in zip(cases, batch) { c.check(e, tok) }
    }

    @Test func fixturesAreComplete() {
        #expect(TokFixtures.cases("small_bert_cases.json", "cases").count >= 60)
        #expect(TokFixtures.cases("small_seq_cases.json", "cases").count >= 60)
    }
}

@Suite(.enabled(if: TokFixtures.minilmAvailable, "needs ~/.cache/ember/all-MiniLM-L6-v2 (see the Text README)"))
struct MiniLMParity {
    static let tok = try! Tokenizer(contentsOf: TokFixtures.minilmJSON)

    /// The same tokenizer without the file's padding to 128 (truncation stays).
    static var unpadded: Tokenizer {
        var t = tok
        t.padding = nil
        return t
    }

    @Test(arguments: TokFixtures.cases("minilm_cases.json", "cases") + TokFixtures.cases("minilm_cases.json", "plain")
        + TokFixtures.cases("minilm_cases.json", "random"))
    func corpus(_ c: HFCase) throws {
        let t = Self.unpadded
        c.check(try t.encode(c.text, pair: c.pair, addSpecialTokens: c.addSpecialTokens), t)
    }

    @Test(arguments: TokFixtures.cases("minilm_cases.json", "padded"))
    func fileSettingsPadTo128(_ c: HFCase) throws {
        #expect(c.ids.count == 128)
        c.check(try Self.tok.encode(c.text, pair: c.pair), Self.tok)
    }

    @Test func batch() throws {
        let cases = TokFixtures.cases("minilm_cases.json", "batch")
        let t = Self.unpadded
        for (c, e) in zip(cases, try t.encodeBatch(cases.map(\.text))) { c.check(e, t) }
        // Unpadded, each batch entry is its own sequential encoding.
        let texts = TokFixtures.cases("minilm_cases.json", "cases").map(\.text)
        let batch = try t.encodeBatch(texts)
        for (text, e) in zip(texts, batch) { #expect(try t.encode(text) == e) }
    }

    @Test func allCorpusEntriesMatch() throws {
        let cases = TokFixtures.cases("minilm_cases.json", "cases") + TokFixtures.cases("minilm_cases.json", "random")
        let t = Self.unpadded
        let equal = try cases.filter { c in c.matches(try t.encode(c.text, pair: c.pair), t) }.count
        #expect(equal == cases.count, "\(equal) of \(cases.count) MiniLM corpus entries equal HF's")
    }

    /// `vocab.txt` with BERT's standard settings tokenizes like the JSON file.
    @Test func vocabTxtMatchesJSON() throws {
        let bert = try Tokenizer.bert(vocab: TokFixtures.minilmVocab)
        var t = Self.tok
        t.padding = nil
        t.truncation = nil
        for c in TokFixtures.cases("minilm_cases.json", "cases") {
            let a = try bert.encode(c.text, pair: c.pair), b = try t.encode(c.text, pair: c.pair)
            #expect(a == b, "\(c.testDescription)")
            #expect(bert.decode(a.ids) == t.decode(b.ids))
        }
    }

    @Test func documentedExamples() throws {
        let t = Self.unpadded
        #expect(try t.encode("Héllo, WORLD! naïve café 東京 don't").ids
            == [101, 7592, 1010, 2088, 999, 15743, 7668, 1879, 1755, 2123, 1005, 1056, 102])
        #expect(try t.encode("A man is eating food.").ids == [101, 1037, 2158, 2003, 5983, 2833, 1012, 102])
        #expect(try t.encode("unaffable", addSpecialTokens: false).tokens == ["una", "##ffa", "##ble"])
    }
}
