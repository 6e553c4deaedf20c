// Bit-for-bit resume of a training run from an in-memory checkpoint: model
// state dict, optimizer and scheduler state dicts, and both generators'
// states (the loader's shuffling one and the default one behind dropout).

import EmberCore
import EmberData
import EmberNN
import EmberOptim
import Testing

/// Everything a run holds; `build` makes it from scratch.
private struct Run {
    let model: Sequential
    let optimizer: AdamW
    let scheduler: OneCycleLR
    let loader: DataLoader<TensorDataset>
    let shuffle: Generator

    static let epochs = 4

    /// The data are fixed; `initSeed` changes the initial weights and the
    /// loader's and dropout's streams, which a resume must overwrite.
    static func build(initSeed: UInt64) -> Run {
        let data = Generator(seed: 11)
        let x = Tensor.randn([23, 4], generator: data), y = Tensor.randn([23, 1], generator: data)
        manualSeed(initSeed)
        let model = Sequential(Linear(inFeatures: 4, outFeatures: 16), ReLU(), Dropout(p: 0.25),
                               Linear(inFeatures: 16, outFeatures: 1))
        let shuffle = Generator(seed: initSeed &+ 1)
        let loader = DataLoader(TensorDataset(x, y), batchSize: 5, shuffle: true, generator: shuffle)
        let optimizer = AdamW(model.parameters(), lr: 0.01)
        // Stepped per batch, with beta1 cycling: per-step state and an optimizer option both move.
        let scheduler = OneCycleLR(optimizer, maxLR: 0.05, totalSteps: epochs * loader.count, pctStart: 0.4)
        return Run(model: model, optimizer: optimizer, scheduler: scheduler, loader: loader, shuffle: shuffle)
    }

    /// One epoch; the loss of every batch, as float bit patterns.
    func trainEpoch() -> [UInt32] {
        _ = model.train()
        var losses: [UInt32] = []
        for batch in loader {
            optimizer.zeroGrad()
            let loss = Functional.mseLoss(model(batch[0]), batch[1])
            loss.backward()
            optimizer.step()
            scheduler.step()
            losses.append((loss.scalars() as [Float])[0].bitPattern)
        }
        return losses
    }

    var parameterBits: [[UInt32]] { model.parameters().map { ($0.scalars() as [Float]).map(\.bitPattern) } }
}

/// The checkpoint, as a `.pth` would hold it, kept in memory.
private struct Checkpoint {
    let model: StateDict
    let optimizer: OptimizerState
    let scheduler: SchedulerState
    let shuffle: [UInt64], defaultGenerator: [UInt64]

    init(_ run: Run) {
        model = StateDict(run.model.stateDict().map { ($0.key, $0.tensor.clone()) })
        optimizer = run.optimizer.stateDict()
        scheduler = run.scheduler.stateDict()
        shuffle = run.shuffle.stateWords
        defaultGenerator = Generator.default.stateWords
    }

    func restore(into run: Run) throws {
        try run.model.loadStateDict(model)
        try run.optimizer.loadStateDict(optimizer)
        try run.scheduler.loadStateDict(scheduler)
        run.shuffle.stateWords = shuffle
        Generator.default.stateWords = defaultGenerator
    }
}

/// Both runs, each with the losses of its last two epochs and its final weights.
private func uninterruptedAndResumed() throws -> (losses: [[UInt32]], params: [[[UInt32]]]) {
    let whole = Run.build(initSeed: 1)
    var wholeLosses: [UInt32] = []
    for epoch in 0..<Run.epochs {
        let l = whole.trainEpoch()
        if epoch >= 2 { wholeLosses += l }
    }

    let first = Run.build(initSeed: 1)
    for _ in 0..<2 { _ = first.trainEpoch() }
    let checkpoint = Checkpoint(first)
    let second = Run.build(initSeed: 99)
    try checkpoint.restore(into: second)
    var resumedLosses: [UInt32] = []
    for _ in 2..<Run.epochs { resumedLosses += second.trainEpoch() }
    return ([wholeLosses, resumedLosses], [whole.parameterBits, second.parameterBits])
}

@Test func trainingResumesBitForBitFromACheckpoint() throws {
    // Dropout draws from the default generator; a task-local one keeps
    // tests running in parallel from drawing out of this run's stream.
    let run = try Generator.withDefault(Generator(seed: 5)) { try uninterruptedAndResumed() }
    #expect(run.losses[0].count == 2 * 5)
    // Compared as Bools: printing every bit pattern on failure drowns the report.
    let sameLosses = run.losses[0] == run.losses[1], sameParams = run.params[0] == run.params[1]
    #expect(sameLosses, "losses of epochs 3-4: uninterrupted \(run.losses[0]), resumed \(run.losses[1])")
    #expect(sameParams, "final parameters differ")
}
