// Which tokenizer files a model directory is read from, in transformers'
// order of preference.

import EmberTestSupport
import EmberText
import EmberTokenizers
import Foundation
import Testing

@Suite struct ModelDirectoryTests {
    func directory(with files: [(String, URL)]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: dir.appendingPathComponent("config.json"))
        for (name, source) in files { try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent(name)) }
        return dir
    }

    @Test func gpt2VocabularyFilesLoadAsGPT2sTokenizer() throws {
        let fixtures = FixtureLoader.directory.appendingPathComponent("tokenizers")
        let dir = try directory(with: [("vocab.json", fixtures.appendingPathComponent("gpt2_vocab.json")),
                                       ("merges.txt", fixtures.appendingPathComponent("gpt2_merges.txt"))])
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokenizer = try ModelDirectory(dir).loadTokenizer()
        let direct = try Tokenizer.gpt2(vocab: fixtures.appendingPathComponent("gpt2_vocab.json"),
                                        merges: fixtures.appendingPathComponent("gpt2_merges.txt"))
        let text = "Hello world, naïve café 東京!"
        #expect(try tokenizer.encode(text).ids == (try direct.encode(text).ids))
        #expect(try tokenizer.encode(text).ids.count > 5)
    }

    @Test func tokenizerJSONWinsAndNoFilesIsAnError() throws {
        let fixtures = FixtureLoader.directory.appendingPathComponent("tokenizers")
        let both = try directory(with: [("tokenizer.json", fixtures.appendingPathComponent("small_bert.json")),
                                        ("vocab.json", fixtures.appendingPathComponent("gpt2_vocab.json")),
                                        ("merges.txt", fixtures.appendingPathComponent("gpt2_merges.txt"))])
        let none = try directory(with: [])
        defer { for url in [both, none] { try? FileManager.default.removeItem(at: url) } }
        #expect(try ModelDirectory(both).loadTokenizer().encode("a").ids == [2, 6, 3])
        #expect(throws: TextModelError.missingFile(path: none.path, expected: "tokenizer.json, vocab.txt, or vocab.json and merges.txt")) {
            try ModelDirectory(none).loadTokenizer()
        }
    }
}
