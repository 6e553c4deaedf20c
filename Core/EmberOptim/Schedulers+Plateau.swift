// ReduceLROnPlateau: rates that follow a validation metric rather than the
// epoch, with PyTorch's counters and state dict.

import EmberCore
import Foundation

/// Divides the rate by `1/factor` when a metric stops improving for
/// `patience` epochs, as CheXNet trained.
public final class ReduceLROnPlateau {
    public enum Mode: Sendable { case min, max }
    public enum ThresholdMode: Sendable { case rel, abs }
    public let optimizer: Optimizer
    let mode: Mode, factor: Double, patience: Int, threshold: Double, thresholdMode: ThresholdMode
    let cooldown: Int, minLRs: [Double], eps: Double
    public private(set) var best: Double
    var badEpochs = 0, cooldownCounter = 0
    /// Calls of `step(_:)` so far (`last_epoch`; 0 before the first, as in
    /// PyTorch): after `scheduler.step(loss)` it is 1.
    public private(set) var lastEpoch = 0
    /// The rates after the last step (`_last_lr`), or at construction:
    /// `scheduler.step(loss); print(scheduler.lastLRs)`.
    public private(set) var lastLRs: [Double]

    public init(_ optimizer: Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0,
                minLR: Double = 0, eps: Double = 1e-8) {
        precondition(factor < 1, "ReduceLROnPlateau: factor should be < 1.0, got \(factor)")
        self.optimizer = optimizer
        (self.mode, self.factor, self.patience, self.threshold, self.thresholdMode) = (mode, factor, patience, threshold, thresholdMode)
        (self.cooldown, self.minLRs, self.eps) = (cooldown, Array(repeating: minLR, count: optimizer.paramGroups.count), eps)
        best = mode == .min ? .infinity : -.infinity
        lastLRs = optimizer.paramGroups.map(\.lr)
    }

    private func isBetter(_ a: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .rel): a < best * (1 - threshold)
        case (.min, .abs): a < best - threshold
        case (.max, .rel): a > best * (threshold + 1)
        case (.max, .abs): a > best + threshold
        }
    }

    /// Records this epoch's metric and lowers the rates when it has plateaued.
    public func step(_ metric: Double) {
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            badEpochs = 0
        }
        if badEpochs > patience {
            for g in optimizer.paramGroups.indices {
                let old = optimizer.paramGroups[g].lr
                let new = Swift.max(old * factor, minLRs[g])
                if old - new > eps { optimizer.paramGroups[g].lr = new }
            }
            cooldownCounter = cooldown
            badEpochs = 0
        }
        lastLRs = optimizer.paramGroups.map(\.lr)
    }

    // MARK: State dict

    /// The state under PyTorch's keys and order: the constants (`factor`,
    /// `default_min_lr`, `min_lrs`, `patience`, `cooldown`, `eps`), then
    /// `last_epoch`, `_last_lr`, `mode_worse`, `mode`, `threshold`,
    /// `threshold_mode`, `best`, `cooldown_counter` and `num_bad_epochs`.
    /// The rates are floats; PyTorch keeps `min_lr=0`, its default, as an int.
    ///
    /// ```swift
    /// let saved = scheduler.stateDict()  // saved["best"], saved["num_bad_epochs"], ...
    /// ```
    public func stateDict() -> SchedulerState {
        let doubles = { (xs: [Double]) in StateValue.list(xs.map { .double($0) }) }
        return SchedulerState([
            ("factor", .double(factor)), ("default_min_lr", .double(minLRs.first ?? 0)), ("min_lrs", doubles(minLRs)),
            ("patience", .int(patience)), ("cooldown", .int(cooldown)), ("eps", .double(eps)),
            ("last_epoch", .int(lastEpoch)), ("_last_lr", doubles(lastLRs)),
            ("mode_worse", .double(mode == .min ? .infinity : -.infinity)),
            ("mode", .string(mode == .min ? "min" : "max")),
            ("threshold", .double(threshold)), ("threshold_mode", .string(thresholdMode == .rel ? "rel" : "abs")),
            ("best", .double(best)), ("cooldown_counter", .int(cooldownCounter)), ("num_bad_epochs", .int(badEpochs)),
        ])
    }

    /// Restores `last_epoch`, `_last_lr`, `best`, `cooldown_counter` and
    /// `num_bad_epochs`; nothing changes unless all of them fit. The mode,
    /// threshold and other constants come from this scheduler's initializer.
    ///
    /// ```swift
    /// try optimizer.loadStateDict(savedOptimizer)
    /// try scheduler.loadStateDict(savedScheduler)
    /// ```
    public func loadStateDict(_ saved: SchedulerState) throws {
        let state = StateReader(saved)
        let epoch = try state.int("last_epoch")
        let lrs = try state.doubles("_last_lr", count: optimizer.paramGroups.count)
        let best = try state.double("best")
        let cooldownCounter = try state.int("cooldown_counter")
        let badEpochs = try state.int("num_bad_epochs")
        (lastEpoch, lastLRs, self.best) = (epoch, lrs, best)
        (self.cooldownCounter, self.badEpochs) = (cooldownCounter, badEpochs)
    }
}
