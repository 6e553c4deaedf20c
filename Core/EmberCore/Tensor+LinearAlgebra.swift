// Matrix products under torch.matmul's rules, all through BLAS. Operands
// whose strides make them a (transposed) row-major matrix go to BLAS as they
// are; others are copied once.

import EmberKernels

extension Tensor {
    /// This 2-D tensor as a BLAS operand: plain, transposed, or a contiguous copy.
    func matrixOperand() -> (MatrixOperand, Tensor) {
        let (r, c) = (shape[0], shape[1])
        if strides[1] == 1 && (strides[0] >= Swift.max(1, c) || r <= 1) {
            return (MatrixOperand(pointer: rawPointer, transposed: false, ld: Swift.max(strides[0], c, 1)), self)
        }
        if strides[0] == 1 && (strides[1] >= Swift.max(1, r) || c <= 1) {
            return (MatrixOperand(pointer: rawPointer, transposed: true, ld: Swift.max(strides[1], r, 1)), self)
        }
        let copy = contiguous()
        return (MatrixOperand(pointer: copy.rawPointer, transposed: false, ld: Swift.max(c, 1)), copy)
    }

    /// The product of two matrices, `[n, m] × [m, p] → [n, p]`.
    public func mm(_ other: Tensor) -> Tensor {
        precondition(rank == 2 && other.rank == 2,
                     "mm: expected 2-D tensors, got shapes \(shape) and \(other.shape)")
        return matmul(other)
    }

    /// Batched products of matrices, `[b, n, m] × [b, m, p] → [b, n, p]`.
    public func bmm(_ other: Tensor) -> Tensor {
        precondition(rank == 3 && other.rank == 3 && shape[0] == other.shape[0],
                     "bmm: expected 3-D tensors with equal batch sizes, got shapes \(shape) and \(other.shape)")
        return matmul(other)
    }

    /// The dot product of two 1-D tensors, as a 0-d tensor.
    public func dot(_ other: Tensor) -> Tensor {
        precondition(rank == 1 && other.rank == 1 && shape == other.shape,
                     "dot: expected 1-D tensors of equal size, got shapes \(shape) and \(other.shape)")
        return matmul(other)
    }

    /// The outer product of two 1-D tensors.
    public func outer(_ other: Tensor) -> Tensor {
        precondition(rank == 1 && other.rank == 1,
                     "outer: expected 1-D tensors, got shapes \(shape) and \(other.shape)")
        return unsqueeze(1).mul(other.unsqueeze(0))
    }

    /// `beta * self + alpha * (a × b)`, with `self` broadcast to the product's shape.
    public func addmm(_ a: Tensor, _ b: Tensor, beta: Double = 1, alpha: Double = 1) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2,
                     "addmm: expected 2-D matrices, got shapes \(a.shape) and \(b.shape)")
        let type = DType.promote(DType.promote(a.dtype, b.dtype), dtype)
        let out = Tensor(uninitializedShape: [a.shape[0], b.shape[1]], dtype: type.computeType)
        let result = GradMode.noGrad { () -> Tensor in
            if beta != 0 { out.copy_(self.expand(out.shape)) }
            Tensor.gemmInto(out, a.to(type.computeType), b.to(type.computeType), alpha: alpha, beta: beta, name: "addmm")
            return out.to(type)
        }
        let (x, y, inputShape) = (a.detachedAlias(), b.detachedAlias(), shape)
        return result.recorded("addmm", [self, a, b], saving: [a, b]) { g in
            [g.mul(beta).sumToShape(inputShape), g.mm(y.t()).mul(alpha), x.t().mm(g).mul(alpha)]
        }
    }

    static func gemmInto(_ out: Tensor, _ a: Tensor, _ b: Tensor, alpha: Double, beta: Double, name: String) {
        precondition(a.shape[1] == b.shape[0],
                     "\(name): \(a.shape) and \(b.shape) cannot be multiplied")
        let (oa, keepA) = a.matrixOperand()
        let (ob, keepB) = b.matrixOperand()
        withExtendedLifetime((keepA, keepB)) {
            gemm(type: out.dtype, m: a.shape[0], n: b.shape[1], k: a.shape[1], alpha: alpha, oa, ob,
                 beta: beta, out.rawPointer, ldc: Swift.max(b.shape[1], 1))
        }
    }

    /// Matrix product with `torch.matmul`'s rules: 1-D operands gain and lose a
    /// dim, and batch dims broadcast.
    ///
    /// ```swift
    /// let y = x.matmul(w.t())          // [n, in] × [in, out]
    /// let z = q.matmul(k.transpose(-2, -1))  // batched
    /// ```
    public func matmul(_ other: Tensor) -> Tensor {
        let result = GradMode.noGrad { matmulForward(other) }
        guard result.dtype.isFloatingPoint else { return result }
        let (a, b) = (detachedAlias(), other.detachedAlias())
        // A frozen operand (a layer's weight with requiresGrad off) costs no gradient GEMM.
        let (needA, needB) = (requiresGrad, other.requiresGrad)
        return result.recorded("matmul", [self, other], saving: [self, other]) { g in
            // Work on the ≥2-D forms: vectors gain a dim, then lose it again.
            let a2 = a.rank == 1 ? a.unsqueeze(0) : a
            let b2 = b.rank == 1 ? b.unsqueeze(1) : b
            var g2 = g
            if a.rank == 1 { g2 = g2.unsqueeze(b.rank == 1 ? 0 : -2) }
            if b.rank == 1 { g2 = g2.unsqueeze(-1) }
            let ga = needA ? g2.matmul(b2.transpose(-1, -2)).sumToShape(a2.shape).reshape(a.shape) : nil
            let gb: Tensor?
            if !needB {
                gb = nil
            } else if b.rank == 2 {
                // A matrix shared by every batch row (a linear layer's weight): one GEMM over the
                // flattened batch instead of a batched product and a sum, in the weight's own
                // memory order so the gradient comes out laid out like the weight.
                let flatA = a2.reshape([-1, a2.shape[a2.rank - 1]]), flatG = g2.reshape([-1, g2.shape[g2.rank - 1]])
                let columnMajor = b.strides == [1, b.shape[0]] && b.shape[0] > 1 && b.shape[1] > 1
                gb = columnMajor ? flatG.t().matmul(flatA).t() : flatA.t().matmul(flatG)
            } else {
                gb = a2.transpose(-1, -2).matmul(g2).sumToShape(b2.shape).reshape(b.shape)
            }
            return [ga, gb]
        }
    }

    func matmulForward(_ other: Tensor) -> Tensor {
        precondition(rank >= 1 && other.rank >= 1,
                     "matmul: both arguments need at least 1 dimension, got shapes \(shape) and \(other.shape)")
        let type = DType.promote(dtype, other.dtype)
        precondition(type != .bool, "matmul: not supported for bool tensors")
        let compute = type.computeType
        var a = to(compute), b = other.to(compute)
        let aVector = a.rank == 1, bVector = b.rank == 1
        if aVector { a = a.unsqueeze(0) }
        if bVector { b = b.unsqueeze(1) }
        let (n, k) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (k2, p) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        precondition(k == k2, "matmul: \(shape) and \(other.shape) cannot be multiplied")
        let batch = broadcastShapes(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), op: "matmul")
        let out: Tensor
        if batch.isEmpty {
            out = Tensor(uninitializedShape: [n, p], dtype: compute)
            Tensor.gemmInto(out, a, b, alpha: 1, beta: 0, name: "matmul")
        } else if b.rank == 2 && a.isContiguous {
            // [..., n, k] × [k, p]: one GEMM over all leading rows.
            let rows = a.reshape([-1, k])
            let flat = Tensor(uninitializedShape: [rows.shape[0], p], dtype: compute)
            Tensor.gemmInto(flat, rows, b, alpha: 1, beta: 0, name: "matmul")
            out = flat.view(batch + [n, p])
        } else {
            let ea = a.expand(batch + [n, k]), eb = b.expand(batch + [k, p])
            out = Tensor(uninitializedShape: batch + [n, p], dtype: compute)
            let total = batch.reduce(1, *)
            let flatA = ea.reshape([total, n, k]), flatB = eb.reshape([total, k, p])
            let flatOut = out.view([total, n, p])
            var opsA: [MatrixOperand] = [], opsB: [MatrixOperand] = [], outs: [UnsafeMutableRawPointer] = []
            var keep: [Tensor] = []
            for i in 0..<total {
                let (oa, ka) = flatA.select(dim: 0, index: i).matrixOperand()
                let (ob, kb) = flatB.select(dim: 0, index: i).matrixOperand()
                opsA.append(oa)
                opsB.append(ob)
                keep += [ka, kb]
                outs.append(flatOut.select(dim: 0, index: i).rawPointer)
            }
            withExtendedLifetime(keep) {
                batchedGEMM(type: compute, m: n, n: p, k: k, opsA, opsB, outs, ldc: Swift.max(p, 1))
            }
        }
        var result = out
        if aVector { result = result.squeeze(dim: -2) }
        if bVector { result = result.squeeze(dim: -1) }
        return result.to(type)
    }
}
