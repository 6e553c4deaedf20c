// Ember's training checkpoint on disk: a run stopped after two epochs,
// saved, loaded into a freshly built run and continued, ends bit for bit
// where the uninterrupted run ends; torch reads the file (check_ember_pth.py
// loads its optimizer state into torch's Adam); damaged files are typed errors.

import EmberCheckpoint
import EmberCore
import EmberData
import EmberNN
import EmberOptim
import EmberTestSupport
import Foundation
import Testing

/// A small run: dropout, a shuffling loader with its own generator, Adam
/// with two parameter groups, and warmup-then-cosine stepped per epoch.
private struct Run {
    let model: Sequential
    let optimizer: Adam
    let scheduler: SequentialLR
    let loader: DataLoader<TensorDataset>
    let shuffle: Generator

    static let epochs = 4

    static func build(initSeed: UInt64) -> Run {
        let data = Generator(seed: 21)
        let x = Tensor.randn([19, 3], generator: data), y = Tensor.randn([19, 2], generator: data)
        manualSeed(initSeed)
        let model = Sequential(Linear(inFeatures: 3, outFeatures: 8), ReLU(), Dropout(p: 0.3),
                               Linear(inFeatures: 8, outFeatures: 2))
        let shuffle = Generator(seed: initSeed &+ 7)
        let loader = DataLoader(TensorDataset(x, y), batchSize: 4, shuffle: true, generator: shuffle)
        let optimizer = Adam(groups: [ParamGroup(params: model[0].parameters()),
                                      ParamGroup(params: model[3].parameters(), options: ["lr": 0.002])],
                             lr: 0.01, amsgrad: true)
        let warmup = LinearLR(optimizer, startFactor: 0.5, totalIters: 2)
        let cosine = CosineAnnealingLR(optimizer, tMax: 3)
        let scheduler = SequentialLR(optimizer, schedulers: [warmup, cosine], milestones: [2])
        return Run(model: model, optimizer: optimizer, scheduler: scheduler, loader: loader, shuffle: shuffle)
    }

    func trainEpoch() -> [UInt32] {
        _ = model.train()
        var losses: [UInt32] = []
        for batch in loader {
            optimizer.zeroGrad()
            let loss = Functional.mseLoss(model(batch[0]), batch[1])
            loss.backward()
            optimizer.step()
            losses.append((loss.scalars() as [Float])[0].bitPattern)
        }
        scheduler.step()
        return losses
    }

    var parameterBits: [[UInt32]] { model.parameters().map { ($0.scalars() as [Float]).map(\.bitPattern) } }
}

@Test("a run saved to a file after two epochs and resumed in a fresh process state matches the uninterrupted run bit for bit")
func resumeFromFileIsBitForBit() throws {
    try Generator.withDefault(Generator(seed: 0)) {
        let whole = Run.build(initSeed: 1)
        var expected: [UInt32] = []
        for epoch in 0..<Run.epochs {
            let losses = whole.trainEpoch()
            if epoch >= 2 { expected += losses }
        }

        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("run.pth")
            let first = Run.build(initSeed: 1)
            for _ in 0..<2 { _ = first.trainEpoch() }
            try TrainingCheckpoint(epoch: 1, model: first.model, optimizer: first.optimizer, scheduler: first.scheduler,
                                   generators: ["loader": first.shuffle], metrics: ["valid_loss": 0.25]).save(to: url)

            let second = Run.build(initSeed: 42)
            manualSeed(1234)  // the process's stream moved on; the checkpoint must put it back
            let checkpoint = try TrainingCheckpoint(contentsOf: url)
            #expect(checkpoint.epoch == 1 && checkpoint.metrics == ["valid_loss": 0.25])
            try checkpoint.restore(model: second.model, optimizer: second.optimizer, scheduler: second.scheduler,
                                   generators: ["loader": second.shuffle])
            var resumed: [UInt32] = []
            for _ in (checkpoint.epoch + 1)..<Run.epochs { resumed += second.trainEpoch() }
            let sameLosses = resumed == expected, sameParameters = second.parameterBits == whole.parameterBits
            #expect(sameLosses, "losses of epochs 3-4: uninterrupted \(expected), resumed \(resumed)")
            #expect(sameParameters, "final parameters differ")
            #expect(second.optimizer.paramGroups.map(\.lr) == whole.optimizer.paramGroups.map(\.lr))
        }
    }
}

/// The file check_ember_pth.py hands to torch: the run above after two epochs.
@Test func trainingCheckpointFixtureIsReproducible() throws {
    try Generator.withDefault(Generator(seed: 0)) {
        let run = Run.build(initSeed: 1)
        for _ in 0..<2 { _ = run.trainEpoch() }
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("training.pth")
            try TrainingCheckpoint(epoch: 1, model: run.model, optimizer: run.optimizer, scheduler: run.scheduler,
                                   generators: ["loader": run.shuffle]).save(to: url)
            let fixture = pth.appendingPathComponent("ember/training.pth")
            if ProcessInfo.processInfo.environment["EMBER_WRITE_FIXTURES"] == "1" { try Data(contentsOf: url).write(to: fixture) }
            #expect(try Data(contentsOf: url) == Data(contentsOf: fixture), "run `make fixtures`")
        }
    }
    let verdicts = FixtureLoader.json("checkpoint/pth/ember/verified.json") as! [String: String]
    #expect(verdicts["training.pth"] == "equal", "\(verdicts["training.pth"] ?? "not checked by torch")")
}

@Test func restoringWhatTheCheckpointLacksNamesTheKey() throws {
    try withTemporaryDirectory { dir in
        let url = dir.appendingPathComponent("weights-only.pth")
        let model = Linear(inFeatures: 2, outFeatures: 1)
        try TrainingCheckpoint(epoch: 0, model: model).save(to: url)
        let checkpoint = try TrainingCheckpoint(contentsOf: url)
        #expect(throws: TrainingCheckpointError.missing(path: nil, key: "optimizer")) {
            try checkpoint.restore(model: model, optimizer: SGD(model.parameters(), lr: 0.1))
        }
        #expect(throws: TrainingCheckpointError.missing(path: nil, key: "rng_state.loader")) {
            try checkpoint.restore(model: model, generators: ["loader": Generator(seed: 1)])
        }
        // A plain state dict is not a training checkpoint.
        let plain = dir.appendingPathComponent("plain.pth")
        try model.stateDict().save(to: plain)
        #expect(throws: TrainingCheckpointError.missing(path: plain.path, key: "epoch")) {
            try TrainingCheckpoint(contentsOf: plain)
        }
    }
}
