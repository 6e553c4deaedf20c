// A training checkpoint to and from its PyTorch-format file. Optimizer
// state takes PyTorch's shape ({"state": {index: {...}}, "param_groups":
// [{..., "params": [...]}]}, Adam's β's as `betas`); scheduler states are
// already PyTorch's; generator states are int64 tensors of their four words.

import EmberCore
import EmberNN
import EmberOptim
import Foundation

extension TrainingCheckpoint {
    /// Writes the checkpoint atomically in PyTorch's zip format.
    public func save(to url: URL) throws {
        var items: [(key: TorchValue, value: TorchValue)] = [
            (.string("epoch"), .int(Int64(epoch))),
            (.string("state_dict"), TorchValue(model)),
        ]
        if let optimizer { items.append((.string("optimizer"), Self.torchValue(optimizer, groupSizes: optimizerGroupSizes))) }
        if let scheduler { items.append((.string("scheduler"), TorchValue(scheduler.value))) }
        items.append((.string("rng_state"), .dict(generatorStates.sorted { $0.key < $1.key }.map {
            (.string($0.key), .tensor(Tensor($0.value.map { Int64(bitPattern: $0) })))
        }, ordered: false)))
        if !metrics.isEmpty {
            items.append((.string("metrics"), .dict(metrics.sorted { $0.key < $1.key }.map { (.string($0.key), .float($0.value)) },
                                                     ordered: false)))
        }
        try TorchCheckpoint.save(.dict(items, ordered: false), to: url)
    }

    /// Reads a checkpoint written by `save(to:)`.
    public init(contentsOf url: URL) throws {
        let path = url.path
        let root = try TorchCheckpoint.load(url)
        func field(_ key: String) throws -> TorchValue {
            guard let v = root[key] else { throw TrainingCheckpointError.missing(path: path, key: key) }
            return v
        }
        guard case .int(let epoch) = try field("epoch") else {
            throw TrainingCheckpointError.wrongKind(path: path, key: "epoch", expected: "an int", found: try field("epoch").kindDescription)
        }
        self.epoch = Int(epoch)
        model = try StateDict(try field("state_dict"), path: path)
        if let saved = root["optimizer"] {
            (optimizer, optimizerGroupSizes) = try Self.optimizerState(saved, path: path)
        } else {
            (optimizer, optimizerGroupSizes) = (nil, [])
        }
        if let saved = root["scheduler"] {
            let value = try StateValue(saved, path: path, key: "scheduler")
            guard let state = SchedulerState(value) else {
                throw TrainingCheckpointError.wrongKind(path: path, key: "scheduler", expected: "a dict", found: saved.kindDescription)
            }
            scheduler = state
        } else {
            scheduler = nil
        }
        generatorStates = [:]
        guard case .dict(let rng, _) = try field("rng_state") else {
            throw TrainingCheckpointError.wrongKind(path: path, key: "rng_state", expected: "a dict",
                                                    found: try field("rng_state").kindDescription)
        }
        for item in rng {
            let key = "rng_state." + item.key.keyDescription
            guard case .string(let name) = item.key, case .tensor(let t) = item.value, t.dtype == .int64, t.shape == [4] else {
                throw TrainingCheckpointError.wrongKind(path: path, key: key, expected: "an int64 tensor of shape [4]",
                                                        found: item.value.kindDescription)
            }
            generatorStates[name] = t.scalars(as: Int64.self).map { UInt64(bitPattern: $0) }
        }
        metrics = [:]
        if case .dict(let saved, _)? = root["metrics"] {
            for item in saved {
                if case .string(let name) = item.key, case .float(let v) = item.value { metrics[name] = v }
            }
        }
    }

    /// Ember keeps Adam's β's as two options; PyTorch as one `betas` pair.
    static func torchValue(_ state: OptimizerState, groupSizes: [Int]) -> TorchValue {
        let perParameter: [(key: TorchValue, value: TorchValue)] = state.state.keys.sorted().map { index in
            let entries = state.state[index]!.sorted { $0.key < $1.key }
            return (.int(Int64(index)), .dict(entries.map { (.string($0.key), .tensor($0.value)) }, ordered: false))
        }
        var first = 0
        let groups: [TorchValue] = state.groups.enumerated().map { g, options in
            var items: [(key: TorchValue, value: TorchValue)] = []
            for (key, value) in options.sorted(by: { $0.key < $1.key }) where key != "beta1" && key != "beta2" {
                items.append((.string(key), .float(value)))
            }
            if let b1 = options["beta1"], let b2 = options["beta2"] {
                items.append((.string("betas"), .tuple([.float(b1), .float(b2)])))
            }
            let size = g < groupSizes.count ? groupSizes[g] : 0
            items.append((.string("params"), .list((first..<first + size).map { .int(Int64($0)) })))
            first += size
            return .dict(items, ordered: false)
        }
        return .dict([(.string("state"), .dict(perParameter, ordered: false)), (.string("param_groups"), .list(groups))],
                     ordered: false)
    }

    static func optimizerState(_ value: TorchValue, path: String) throws -> (OptimizerState, [Int]) {
        guard case .dict(let saved, _)? = value["state"] else {
            throw TrainingCheckpointError.missing(path: path, key: "optimizer.state")
        }
        var state: [Int: [String: Tensor]] = [:]
        for item in saved {
            guard case .int(let index) = item.key, case .dict(let entries, _) = item.value else {
                throw TrainingCheckpointError.wrongKind(path: path, key: "optimizer.state." + item.key.keyDescription,
                                                        expected: "a dict under an int key", found: item.value.kindDescription)
            }
            var tensors: [String: Tensor] = [:]
            for entry in entries {
                let key = "optimizer.state.\(index)." + entry.key.keyDescription
                guard case .string(let name) = entry.key, case .tensor(let t) = entry.value else {
                    throw TrainingCheckpointError.wrongKind(path: path, key: key, expected: "a tensor", found: entry.value.kindDescription)
                }
                tensors[name] = t
            }
            state[Int(index)] = tensors
        }
        guard case .list(let savedGroups)? = value["param_groups"] else {
            throw TrainingCheckpointError.missing(path: path, key: "optimizer.param_groups")
        }
        var groups: [[String: Double]] = [], sizes: [Int] = []
        for (g, group) in savedGroups.enumerated() {
            guard case .dict(let items, _) = group else {
                throw TrainingCheckpointError.wrongKind(path: path, key: "optimizer.param_groups.\(g)", expected: "a dict",
                                                        found: group.kindDescription)
            }
            var options: [String: Double] = [:]
            for item in items {
                guard case .string(let key) = item.key else { continue }
                switch (key, item.value) {
                case ("params", .list(let params)): sizes.append(params.count)
                case ("betas", .tuple(let pair)) where pair.count == 2:
                    if case .float(let b1) = pair[0], case .float(let b2) = pair[1] { (options["beta1"], options["beta2"]) = (b1, b2) }
                case (_, .float(let v)): options[key] = v
                case (_, .int(let v)): options[key] = Double(v)
                case (_, .bool(let v)): options[key] = v ? 1 : 0
                default: break  // PyTorch's None-valued flags (foreach, fused) have no Ember option.
                }
            }
            groups.append(options)
        }
        return (OptimizerState(state: state, groups: groups), sizes)
    }
}

extension TorchValue {
    /// A scheduler state value as PyTorch pickles it (a Counter as a dict of counts).
    init(_ value: StateValue) {
        switch value {
        case .none: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(Int64(i))
        case .double(let d): self = .float(d)
        case .string(let s): self = .string(s)
        case .list(let items): self = .list(items.map(TorchValue.init))
        case .dict(let items): self = .dict(items.map { (.string($0.key), TorchValue($0.value)) }, ordered: false)
        case .counter(let counts): self = .dict(counts.map { (.int(Int64($0.value)), .int(Int64($0.count))) }, ordered: false)
        }
    }
}

extension StateValue {
    /// A saved scheduler value back into its Python-typed form.
    init(_ value: TorchValue, path: String, key: String) throws {
        switch value {
        case .none: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(Int(i))
        case .float(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .list(let items), .tuple(let items):
            self = .list(try items.enumerated().map { try StateValue($1, path: path, key: "\(key)[\($0)]") })
        case .dict(let items, _):
            if !items.isEmpty, items.allSatisfy({ if case .int = $0.key, case .int = $0.value { true } else { false } }) {
                self = .counter(items.map { item in
                    guard case .int(let v) = item.key, case .int(let c) = item.value else { return (0, 0) }
                    return (Int(v), Int(c))
                })
            } else {
                self = .dict(try items.map { item in
                    guard case .string(let k) = item.key else {
                        throw TrainingCheckpointError.wrongKind(path: path, key: key, expected: "string keys", found: item.key.kindDescription)
                    }
                    return (k, try StateValue(item.value, path: path, key: key + "." + k))
                })
            }
        default:
            throw TrainingCheckpointError.wrongKind(path: path, key: key, expected: "a scheduler value", found: value.kindDescription)
        }
    }
}
