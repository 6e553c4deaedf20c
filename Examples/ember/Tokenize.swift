// `ember tokenize`: a tokenizer.json (or vocab.txt) over lines of text, with
// the file's own truncation and padding, as `tokenizer.encode_batch` gives.

import ArgumentParser
import EmberTokenizers
import Foundation

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenize text with a Hugging Face tokenizer.json.",
        discussion: """
            Reads lines on stdin (or one JSON array of strings with --input-format json). Text output shows \
            each input's tokens and ids; JSON output is {"ids": [[…], …]} in input order.
            Example: echo "Hello world" | ember tokenize --tokenizer tokenizer.json --format json
            """
    )

    @Option(help: "A tokenizer.json, or a BERT vocab.txt.")
    var tokenizer: String
    @Option(name: .customLong("input-format"), help: "lines or json.")
    var inputFormat: TextInputFormat = .lines
    @Option(help: "text or json.")
    var format: OutputFormat = .text
    @Flag(name: .customLong("no-special-tokens"), help: "Leave out [CLS], [SEP] and the like.")
    var noSpecialTokens = false

    func run() throws {
        let url = URL(fileURLWithPath: tokenizer)
        let model = url.pathExtension == "txt" ? try Tokenizer.bert(vocab: url) : try Tokenizer(contentsOf: url)
        let texts = try TextInput.read([], format: inputFormat)
        let encodings = try model.encodeBatch(texts, addSpecialTokens: !noSpecialTokens)
        switch format {
        case .json:
            try TextInput.printJSON(["ids": encodings.map(\.ids)])
        case .text:
            for encoding in encodings {
                print(zip(encoding.tokens, encoding.ids).map { "\($0)/\($1)" }.joined(separator: " "))
            }
        }
    }
}
