// Ember's training checkpoint: model, optimizer, scheduler, epoch and
// random-generator states in one PyTorch zip file, laid out as PyTorch's
// ImageNet example saves them (`epoch`, `state_dict`, `optimizer`,
// `scheduler`), so `torch.load` reads it and `ember convert --key state_dict`
// extracts the weights.

import EmberCore
import EmberNN
import EmberOptim
import Foundation

/// Everything a run needs to continue exactly where it stopped.
///
/// ```swift
/// // At the end of each epoch:
/// try TrainingCheckpoint(epoch: epoch, model: model, optimizer: optimizer, scheduler: scheduler,
///                        generators: ["loader": loaderGenerator]).save(to: url)
/// // On start-up, if a checkpoint exists:
/// let checkpoint = try TrainingCheckpoint(contentsOf: url)
/// try checkpoint.restore(model: model, optimizer: optimizer, scheduler: scheduler,
///                        generators: ["loader": loaderGenerator])
/// let firstEpoch = checkpoint.epoch + 1
/// ```
public struct TrainingCheckpoint {
    /// The last finished epoch.
    public var epoch: Int
    /// The model's state dict. Its tensors are the model's own (as PyTorch's
    /// `state_dict()` returns them), so save before training on.
    public var model: StateDict
    public var optimizer: OptimizerState?
    /// How many parameters each optimizer group holds (PyTorch's `params` lists).
    public var optimizerGroupSizes: [Int]
    public var scheduler: SchedulerState?
    /// Generator states by name; "default" is the default generator's.
    public var generatorStates: [String: [UInt64]]
    /// Numbers worth keeping beside the weights, like the best validation accuracy.
    public var metrics: [String: Double]

    /// Captures a run: the model's state dict, the optimizer's and the
    /// scheduler's states, and the default generator plus `generators`.
    public init(epoch: Int, model: Module, optimizer: Optimizer? = nil, scheduler: (any StatefulScheduler)? = nil,
                generators: [String: Generator] = [:], metrics: [String: Double] = [:]) {
        self.epoch = epoch
        self.model = model.stateDict()
        self.optimizer = optimizer?.stateDict()
        optimizerGroupSizes = optimizer?.paramGroups.map(\.params.count) ?? []
        self.scheduler = scheduler?.stateDict()
        var states = generators.mapValues(\.stateWords)
        states["default"] = Generator.default.stateWords
        generatorStates = states
        self.metrics = metrics
    }

    /// Puts a run back as it was when the checkpoint was taken. Every
    /// generator named in `generators` must be in the checkpoint; the default
    /// generator is always restored.
    public func restore(model: Module, optimizer: Optimizer? = nil, scheduler: (any StatefulScheduler)? = nil,
                        generators: [String: Generator] = [:]) throws {
        for name in generators.keys where generatorStates[name] == nil {
            throw TrainingCheckpointError.missing(path: nil, key: "rng_state." + name)
        }
        try model.loadStateDict(self.model)
        if let optimizer {
            guard let saved = self.optimizer else { throw TrainingCheckpointError.missing(path: nil, key: "optimizer") }
            try optimizer.loadStateDict(saved)
        }
        if let scheduler {
            guard let saved = self.scheduler else { throw TrainingCheckpointError.missing(path: nil, key: "scheduler") }
            try scheduler.loadStateDict(saved)
        }
        for (name, generator) in generators { generator.stateWords = generatorStates[name]! }
        if let words = generatorStates["default"] { Generator.default.stateWords = words }
    }
}

/// Why a file is not a training checkpoint Ember can resume from.
public enum TrainingCheckpointError: Error, Equatable, CustomStringConvertible {
    case missing(path: String?, key: String)
    case wrongKind(path: String, key: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .missing(let path, let key): "\(path.map { $0 + ": " } ?? "")the checkpoint has no \"\(key)\""
        case .wrongKind(let path, let key, let expected, let found): "\(path): \"\(key)\" should be \(expected), not \(found)"
        }
    }
}
