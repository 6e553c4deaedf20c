// Binary elementwise kernels. Operands arrive already promoted to one compute
// type (the tensor layer casts), so each family is one switch over that type.

/// Arithmetic binary ops.
package enum BinaryOp: Sendable {
    case add, sub, mul, div, floorDivide, remainder, pow, minimum, maximum
}

/// Comparison ops; results are bool.
package enum CompareOp: Sendable {
    case eq, ne, lt, le, gt, ge
}

/// Logical ops on bool operands.
package enum LogicalOp: Sendable {
    case and, or, xor
}

func binaryTyped<T: NumericTensorElement>(
    _: T.Type, _ op: BinaryOp, _ loop: StridedLoop,
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch op {
    case .add: map2(loop, a, b, r) { (x: T, y: T) in T._add(x, y) }
    case .sub: map2(loop, a, b, r) { (x: T, y: T) in T._sub(x, y) }
    case .mul: map2(loop, a, b, r) { (x: T, y: T) in T._mul(x, y) }
    case .div: map2(loop, a, b, r) { (x: T, y: T) in T._floorDivide(x, y) }  // ints never reach .div
    case .floorDivide: map2(loop, a, b, r) { (x: T, y: T) in T._floorDivide(x, y) }
    case .remainder: map2(loop, a, b, r) { (x: T, y: T) in T._remainder(x, y) }
    case .pow: map2(loop, a, b, r) { (x: T, y: T) in T._pow(x, y) }
    case .minimum: map2(loop, a, b, r) { (x: T, y: T) in T._minimum(x, y) }
    case .maximum: map2(loop, a, b, r) { (x: T, y: T) in T._maximum(x, y) }
    }
}

func binaryFloat<T: FloatTensorElement>(
    _: T.Type, _ op: BinaryOp, _ loop: StridedLoop,
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    if op == .div {
        map2(loop, a, b, r) { (x: T, y: T) in x / y }
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
    case .eq: map2(loop, a, b, r) { (x: T, y: T) -> Bool in x == y }
    case .ne: map2(loop, a, b, r) { (x: T, y: T) -> Bool in x != y }
    case .lt: map2(loop, a, b, r) { (x: T, y: T) -> Bool in x < y }
    case .le: map2(loop, a, b, r) { (x: T, y: T) -> Bool in x <= y }
    case .gt: map2(loop, a, b, r) { (x: T, y: T) -> Bool in x > y }
    case .ge: map2(loop, a, b, r) { (x: T, y: T) -> Bool in x >= y }
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
    case .and: map2(loop, a, b, r) { (x: Bool, y: Bool) in x && y }
    case .or: map2(loop, a, b, r) { (x: Bool, y: Bool) in x || y }
    case .xor: map2(loop, a, b, r) { (x: Bool, y: Bool) in x != y }
    }
}

/// `r = cond ? a : b`, selecting raw elements of `itemSize` bytes.
package func whereKernel(
    itemSize: Int, _ loop: StridedLoop,
    cond: UnsafeRawPointer, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ r: UnsafeMutableRawPointer
) {
    switch itemSize {
    case 8: map3(loop, cond, a, b, r) { (c: Bool, x: UInt64, y: UInt64) in c ? x : y }
    case 4: map3(loop, cond, a, b, r) { (c: Bool, x: UInt32, y: UInt32) in c ? x : y }
    case 2: map3(loop, cond, a, b, r) { (c: Bool, x: UInt16, y: UInt16) in c ? x : y }
    default: map3(loop, cond, a, b, r) { (c: Bool, x: UInt8, y: UInt8) in c ? x : y }
    }
}
