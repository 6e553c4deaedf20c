// `ember finetune`: sequence classification on your own labelled text, from
// a BERT-family model directory (MiniLM by default), saved as a Hugging Face
// directory. Running the same command again after an interruption continues
// from OUTPUT/checkpoint/last.pth.

import ArgumentParser
import EmberCore
import EmberText
import Foundation

struct FineTune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Fine-tune a text classifier from CSV, TSV or JSONL files.",
        discussion: """
            Mean pooling and a linear head on the encoder; AdamW with linear warmup and decay. After each \
            epoch it reports validation loss and accuracy and saves the best epoch to OUTPUT (config.json with \
            id2label, model.safetensors, tokenizer.json), each file written atomically.
            Example: ember finetune --model ~/.cache/ember/all-MiniLM-L6-v2 --train train.jsonl --valid valid.jsonl --output run
            """
    )

    @Option(help: "A BERT-family model directory; default: the cached all-MiniLM-L6-v2.")
    var model: String?
    @Option(help: "Training examples: .csv, .tsv or .jsonl.")
    var train: String
    @Option(help: "Validation examples, same format.")
    var valid: String
    @Option(help: "The output directory.")
    var output: String
    @Option(name: .customLong("text-column")) var textColumn = "text"
    @Option(name: .customLong("label-column")) var labelColumn = "label"
    @Option var epochs = 2
    @Option(name: .customLong("batch-size")) var batchSize = 16
    @Option var lr = 5e-5
    @Option(help: "Fraction of the steps spent in linear warmup.") var warmup = 0.1
    @Option(name: .customLong("weight-decay")) var weightDecay = 0.01
    @Option(name: .customLong("max-length"), help: "Tokens per text after truncation.") var maxLength = 64
    @Option var seed: UInt64 = 0
    @Option(help: "mean (sentence-transformers) or cls (BERT's pooler).") var pooling = "mean"
    @Option(name: .customLong("save-steps"), help: "Steps between resumable checkpoints within an epoch.")
    var saveSteps = 100
    @Option(help: "Computation threads (default: all cores).") var threads: Int?

    func validate() throws {
        guard epochs > 0, batchSize > 0, maxLength > 0, lr > 0, saveSteps > 0 else {
            throw ValidationError("--epochs, --batch-size, --max-length, --lr and --save-steps must be positive")
        }
        guard (0...1).contains(warmup) else { throw ValidationError("--warmup is a fraction of the steps, got \(warmup)") }
        guard ["mean", "cls"].contains(pooling) else { throw ValidationError("--pooling is mean or cls, got \(pooling)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be positive, got \(threads)") }
    }

    func run() throws {
        if let threads { setNumThreads(threads) }
        var options = FineTuneOptions()
        (options.epochs, options.batchSize, options.learningRate, options.warmup) = (epochs, batchSize, lr, warmup)
        (options.weightDecay, options.maxLength, options.seed, options.pooling) = (weightDecay, maxLength, seed, pooling)
        options.checkpointEvery = saveSteps
        let trainURL = URL(fileURLWithPath: train), validURL = URL(fileURLWithPath: valid)
        let trainExamples = try TextExample.read(trainURL, textColumn: textColumn, labelColumn: labelColumn)
        let validExamples = try TextExample.read(validURL, textColumn: textColumn, labelColumn: labelColumn)
        let start = Date()
        let trainer = try TextClassifierTrainer(model: model.map { URL(fileURLWithPath: $0) } ?? ModelDirectory.miniLML6,
                                                train: trainExamples, valid: validExamples,
                                                output: URL(fileURLWithPath: output), options: options,
                                                validSource: validURL.path)
        print("\(trainExamples.count) training and \(validExamples.count) validation texts, \(trainer.labels.count) labels: \(trainer.labels.joined(separator: ", "))")
        let reports = try trainer.run()
        if let best = reports.max(by: { $0.validAccuracy < $1.validAccuracy }) {
            print(String(format: "best valid accuracy %.4f (epoch %d); %.1f s", best.validAccuracy, best.epoch,
                         Date().timeIntervalSince(start)))
        }
    }
}
