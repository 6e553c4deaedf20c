// The tokenizer.json reader: escapes, surrogate pairs and numbers read as
// serde_json does, and malformed or hostile documents as typed errors.

import EmberTokenizers
import Foundation
import Testing

@Suite struct JSONReading {
    static func load(_ json: String) throws -> Tokenizer { try Tokenizer(json: Data(json.utf8), source: "t.json") }

    static func wordLevel(_ vocab: String) -> String {
        "{\"model\": {\"type\": \"WordLevel\", \"unk_token\": \"<unk>\", \"vocab\": {\(vocab)}}}"
    }

    @Test func escapesAndSurrogates() throws {
        let tok = try Self.load(Self.wordLevel(#""<unk>": 0, "a\"b": 1, "\u00e9\n": 2, "\ud83d\ude00": 3, "\/\t": 4, "e\u0301": 5"#))
        #expect(tok.tokenToId("a\"b") == 1)
        #expect(tok.tokenToId("é\n") == 2)
        #expect(tok.tokenToId("😀") == 3)
        #expect(tok.tokenToId("/\t") == 4)
        // Canonically equivalent tokens stay apart.
        #expect(tok.tokenToId("e\u{301}") == 5 && tok.tokenToId("\u{E9}\n") == 2)
    }

    @Test func numbersAndDuplicates() throws {
        // A whole number written as a float is accepted; a repeated key keeps its last value.
        let tok = try Self.load(Self.wordLevel(#""<unk>": 0, "a": 1.0, "b": 2, "b": 3"#))
        #expect(tok.tokenToId("a") == 1)
        #expect(tok.tokenToId("b") == 3)
        #expect(throws: TokenizerError.invalidField(path: "t.json", field: "model.vocab.a", expected: "an integer")) {
            try Self.load(Self.wordLevel(#""<unk>": 0, "a": 1.5"#))
        }
        #expect(throws: TokenizerError.invalidField(path: "t.json", field: "model.vocab.a", expected: "an integer")) {
            try Self.load(Self.wordLevel(#""<unk>": 0, "a": true"#))
        }
    }

    @Test(arguments: [
        #"{"model": {"a": "\ud800"}}"#, #"{"model": {"a": "\udc00x"}}"#, #"{"model": "\x"}"#, #"{"model": 1} x"#,
        #"{"model": [1, 2,]}"#, #"{"model": 01x}"#, "{\"model\": \"tab\tinside\"}", #"{"model": tru}"#, #"{"model" 1}"#,
        String(repeating: "[", count: 100_000), "",
    ])
    func malformed(_ json: String) {
        do {
            _ = try Self.load(json)
            Issue.record("no error for \(json.prefix(40))")
        } catch let error as TokenizerError {
            guard case .malformedFile(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == "t.json")
        } catch {
            Issue.record("untyped error \(error)")
        }
    }

    @Test func invalidUTF8() {
        #expect(throws: TokenizerError.self) { try Tokenizer(json: Data([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]), source: "t.json") }
    }
}
