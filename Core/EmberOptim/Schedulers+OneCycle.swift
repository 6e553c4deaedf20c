// The one-cycle policy (torch.optim.lr_scheduler.OneCycleLR), with its
// momentum cycling and its state dict.

import EmberCore
import Foundation

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

    // MARK: State dict

    /// PyTorch's keys: `total_steps`, `_schedule_phases` (group option names,
    /// not values: the rates live in the optimizer's groups), the anneal
    /// strategy, `cycle_momentum` and, only when cycling, `use_beta1`.
    override func hyperparameterState() -> [(key: String, value: StateValue)] {
        let total = Double(totalSteps)
        func phase(_ end: StateValue, _ lr: (String, String), _ momentum: (String, String)) -> StateValue {
            .dict([("end_step", end), ("start_lr", .string(lr.0)), ("end_lr", .string(lr.1)),
                   ("start_momentum", .string(momentum.0)), ("end_momentum", .string(momentum.1))])
        }
        // Python's `float(pct_start * total_steps) - 1` against the last phase's int `total_steps - 1`.
        let first = phase(.double(pctStart * total - 1), ("initial_lr", "max_lr"), ("max_momentum", "base_momentum"))
        let last = StateValue.int(totalSteps - 1)
        let phases = threePhase
            ? [first, phase(.double(2 * pctStart * total - 2), ("max_lr", "initial_lr"), ("base_momentum", "max_momentum")),
               phase(last, ("initial_lr", "min_lr"), ("max_momentum", "max_momentum"))]
            : [first, phase(last, ("max_lr", "min_lr"), ("base_momentum", "max_momentum"))]
        var out: [(key: String, value: StateValue)] = [
            ("total_steps", .int(totalSteps)), ("_schedule_phases", .list(phases)),
            ("_anneal_func_type", .string(anneal == .cos ? "cos" : "linear")), ("cycle_momentum", .bool(cycleMomentum)),
        ]
        if cycleMomentum { out.append(("use_beta1", .bool(momentumKey == "beta1"))) }
        return out
    }

    /// A saved epoch past `total_steps` would trap on the next step, so it throws here.
    override func restorer(_ state: StateReader) throws -> () -> Void {
        let epoch = try state.int("last_epoch")
        guard (-1...totalSteps).contains(epoch) else {
            throw SchedulerStateError.invalidValue(key: state.path + "last_epoch",
                                                   reason: "\(epoch) is outside -1...\(totalSteps) (total_steps)")
        }
        return try super.restorer(state)
    }
}
