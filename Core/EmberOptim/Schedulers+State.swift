// Scheduler state dicts as a small ordered value tree. The cases are Python's
// own types (int stays int, float stays float, dicts keep insertion order), so
// a state maps one to one onto the pickle PyTorch writes for
// `scheduler.state_dict()`.

/// One value of a scheduler state dict, typed as PyTorch's Python value is.
///
/// ```swift
/// let state = StepLR(optimizer, stepSize: 3).stateDict()
/// if case .int(let epoch)? = state["last_epoch"] { print(epoch) }
/// ```
public indirect enum StateValue: Sendable, Equatable {
    /// Python's `None`.
    case none
    case bool(Bool)
    case int(Int)
    /// A Python `float`.
    case double(Double)
    case string(String)
    case list([StateValue])
    /// A `dict` with string keys, in insertion order.
    case dict([(key: String, value: StateValue)])
    /// A `collections.Counter` of ints, in insertion order: MultiStepLR keeps
    /// its milestones this way, and a plain dict would lose the int keys.
    case counter([(value: Int, count: Int)])

    /// The Python type's name, for errors: `StateValue.double(1).kind == "float"`.
    public var kind: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .list: "list"
        case .dict: "dict"
        case .counter: "Counter"
        }
    }

    /// Equal values of equal kinds; dicts compare in order, and NaN equals NaN
    /// so that a restored state compares equal to the one saved.
    public static func == (a: StateValue, b: StateValue) -> Bool {
        switch (a, b) {
        case (.none, .none): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y || (x.isNaN && y.isNaN)
        case (.string(let x), .string(let y)): x == y
        case (.list(let x), .list(let y)): x == y
        case (.dict(let x), .dict(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.counter(let x), .counter(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.value == $1.value && $0.count == $1.count }
        default: false
        }
    }
}

/// A scheduler's `state_dict()`: PyTorch's keys, in PyTorch's order.
///
/// ```swift
/// let saved = scheduler.stateDict()
/// // later, on a freshly built optimizer and scheduler:
/// try optimizer.loadStateDict(savedOptimizer)
/// try scheduler.loadStateDict(saved)
/// ```
public struct SchedulerState: Sendable, Equatable {
    /// The pairs in PyTorch's order: `for (key, value) in state.entries { ... }`.
    public var entries: [(key: String, value: StateValue)]

    /// A state of `entries`, in order: `SchedulerState([("last_epoch", .int(3))])`.
    public init(_ entries: [(key: String, value: StateValue)] = []) { self.entries = entries }

    /// The entries of a `.dict`, or nil for any other kind.
    ///
    /// ```swift
    /// let nested = SchedulerState(sequentialState["_schedulers"]!.listValue![0])
    /// ```
    public init?(_ value: StateValue) {
        guard case .dict(let entries) = value else { return nil }
        self.entries = entries
    }

    /// The keys in order: `StepLR(optimizer, stepSize: 3).stateDict().keys.first == "step_size"`.
    public var keys: [String] { entries.map(\.key) }

    /// The whole state as one `.dict`, as nested states appear inside
    /// `_schedulers`: `.list(children.map { $0.stateDict().value })`.
    public var value: StateValue { .dict(entries) }

    /// Setting an existing key keeps its position, as a Python dict does; nil
    /// removes it. Write Python's None as `StateValue.none`: a bare `.none`
    /// here is Optional's nil and removes the key.
    ///
    /// ```swift
    /// state["lr_lambdas"] = .list([StateValue.none])
    /// ```
    public subscript(key: String) -> StateValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            let index = entries.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let i?, let v?): entries[i].value = v
            case (let i?, nil): entries.remove(at: i)
            case (nil, let v?): entries.append((key, v))
            case (nil, nil): break
            }
        }
    }

    public static func == (a: SchedulerState, b: SchedulerState) -> Bool { a.value == b.value }
}

extension StateValue {
    /// The elements of a `.list`, or nil.
    ///
    /// ```swift
    /// let lrs = state["_last_lr"]?.listValue
    /// ```
    public var listValue: [StateValue]? {
        if case .list(let l) = self { return l }
        return nil
    }
}

/// Why a saved scheduler state does not fit a scheduler; `key` is the path,
/// e.g. `_schedulers[1].last_epoch`.
///
/// ```swift
/// do { try scheduler.loadStateDict(saved) } catch let error as SchedulerStateError { print(error) }
/// ```
public enum SchedulerStateError: Error, Equatable, CustomStringConvertible {
    case missingKey(String)
    case wrongKind(key: String, expected: String, found: String)
    /// A list whose length must match the optimizer's groups or the scheduler's children.
    case countMismatch(key: String, expected: Int, found: Int)
    case invalidValue(key: String, reason: String)

    public var description: String {
        switch self {
        case .missingKey(let k): "scheduler state has no key \(k)"
        case .wrongKind(let k, let e, let f): "scheduler state \(k) is a \(f), expected a \(e)"
        case .countMismatch(let k, let e, let f): "scheduler state \(k) has \(f) entries, expected \(e)"
        case .invalidValue(let k, let r): "scheduler state \(k): \(r)"
        }
    }
}

/// Typed reads from a state, throwing errors that name the full key path.
struct StateReader {
    let state: SchedulerState
    let path: String

    init(_ state: SchedulerState, path: String = "") { (self.state, self.path) = (state, path) }

    func value(_ key: String) throws -> StateValue {
        guard let v = state[key] else { throw SchedulerStateError.missingKey(path + key) }
        return v
    }

    func int(_ key: String) throws -> Int {
        let v = try value(key)
        guard case .int(let i) = v else { throw wrongKind(key, expected: "int", v) }
        return i
    }

    /// A float; an int is accepted too, as Python accepts `lr=1`.
    func double(_ key: String) throws -> Double { try Self.double(try value(key), key: path + key) }

    static func double(_ v: StateValue, key: String) throws -> Double {
        switch v {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw SchedulerStateError.wrongKind(key: key, expected: "float", found: v.kind)
        }
    }

    func list(_ key: String) throws -> [StateValue] {
        let v = try value(key)
        guard case .list(let l) = v else { throw wrongKind(key, expected: "list", v) }
        return l
    }

    private func wrongKind(_ key: String, expected: String, _ found: StateValue) -> SchedulerStateError {
        .wrongKind(key: path + key, expected: expected, found: found.kind)
    }

    /// A list of exactly `count` floats: one per parameter group.
    func doubles(_ key: String, count: Int) throws -> [Double] {
        let l = try list(key)
        guard l.count == count else {
            throw SchedulerStateError.countMismatch(key: path + key, expected: count, found: l.count)
        }
        return try l.enumerated().map { i, v in try Self.double(v, key: "\(path)\(key)[\(i)]") }
    }
}


extension LRScheduler {
    /// PyTorch's instance attributes in the order its `__init__` and first
    /// `step()` create them. `_is_initial` and `_get_lr_called_within_step`
    /// are only true inside a step, so a saved state always has them false.
    func epochState() -> [(key: String, value: StateValue)] {
        [("base_lrs", .list(baseLRs.map { .double($0) })), ("last_epoch", .int(lastEpoch)),
         ("_step_count", .int(stepCount)), ("_is_initial", .bool(false)),
         ("_get_lr_called_within_step", .bool(false)), ("_last_lr", .list(lastLRs.map { .double($0) }))]
    }

    /// Reads `base_lrs`, `last_epoch`, `_step_count` and `_last_lr`, one rate
    /// per parameter group; PyTorch's transient flags and the constants are
    /// not read, so a state without them still loads.
    func epochRestorer(_ state: StateReader) throws -> () -> Void {
        let groups = optimizer.paramGroups.count
        let base = try state.doubles("base_lrs", count: groups)
        let epoch = try state.int("last_epoch")
        let steps = try state.int("_step_count")
        let lrs = try state.doubles("_last_lr", count: groups)
        return { [self] in
            baseLRs = base
            lastEpoch = epoch
            stepCount = steps
            lastLRs = lrs
        }
    }
}

/// A scheduler whose state can be saved and restored: every `LRScheduler`
/// and `ReduceLROnPlateau`, so a training checkpoint can take either.
///
/// ```swift
/// let scheduler: any StatefulScheduler = ReduceLROnPlateau(optimizer)
/// let saved = scheduler.stateDict()
/// ```
public protocol StatefulScheduler: AnyObject {
    func stateDict() -> SchedulerState
    func loadStateDict(_ state: SchedulerState) throws
}

extension LRScheduler: StatefulScheduler {}
extension ReduceLROnPlateau: StatefulScheduler {}
