// The drivers every elementwise op goes through: type promotion, broadcasting,
// casting to the compute type, and writing to a fresh or an existing output.

import EmberKernels

/// The dtype PyTorch gives `a op b`: dimensioned tensors decide unless a 0-d
/// operand is of a higher category (bool < integer < floating).
func resultType(_ a: Tensor, _ b: Tensor) -> DType {
    if (a.rank == 0) == (b.rank == 0) { return DType.promote(a.dtype, b.dtype) }
    let (big, small) = a.rank > 0 ? (a, b) : (b, a)
    func category(_ t: DType) -> Int { t.isFloatingPoint ? 2 : (t == .bool ? 0 : 1) }
    return category(small.dtype) > category(big.dtype) ? small.dtype : big.dtype
}

extension Tensor {
    /// A 0-d tensor for a Swift scalar in an op with this tensor.
    func scalarOperand(_ value: Double, isFloatingPoint: Bool) -> Tensor {
        Tensor(scalar: value, dtype: DType.promote(dtype, scalarIsFloatingPoint: isFloatingPoint))
    }

    /// Runs `kernel` over `out` and `inputs` broadcast to `out`'s shape.
    package static func runLoop(
        _ out: Tensor, _ inputs: [Tensor],
        _ kernel: (StridedLoop, [UnsafeRawPointer], UnsafeMutableRawPointer) -> Void
    ) {
        let loop = StridedLoop(shape: out.shape, strides: [out.strides] + inputs.map { $0.broadcastStrides(to: out.shape) })
        kernel(loop, inputs.map { UnsafeRawPointer($0.rawPointer) }, out.rawPointer)
    }

    /// `a op b` with promotion to `type` (computed in its compute type), recorded for autograd.
    static func binary(_ a: Tensor, _ b: Tensor, _ op: BinaryOp, type: DType, name: String) -> Tensor {
        let shape = broadcastShapes(a.shape, b.shape, op: name)
        let compute = type.computeType
        precondition(compute != .bool, "\(name): not supported for bool tensors")
        let out = Tensor(uninitializedShape: shape, dtype: compute)
        GradMode.noGrad {
            runLoop(out, [a.to(compute), b.to(compute)]) { loop, p, r in
                binaryKernel(op, type: compute, loop, p[0], p[1], r)
            }
        }
        let result = GradMode.noGrad { out.to(type) }
        guard type.isFloatingPoint else { return result }
        return result.recordBinary(op, name, a, b)
    }

    /// The in-place form's out-of-place twin, used when recording.
    static func binaryWithGrad(_ a: Tensor, _ b: Tensor, _ op: BinaryOp, name: String) -> Tensor {
        binary(a, b, op, type: a.dtype, name: name)
    }

    /// `self = self op other` in place, through views; the result must keep
    /// this tensor's dtype and shape, as PyTorch requires.
    @discardableResult
    func binaryInPlace(_ other: Tensor, _ op: BinaryOp, name: String) -> Tensor {
        let type = resultType(self, other)
        precondition(!(type.isFloatingPoint && !dtype.isFloatingPoint) && !(type != .bool && dtype == .bool),
                     "\(name): result type \(type) can't be cast to the desired output type \(dtype)")
        let shape = broadcastShapes(self.shape, other.shape, op: name)
        precondition(shape == self.shape,
                     "\(name): output with shape \(self.shape) doesn't match the broadcast shape \(shape)")
        if inPlaceWithAutograd(name, others: [other], { Tensor.binaryWithGrad($0, other, op, name: name) }) {
            return self
        }
        bumpVersion()
        let compute = dtype.computeType
        if compute == dtype && other.storage !== storage {
            Tensor.runLoop(self, [self, other.to(compute)]) { loop, p, r in
                binaryKernel(op, type: compute, loop, p[0], p[1], r)
            }
        } else {
            copy_(Tensor.binary(self, other, op, type: dtype, name: name))
        }
        return self
    }

    /// `op(self)` computed in `type`'s compute type and returned as `type`, recorded for autograd.
    func unary(_ op: UnaryOp, type: DType) -> Tensor {
        let compute = type.computeType
        let out = Tensor(uninitializedShape: shape, dtype: compute)
        let result = GradMode.noGrad { () -> Tensor in
            Tensor.runLoop(out, [to(compute)]) { loop, p, r in unaryKernel(op, type: compute, loop, p[0], r) }
            return out.to(type)
        }
        guard type.isFloatingPoint else { return result }
        return result.recordUnary(op, self)
    }

    /// The in-place form's out-of-place twin, used when recording.
    func unaryWithGrad(_ op: UnaryOp) -> Tensor { unary(op, type: dtype) }

    /// `op(self)` for a floating-point function: integers promote to float32.
    func unaryFloat(_ op: UnaryOp) -> Tensor {
        unary(op, type: dtype.isFloatingPoint ? dtype : .float32)
    }

    /// `op(self)` for an op closed over integers: keeps the dtype (bool as uint8 math).
    func unaryClosed(_ op: UnaryOp, name: String) -> Tensor {
        precondition(dtype != .bool, "\(name): not supported for bool tensors")
        return unary(op, type: dtype)
    }

    /// `self = op(self)` in place.
    @discardableResult
    func unaryInPlace(_ op: UnaryOp, name: String) -> Tensor {
        precondition(dtype != .bool, "\(name): not supported for bool tensors")
        precondition(dtype.isFloatingPoint || op.isIntegerClosed,
                     "\(name): result type float can't be cast to the desired output type \(dtype)")
        if inPlaceWithAutograd(name, others: [], { $0.unaryWithGrad(op) }) { return self }
        bumpVersion()
        if dtype.computeType == dtype {
            Tensor.runLoop(self, [self]) { loop, p, r in unaryKernel(op, type: dtype, loop, p[0], r) }
        } else {
            copy_(unary(op, type: dtype))
        }
        return self
    }

    /// `a cmp b` as a bool tensor.
    static func compare(_ a: Tensor, _ b: Tensor, _ op: CompareOp, name: String) -> Tensor {
        let type = resultType(a, b).computeType
        let shape = broadcastShapes(a.shape, b.shape, op: name)
        let out = Tensor(uninitializedShape: shape, dtype: .bool)
        runLoop(out, [a.to(type), b.to(type)]) { loop, p, r in compareKernel(op, type: type, loop, p[0], p[1], r) }
        return out
    }

    /// `a op b` on the truth values of any dtype.
    static func logical(_ a: Tensor, _ b: Tensor, _ op: LogicalOp, name: String) -> Tensor {
        let shape = broadcastShapes(a.shape, b.shape, op: name)
        let out = Tensor(uninitializedShape: shape, dtype: .bool)
        runLoop(out, [a.to(.bool), b.to(.bool)]) { loop, p, r in logicalKernel(op, loop, p[0], p[1], r) }
        return out
    }
}
