// Comparing tensors with PyTorch's values: shape, then dtype, then every
// element within `atol + rtol * |expected|`, with NaN matching NaN and
// infinities matching exactly.

import EmberCore
import Testing

/// The first mismatch of `actual` against `expected`, described, or nil.
public func mismatch(_ actual: Tensor, _ expected: TensorSpec, rtol: Double, atol: Double) -> String? {
    if actual.shape != expected.shape { return "shape \(actual.shape), expected \(expected.shape)" }
    if actual.dtype != expected.dtype { return "dtype \(actual.dtype), expected \(expected.dtype)" }
    let got: [Double] = actual.scalars()
    var worst = 0.0, worstIndex = -1, bad = 0
    for (i, (a, e)) in zip(got, expected.data).enumerated() {
        let ok: Bool
        if e.isNaN { ok = a.isNaN }
        else if e.isInfinite { ok = a == e }
        else { ok = Swift.abs(a - e) <= atol + rtol * Swift.abs(e) }
        if !ok {
            bad += 1
            let diff = a.isNaN ? .infinity : Swift.abs(a - e)
            if diff > worst || worstIndex < 0 { worst = diff; worstIndex = i }
        }
    }
    if bad == 0 { return nil }
    let pairs = zip(got, expected.data).prefix(5).map { "(\($0), \($1))" }.joined(separator: " ")
    return "\(bad) of \(got.count) elements differ; worst at \(worstIndex): got \(got[worstIndex]), expected \(expected.data[worstIndex]) (|diff| \(worst)); first pairs \(pairs)"
}

/// Expects `actual` to match a fixture tensor.
public func expectClose(_ actual: Tensor, _ expected: TensorSpec, rtol: Double, atol: Double,
                 _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    if let m = mismatch(actual, expected, rtol: rtol, atol: atol) {
        Issue.record("\(label): \(m)", sourceLocation: sourceLocation)
    }
}

/// Expects `actual` to equal `expected` elementwise (as Doubles), with the given shape.
public func expectValues(_ actual: Tensor, _ expected: [Double], shape: [Int]? = nil,
                  tolerance: Double = 0, sourceLocation: SourceLocation = #_sourceLocation) {
    if let shape { #expect(actual.shape == shape, sourceLocation: sourceLocation) }
    let got: [Double] = actual.scalars()
    #expect(got.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(got, expected) where !(a == e || (a.isNaN && e.isNaN) || Swift.abs(a - e) <= tolerance) {
        Issue.record("got \(got), expected \(expected)", sourceLocation: sourceLocation)
        return
    }
}
