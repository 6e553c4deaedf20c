// SequentialLR: schedulers run one after another, and a state dict that
// nests theirs as PyTorch's `_schedulers` list.

import EmberCore
import Foundation

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
        let first = schedulers[activeIndex(0)]
        first.start()
        lastLRs = first.lastLRs
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
        lastLRs = schedulers[i].lastLRs
    }

    // MARK: State dict

    /// PyTorch's SequentialLR keys: `_milestones`, `last_epoch`, `_last_lr`,
    /// and `_schedulers`, each child's own state dict in order.
    ///
    /// ```swift
    /// let saved = scheduler.stateDict()
    /// let warmupState = SchedulerState(saved["_schedulers"]!.listValue![0])
    /// ```
    public override func stateDict() -> SchedulerState {
        SchedulerState([("_milestones", .list(milestones.map { .int($0) })), ("last_epoch", .int(lastEpoch)),
                        ("_last_lr", .list(lastLRs.map { .double($0) })),
                        ("_schedulers", .list(schedulers.map { $0.stateDict().value }))])
    }

    /// Checks every child's state before any is applied.
    override func restorer(_ state: StateReader) throws -> () -> Void {
        let epoch = try state.int("last_epoch")
        let lrs = try state.doubles("_last_lr", count: optimizer.paramGroups.count)
        let saved = try state.list("_schedulers")
        guard saved.count == schedulers.count else {
            throw SchedulerStateError.countMismatch(key: state.path + "_schedulers", expected: schedulers.count,
                                                    found: saved.count)
        }
        let children = try zip(schedulers, saved).enumerated().map { i, pair in
            let key = "\(state.path)_schedulers[\(i)]"
            guard let child = SchedulerState(pair.1) else {
                throw SchedulerStateError.wrongKind(key: key, expected: "dict", found: pair.1.kind)
            }
            return try pair.0.restorer(StateReader(child, path: key + "."))
        }
        return { [self] in
            lastEpoch = epoch
            lastLRs = lrs
            for apply in children { apply() }
        }
    }
}

