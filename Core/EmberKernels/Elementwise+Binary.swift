// Binary elementwise kernels. Operands arrive already promoted to one compute
// type (the tensor layer casts), so each family is one switch over that type.

/// Arithmetic binary ops.
package enum BinaryOp: Sendable {
    case add, sub, mul, div, floorDivide, remainder, pow, minimum, maximum
    /// ReLU's backward in one pass: `b > 0 ? a : 0` (a the gradient, b the output).
    case thresholdBackward
}

/// Comparison ops; results are bool.
package enum CompareOp: Sendable {
    case eq, ne, lt, le, gt, ge
}

/// Logical ops on bool operands.
package enum LogicalOp: Sendable {
    case and, or, xor
}

struct AddOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T._add(a, b) }
}
struct SubOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T._sub(a, b) }
}
struct MulOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T._mul(a, b) }
}
struct FloorDivideOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T._floorDivide(a, b) }
}
struct RemainderOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T._remainder(a, b) }
}
struct PowOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T._pow(a, b) }
}
struct MinimumOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T._minimum(a, b) }
}
struct MaximumOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { T._maximum(a, b) }
}
struct ThresholdBackwardOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { b > T.zero ? a : T.zero }
}
struct TrueDivideOp<T: FloatTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T { a / b }
}
struct EqOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> Bool { a == b }
}
struct NeOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> Bool { a != b }
}
struct LtOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> Bool { a < b }
}
struct LeOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> Bool { a <= b }
}
struct GtOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> Bool { a > b }
}
struct GeOp<T: NumericTensorElement>: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: T, _ b: T) -> Bool { a >= b }
}
struct LogicalAndOp: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: Bool, _ b: Bool) -> Bool { a && b }
}
struct LogicalOrOp: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: Bool, _ b: Bool) -> Bool { a || b }
}
struct LogicalXorOp: ElementFunction2 {
    @inline(__always) func callAsFunction(_ a: Bool, _ b: Bool) -> Bool { a != b }
}
struct SelectOp<T>: ElementFunction3 {
    @inline(__always) func callAsFunction(_ c: Bool, _ a: T, _ b: T) -> T { c ? a : b }
}

func binaryTyped<T: NumericTensorElement>(
    _: T.Type, _ op: BinaryOp, _ loop: StridedLoop,
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch op {
    case .add: map2(loop, a, b, r, AddOp<T>())
    case .sub: map2(loop, a, b, r, SubOp<T>())
    case .mul: map2(loop, a, b, r, MulOp<T>())
    case .div: map2(loop, a, b, r, FloorDivideOp<T>())  // integers never reach .div
    case .floorDivide: map2(loop, a, b, r, FloorDivideOp<T>())
    case .remainder: map2(loop, a, b, r, RemainderOp<T>())
    case .pow: map2(loop, a, b, r, PowOp<T>())
    case .minimum: map2(loop, a, b, r, MinimumOp<T>())
    case .maximum: map2(loop, a, b, r, MaximumOp<T>())
    case .thresholdBackward: map2(loop, a, b, r, ThresholdBackwardOp<T>())
    }
}

func binaryFloat<T: FloatTensorElement>(
    _: T.Type, _ op: BinaryOp, _ loop: StridedLoop,
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    if op == .div {
        map2(loop, a, b, r, TrueDivideOp<T>())
    } else {
        binaryTyped(T.self, op, loop, a, b, r)
    }
}

/// `r = a op b` for operands of `type` (never a half type or bool).
package func binaryKernel(
    _ op: BinaryOp, type: DType, _ loop: StridedLoop,
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch type {
    case .float32: binaryFloat(Float.self, op, loop, a, b, r)
    case .float64: binaryFloat(Double.self, op, loop, a, b, r)
    case .int64: binaryTyped(Int64.self, op, loop, a, b, r)
    case .int32: binaryTyped(Int32.self, op, loop, a, b, r)
    case .int16: binaryTyped(Int16.self, op, loop, a, b, r)
    case .int8: binaryTyped(Int8.self, op, loop, a, b, r)
    case .uint8: binaryTyped(UInt8.self, op, loop, a, b, r)
    case .float16, .bfloat16, .bool: preconditionFailure("binaryKernel: no \(type) arithmetic")
    }
}

func compareTyped<T: NumericTensorElement>(
    _: T.Type, _ op: CompareOp, _ loop: StridedLoop,
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch op {
    case .eq: map2(loop, a, b, r, EqOp<T>())
    case .ne: map2(loop, a, b, r, NeOp<T>())
    case .lt: map2(loop, a, b, r, LtOp<T>())
    case .le: map2(loop, a, b, r, LeOp<T>())
    case .gt: map2(loop, a, b, r, GtOp<T>())
    case .ge: map2(loop, a, b, r, GeOp<T>())
    }
}

/// `r = a op b` as bool, for operands of `type` (bool compares as uint8).
package func compareKernel(
    _ op: CompareOp, type: DType, _ loop: StridedLoop,
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch type {
    case .float32: compareTyped(Float.self, op, loop, a, b, r)
    case .float64: compareTyped(Double.self, op, loop, a, b, r)
    case .int64: compareTyped(Int64.self, op, loop, a, b, r)
    case .int32: compareTyped(Int32.self, op, loop, a, b, r)
    case .int16: compareTyped(Int16.self, op, loop, a, b, r)
    case .int8: compareTyped(Int8.self, op, loop, a, b, r)
    case .uint8, .bool: compareTyped(UInt8.self, op, loop, a, b, r)
    case .float16, .bfloat16: preconditionFailure("compareKernel: no \(type) comparison")
    }
}

/// `r = a op b` on bool operands.
package func logicalKernel(
    _ op: LogicalOp, _ loop: StridedLoop,
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch op {
    case .and: map2(loop, a, b, r, LogicalAndOp())
    case .or: map2(loop, a, b, r, LogicalOrOp())
    case .xor: map2(loop, a, b, r, LogicalXorOp())
    }
}

/// `r = cond ? a : b`, selecting raw elements of `itemSize` bytes.
package func whereKernel(
    itemSize: Int, _ loop: StridedLoop,
    cond: UnsafeRawPointer, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch itemSize {
    case 8: map3(loop, cond, a, b, r, SelectOp<UInt64>())
    case 4: map3(loop, cond, a, b, r, SelectOp<UInt32>())
    case 2: map3(loop, cond, a, b, r, SelectOp<UInt16>())
    default: map3(loop, cond, a, b, r, SelectOp<UInt8>())
    }
}
