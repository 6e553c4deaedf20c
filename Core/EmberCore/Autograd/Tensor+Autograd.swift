// The user-facing side of autograd: requiresGrad, grad, backward, detach.

extension Tensor {
    /// Whether gradients are computed for this tensor. Set it on leaves
    /// (parameters, inputs); op outputs require grad when an input does.
    ///
    /// ```swift
    /// let w = Tensor.randn([3, 2]).requiresGrad_()
    /// let loss = x.matmul(w).sum()
    /// loss.backward()
    /// print(w.grad!)
    /// ```
    public var requiresGrad: Bool {
        get { autograd?.requiresGrad ?? false }
        set {
            precondition(autograd?.gradFn == nil || newValue,
                         "requiresGrad: you can only change requiresGrad flags of leaf variables")
            if newValue {
                precondition(dtype.isFloatingPoint,
                             "requiresGrad: only tensors of floating point dtype can require gradients, got \(dtype)")
            }
            if let meta = autograd { meta.requiresGrad = newValue } else if newValue {
                autograd = AutogradMeta(requiresGrad: true)
            }
        }
    }

    /// Sets `requiresGrad` and returns `self`, like `tensor.requires_grad_()`.
    @discardableResult
    public func requiresGrad_(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    /// The accumulated gradient of a leaf after `backward()` (nil before).
    public var grad: Tensor? {
        get { autograd?.grad }
        set {
            if let newValue {
                precondition(newValue.shape == shape,
                             "grad: assigned grad has shape \(newValue.shape), expected \(shape)")
            }
            if autograd == nil { autograd = AutogradMeta(requiresGrad: false) }
            autograd!.grad = newValue
        }
    }

    /// True for tensors that did not come from a recorded op.
    public var isLeaf: Bool { autograd?.gradFn == nil }

    /// The name of the op that produced this tensor, or nil for leaves.
    public var gradFnName: String? { autograd?.gradFn?.name }

    /// Keeps `.grad` for this non-leaf tensor during backward.
    public func retainGrad() {
        guard let meta = autograd, meta.requiresGrad else {
            preconditionFailure("retainGrad: can't retain_grad on a tensor that has requiresGrad false")
        }
        meta.retainsGrad = true
        meta.gradFn?.retainedOutput = self
    }

    /// The same data, cut off from the graph (shares storage, like `detach()`).
    public func detach() -> Tensor { detachedAlias() }

    /// Cuts this tensor off from the graph in place.
    @discardableResult
    public func detach_() -> Tensor {
        autograd = nil
        return self
    }

    /// Clears the gradient (`zero_grad(set_to_none=True)`).
    public func zeroGrad() { autograd?.grad = nil }

    /// Computes gradients of this tensor with respect to every leaf that
    /// requires grad, accumulating them into `.grad`.
    ///
    /// A scalar needs no `gradient`; any other tensor needs one of its shape.
    /// Without `retainGraph` the graph's saved tensors are freed, and a second
    /// backward through it traps, as in PyTorch.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) {
        precondition(requiresGrad,
                     "backward: element 0 of tensors does not require grad and does not have a grad_fn")
        let seed: Tensor
        if let gradient {
            precondition(gradient.shape == shape,
                         "backward: gradient of shape \(gradient.shape) does not match the output shape \(shape)")
            seed = gradient.to(dtype)
        } else {
            precondition(count == 1, "backward: grad can be implicitly created only for scalar outputs, got shape \(shape)")
            seed = Tensor.ones(shape, dtype: dtype)
        }
        GradMode.noGrad { Engine.run(root: self, seed: seed, retainGraph: retainGraph) }
    }
}

extension Tensor {
    /// The autograd side of an in-place op. When recording, computes the
    /// out-of-place result from a snapshot of this tensor (so saved values stay
    /// intact), writes it in, and gives this tensor the result's history.
    /// Returns false when nothing needs recording: the caller writes directly.
    func inPlaceWithAutograd(_ name: String, others: [Tensor], _ compute: (Tensor) -> Tensor) -> Bool {
        guard GradMode.enabled, requiresGrad || others.contains(where: { $0.requiresGrad }) else { return false }
        precondition(!(isLeaf && requiresGrad),
                     "\(name): a leaf Variable that requires grad is being used in an in-place operation")
        let original = clone()
        original.autograd = autograd
        let result = compute(original)
        GradMode.noGrad { _ = copy_(result) }
        autograd = result.requiresGrad ? AutogradMeta(requiresGrad: true, gradFn: result.autograd?.gradFn) : nil
        return true
    }

    /// Marks this tensor's storage as written in place.
    func bumpVersion() { storage.version &+= 1 }
}
