// Learning-rate schedulers with PyTorch's own recurrences (torch/optim/
// lr_scheduler.py `get_lr`), so sequences match PyTorch's bit for bit rather
// than a closed form that rounds differently.

import EmberCore
import Foundation

/// A scheduler that sets each group's learning rate once per `step()`.
///
/// Construction performs PyTorch's initial step (epoch 0).
///
/// ```swift
/// let scheduler = StepLR(optimizer, stepSize: 30, gamma: 0.1)
/// for epoch in 0..<90 { train(); scheduler.step() }
/// ```
open class LRScheduler {
    public let optimizer: Optimizer
    /// Each group's learning rate when the schedule started (`initial_lr`).
    public internal(set) var baseLRs: [Double]
    /// The epoch counter (`last_epoch`).
    public internal(set) var lastEpoch = -1
    /// Calls of `step()` since the initial step began (`_step_count`); a
    /// `SequentialLR`'s switch to the next scheduler does not count, as in
    /// PyTorch: `StepLR(optimizer, stepSize: 3).stepCount == 1`.
    public internal(set) var stepCount = 0
    /// The rates set by the last step (`_last_lr`). Kept rather than read back
    /// from the optimizer, so that a state dict records what this scheduler
    /// set: `print(scheduler.lastLRs)` after `scheduler.step()`.
    public internal(set) var lastLRs: [Double] = []

    public init(_ optimizer: Optimizer) {
        self.optimizer = optimizer
        for g in optimizer.paramGroups.indices where optimizer.paramGroups[g].options["initial_lr"] == nil {
            optimizer.paramGroups[g].options["initial_lr"] = optimizer.paramGroups[g].lr
        }
        baseLRs = optimizer.paramGroups.map { $0.options["initial_lr"]! }
    }

    /// Call at the end of a subclass's init: PyTorch's initial step
    /// (`_initial_step`), which restarts the step count.
    public func start() {
        stepCount = 0
        step()
    }

    /// The rates for `lastEpoch`, given the current ones.
    open func computeLRs(current: [Double]) -> [Double] { current }

    /// The rates for `lastEpoch` from the base rates alone (PyTorch's
    /// `_get_closed_form_lr`), or nil where the schedule has no closed form.
    open func closedFormLRs() -> [Double]? { nil }

    /// Advances one epoch and sets the new rates.
    open func step() {
        stepCount += 1
        lastEpoch += 1
        setLRs(computeLRs(current: optimizer.paramGroups.map(\.lr)))
    }

    /// Jumps to `epoch`, by the closed form where there is one (PyTorch's `_update_lr(epoch)`).
    func jump(to epoch: Int) {
        lastEpoch = epoch
        setLRs(closedFormLRs() ?? computeLRs(current: optimizer.paramGroups.map(\.lr)))
    }

    /// Takes back the step made at construction, for a scheduler inside a `SequentialLR`.
    func undoInitialStep() { lastEpoch -= 1 }

    private func setLRs(_ lrs: [Double]) {
        for (i, lr) in lrs.enumerated() { optimizer.paramGroups[i].lr = lr }
        lastLRs = optimizer.paramGroups.map(\.lr)
    }

    // MARK: State dicts (the shared parts live in Schedulers+State.swift)

    /// The scheduler's state, like PyTorch's `scheduler.state_dict()`: the
    /// schedule's constants, then `base_lrs`, `last_epoch`, `_step_count`,
    /// `_is_initial`, `_get_lr_called_within_step` and `_last_lr`.
    ///
    /// ```swift
    /// let checkpoint = (optimizer.stateDict(), scheduler.stateDict())
    /// ```
    open func stateDict() -> SchedulerState { SchedulerState(hyperparameterState() + epochState()) }

    /// Restores the mutable state saved by `stateDict()` (or PyTorch's
    /// `state_dict()`), so that stepping continues exactly. The schedule's
    /// constants come from this scheduler's initializer and are not read;
    /// nothing changes unless every read key fits. The schedules continue
    /// from the optimizer's current rates, so restore the optimizer's state too.
    ///
    /// ```swift
    /// try optimizer.loadStateDict(savedOptimizer)
    /// try scheduler.loadStateDict(savedScheduler)
    /// ```
    open func loadStateDict(_ state: SchedulerState) throws { try restorer(StateReader(state))() }

    /// This schedule's constants under PyTorch's names, ahead of the epoch state.
    func hyperparameterState() -> [(key: String, value: StateValue)] { [] }

    /// Checks a saved state and returns what applies it, so that a nested
    /// load changes nothing unless every part fits.
    func restorer(_ state: StateReader) throws -> () -> Void { try epochRestorer(state) }
}

/// Multiplies the rate by `gamma` every `stepSize` epochs.
public final class StepLR: LRScheduler {
    let stepSize: Int, gamma: Double
    public init(_ optimizer: Optimizer, stepSize: Int, gamma: Double = 0.1) {
        (self.stepSize, self.gamma) = (stepSize, gamma)
        super.init(optimizer)
        start()
    }
    public override func computeLRs(current: [Double]) -> [Double] {
        lastEpoch == 0 || lastEpoch % stepSize != 0 ? current : current.map { $0 * gamma }
    }
    public override func closedFormLRs() -> [Double]? {
        baseLRs.map { $0 * pow(gamma, Double(lastEpoch / stepSize)) }
    }
    override func hyperparameterState() -> [(key: String, value: StateValue)] {
        [("step_size", .int(stepSize)), ("gamma", .double(gamma))]
    }
}

/// Multiplies the rate by `gamma` at each milestone epoch.
public final class MultiStepLR: LRScheduler {
    let milestones: [Int], gamma: Double
    public init(_ optimizer: Optimizer, milestones: [Int], gamma: Double = 0.1) {
        (self.milestones, self.gamma) = (milestones, gamma)
        super.init(optimizer)
        start()
    }
    public override func computeLRs(current: [Double]) -> [Double] {
        let hits = milestones.filter { $0 == lastEpoch }.count
        return hits == 0 ? current : current.map { $0 * pow(gamma, Double(hits)) }
    }
    public override func closedFormLRs() -> [Double]? {
        let passed = milestones.filter { $0 <= lastEpoch }.count
        return baseLRs.map { $0 * pow(gamma, Double(passed)) }
    }
    /// PyTorch keeps the milestones as a `Counter`, first occurrences first.
    override func hyperparameterState() -> [(key: String, value: StateValue)] {
        var counts: [(value: Int, count: Int)] = []
        for m in milestones {
            if let i = counts.firstIndex(where: { $0.value == m }) { counts[i].count += 1 } else { counts.append((m, 1)) }
        }
        return [("milestones", .counter(counts)), ("gamma", .double(gamma))]
    }
}

/// Multiplies the rate by `gamma` every epoch.
public final class ExponentialLR: LRScheduler {
    let gamma: Double
    public init(_ optimizer: Optimizer, gamma: Double) {
        self.gamma = gamma
        super.init(optimizer)
        start()
    }
    public override func computeLRs(current: [Double]) -> [Double] {
        lastEpoch == 0 ? current : current.map { $0 * gamma }
    }
    public override func closedFormLRs() -> [Double]? { baseLRs.map { $0 * pow(gamma, Double(lastEpoch)) } }
    override func hyperparameterState() -> [(key: String, value: StateValue)] { [("gamma", .double(gamma))] }
}

/// Cosine annealing from the base rate to `etaMin` over `tMax` epochs.
public final class CosineAnnealingLR: LRScheduler {
    let tMax: Int, etaMin: Double
    public init(_ optimizer: Optimizer, tMax: Int, etaMin: Double = 0) {
        (self.tMax, self.etaMin) = (tMax, etaMin)
        super.init(optimizer)
        start()
    }
    public override func computeLRs(current: [Double]) -> [Double] {
        if lastEpoch == 0 { return current }
        let t = Double(tMax), e = Double(lastEpoch)
        if (lastEpoch - 1 - tMax) % (2 * tMax) == 0 {
            return zip(current, baseLRs).map { lr, base in lr + (base - etaMin) * (1 - cos(Double.pi / t)) / 2 }
        }
        return current.map { lr in
            (1 + cos(Double.pi * e / t)) / (1 + cos(Double.pi * (e - 1) / t)) * (lr - etaMin) + etaMin
        }
    }
    public override func closedFormLRs() -> [Double]? {
        baseLRs.map { etaMin + ($0 - etaMin) * (1 + cos(Double.pi * Double(lastEpoch) / Double(tMax))) / 2 }
    }
    override func hyperparameterState() -> [(key: String, value: StateValue)] {
        [("T_max", .int(tMax)), ("eta_min", .double(etaMin))]
    }
}

/// Scales the rate linearly from `startFactor` to `endFactor` over `totalIters` epochs.
public final class LinearLR: LRScheduler {
    let startFactor: Double, endFactor: Double, totalIters: Int
    public init(_ optimizer: Optimizer, startFactor: Double = 1.0 / 3, endFactor: Double = 1, totalIters: Int = 5) {
        precondition(startFactor > 0 && startFactor <= 1 && endFactor >= 0 && endFactor <= 1,
                     "LinearLR: factors must lie in (0, 1] and [0, 1], got \(startFactor) and \(endFactor)")
        (self.startFactor, self.endFactor, self.totalIters) = (startFactor, endFactor, totalIters)
        super.init(optimizer)
        start()
    }
    public override func computeLRs(current: [Double]) -> [Double] {
        if lastEpoch == 0 { return current.map { $0 * startFactor } }
        if lastEpoch > totalIters { return current }
        let ratio = 1 + (endFactor - startFactor)
            / (Double(totalIters) * startFactor + Double(lastEpoch - 1) * (endFactor - startFactor))
        return current.map { $0 * ratio }
    }
    public override func closedFormLRs() -> [Double]? {
        let progress = Double(Swift.min(totalIters, lastEpoch)) / Double(totalIters)
        return baseLRs.map { $0 * (startFactor + (endFactor - startFactor) * progress) }
    }
    override func hyperparameterState() -> [(key: String, value: StateValue)] {
        [("start_factor", .double(startFactor)), ("end_factor", .double(endFactor)), ("total_iters", .int(totalIters))]
    }
}

/// The base rate times `lambda(epoch)`.
///
/// Its state dict cannot hold the closure: like PyTorch, which saves only
/// `lr_lambdas` entries that are callable objects (never plain functions or
/// lambdas), it writes `lr_lambdas` as one `None` per group, and a load keeps
/// this scheduler's own closure.
///
/// ```swift
/// let scheduler = LambdaLR(optimizer) { epoch in pow(0.95, Double(epoch)) }
/// ```
public final class LambdaLR: LRScheduler {
    let lambda: (Int) -> Double
    public init(_ optimizer: Optimizer, lambda: @escaping (Int) -> Double) {
        self.lambda = lambda
        super.init(optimizer)
        start()
    }
    public override func computeLRs(current: [Double]) -> [Double] { baseLRs.map { $0 * lambda(lastEpoch) } }

    /// The common state with PyTorch's `lr_lambdas` last: `None` per group.
    ///
    /// ```swift
    /// let saved = scheduler.stateDict()  // saved["lr_lambdas"] == .list([.none])
    /// ```
    public override func stateDict() -> SchedulerState {
        var state = super.stateDict()
        state["lr_lambdas"] = .list(Array(repeating: .none, count: baseLRs.count))
        return state
    }

    /// PyTorch pops `lr_lambdas` first, so it must be there; entries saved
    /// from callable objects have no Swift counterpart and are not applied.
    override func restorer(_ state: StateReader) throws -> () -> Void {
        _ = try state.list("lr_lambdas")
        return try super.restorer(state)
    }
}

