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
    public let baseLRs: [Double]
    /// The epoch counter (`last_epoch`).
    public internal(set) var lastEpoch = -1

    public init(_ optimizer: Optimizer) {
        self.optimizer = optimizer
        for g in optimizer.paramGroups.indices where optimizer.paramGroups[g].options["initial_lr"] == nil {
            optimizer.paramGroups[g].options["initial_lr"] = optimizer.paramGroups[g].lr
        }
        baseLRs = optimizer.paramGroups.map { $0.options["initial_lr"]! }
    }

    /// Call at the end of a subclass's init: PyTorch's initial step.
    public func start() { step() }

    /// The rates for `lastEpoch`, given the current ones.
    open func computeLRs(current: [Double]) -> [Double] { current }

    /// The rates for `lastEpoch` from the base rates alone (PyTorch's
    /// `_get_closed_form_lr`), or nil where the schedule has no closed form.
    open func closedFormLRs() -> [Double]? { nil }

    /// Advances one epoch and sets the new rates.
    open func step() {
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
    }

    /// The rates set by the last step.
    public var lastLRs: [Double] { optimizer.paramGroups.map(\.lr) }
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
}

/// The base rate times `lambda(epoch)`.
public final class LambdaLR: LRScheduler {
    let lambda: (Int) -> Double
    public init(_ optimizer: Optimizer, lambda: @escaping (Int) -> Double) {
        self.lambda = lambda
        super.init(optimizer)
        start()
    }
    public override func computeLRs(current: [Double]) -> [Double] { baseLRs.map { $0 * lambda(lastEpoch) } }
}

/// The one-cycle policy: warm up to `maxLR`, then anneal far below the start.
/// With `cycleMomentum` the momentum (or Adam's β₁) moves the opposite way,
/// between `maxMomentum` and `baseMomentum`.
///
/// ```swift
/// let scheduler = OneCycleLR(optimizer, maxLR: 0.1, totalSteps: epochs * loader.count)
/// // after every optimizer step: scheduler.step()
/// ```
public final class OneCycleLR: LRScheduler {
    public enum Anneal: Sendable { case cos, linear }
    let maxLRs: [Double], totalSteps: Int, pctStart: Double, anneal: Anneal
    let divFactor: Double, finalDivFactor: Double, threePhase: Bool
    let cycleMomentum: Bool, baseMomentum: Double, maxMomentum: Double
    /// The option that holds the momentum: "beta1" for Adam-style optimizers, else "momentum".
    let momentumKey: String

    public init(_ optimizer: Optimizer, maxLR: Double, totalSteps: Int, pctStart: Double = 0.3, anneal: Anneal = .cos,
                cycleMomentum: Bool = true, baseMomentum: Double = 0.85, maxMomentum: Double = 0.95,
                divFactor: Double = 25, finalDivFactor: Double = 1e4, threePhase: Bool = false) {
        precondition(totalSteps > 0, "OneCycleLR: expected a positive total_steps, got \(totalSteps)")
        precondition(pctStart >= 0 && pctStart <= 1, "OneCycleLR: expected pct_start between 0 and 1, got \(pctStart)")
        (self.maxLRs, self.totalSteps, self.pctStart, self.anneal) =
            (Array(repeating: maxLR, count: optimizer.paramGroups.count), totalSteps, pctStart, anneal)
        (self.divFactor, self.finalDivFactor, self.threePhase) = (divFactor, finalDivFactor, threePhase)
        (self.cycleMomentum, self.baseMomentum, self.maxMomentum) = (cycleMomentum, baseMomentum, maxMomentum)
        let groups = optimizer.paramGroups
        let key = groups.allSatisfy { $0.options["beta1"] != nil } ? "beta1" : "momentum"
        momentumKey = key
        if cycleMomentum {
            precondition(groups.allSatisfy { $0.options[key] != nil },
                         "OneCycleLR: optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
        }
        for g in groups.indices {
            optimizer.paramGroups[g].options["initial_lr"] = maxLR / divFactor
            optimizer.paramGroups[g].lr = maxLR / divFactor
            if cycleMomentum { optimizer.paramGroups[g].options[key] = maxMomentum }
        }
        super.init(optimizer)
        start()
    }

    private func annealed(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        switch anneal {
        case .cos: end + (start - end) / 2.0 * (cos(Double.pi * pct) + 1)
        case .linear: (end - start) * pct + start
        }
    }

    public override func computeLRs(current: [Double]) -> [Double] {
        precondition(lastEpoch <= totalSteps,
                     "OneCycleLR: tried to step \(lastEpoch) times; the total number of steps is \(totalSteps)")
        let step = Double(lastEpoch), total = Double(totalSteps)
        let (high, low) = (maxMomentum, baseMomentum)
        return zip(baseLRs, maxLRs).enumerated().map { g, rates in
            let (initial, maxLR) = rates
            let minLR = initial / finalDivFactor
            let phases: [(end: Double, lr: (Double, Double), momentum: (Double, Double))] = threePhase
                ? [(pctStart * total - 1, (initial, maxLR), (high, low)),
                   (2 * pctStart * total - 2, (maxLR, initial), (low, high)),
                   (total - 1, (initial, minLR), (high, high))]
                : [(pctStart * total - 1, (initial, maxLR), (high, low)),
                   (total - 1, (maxLR, minLR), (low, high))]
            var startStep = 0.0
            for (i, phase) in phases.enumerated() {
                if step <= phase.end || i == phases.count - 1 {
                    let pct = (step - startStep) / (phase.end - startStep)
                    if cycleMomentum {
                        optimizer.paramGroups[g].options[momentumKey] = annealed(phase.momentum.0, phase.momentum.1, pct)
                    }
                    return annealed(phase.lr.0, phase.lr.1, pct)
                }
                startStep = phase.end
            }
            return current[g]
        }
    }
}

/// Runs schedulers one after another, switching at each milestone, like
/// `torch.optim.lr_scheduler.SequentialLR`: warmup, then decay.
///
/// ```swift
/// let warmup = LinearLR(optimizer, startFactor: 0.1, totalIters: 5)
/// let decay = CosineAnnealingLR(optimizer, tMax: 95)
/// let scheduler = SequentialLR(optimizer, schedulers: [warmup, decay], milestones: [5])
/// ```
public final class SequentialLR: LRScheduler {
    public let schedulers: [LRScheduler]
    public let milestones: [Int]

    public init(_ optimizer: Optimizer, schedulers: [LRScheduler], milestones: [Int]) {
        precondition(!schedulers.isEmpty, "SequentialLR expects at least one scheduler, but got no scheduler.")
        precondition(schedulers.allSatisfy { $0.optimizer === optimizer },
                     "SequentialLR expects all schedulers to belong to the same optimizer")
        precondition(milestones.count == schedulers.count - 1,
                     "SequentialLR expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers \(schedulers.count) and the number of milestones to be equal to \(milestones.count)")
        (self.schedulers, self.milestones) = (schedulers, milestones)
        super.init(optimizer)
        for g in optimizer.paramGroups.indices {
            optimizer.paramGroups[g].lr = optimizer.paramGroups[g].options["initial_lr"]!
        }
        undoInitialStep()
        lastEpoch = 0
        schedulers[activeIndex(0)].step()
    }

    /// The scheduler in charge at `epoch`: PyTorch's `bisect_right(milestones, epoch)`.
    private func activeIndex(_ epoch: Int) -> Int { milestones.filter { $0 <= epoch }.count }

    override func undoInitialStep() {
        for scheduler in schedulers { scheduler.undoInitialStep() }
    }

    public override func step() {
        lastEpoch += 1
        let i = activeIndex(lastEpoch)
        if i > 0 && milestones[i - 1] == lastEpoch {
            schedulers[i].jump(to: 0)
        } else {
            schedulers[i].step()
        }
    }
}

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

    public init(_ optimizer: Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0,
                minLR: Double = 0, eps: Double = 1e-8) {
        precondition(factor < 1, "ReduceLROnPlateau: factor should be < 1.0, got \(factor)")
        self.optimizer = optimizer
        (self.mode, self.factor, self.patience, self.threshold, self.thresholdMode) = (mode, factor, patience, threshold, thresholdMode)
        (self.cooldown, self.minLRs, self.eps) = (cooldown, Array(repeating: minLR, count: optimizer.paramGroups.count), eps)
        best = mode == .min ? .infinity : -.infinity
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
    }

    /// The rates now in effect.
    public var lastLRs: [Double] { optimizer.paramGroups.map(\.lr) }
}
