// `ember embed`: sentence embeddings from a sentence-transformers directory
// (all-MiniLM-L6-v2 by default): mean pooling, normalized when the model's
// modules.json says so.

import ArgumentParser
import EmberCore
import EmberText
import Foundation

struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed sentences with a BERT-family sentence model.",
        discussion: """
            Without TEXT, reads lines from stdin. JSON output is {"embeddings": [[…], …]} in input order.
            Example: ember embed --format json "A man is eating food." "A man rides a horse."
            """
    )

    @Option(help: "A model directory (config.json, model.safetensors, tokenizer.json); default: the cached all-MiniLM-L6-v2.")
    var model: String?
    @Option(name: .customLong("batch-size"), help: "Sentences per forward pass.")
    var batchSize: Int = 32
    @Option(help: "text or json.")
    var format: OutputFormat = .text
    @Argument(help: "Sentences; none reads lines from stdin.")
    var text: [String] = []

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
    }

    func run() throws {
        let directory = model.map { URL(fileURLWithPath: $0) } ?? ModelDirectory.miniLML6
        let encoder = try SentenceEncoder(directory: directory)
        let texts = try TextInput.read(text)
        let vectors = try encoder.encode(texts, batchSize: batchSize)
        let width = vectors.shape.last ?? 0
        let values: [Float] = vectors.scalars()
        let rows = (0..<texts.count).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
        switch format {
        case .json:
            try TextInput.printJSON(["embeddings": rows.map { $0.map(Double.init) }])
        case .text:
            for row in rows { print(row.map { String(format: "%.6f", $0) }.joined(separator: " ")) }
        }
    }
}
