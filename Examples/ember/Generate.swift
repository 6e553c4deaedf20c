// `ember generate`: continue a prompt with a GPT-2 model directory as
// transformers' `generate` would: greedy by default, or sampled with
// temperature, top-k, top-p and a seed. Text output streams each token as
// it is chosen; JSON output is one object with every id and the text.

import ArgumentParser
import EmberText
import EmberTokenizers
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate text with a GPT-2 model directory.",
        discussion: """
            The directory is what transformers' save_pretrained writes: config.json, model.safetensors or \
            pytorch_model.bin, and tokenizer.json. Temperature 0 (the default) decodes greedily; above 0, \
            tokens are sampled after top-k and top-p filtering, reproducibly for a given --seed. Generation \
            stops at the model's end-of-sequence token or after --max-new-tokens.
            """
    )

    @Option(help: "A Hugging Face GPT-2 model directory.")
    var model: String

    @Option(help: "The text to continue.")
    var prompt: String

    @Option(name: .customLong("max-new-tokens"), help: "How many tokens to add at most.")
    var maxNewTokens: Int = 50

    @Option(help: "0 for greedy decoding; above 0, the sampling temperature.")
    var temperature: Double = 0

    @Option(name: .customLong("top-k"), help: "Sample among the K most likely tokens only (0: all).")
    var topK: Int?

    @Option(name: .customLong("top-p"), help: "Sample among the fewest most likely tokens whose probability exceeds P.")
    var topP: Double?

    @Option(name: .customLong("repetition-penalty"), help: "Penalize tokens already in the text (1: none; 1.2 is common).")
    var repetitionPenalty: Double = 1

    @Option(help: "Seed for sampling (default: a random one).")
    var seed: UInt64?

    @Option(help: "text (streamed) or json.")
    var format: OutputFormat = .text

    var generationConfig: GenerationConfig {
        GenerationConfig(maxNewTokens: maxNewTokens, temperature: temperature, topK: topK, topP: topP,
                         repetitionPenalty: repetitionPenalty, seed: seed ?? UInt64.random(in: 0...UInt64.max))
    }

    func validate() throws {
        do { try generationConfig.validate() } catch {
            throw ValidationError(error.description)
        }
        guard !prompt.isEmpty else { throw ValidationError("--prompt must not be empty") }
    }

    func run() throws {
        let directory = try ModelDirectory(URL(fileURLWithPath: model))
        let network = try GPT2LMHeadModel.load(directory)
        let tokenizer = try directory.loadTokenizer()
        let promptIds = try tokenizer.encode(prompt).ids
        let stream = format == .text ? TextStream(tokenizer: tokenizer, prompt: promptIds) : nil
        let ids = try TextGeneration.generate(network, prompt: promptIds, config: generationConfig) { id in
            stream?.append(id)
        }
        let text = tokenizer.decode(ids)
        if let stream {
            stream.finish(text)
            return
        }
        let data = try JSONSerialization.data(withJSONObject: ["ids": ids, "text": text] as [String: Any],
                                              options: [.sortedKeys, .withoutEscapingSlashes])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

/// Writes the decoded text to stdout as tokens arrive. Each step decodes the
/// whole sequence and writes what it adds to the text already shown, since a
/// token's own text can depend on its neighbours (WordPiece's "##", byte-level
/// BPE's partial UTF-8); text ending in an incomplete character waits.
private final class TextStream {
    let tokenizer: Tokenizer
    var ids: [Int]
    var shown: [Unicode.Scalar] = []

    init(tokenizer: Tokenizer, prompt: [Int]) {
        // Nothing is written until the first token: a generation that fails
        // up front leaves stdout empty.
        (self.tokenizer, self.ids) = (tokenizer, prompt)
    }

    func append(_ id: Int) {
        ids.append(id)
        show(tokenizer.decode(ids))
    }

    /// The rest of `text`, and a newline.
    func finish(_ text: String) {
        show(text, final: true)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    private func show(_ text: String, final: Bool = false) {
        let scalars = Array(text.unicodeScalars)
        guard final || scalars.last != "\u{FFFD}" else { return }
        // Text already written can't be taken back: should decoding change it
        // (rare), what follows the common part is written as it now reads.
        var common = 0
        while common < Swift.min(scalars.count, shown.count) && scalars[common] == shown[common] { common += 1 }
        guard common < scalars.count else { return }
        var added = String.UnicodeScalarView()
        added.append(contentsOf: scalars[common...])
        FileHandle.standardOutput.write(Data(String(added).utf8))
        shown = scalars
    }
}
