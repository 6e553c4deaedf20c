// Runs backward: orders the nodes reachable from the root so each runs after
// every node that feeds it a gradient, sums incoming gradients, and
// accumulates into leaves.

enum Engine {
    static func run(root: Tensor, seed: Tensor, retainGraph: Bool) {
        switch root.edge {
        case .none: return
        case .leaf(let t):
            accumulate(t, seed)
            return
        case .node(let start):
            let order = topologicalOrder(from: start)
            var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(start): seed]
            for node in order {
                guard let g = grads.removeValue(forKey: ObjectIdentifier(node)) else { continue }
                if let out = node.retainedOutput { accumulate(out, g) }
                guard let backward = node.backward else {
                    preconditionFailure("backward: trying to backward through the graph a second time (or directly access saved tensors after they have already been freed); use retainGraph: true on the first call")
                }
                checkSavedVersions(node)
                let inputGrads = backward(g)
                if !retainGraph { node.backward = nil }
                for (edge, ig) in zip(node.edges, inputGrads) {
                    guard let ig else { continue }
                    switch edge {
                    case .none: break
                    case .leaf(let t): accumulate(t, ig)
                    case .node(let n):
                        let key = ObjectIdentifier(n)
                        grads[key] = grads[key].map { $0.add(ig) } ?? ig
                    }
                }
            }
        }
    }

    private static func checkSavedVersions(_ node: Node) {
        for s in node.saved where s.storage.version != s.version {
            preconditionFailure("backward: one of the variables needed for gradient computation has been modified by an inplace operation: [\(s.dtype) \(s.shape)] is at version \(s.storage.version); expected version \(s.version) instead (op \(node.name))")
        }
    }

    /// Adds `g` into `t.grad`, reshaped to `t` and in `t`'s dtype.
    private static func accumulate(_ t: Tensor, _ g: Tensor) {
        let gg = (g.shape == t.shape ? g : g.sumToShape(t.shape)).to(t.dtype)
        if let existing = t.autograd?.grad {
            t.autograd!.grad = existing.add(gg)
        } else {
            // A fresh buffer: the incoming gradient may alias saved tensors.
            t.grad = gg.clone()
        }
    }

    /// Nodes in an order where each comes before all nodes it sends gradients to.
    private static func topologicalOrder(from start: Node) -> [Node] {
        var visited = Set<ObjectIdentifier>()
        var post: [Node] = []
        // Iterative DFS: deep graphs (long RNN unrolls) must not overflow the stack.
        var stack: [(Node, Int)] = [(start, 0)]
        visited.insert(ObjectIdentifier(start))
        while let (node, start) = stack.popLast() {
            var i = start
            var pushed = false
            while i < node.edges.count {
                if case .node(let next) = node.edges[i], !visited.contains(ObjectIdentifier(next)) {
                    visited.insert(ObjectIdentifier(next))
                    stack.append((node, i + 1))
                    stack.append((next, 0))
                    pushed = true
                    break
                }
                i += 1
            }
            if !pushed { post.append(node) }
        }
        return post.reversed()
    }
}
