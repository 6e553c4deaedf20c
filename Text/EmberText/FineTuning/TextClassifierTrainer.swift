// Fine-tuning a BERT-family encoder for sequence classification, the way
// transformers' Trainer does it with a linear schedule: AdamW (no decay on
// biases and LayerNorm weights), linear warmup then linear decay, dynamic
// padding per batch, validation loss and accuracy after every epoch. The
// best epoch is written as a Hugging Face directory; `checkpoint/last.pth`
// lets an interrupted run continue from its last saved step.

import EmberCheckpoint
import EmberCore
import EmberData
import EmberNN
import EmberOptim
import EmberTokenizers
import Foundation

/// The recipe's knobs, with the fortunes demo's values as defaults.
public struct FineTuneOptions: Sendable {
    public var epochs = 2
    public var batchSize = 16
    public var learningRate = 5e-5
    /// The fraction of all steps spent warming up linearly from 0.
    public var warmup = 0.1
    public var weightDecay = 0.01
    /// Tokens per example after truncation.
    public var maxLength = 64
    public var seed: UInt64 = 0
    /// "mean" (sentence-transformers' pooling) or "cls" (BERT's pooler).
    public var pooling = "mean"
    /// Steps between resumable checkpoints inside an epoch (each one holds
    /// the weights and AdamW's two moments: three times the model's size).
    public var checkpointEvery = 100
    /// Stops after this many optimizer steps in this call, saving a
    /// checkpoint; running again continues (training in time slices).
    public var stopAfterSteps: Int? = nil
    public init() {}
}

/// One epoch's validation result.
public struct EpochReport: Sendable, Equatable {
    public var epoch: Int
    public var validLoss: Double
    public var validAccuracy: Double
    public var trainLoss: Double
}

/// Trains a classifier on labelled text and saves the best epoch.
///
/// ```swift
/// let trainer = try TextClassifierTrainer(model: minilmURL, train: train, valid: valid,
///                                         output: URL(fileURLWithPath: "run"), options: FineTuneOptions())
/// let reports = try trainer.run()
/// ```
public final class TextClassifierTrainer {
    public let options: FineTuneOptions
    public let labels: [String]
    public let model: BertForSequenceClassification
    public let output: URL
    let tokenizer: Tokenizer
    let sourceDirectory: ModelDirectory
    let trainEncodings: [Encoding], trainLabels: [Int]
    let validEncodings: [Encoding], validLabels: [Int]

    public init(model url: URL, train: [TextExample], valid: [TextExample], output: URL,
                options: FineTuneOptions, validSource: String = "validation data") throws {
        precondition(options.epochs > 0 && options.batchSize > 0 && options.maxLength > 0,
                     "TextClassifierTrainer: epochs, batch size and max length must be positive")
        self.options = options
        self.output = output
        sourceDirectory = try ModelDirectory(url)
        let labels = Array(Set(train.map(\.label))).sorted()
        self.labels = labels
        guard labels.count >= 2 else {
            throw TextDataError.badRow(path: "training data", line: 1, reason: "needs at least two labels, found \(labels)")
        }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0.element, $0.offset) })
        validLabels = try valid.enumerated().map { row, example in
            guard let id = index[example.label] else {
                throw TextDataError.unknownLabel(path: validSource, line: row + 1, label: example.label, known: labels)
            }
            return id
        }
        trainLabels = train.map { index[$0.label]! }

        var tokenizer = try sourceDirectory.loadTokenizer()
        tokenizer.padding = nil
        tokenizer.truncation = Truncation(maxLength: options.maxLength)
        self.tokenizer = tokenizer
        trainEncodings = try tokenizer.encodeBatch(train.map(\.text))
        validEncodings = try tokenizer.encodeBatch(valid.map(\.text))
        manualSeed(options.seed)
        model = try BertForSequenceClassification(directory: sourceDirectory, labels: labels, pooling: options.pooling)
    }

    public var stepsPerEpoch: Int { (trainEncodings.count + options.batchSize - 1) / options.batchSize }

    /// transformers' `get_linear_schedule_with_warmup` with
    /// `ceil(warmup · total)` warmup steps.
    public static func linearSchedule(step: Int, totalSteps: Int, warmupSteps: Int) -> Double {
        if step < warmupSteps { return Double(step) / Double(max(1, warmupSteps)) }
        return max(0, Double(totalSteps - step) / Double(max(1, totalSteps - warmupSteps)))
    }

    /// Runs the remaining epochs; `progress` gets a line per event (resume,
    /// epoch results), and a bar is drawn on stderr while training.
    @discardableResult
    public func run(showProgress: Bool = true, progress: (String) -> Void = { print($0) }) throws -> [EpochReport] {
        let decayed = model.namedParameters().filter { !$0.0.hasSuffix("bias") && !$0.0.contains("LayerNorm") }.map(\.1)
        let undecayed = model.namedParameters().filter { $0.0.hasSuffix("bias") || $0.0.contains("LayerNorm") }.map(\.1)
        let optimizer = AdamW(groups: [ParamGroup(params: decayed, options: ["weight_decay": options.weightDecay]),
                                       ParamGroup(params: undecayed, options: ["weight_decay": 0])],
                              lr: options.learningRate, weightDecay: options.weightDecay)
        let total = stepsPerEpoch * options.epochs
        let warmupSteps = Int((options.warmup * Double(total)).rounded(.up))
        let scheduler = LambdaLR(optimizer) { TextClassifierTrainer.linearSchedule(step: $0, totalSteps: total, warmupSteps: warmupSteps) }

        try FileManager.default.createDirectory(at: output.appendingPathComponent("checkpoint"), withIntermediateDirectories: true)
        let last = output.appendingPathComponent("checkpoint/last.pth")
        var firstEpoch = 1, skipSteps = 0, best = -1.0
        if FileManager.default.fileExists(atPath: last.path) {
            let checkpoint = try TrainingCheckpoint(contentsOf: last)
            try checkpoint.restore(model: model, optimizer: optimizer, scheduler: scheduler)
            skipSteps = Int(checkpoint.metrics["steps_in_epoch"] ?? 0)
            firstEpoch = checkpoint.epoch + (skipSteps == 0 ? 1 : 0)
            best = checkpoint.metrics["best_accuracy"] ?? -1
            progress("resuming at epoch \(firstEpoch), step \(skipSteps) of \(stepsPerEpoch), from \(last.path)")
        }
        var reports: [EpochReport] = []
        guard firstEpoch <= options.epochs else {
            progress("already trained \(options.epochs) epochs (\(last.path))")
            return reports
        }
        var stepsThisCall = 0
        for epoch in firstEpoch...options.epochs {
            model.train()
            // The order depends only on the seed and the epoch, so a resumed run replays it.
            let order = Tensor.randperm(trainEncodings.count, generator: Generator(seed: options.seed &+ UInt64(epoch)))
                .scalars(as: Int64.self).map { Int($0) }
            let bar = showProgress ? ProgressBar(total: stepsPerEpoch, description: "epoch \(epoch)/\(options.epochs)", unit: "batch") : nil
            var lossSum = 0.0, lossCount = 0
            for step in 0..<stepsPerEpoch {
                if epoch == firstEpoch && step < skipSteps { continue }
                let rows = Array(order[(step * options.batchSize)..<min((step + 1) * options.batchSize, order.count)])
                let batch = TextBatch(rows.map { trainEncodings[$0] }, padId: model.config.padTokenId)
                let target = Tensor(rows.map { Int64(trainLabels[$0]) }, shape: [rows.count])
                optimizer.zeroGrad()
                let loss = Functional.crossEntropy(model(batch), target)
                loss.backward()
                optimizer.step()
                scheduler.step()
                let value = loss.item()
                lossSum += value
                lossCount += 1
                bar?.update(loss: value)
                stepsThisCall += 1
                let stopping = stepsThisCall == options.stopAfterSteps
                if ((step + 1) % options.checkpointEvery == 0 || stopping) && step + 1 < stepsPerEpoch {
                    try TrainingCheckpoint(epoch: epoch, model: model, optimizer: optimizer, scheduler: scheduler,
                                           metrics: ["steps_in_epoch": Double(step + 1), "best_accuracy": best]).save(to: last)
                }
                if stopping && step + 1 < stepsPerEpoch {
                    bar?.finish()
                    progress("stopped after \(stepsThisCall) steps; run again to continue")
                    return reports
                }
                try Task.checkCancellation()
            }
            bar?.finish()
            let (validLoss, accuracy) = evaluate()
            let report = EpochReport(epoch: epoch, validLoss: validLoss, validAccuracy: accuracy,
                                     trainLoss: lossSum / Double(max(lossCount, 1)))
            reports.append(report)
            progress(String(format: "epoch %d: train loss %.4f, valid loss %.4f, valid accuracy %.4f", epoch,
                            report.trainLoss, validLoss, accuracy))
            if accuracy > best {
                best = accuracy
                try saveModel()
                progress("saved the best model so far to \(output.path)")
            }
            try TrainingCheckpoint(epoch: epoch, model: model, optimizer: optimizer, scheduler: scheduler,
                                   metrics: ["steps_in_epoch": 0, "best_accuracy": best, "valid_loss": validLoss,
                                             "valid_accuracy": accuracy]).save(to: last)
        }
        return reports
    }

    /// Validation loss and accuracy, in batches of the training batch size.
    public func evaluate() -> (loss: Double, accuracy: Double) {
        model.eval()
        defer { model.train() }
        var lossSum = 0.0, correct = 0
        GradMode.noGrad {
            for start in stride(from: 0, to: validEncodings.count, by: options.batchSize) {
                let rows = Array(start..<min(start + options.batchSize, validEncodings.count))
                let logits = model(TextBatch(rows.map { validEncodings[$0] }, padId: model.config.padTokenId))
                let target = Tensor(rows.map { Int64(validLabels[$0]) }, shape: [rows.count])
                lossSum += Functional.crossEntropy(logits, target, reduction: .sum).item()
                correct += Int(logits.argmax(dim: 1).eq(target).sum().item())
            }
        }
        let n = Double(max(validEncodings.count, 1))
        return (lossSum / n, Double(correct) / n)
    }

    /// Writes the model as a Hugging Face directory: model.safetensors, the
    /// source tokenizer files, then config.json, each atomically.
    public func saveModel() throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try model.stateDict().save(to: output.appendingPathComponent("model.safetensors"), metadata: ["format": "pt"])
        for name in ["tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"] {
            let source = sourceDirectory.url.appendingPathComponent(name)
            guard let bytes = try? Data(contentsOf: source) else { continue }
            try AtomicFile.write([UInt8](bytes), to: output.appendingPathComponent(name))
        }
        let config = model.config.json(architecture: "BertForSequenceClassification")
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write([UInt8](data), to: output.appendingPathComponent("config.json"))
    }
}
