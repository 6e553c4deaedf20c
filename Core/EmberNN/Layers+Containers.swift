// Containers: Sequential, ModuleList and ModuleDict, named "0", "1", ... or
// by key, as PyTorch names them in state dicts.

import EmberCore

/// Runs its modules in order, like `torch.nn.Sequential`.
///
/// ```swift
/// let mlp = Sequential(Linear(inFeatures: 4, outFeatures: 8), ReLU(), Linear(inFeatures: 8, outFeatures: 1))
/// mlp.stateDict().keys   // ["0.weight", "0.bias", "2.weight", "2.bias"]
/// ```
public final class Sequential: Module {
    public private(set) var layers: [Module] = []

    public init(_ layers: [Module]) {
        super.init()
        for l in layers { append(l) }
    }
    public convenience init(_ layers: Module...) { self.init(layers) }

    /// Modules under their own names, like `nn.Sequential(OrderedDict(...))`:
    /// torchvision's DenseNet names its trunk's stages this way.
    ///
    /// ```swift
    /// let stem = Sequential(named: [("conv0", Conv2d(inChannels: 3, outChannels: 64, kernelSize: (7, 7))), ("relu0", ReLU())])
    /// stem.stateDict().keys   // ["conv0.weight", "conv0.bias"]
    /// ```
    public init(named pairs: [(String, Module)]) {
        super.init()
        for (name, module) in pairs { append(named: name, module) }
    }

    public func append(_ module: Module) {
        append(named: String(layers.count), module)
    }

    /// Appends `module` under `name` (`add_module`).
    public func append(named name: String, _ module: Module) {
        precondition(child(name) == nil, "Sequential: a module named \"\(name)\" is already registered")
        registerModule(name, module)
        layers.append(module)
    }

    public subscript(index: Int) -> Module { layers[index] }
    public var count: Int { layers.count }

    public override func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1($0) }
    }
}

/// Modules held in a list and registered as "0", "1", ..., like `torch.nn.ModuleList`.
public final class ModuleList: Module {
    public private(set) var modules: [Module] = []
    public init(_ modules: [Module] = []) {
        super.init()
        for m in modules { append(m) }
    }
    public func append(_ module: Module) {
        registerModule(String(modules.count), module)
        modules.append(module)
    }
    public subscript(index: Int) -> Module { modules[index] }
    public var count: Int { modules.count }
}

/// Modules held by name, in insertion order, like `torch.nn.ModuleDict`.
public final class ModuleDict: Module {
    public private(set) var keys: [String] = []
    public init(_ pairs: [(String, Module)] = []) {
        super.init()
        for (k, m) in pairs { self[k] = m }
    }
    public subscript(key: String) -> Module? {
        get { child(key) }
        set {
            guard let newValue else { return }
            if !keys.contains(key) { keys.append(key) }
            registerModule(key, newValue)
        }
    }
}
