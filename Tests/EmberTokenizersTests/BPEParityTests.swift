// Exact equality with HF `tokenizers` for the BPE, Unigram and WordLevel
// tokenizers that Tests/Fixtures/Scripts/gen_tokenizers_bpe.py trains:
// ids, tokens, offsets, type ids, masks and decoded text.

import EmberTokenizers
import Foundation
import Testing

@Suite struct ModelParity {
    static let names = ["bpe_bytelevel", "bpe_roberta", "bpe_suffix", "bpe_bytefallback", "unigram", "wordlevel"]

    /// Every tokenizer's cases, each tagged with its tokenizer's name.
    static let allCases: [NamedCase] = names.flatMap { name in
        ["cases", "plain", "random"].flatMap { section in
            TokFixtures.cases("\(name)_cases.json", section).map { NamedCase(name: name, c: $0) }
        }
    }

    static let tokenizers: [String: Tokenizer] = {
        var d: [String: Tokenizer] = [:]
        for n in names { d[n] = try? TokFixtures.tokenizer("\(n).json") }
        return d
    }()

    @Test(arguments: names)
    func loads(_ name: String) throws {
        let tok = try TokFixtures.tokenizer("\(name).json")
        #expect(tok.model.vocabSize > 200)
        #expect(!TokFixtures.cases("\(name)_cases.json", "cases").isEmpty)
    }

    @Test(arguments: allCases)
    func corpus(_ n: NamedCase) throws {
        let tok = try #require(Self.tokenizers[n.name])
        n.c.check(try tok.encode(n.c.text, pair: n.c.pair, addSpecialTokens: n.c.addSpecialTokens), tok)
    }

    @Test(arguments: names)
    func batch(_ name: String) throws {
        let tok = try #require(Self.tokenizers[name])
        let cases = TokFixtures.cases("\(name)_cases.json", "batch")
        #expect(!cases.isEmpty)
        for (c, e) in zip(cases, try tok.encodeBatch(cases.map(\.text))) { c.check(e, tok) }
    }

    /// The count behind the report: every entry of every fixture is equal.
    @Test func allEntriesMatch() throws {
        var equal = 0
        for n in Self.allCases {
            let tok = try #require(Self.tokenizers[n.name])
            if n.c.matches(try tok.encode(n.c.text, pair: n.c.pair, addSpecialTokens: n.c.addSpecialTokens), tok) { equal += 1 }
        }
        #expect(Self.allCases.count > 500)
        #expect(equal == Self.allCases.count, "\(equal) of \(Self.allCases.count) entries equal HF's")
    }
}

/// A fixture case with the name of the tokenizer it belongs to.
struct NamedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let c: HFCase
    var testDescription: String { "\(name): \(c.testDescription)" }
}

@Suite struct GPT2Files {
    static let tok = try! Tokenizer.gpt2(vocab: TokFixtures.url("gpt2_vocab.json"), merges: TokFixtures.url("gpt2_merges.txt"))

    @Test(arguments: TokFixtures.cases("gpt2_cases.json", "cases") + TokFixtures.cases("gpt2_cases.json", "plain")
        + TokFixtures.cases("gpt2_cases.json", "random"))
    func equalsGPT2TokenizerFast(_ c: HFCase) throws {
        c.check(try Self.tok.encode(c.text, pair: c.pair, addSpecialTokens: c.addSpecialTokens), Self.tok)
    }

    /// The files give the same tokenizer as the tokenizer.json of the same model.
    @Test func sameAsTokenizerJSON() throws {
        let json = try TokFixtures.tokenizer("bpe_bytelevel.json")
        #expect(Self.tok.model.vocabSize == json.model.vocabSize)
        // The JSON file also has the trainer's other specials (<s>, <mask>, ...) as added tokens.
        let plain = TokFixtures.cases("bpe_bytelevel_cases.json", "cases").filter { !$0.text.contains("<") && !($0.pair ?? "").contains("<") }
        #expect(plain.count > 50)
        for c in plain {
            #expect(try Self.tok.encode(c.text, pair: c.pair).ids == c.ids, "\(c.testDescription)")
        }
    }

    @Test func mergesFileErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-gpt2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let vocab = TokFixtures.url("gpt2_vocab.json")
        let bad = dir.appendingPathComponent("merges.txt")
        try Data("#version: 0.2\nĠ t\nthree parts here\n".utf8).write(to: bad)
        #expect(throws: TokenizerError.invalidField(path: bad.path, field: "line 3", expected: "two tokens separated by one space")) {
            try Tokenizer.gpt2(vocab: vocab, merges: bad)
        }
        try Data("Ġ t\nnotatoken zzz\n".utf8).write(to: bad)
        #expect(throws: TokenizerError.unknownToken("notatoken", role: "merge 1 of \(bad.path)")) {
            try Tokenizer.gpt2(vocab: vocab, merges: bad)
        }
        let missing = dir.appendingPathComponent("none.txt")
        #expect(throws: TokenizerError.self) { try Tokenizer.gpt2(vocab: vocab, merges: missing) }
    }
}

@Suite struct PipelineParity {
    struct Variant: Sendable, CustomTestStringConvertible {
        let name: String
        let json: Data
        let cases: [HFCase]
        var testDescription: String { name }
    }

    /// Each variant: its base tokenizer.json with the sections the script swapped in.
    static let variants: [Variant] = {
        guard let data = try? Data(contentsOf: TokFixtures.url("pipelines_cases.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root["variants"] as? [[String: Any]] else { return [] }
        return list.compactMap { v in
            guard let base = v["base"] as? String, let sections = v["sections"] as? [String: Any],
                  let baseData = try? Data(contentsOf: TokFixtures.url(base)),
                  var json = try? JSONSerialization.jsonObject(with: baseData) as? [String: Any] else { return nil }
            for (k, s) in sections { json[k] = s }
            guard let out = try? JSONSerialization.data(withJSONObject: json) else { return nil }
            return Variant(name: v["name"] as? String ?? "?", json: out,
                           cases: (v["cases"] as? [[String: Any]] ?? []).map(HFCase.init))
        }
    }()

    @Test func fixtureIsComplete() { #expect(Self.variants.count >= 22) }

    @Test(arguments: variants)
    func variant(_ v: Variant) throws {
        let tok = try Tokenizer(json: v.json, source: v.name)
        #expect(!v.cases.isEmpty)
        for c in v.cases {
            let e = try tok.encode(c.text, pair: c.pair)
            if !c.matches(e, tok) {
                Issue.record("\(v.name): \(c.testDescription)")
                c.check(e, tok)
            }
        }
    }
}
