// Loaded tensors are views over a memory mapping, which AddressSanitizer
// does not instrument, so an out-of-bounds view would read silently (or
// only fault past the last page). Touching therefore checks each view's
// extent against its storage explicitly, then reads the elements.

import EmberCheckpoint
import EmberCore

/// Tensors with more elements than this are checked and read only at their
/// two extreme elements: a valid stride-0 view can be huge over one element,
/// and converting it all would be the harness's OOM, not the parser's.
let fullReadLimit = 1 << 16

/// Checks that `tensor` lies inside its storage and reads its elements;
/// returns a sum so the reads cannot be optimized away.
public func touch(_ tensor: Tensor) -> Double {
    var count = 1
    for size in tensor.shape {
        check(size >= 0, "negative size in shape \(tensor.shape)")
        let (product, overflow) = count.multipliedReportingOverflow(by: size)
        check(!overflow, "shape \(tensor.shape) has more elements than Int holds")
        count = product
    }
    guard count > 0 else { return 0 }
    var (low, high) = (tensor.storageOffset, tensor.storageOffset)
    for (size, stride) in zip(tensor.shape, tensor.strides) {
        let (span, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
        check(!overflow, "size \(tensor.shape) stride \(tensor.strides) overflow")
        if span < 0 { low += span } else { high += span }
    }
    let itemSize = tensor.dtype.itemSize
    check(low >= 0 && high < tensor.storage.byteCount / itemSize,
                 "view [\(low), \(high)] of \(tensor.dtype) outside a storage of \(tensor.storage.byteCount) bytes")
    let base = UnsafeRawPointer(tensor.storage.data)
    var sum = 0.0
    for index in [low, high] {
        for byte in 0..<itemSize { sum += Double(base.load(fromByteOffset: index * itemSize + byte, as: UInt8.self)) }
    }
    if count <= fullReadLimit {
        sum += tensor.scalars(as: Double.self).reduce(0) { $0 + ($1.isFinite ? $1 : 0) }
    }
    return sum
}

/// Touches every tensor in a checkpoint's value tree.
public func touch(_ value: TorchValue) -> Double {
    switch value {
    case .tensor(let t): touch(t)
    case .list(let items), .tuple(let items): items.reduce(0) { $0 + touch($1) }
    case .dict(let items, _): items.reduce(0) { $0 + touch($1.key) + touch($1.value) }
    case .none, .bool, .int, .bigInt, .float, .string, .bytes: 0
    }
}

/// Keeps a value alive and observed, so touching reads are not dead code.
@inline(never)
public func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Stops the run with `message` when `condition` fails: unlike
/// `precondition`, `fatalError` keeps its message in optimized builds.
public func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz finding: " + message()) }
}
