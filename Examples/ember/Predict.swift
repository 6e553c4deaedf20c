// `ember predict`: a fine-tuned classifier directory (as `ember finetune`
// writes it) over lines of text: the label and every class's probability.

import ArgumentParser
import EmberCore
import EmberNN
import EmberText
import Foundation

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify lines of text with a fine-tuned model directory.",
        discussion: """
            Reads lines from stdin (or TEXT arguments). JSON output is one object per line: \
            {"label": …, "probabilities": {label: p, …}}.
            Example: echo "The court ruled today." | ember predict --model run --format json
            """
    )

    @Option(help: "A directory with config.json (id2label), model.safetensors and tokenizer.json.")
    var model: String
    @Option(name: .customLong("batch-size")) var batchSize = 32
    @Option(name: .customLong("max-length"), help: "Tokens per text after truncation.") var maxLength = 512
    @Option(help: "text or json.") var format: OutputFormat = .text
    @Argument(help: "Texts; none reads lines from stdin.") var text: [String] = []

    func validate() throws {
        guard batchSize > 0, maxLength > 0 else { throw ValidationError("--batch-size and --max-length must be positive") }
    }

    func run() throws {
        let directory = try ModelDirectory(URL(fileURLWithPath: model))
        let classifier = try BertForSequenceClassification(directory: directory).eval()
        let labels = classifier.config.labels!
        var tokenizer = try directory.loadTokenizer()
        tokenizer.padding = nil
        tokenizer.truncation = .init(maxLength: min(maxLength, classifier.config.maxPositionEmbeddings))
        let texts = try TextInput.read(text)
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let chunk = Array(texts[start..<min(start + batchSize, texts.count)])
            let batch = TextBatch(try tokenizer.encodeBatch(chunk), padId: classifier.config.padTokenId)
            let probabilities = GradMode.noGrad { classifier(batch).softmax(dim: 1) }
            let values: [Float] = probabilities.scalars()
            for row in 0..<chunk.count {
                let p = Array(values[(row * labels.count)..<((row + 1) * labels.count)])
                let best = p.indices.max { p[$0] < p[$1] }!
                switch format {
                case .json:
                    try TextInput.printJSON(["label": labels[best],
                                             "probabilities": Dictionary(uniqueKeysWithValues: zip(labels, p.map(Double.init)))])
                case .text:
                    print("\(labels[best])\t" + zip(labels, p).map { "\($0)=" + String(format: "%.4f", $1) }.joined(separator: " "))
                }
            }
        }
    }
}
