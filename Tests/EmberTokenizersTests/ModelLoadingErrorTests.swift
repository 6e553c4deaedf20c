// Bad BPE, Unigram and WordLevel files (and their components) give typed
// errors naming the file and the field, never a crash.

import EmberTokenizers
import Foundation
import Testing

@Suite struct ModelLoadingErrors {
    /// A fixture with `edit` applied to its parsed JSON, loaded as "bad.json".
    static func load(_ file: String, _ edit: (inout [String: Any]) -> Void) throws -> TokenizerError? {
        let data = try Data(contentsOf: TokFixtures.url(file))
        var root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&root)
        do {
            _ = try Tokenizer(json: try JSONSerialization.data(withJSONObject: root), source: "bad.json")
            return nil
        } catch let e as TokenizerError {
            return e
        }
    }

    static func editModel(_ file: String, _ edit: @escaping (inout [String: Any]) -> Void) throws -> TokenizerError? {
        try load(file) { root in
            var m = root["model"] as! [String: Any]
            edit(&m)
            root["model"] = m
        }
    }

    @Test func bpeMergeWithUnknownToken() throws {
        let e = try Self.editModel("bpe_bytelevel.json") { m in
            var merges = m["merges"] as! [Any]
            merges[3] = ["nope", "Ġ"]
            m["merges"] = merges
        }
        #expect(e == .unknownToken("nope", role: "merge 3 of bad.json model.merges"))
        // A merge whose result is missing is named too.
        let e2 = try Self.editModel("bpe_roberta.json") { m in
            var vocab = m["vocab"] as! [String: Any]
            let first = ((m["merges"] as! [Any])[0] as! String).split(separator: " ").joined()
            vocab[first] = nil
            m["vocab"] = vocab
        }
        guard case .unknownToken(_, let role) = e2 else { Issue.record("\(String(describing: e2))"); return }
        #expect(role == "merge 0 of bad.json model.merges")
    }

    @Test func bpeMalformedMerges() throws {
        #expect(try Self.editModel("bpe_roberta.json") { $0["merges"] = ["a b c"] }
            == .invalidField(path: "bad.json", field: "model.merges[0]", expected: "two tokens separated by one space"))
        #expect(try Self.editModel("bpe_bytelevel.json") { $0["merges"] = [["a"]] }
            == .invalidField(path: "bad.json", field: "model.merges[0]", expected: "[\"left\", \"right\"] or \"left right\""))
        #expect(try Self.editModel("bpe_bytelevel.json") { $0["merges"] = 7 }
            == .invalidField(path: "bad.json", field: "model.merges", expected: "an array"))
        #expect(try Self.editModel("bpe_bytelevel.json") { $0["merges"] = nil }
            == .missingField(path: "bad.json", field: "model.merges"))
        #expect(try Self.editModel("bpe_bytelevel.json") { $0["fuse_unk"] = "no" }
            == .invalidField(path: "bad.json", field: "model.fuse_unk", expected: "true or false"))
    }

    @Test func bpeDropoutIsRejected() throws {
        #expect(try Self.editModel("bpe_bytelevel.json") { $0["dropout"] = 0.1 }
            == .invalidField(path: "bad.json", field: "model.dropout", expected: "null or 0 (BPE dropout is not supported)"))
        #expect(try Self.editModel("bpe_bytelevel.json") { $0["dropout"] = 0.0 } == nil)
    }

    @Test func unigramErrors() throws {
        #expect(try Self.editModel("unigram.json") { $0["unk_id"] = 100_000 }
            == .invalidField(path: "bad.json", field: "model.unk_id", expected: "an index into model.vocab"))
        #expect(try Self.editModel("unigram.json") { m in
            var v = m["vocab"] as! [[Any]]
            v[2] = ["x"]
            m["vocab"] = v
        } == .invalidField(path: "bad.json", field: "model.vocab[2]", expected: "[piece, score]"))
        #expect(try Self.editModel("unigram.json") { $0["vocab"] = ["a": 1] }
            == .invalidField(path: "bad.json", field: "model.vocab", expected: "an array"))
    }

    @Test func unigramWithoutUnkFailsAtEncodeOnly() throws {
        let u = try Unigram(vocab: [("a", -1), ("b", -2)], unkId: nil)
        let tok = Tokenizer(model: u)
        #expect(try tok.encode("ab").tokens == ["a", "b"])
        #expect(throws: TokenizerError.self) { try tok.encode("abc") }
    }

    @Test func wordLevelErrors() throws {
        #expect(try Self.editModel("wordlevel.json") { $0["vocab"] = ["a": true] }
            == .invalidField(path: "bad.json", field: "model.vocab.a", expected: "an integer"))
        let tok = Tokenizer(model: WordLevel(vocab: ["a": 0], unkToken: "<unk>"), preTokenizer: WhitespaceSplit())
        #expect(throws: TokenizerError.unknownToken("<unk>", role: "WordLevel unk_token")) { try tok.encode("a b") }
    }

    @Test func componentErrors() throws {
        #expect(try Self.load("bpe_bytelevel.json") {
            $0["pre_tokenizer"] = ["type": "Split", "pattern": ["Regex": "("], "behavior": "Isolated"]
        } == .invalidField(path: "bad.json", field: "pre_tokenizer.pattern.Regex", expected: "a valid regular expression"))
        #expect(try Self.load("bpe_bytelevel.json") {
            $0["pre_tokenizer"] = ["type": "Split", "pattern": ["String": " "], "behavior": "Sideways"]
        } == .invalidField(path: "bad.json", field: "pre_tokenizer.behavior",
                           expected: "Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous"))
        #expect(try Self.load("bpe_bytelevel.json") { $0["pre_tokenizer"] = ["type": "Split", "pattern": ["Glob": "*"]] }
            == .invalidField(path: "bad.json", field: "pre_tokenizer.pattern", expected: "{\"String\": ...} or {\"Regex\": ...}"))
        #expect(try Self.load("unigram.json") { $0["pre_tokenizer"] = ["type": "Metaspace", "replacement": "ab"] }
            == .invalidField(path: "bad.json", field: "pre_tokenizer.replacement", expected: "one character"))
        #expect(try Self.load("unigram.json") { $0["pre_tokenizer"] = ["type": "Metaspace", "prepend_scheme": "sometimes"] }
            == .invalidField(path: "bad.json", field: "pre_tokenizer.prepend_scheme", expected: "\"always\", \"first\" or \"never\""))
        #expect(try Self.load("bpe_roberta.json") { $0["post_processor"] = ["type": "RobertaProcessing", "sep": ["</s>"]] }
            == .invalidField(path: "bad.json", field: "post_processor.sep", expected: "[token, id]"))
        #expect(try Self.load("bpe_bytefallback.json") { $0["normalizer"] = ["type": "Replace", "pattern": ["String": " "]] }
            == .missingField(path: "bad.json", field: "normalizer.content"))
        #expect(try Self.load("unigram.json") { $0["normalizer"] = ["type": "Precompiled"] }
            == .missingField(path: "bad.json", field: "normalizer.precompiled_charsmap"))
        #expect(try Self.load("unigram.json") { $0["normalizer"] = ["type": "Precompiled", "precompiled_charsmap": "@@@"] }
            == .invalidField(path: "bad.json", field: "normalizer.precompiled_charsmap", expected: "base64 text"))
        // A trie size larger than the blob.
        #expect(try Self.load("unigram.json") {
            $0["normalizer"] = ["type": "Precompiled", "precompiled_charsmap": Data([0xFF, 0xFF, 0, 0, 1, 2]).base64EncodedString()]
        } == .invalidField(path: "bad.json", field: "precompiled_charsmap", expected: "a charsmap whose trie fits in it"))
        #expect(try Self.load("bpe_bytefallback.json") { $0["decoder"] = ["type": "Sequence", "decoders": [["type": "Nope"]]] }
            == .unknownType(path: "bad.json", field: "decoder.decoders[0].type", type: "Nope"))
    }
}
