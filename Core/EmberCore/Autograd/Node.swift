// The recorded graph: one Node per op output that requires grad, pointing at
// the nodes (or leaf tensors) of its inputs. A node's backward closure maps
// the gradient of its output to gradients of its inputs, written with tensor
// ops (as in Candle's backprop.rs), and captures only detached tensors, so the
// graph holds no cycles.

/// Autograd state of a tensor.
package final class AutogradMeta: @unchecked Sendable {
    var requiresGrad: Bool
    var grad: Tensor?
    var gradFn: Node?
    var retainsGrad = false

    init(requiresGrad: Bool, gradFn: Node? = nil) {
        self.requiresGrad = requiresGrad
        self.gradFn = gradFn
    }
}

/// Where an input's gradient goes.
enum Edge {
    /// Into the node that produced the input.
    case node(Node)
    /// Into `.grad` of a leaf tensor.
    case leaf(Tensor)
    /// Nowhere: the input does not require grad.
    case none
}

/// One recorded op.
package final class Node: @unchecked Sendable {
    /// The op's name, as in PyTorch's `grad_fn` (`MulBackward0` is "mul").
    package let name: String
    let edges: [Edge]
    var backward: ((Tensor) -> [Tensor?])?
    /// Storages of saved tensors and their versions when saved.
    let saved: [(storage: Storage, version: Int, shape: [Int], dtype: DType)]
    /// Set on the output tensor when it asked to keep its gradient.
    weak var retainedOutput: Tensor?

    init(name: String, edges: [Edge], saved: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.name = name
        self.edges = edges
        self.saved = saved.map { ($0.storage, $0.storage.version, $0.shape, $0.dtype) }
        self.backward = backward
    }
}

extension Tensor {
    /// The edge a gradient for this tensor follows.
    var edge: Edge {
        guard let meta = autograd, meta.requiresGrad else { return .none }
        if let fn = meta.gradFn { return .node(fn) }
        return .leaf(self)
    }

    /// Marks `self` (a freshly computed op output) as produced by `name` from
    /// `inputs` when grad mode is on and any input requires grad. `backward`
    /// receives the output's gradient and returns one gradient per input (nil
    /// where none flows); it must capture only detached tensors. `saving`
    /// lists tensors whose later in-place modification would make it wrong.
    package func recorded(
        _ name: String, _ inputs: [Tensor], saving: [Tensor] = [],
        _ backward: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        guard GradMode.enabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
        let node = Node(name: name, edges: inputs.map(\.edge), saved: saving, backward: backward)
        autograd = AutogradMeta(requiresGrad: true, gradFn: node)
        return self
    }

    /// A view of the same storage with no autograd history, for closures.
    package func detachedAlias() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, storageOffset: storageOffset, dtype: dtype)
    }

    /// Reduces a broadcast gradient back to `shape` by summing the expanded dims.
    package func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        var dims = Array(0..<lead)
        for (i, s) in target.enumerated() where s == 1 && shape[lead + i] != 1 { dims.append(lead + i) }
        var g = dims.isEmpty ? self : sum(dims: dims, keepDim: true)
        if lead > 0 { g = g.reshape(target) }
        return g.shape == target ? g : g.reshape(target)
    }
}
