// The optimizer base: parameter groups with their own hyperparameters, a
// per-parameter state, and state dicts that restore a run exactly.

import EmberCore

/// A set of parameters that share hyperparameters, like one entry of
/// PyTorch's `param_groups`.
public struct ParamGroup {
    public var params: [Tensor]
    /// Hyperparameters by PyTorch's names: "lr", "weight_decay", "momentum", ...
    public var options: [String: Double]

    public init(params: [Tensor], options: [String: Double] = [:]) {
        self.params = params
        self.options = options
    }

    public var lr: Double {
        get { options["lr"] ?? 0 }
        set { options["lr"] = newValue }
    }
}

/// Everything an optimizer needs to resume: per-parameter state tensors (by
/// parameter index, as PyTorch numbers them) and each group's options.
public struct OptimizerState {
    public var state: [Int: [String: Tensor]]
    public var groups: [[String: Double]]

    public init(state: [Int: [String: Tensor]], groups: [[String: Double]]) {
        (self.state, self.groups) = (state, groups)
    }
}

/// The base of SGD, Adam and AdamW.
open class Optimizer {
    public var paramGroups: [ParamGroup]
    /// Per-parameter state, keyed by the parameter's object identity.
    var state: [ObjectIdentifier: [String: Tensor]] = [:]

    public init(groups: [ParamGroup], defaults: [String: Double]) {
        paramGroups = groups.map { g in
            var g = g
            for (k, v) in defaults where g.options[k] == nil { g.options[k] = v }
            return g
        }
        for g in paramGroups {
            for p in g.params {
                precondition(p.isLeaf, "optimizer can't optimize a non-leaf Tensor")
            }
        }
    }

    /// Updates every parameter that has a gradient.
    public func step() {
        GradMode.noGrad {
            for g in paramGroups.indices {
                for p in paramGroups[g].params {
                    guard let grad = p.grad else { continue }
                    let id = ObjectIdentifier(p)
                    var s = state[id] ?? [:]
                    update(p, grad: grad, state: &s, options: paramGroups[g].options)
                    state[id] = s
                }
            }
        }
    }

    /// One parameter's update; subclasses implement their rule here.
    open func update(_ p: Tensor, grad: Tensor, state: inout [String: Tensor], options: [String: Double]) {
        preconditionFailure("\(type(of: self)): update is not implemented")
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() {
        for g in paramGroups { for p in g.params { p.zeroGrad() } }
    }

    /// The optimizer's state, with parameters numbered across groups in order.
    public func stateDict() -> OptimizerState {
        var out: [Int: [String: Tensor]] = [:]
        var i = 0
        for g in paramGroups {
            for p in g.params {
                if let s = state[ObjectIdentifier(p)] { out[i] = s.mapValues { $0.clone() } }
                i += 1
            }
        }
        return OptimizerState(state: out, groups: paramGroups.map(\.options))
    }

    /// Restores a state from `stateDict()` onto this optimizer's parameters.
    public func loadStateDict(_ saved: OptimizerState) throws {
        guard saved.groups.count == paramGroups.count else {
            throw OptimizerStateError.groupCountMismatch(expected: paramGroups.count, found: saved.groups.count)
        }
        var i = 0
        var restored: [ObjectIdentifier: [String: Tensor]] = [:]
        for g in paramGroups.indices {
            for p in paramGroups[g].params {
                if let s = saved.state[i] {
                    for (k, t) in s where k != "step" && t.shape != p.shape {
                        throw OptimizerStateError.shapeMismatch(index: i, key: k, expected: p.shape, found: t.shape)
                    }
                    restored[ObjectIdentifier(p)] = s.mapValues { $0.clone() }
                }
                i += 1
            }
        }
        for g in paramGroups.indices { paramGroups[g].options = saved.groups[g] }
        state = restored
    }
}

/// Why an optimizer state did not fit.
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    case groupCountMismatch(expected: Int, found: Int)
    case shapeMismatch(index: Int, key: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .groupCountMismatch(let e, let f):
            "loaded state dict has \(f) parameter groups, the optimizer has \(e)"
        case .shapeMismatch(let i, let k, let e, let f):
            "state \(k) of parameter \(i) has shape \(f), the parameter has shape \(e)"
        }
    }
}
