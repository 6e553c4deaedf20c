// The base of every layer and model: named parameters, buffers and children
// in registration order, so state-dict keys come out exactly as PyTorch names
// them (`features.denseblock1.denselayer1.norm1.running_mean`).

import EmberCore

/// A layer or model, like `torch.nn.Module`.
///
/// Subclasses register their tensors and submodules under PyTorch's names and
/// override `forward`. Registered slots are the source of truth, so loading a
/// state dict or changing dtype replaces what the typed accessors return.
///
/// ```swift
/// final class TwoLayer: Module {
///     let fc1 = Linear(inFeatures: 4, outFeatures: 8)
///     let fc2 = Linear(inFeatures: 8, outFeatures: 2)
///     override init() {
///         super.init()
///         registerModule("fc1", fc1)
///         registerModule("fc2", fc2)
///     }
///     override func forward(_ x: Tensor) -> Tensor { fc2(fc1(x).relu()) }
/// }
/// print(TwoLayer().stateDict().keys)   // ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
/// ```
open class Module {
    /// True in training mode (the default), false after `eval()`.
    public private(set) var training = true
    private var parameterSlots: [(name: String, tensor: Tensor?)] = []
    private var bufferSlots: [(name: String, tensor: Tensor?, persistent: Bool)] = []
    private var childSlots: [(name: String, module: Module)] = []

    public init() {}

    /// The layer's computation. Subclasses override it.
    open func forward(_ input: Tensor) -> Tensor {
        preconditionFailure("\(type(of: self)): forward is not implemented")
    }

    /// Runs `forward`.
    public func callAsFunction(_ input: Tensor) -> Tensor { forward(input) }

    // MARK: Registration

    /// Registers a trainable tensor (or an absent one, like a missing bias).
    public func registerParameter(_ name: String, _ tensor: Tensor?) {
        if let tensor, !tensor.requiresGrad { tensor.requiresGrad = true }
        if let i = parameterSlots.firstIndex(where: { $0.name == name }) {
            parameterSlots[i].tensor = tensor
        } else {
            parameterSlots.append((name, tensor))
        }
    }

    /// Registers a tensor that is state but not trained (running statistics).
    /// Non-persistent buffers are left out of the state dict.
    public func registerBuffer(_ name: String, _ tensor: Tensor?, persistent: Bool = true) {
        if let i = bufferSlots.firstIndex(where: { $0.name == name }) {
            bufferSlots[i] = (name, tensor, persistent)
        } else {
            bufferSlots.append((name, tensor, persistent))
        }
    }

    /// Registers a submodule under `name`.
    public func registerModule(_ name: String, _ module: Module) {
        if let i = childSlots.firstIndex(where: { $0.name == name }) {
            childSlots[i].module = module
        } else {
            childSlots.append((name, module))
        }
    }

    /// The registered parameter `name` of this module (not of children).
    public func parameter(_ name: String) -> Tensor? {
        parameterSlots.first { $0.name == name }?.tensor
    }

    /// The registered submodule `name` of this module (not of grandchildren).
    ///
    /// ```swift
    /// let proj = attention.child("out_proj") as? Linear
    /// ```
    public func child(_ name: String) -> Module? {
        childSlots.first { $0.name == name }?.module
    }

    /// The registered buffer `name` of this module (not of children).
    public func buffer(_ name: String) -> Tensor? {
        bufferSlots.first { $0.name == name }?.tensor
    }

    // MARK: Traversal

    /// Direct children with their names.
    public var namedChildren: [(String, Module)] { childSlots.map { ($0.name, $0.module) } }

    /// This module and every descendant, with dotted names ("" for self).
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out: [(String, Module)] = [(prefix, self)]
        for (name, child) in childSlots {
            out += child.namedModules(prefix: prefix.isEmpty ? name : prefix + "." + name)
        }
        return out
    }

    /// Every parameter with its dotted name, in registration order.
    public func namedParameters(prefix: String = "", recurse: Bool = true) -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        var seen = Set<ObjectIdentifier>()
        let modules = recurse ? namedModules(prefix: prefix) : [(prefix, self)]
        for (path, module) in modules {
            for (name, t) in module.parameterSlots {
                guard let t, seen.insert(ObjectIdentifier(t)).inserted else { continue }
                out.append((path.isEmpty ? name : path + "." + name, t))
            }
        }
        return out
    }

    /// Every parameter (shared ones once).
    public func parameters(recurse: Bool = true) -> [Tensor] { namedParameters(recurse: recurse).map(\.1) }

    /// Every buffer with its dotted name.
    public func namedBuffers(prefix: String = "", recurse: Bool = true) -> [(String, Tensor)] {
        let modules = recurse ? namedModules(prefix: prefix) : [(prefix, self)]
        return modules.flatMap { path, module in
            module.bufferSlots.compactMap { slot in
                slot.tensor.map { (path.isEmpty ? slot.name : path + "." + slot.name, $0) }
            }
        }
    }

    /// Calls `body` on every module, children first, then this one.
    @discardableResult
    public func apply(_ body: (Module) -> Void) -> Self {
        for (_, child) in childSlots { child.apply(body) }
        body(self)
        return self
    }

    // MARK: Modes

    /// Sets training mode here and in every descendant.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        training = mode
        for (_, child) in childSlots { child.train(mode) }
        return self
    }

    /// Evaluation mode: dropout off, batch norm uses running statistics.
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Freezes (false) or unfreezes (true) every parameter.
    @discardableResult
    public func requiresGrad_(_ flag: Bool = true) -> Self {
        for p in parameters() { p.requiresGrad = flag }
        return self
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }

    /// Converts floating-point parameters and buffers to `dtype`, keeping
    /// whether each requires grad.
    @discardableResult
    public func to(_ dtype: DType) -> Self {
        precondition(dtype.isFloatingPoint, "Module.to: expected a floating-point dtype, got \(dtype)")
        apply { m in
            for i in m.parameterSlots.indices {
                guard let t = m.parameterSlots[i].tensor, t.dtype.isFloatingPoint, t.dtype != dtype else { continue }
                let converted = t.detach().to(dtype)
                converted.requiresGrad = t.requiresGrad
                m.parameterSlots[i].tensor = converted
            }
            for i in m.bufferSlots.indices {
                guard let t = m.bufferSlots[i].tensor, t.dtype.isFloatingPoint else { continue }
                m.bufferSlots[i].tensor = t.to(dtype)
            }
        }
        return self
    }

    // MARK: State dicts

    /// Parameters and persistent buffers under PyTorch's keys, in PyTorch's order.
    public func stateDict(prefix: String = "") -> StateDict {
        var out = StateDict()
        collectState(prefix: prefix, into: &out)
        return out
    }

    private func collectState(prefix: String, into out: inout StateDict) {
        for (name, t) in parameterSlots { if let t { out[prefix + name] = t.detach() } }
        for slot in bufferSlots where slot.persistent { if let t = slot.tensor { out[prefix + slot.name] = t.detach() } }
        for (name, child) in childSlots { child.collectState(prefix: prefix + name + ".", into: &out) }
    }

    /// Every slot a state dict can fill, by key, with a setter.
    func stateSlots(prefix: String = "") -> [(key: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = []
        for (name, t) in parameterSlots { if let t { out.append((prefix + name, t)) } }
        for slot in bufferSlots where slot.persistent { if let t = slot.tensor { out.append((prefix + slot.name, t)) } }
        for (name, child) in childSlots { out += child.stateSlots(prefix: prefix + name + ".") }
        return out
    }
}
