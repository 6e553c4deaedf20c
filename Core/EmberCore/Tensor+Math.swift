// Pointwise math: signs, exponentials and logs, roots, trigonometry,
// rounding, clamping and NaN handling. Activations are in Tensor+Activation.swift.

import EmberKernels

extension Tensor {
    /// `-self`.
    public func neg() -> Tensor { unaryClosed(.neg, name: "neg") }
    /// `|self|`.
    public func abs() -> Tensor { unaryClosed(.abs, name: "abs") }
    /// -1, 0 or 1 by sign (NaN stays NaN).
    public func sign() -> Tensor { dtype == .bool ? self : unaryClosed(.sign, name: "sign") }
    /// `self * self`.
    public func square() -> Tensor { dtype == .bool ? to(.int64).square() : unaryClosed(.square, name: "square") }
    /// `1 / self`; integers promote to float32.
    public func reciprocal() -> Tensor { unaryFloat(.reciprocal) }
    /// e to the power of each element.
    public func exp() -> Tensor { unaryFloat(.exp) }
    /// `exp(x) - 1`, accurate near zero.
    public func expm1() -> Tensor { unaryFloat(.expm1) }
    /// Natural logarithm.
    public func log() -> Tensor { unaryFloat(.log) }
    /// `log(1 + x)`, accurate near zero.
    public func log1p() -> Tensor { unaryFloat(.log1p) }
    /// Base-2 logarithm.
    public func log2() -> Tensor { unaryFloat(.log2) }
    /// Square root.
    public func sqrt() -> Tensor { unaryFloat(.sqrt) }
    /// `1 / sqrt(x)`.
    public func rsqrt() -> Tensor { unaryFloat(.rsqrt) }
    /// Sine.
    public func sin() -> Tensor { unaryFloat(.sin) }
    /// Cosine.
    public func cos() -> Tensor { unaryFloat(.cos) }
    /// Hyperbolic tangent.
    public func tanh() -> Tensor { unaryFloat(.tanh) }
    /// The error function.
    public func erf() -> Tensor { unaryFloat(.erf) }
    /// Round down; integers are unchanged.
    public func floor() -> Tensor { unaryClosed(.floor, name: "floor") }
    /// Round up; integers are unchanged.
    public func ceil() -> Tensor { unaryClosed(.ceil, name: "ceil") }
    /// Round half to even, as `torch.round`.
    public func round() -> Tensor { unaryClosed(.round, name: "round") }
    /// Round toward zero.
    public func trunc() -> Tensor { unaryClosed(.trunc, name: "trunc") }

    /// Elements limited to `[min, max]`; either bound may be omitted. NaN stays NaN.
    /// Floating-point bounds turn an integer tensor into float32, as in PyTorch.
    ///
    /// ```swift
    /// x.clamp(min: -1.5, max: 6)
    /// ```
    public func clamp(min: Double? = nil, max: Double? = nil) -> Tensor {
        precondition(min != nil || max != nil, "clamp: at least one of min and max must be given")
        let x = dtype.isFloatingPoint ? self : to(.float32)
        return x.unaryClosed(.clamp(min: min, max: max), name: "clamp")
    }

    /// Elements limited to integer bounds, keeping integer dtypes.
    public func clamp(min: Int? = nil, max: Int? = nil) -> Tensor {
        precondition(min != nil || max != nil, "clamp: at least one of min and max must be given")
        let x = dtype == .bool ? to(.int64) : self
        return x.unaryClosed(.clamp(min: min.map(Double.init), max: max.map(Double.init)), name: "clamp")
    }

    /// Elements limited by tensors of bounds, broadcasting.
    public func clamp(min: Tensor? = nil, max: Tensor? = nil) -> Tensor {
        var y = self
        if let min { y = y.maximum(min) }
        if let max { y = y.minimum(max) }
        return y
    }

    /// NaN, +inf and -inf replaced (by default with 0 and the dtype's extremes).
    public func nanToNum(nan: Double = 0, posinf: Double? = nil, neginf: Double? = nil) -> Tensor {
        if !dtype.isFloatingPoint { return clone() }
        return unary(.nanToNum(nan: nan, posinf: posinf ?? .infinity, neginf: neginf ?? -.infinity), type: dtype)
    }

    /// True where the element is NaN.
    public func isnan() -> Tensor { ne(self) }
    /// True where the element is +inf or -inf.
    public func isinf() -> Tensor {
        dtype.isFloatingPoint ? abs().eq(Double.infinity) : Tensor.zeros(shape, dtype: .bool)
    }
    /// True where the element is neither NaN nor infinite.
    public func isfinite() -> Tensor {
        dtype.isFloatingPoint ? abs().lt(Double.infinity) : Tensor.ones(shape, dtype: .bool)
    }

    // In place, through views.
    @discardableResult public func neg_() -> Tensor { unaryInPlace(.neg, name: "neg_") }
    @discardableResult public func abs_() -> Tensor { unaryInPlace(.abs, name: "abs_") }
    @discardableResult public func exp_() -> Tensor { unaryInPlace(.exp, name: "exp_") }
    @discardableResult public func log_() -> Tensor { unaryInPlace(.log, name: "log_") }
    @discardableResult public func sqrt_() -> Tensor { unaryInPlace(.sqrt, name: "sqrt_") }
    @discardableResult public func tanh_() -> Tensor { unaryInPlace(.tanh, name: "tanh_") }
    @discardableResult public func sigmoid_() -> Tensor { unaryInPlace(.sigmoid, name: "sigmoid_") }
    @discardableResult public func relu_() -> Tensor { unaryInPlace(.relu, name: "relu_") }
    @discardableResult public func floor_() -> Tensor { unaryInPlace(.floor, name: "floor_") }
    @discardableResult public func round_() -> Tensor { unaryInPlace(.round, name: "round_") }
    @discardableResult public func clamp_(min: Double? = nil, max: Double? = nil) -> Tensor {
        unaryInPlace(.clamp(min: min, max: max), name: "clamp_")
    }
}

extension Tensor {
    /// Elementwise `==`, as bool.
    public func eq(_ other: Tensor) -> Tensor { Tensor.compare(self, other, .eq, name: "eq") }
    /// Elementwise `!=`, as bool.
    public func ne(_ other: Tensor) -> Tensor { Tensor.compare(self, other, .ne, name: "ne") }
    /// Elementwise `<`, as bool.
    public func lt(_ other: Tensor) -> Tensor { Tensor.compare(self, other, .lt, name: "lt") }
    /// Elementwise `<=`, as bool.
    public func le(_ other: Tensor) -> Tensor { Tensor.compare(self, other, .le, name: "le") }
    /// Elementwise `>`, as bool.
    public func gt(_ other: Tensor) -> Tensor { Tensor.compare(self, other, .gt, name: "gt") }
    /// Elementwise `>=`, as bool.
    public func ge(_ other: Tensor) -> Tensor { Tensor.compare(self, other, .ge, name: "ge") }

    /// True when both tensors have the same shape and equal elements
    /// (`torch.equal`); NaN equals nothing, as in PyTorch.
    ///
    /// ```swift
    /// Tensor([1, 2] as [Float]).equal(Tensor([1, 2] as [Float]))   // true
    /// ```
    public func equal(_ other: Tensor) -> Bool {
        shape == other.shape && GradMode.noGrad { eq(other).all().scalars(as: Bool.self)[0] }
    }

    private func cmpScalar(_ s: Double) -> Tensor {
        scalarOperand(s, isFloatingPoint: s != s.rounded() || !s.isFinite || dtype.isFloatingPoint)
    }
    public func eq(_ s: Double) -> Tensor { eq(cmpScalar(s)) }
    public func ne(_ s: Double) -> Tensor { ne(cmpScalar(s)) }
    public func lt(_ s: Double) -> Tensor { lt(cmpScalar(s)) }
    public func le(_ s: Double) -> Tensor { le(cmpScalar(s)) }
    public func gt(_ s: Double) -> Tensor { gt(cmpScalar(s)) }
    public func ge(_ s: Double) -> Tensor { ge(cmpScalar(s)) }

    /// Elementwise logical and of truth values.
    public func logicalAnd(_ other: Tensor) -> Tensor { Tensor.logical(self, other, .and, name: "logical_and") }
    /// Elementwise logical or of truth values.
    public func logicalOr(_ other: Tensor) -> Tensor { Tensor.logical(self, other, .or, name: "logical_or") }
    /// Elementwise logical xor of truth values.
    public func logicalXor(_ other: Tensor) -> Tensor { Tensor.logical(self, other, .xor, name: "logical_xor") }
    /// Elementwise logical not.
    public func logicalNot() -> Tensor { eq(0) }

    /// `condition ? self : other`, broadcasting all three (`torch.where`).
    ///
    /// ```swift
    /// let y = x.where(x.gt(0), Tensor(scalar: Float(0)))   // relu
    /// ```
    public func `where`(_ condition: Tensor, _ other: Tensor) -> Tensor {
        let type = resultType(self, other)
        let s = broadcastShapes(broadcastShapes(condition.shape, shape, op: "where"), other.shape, op: "where")
        let out = Tensor(uninitializedShape: s, dtype: type)
        GradMode.noGrad {
            Tensor.runLoop(out, [condition.to(.bool), to(type), other.to(type)]) { loop, p, r in
                whereKernel(itemSize: type.itemSize, loop, cond: p[0], p[1], p[2], r)
            }
        }
        guard type.isFloatingPoint else { return out }
        let (c, sa, sb) = (condition.to(.bool).detachedAlias(), shape, other.shape)
        return out.recorded("where", [self, other]) { g in
            let zero = Tensor.zeros([], dtype: g.dtype)
            return [g.where(c, zero).sumToShape(sa), zero.where(c, g).sumToShape(sb)]
        }
    }

    /// `condition ? self : value`.
    public func `where`(_ condition: Tensor, _ value: Double) -> Tensor {
        self.where(condition, scalarOperand(value, isFloatingPoint: value != value.rounded() || !value.isFinite))
    }

    public static func == (a: Tensor, b: Tensor) -> Tensor { a.eq(b) }
    public static func != (a: Tensor, b: Tensor) -> Tensor { a.ne(b) }
    public static func < (a: Tensor, b: Tensor) -> Tensor { a.lt(b) }
    public static func <= (a: Tensor, b: Tensor) -> Tensor { a.le(b) }
    public static func > (a: Tensor, b: Tensor) -> Tensor { a.gt(b) }
    public static func >= (a: Tensor, b: Tensor) -> Tensor { a.ge(b) }
}

extension Tensor {
    /// `condition ? a : b`, broadcasting all three (`torch.where(condition, a, b)`).
    ///
    /// ```swift
    /// let y = Tensor.where(x.gt(0), x, Tensor(scalar: Float(0)))
    /// ```
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        a.where(condition, b)
    }
}
