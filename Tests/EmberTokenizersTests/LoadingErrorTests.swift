// Bad tokenizer files give typed errors naming the file and the field.

import EmberTokenizers
import Foundation
import Testing

@Suite struct LoadingErrors {
    /// small_bert.json with `edit` applied to its parsed JSON.
    static func edited(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        let data = try Data(contentsOf: TokFixtures.url("small_bert.json"))
        var root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&root)
        return try JSONSerialization.data(withJSONObject: root)
    }

    static func load(_ edit: (inout [String: Any]) -> Void) throws -> TokenizerError? {
        do {
            _ = try Tokenizer(json: try edited(edit), source: "bad.json")
            return nil
        } catch let e as TokenizerError {
            return e
        }
    }

    @Test func malformedJSON() {
        #expect(throws: TokenizerError.self) { try Tokenizer(json: Data("{\"model\": ".utf8), source: "bad.json") }
        do {
            _ = try Tokenizer(json: Data("[1, 2]".utf8), source: "bad.json")
            Issue.record("no error")
        } catch {
            guard case .malformedFile(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == "bad.json")
        }
    }

    @Test func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/tokenizer.json")
        do {
            _ = try Tokenizer(contentsOf: url)
            Issue.record("no error")
        } catch {
            guard case .unreadableFile(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == url.path)
        }
    }

    @Test func missingVocab() throws {
        let e = try Self.load { root in
            var m = root["model"] as! [String: Any]
            m["vocab"] = nil
            root["model"] = m
        }
        #expect(e == .missingField(path: "bad.json", field: "model.vocab"))
        #expect(e?.description.contains("model.vocab") == true)
    }

    @Test func missingModel() throws {
        #expect(try Self.load { $0["model"] = nil } == .missingField(path: "bad.json", field: "model"))
    }

    @Test func unknownModelType() throws {
        let e = try Self.load { root in
            var m = root["model"] as! [String: Any]
            m["type"] = "Mystery"
            root["model"] = m
        }
        #expect(e == .unknownType(path: "bad.json", field: "model.type", type: "Mystery"))
        #expect(e?.description.contains("Mystery") == true)
    }

    @Test func unknownComponentTypes() throws {
        #expect(try Self.load { $0["normalizer"] = ["type": "Mystery"] }
            == .unknownType(path: "bad.json", field: "normalizer.type", type: "Mystery"))
        #expect(try Self.load { $0["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "UnicodeScripts"]]] }
            == .unknownType(path: "bad.json", field: "pre_tokenizer.pretokenizers[0].type", type: "UnicodeScripts"))
        #expect(try Self.load { $0["decoder"] = ["type": "Mystery"] }
            == .unknownType(path: "bad.json", field: "decoder.type", type: "Mystery"))
        #expect(try Self.load { $0["post_processor"] = ["type": "Mystery"] }
            == .unknownType(path: "bad.json", field: "post_processor.type", type: "Mystery"))
    }

    @Test func wrongFieldKinds() throws {
        let e = try Self.load { root in
            var m = root["model"] as! [String: Any]
            m["vocab"] = ["a": "one"]
            root["model"] = m
        }
        #expect(e == .invalidField(path: "bad.json", field: "model.vocab.a", expected: "an integer"))
        #expect(try Self.load { root in
            var t = root["added_tokens"] as! [[String: Any]]
            t[1]["special"] = "yes"
            root["added_tokens"] = t
        } == .invalidField(path: "bad.json", field: "added_tokens[1].special", expected: "true or false"))
        #expect(try Self.load { $0["truncation"] = ["max_length": 8, "strategy": "Sideways"] }
            == .invalidField(path: "bad.json", field: "truncation.strategy", expected: "LongestFirst, OnlyFirst or OnlySecond"))
        #expect(try Self.load { $0["padding"] = ["strategy": ["Fixed": "x"]] }
            == .invalidField(path: "bad.json", field: "padding.strategy.Fixed", expected: "an integer"))
    }

    @Test func templateNamesUnknownSpecialToken() throws {
        let e = try Self.load { root in
            var p = root["post_processor"] as! [String: Any]
            p["special_tokens"] = [String: Any]()
            root["post_processor"] = p
        }
        guard case .unknownToken(let token, _) = e else { Issue.record("\(String(describing: e))"); return }
        #expect(token == "[CLS]")
    }

    @Test func missingUnkTokenFailsAtEncode() throws {
        let tok = Tokenizer(model: WordPiece(vocab: ["a": 0], unkToken: "[UNK]"), preTokenizer: WhitespaceSplit())
        #expect(try tok.encode("a").ids == [0])
        #expect(throws: TokenizerError.unknownToken("[UNK]", role: "WordPiece unk_token")) { try tok.encode("b") }
    }

    @Test func badVocabTxt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let noSep = dir.appendingPathComponent("vocab.txt")
        try "[PAD]\n[UNK]\n[CLS]\nhello\n".write(to: noSep, atomically: true, encoding: .utf8)
        #expect(throws: TokenizerError.self) { try Tokenizer.bert(vocab: noSep) }
        let bytes = dir.appendingPathComponent("bytes.txt")
        try Data([0xFF, 0xFE, 0x00]).write(to: bytes)
        #expect(throws: TokenizerError.malformedFile(path: bytes.path, reason: "not UTF-8 text")) {
            try Tokenizer.bert(vocab: bytes)
        }
    }
}
