// Fine-tuning the committed tiny BERT on a two-class task the words decide:
// it must learn it, save a directory that loads back with the same logits,
// and resume an interrupted run to the same weights as an uninterrupted one.

import EmberCheckpoint
import EmberCore
import EmberNN
import EmberTestSupport
import EmberText
import Foundation
import Testing

private let tinyURL = FixtureLoader.directory.appendingPathComponent("bert/tiny-bert")

/// Sentences about food (label "food") or horses ("horse"), deterministic.
func foodOrHorse(_ count: Int, offset: Int) -> [TextExample] {
    let subjects = ["a man", "the girl", "my friend", "a child", "the cook", "a rider"]
    let food = ["is eating food", "eats bread", "cooks a meal", "likes cake and food"]
    let horse = ["rides a horse", "feeds the horse", "sees a horse", "is on a horse"]
    return (0..<count).map { i in
        let n = i + offset
        let isFood = n % 2 == 0
        let verb = isFood ? food[(n / 2) % food.count] : horse[(n / 2) % horse.count]
        return TextExample(text: "\(subjects[n % subjects.count]) \(verb).", label: isFood ? "food" : "horse")
    }
}

private func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("ember-finetune-\(UUID().uuidString)")
}

@Suite struct FineTuneTests {
    func options(epochs: Int) -> FineTuneOptions {
        var options = FineTuneOptions()
        (options.epochs, options.batchSize, options.learningRate, options.maxLength) = (epochs, 8, 1e-3, 16)
        options.checkpointEvery = 3
        return options
    }

    @Test func learnsSavesAndReloads() throws {
        let output = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let trainer = try Generator.withDefault(Generator()) {
            try TextClassifierTrainer(model: tinyURL, train: foodOrHorse(48, offset: 0), valid: foodOrHorse(16, offset: 100),
                                      output: output, options: options(epochs: 4))
        }
        let reports = try Generator.withDefault(Generator()) { try trainer.run(showProgress: false) { _ in } }
        #expect(reports.count == 4)
        let best = reports.map(\.validAccuracy).max()!
        #expect(best >= 0.9, "validation accuracies \(reports.map(\.validAccuracy))")
        #expect(reports.last!.trainLoss < reports.first!.trainLoss)

        let config = try HFConfig(contentsOf: output.appendingPathComponent("config.json"))
        #expect(try config.labels() == ["food", "horse"])
        #expect(try config.string("classifier_pooling") == "mean")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("tokenizer.json").path))
        let reloaded = try BertForSequenceClassification(directory: ModelDirectory(output)).eval()
        let saved = try StateDict(contentsOf: output.appendingPathComponent("model.safetensors"))
        #expect(Set(saved.keys) == Set(reloaded.stateDict().keys))
        #expect(saved.keys.contains("bert.encoder.layer.1.output.dense.weight") && saved.keys.contains("classifier.bias"))
        let accuracy = try TextClassifierTrainer(model: output, train: foodOrHorse(4, offset: 0),
                                                 valid: foodOrHorse(16, offset: 100), output: temporaryDirectory(),
                                                 options: options(epochs: 1))
        #expect(accuracy.evaluate().accuracy == best)
    }

    @Test func interruptedRunResumesToTheSameWeights() throws {
        let (straight, interrupted) = (temporaryDirectory(), temporaryDirectory())
        defer { for url in [straight, interrupted] { try? FileManager.default.removeItem(at: url) } }
        let (train, valid) = (foodOrHorse(40, offset: 0), foodOrHorse(8, offset: 100))
        func run(_ output: URL, epochs: Int, stopAfter: Int? = nil) throws -> TextClassifierTrainer {
            try Generator.withDefault(Generator(seed: 7)) {
                var options = options(epochs: epochs)
                options.stopAfterSteps = stopAfter
                let trainer = try TextClassifierTrainer(model: tinyURL, train: train, valid: valid, output: output,
                                                        options: options)
                try trainer.run(showProgress: false) { _ in }
                return trainer
            }
        }
        let full = try run(straight, epochs: 2)
        // 5 steps per epoch, checkpoints every 3: stopped at step 4 of epoch 1,
        // then at step 3 of epoch 2 (across the epoch's validation), then finished.
        _ = try run(interrupted, epochs: 2, stopAfter: 4)
        _ = try run(interrupted, epochs: 2, stopAfter: 4)
        let resumed = try run(interrupted, epochs: 2)
        for ((key, a), (_, b)) in zip(full.model.stateDict(), resumed.model.stateDict()) {
            #expect(a.sub(b).abs().max().item() == 0, "\(key) differs after resuming")
        }
    }

    @Test func scheduleIsTransformersLinearWarmupThenDecay() {
        // get_linear_schedule_with_warmup(num_warmup_steps=2, num_training_steps=10).
        let factors = (0...10).map { TextClassifierTrainer.linearSchedule(step: $0, totalSteps: 10, warmupSteps: 2) }
        #expect(factors == [0, 0.5, 1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0])
        #expect(TextClassifierTrainer.linearSchedule(step: 12, totalSteps: 10, warmupSteps: 0) == 0)
    }

    @Test func unknownValidationLabelNamesTheRow() throws {
        var valid = foodOrHorse(3, offset: 0)
        valid[2].label = "boats"
        #expect(throws: TextDataError.unknownLabel(path: "valid.csv", line: 3, label: "boats", known: ["food", "horse"])) {
            try TextClassifierTrainer(model: tinyURL, train: foodOrHorse(8, offset: 0), valid: valid,
                                      output: temporaryDirectory(), options: FineTuneOptions(), validSource: "valid.csv")
        }
    }
}
