// Gradient checkpointing, like `torch.utils.checkpoint.checkpoint`: a segment
// runs without recording, so its intermediate tensors are freed at once, and
// is run again with recording during backward to get its gradients.

/// Runs `function` on `inputs` without keeping its intermediate tensors, and
/// recomputes it in backward. Gradients equal those of `function(inputs)`;
/// memory falls by the segment's activations, at the cost of a second forward.
///
/// Parameters used inside `function` receive their gradients during that
/// recomputation, so they need not be passed as inputs. With
/// `preserveRNGState`, the recomputation replays the default generator's
/// stream, so dropout masks match the first pass.
///
/// ```swift
/// let h = checkpoint([x]) { block($0[0]) }   // block's activations are not kept
/// h.sum().backward()                          // block runs again here
/// ```
public func checkpoint(_ inputs: [Tensor], preserveRNGState: Bool = true,
                       _ function: @escaping ([Tensor]) -> Tensor) -> Tensor {
    guard GradMode.enabled else { return function(inputs) }
    let rngState = preserveRNGState ? Generator.default.stateWords : nil
    // A fresh alias, so the node never lands on a tensor the function returned unchanged.
    let output = GradMode.noGrad { function(inputs) }.detachedAlias()
    let detached = inputs.map { ($0.detachedAlias(), $0.requiresGrad) }
    let node = Node(name: "checkpoint", edges: inputs.map(\.edge), saved: inputs) { grad in
        let replayInputs = detached.map { x, needsGrad -> Tensor in
            let d = x.detachedAlias()
            if needsGrad { d.requiresGrad = true }
            return d
        }
        let streamNow = Generator.default.stateWords
        if let rngState { Generator.default.stateWords = rngState }
        let recomputed = GradMode.enableGrad { function(replayInputs) }
        if rngState != nil { Generator.default.stateWords = streamNow }
        if recomputed.requiresGrad { recomputed.backward(grad) }
        return replayInputs.map { $0.requiresGrad ? $0.grad : nil }
    }
    // Recorded even when no input needs a gradient: parameters inside may.
    output.autograd = AutogradMeta(requiresGrad: true, gradFn: node)
    return output
}
