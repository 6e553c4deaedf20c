// Finite-difference gradient checking, like torch.autograd.gradcheck: the
// Jacobian from backward against central differences, in float64.

/// The outcome of `gradcheck`: whether every Jacobian entry matched, and the
/// worst entry when one did not.
public struct GradcheckResult: Sendable, CustomStringConvertible {
    public let passed: Bool
    /// Largest |analytic - numeric| over all entries.
    public let maxAbsoluteError: Double
    public let description: String
}

/// Compares the gradients autograd computes for `function` with central
/// differences, entry by entry: `|analytic - numeric| <= atol + rtol * |numeric|`.
///
/// Inputs must be float64 tensors; those with `requiresGrad` are checked.
/// The defaults are `torch.autograd.gradcheck`'s.
///
/// ```swift
/// let x = Tensor.randn([3, 4], dtype: .float64).requiresGrad_()
/// let result = gradcheck({ $0[0].tanh().sum(dim: 1) }, inputs: [x])
/// assert(result.passed, result.description)
/// ```
public func gradcheck(
    _ function: ([Tensor]) -> Tensor, inputs: [Tensor],
    eps: Double = 1e-6, atol: Double = 1e-5, rtol: Double = 1e-3
) -> GradcheckResult {
    for x in inputs where x.requiresGrad {
        precondition(x.dtype == .float64, "gradcheck: inputs must be float64, got \(x.dtype)")
    }
    let checked = inputs.indices.filter { inputs[$0].requiresGrad }
    let output = function(inputs)
    let outCount = output.count
    // Analytic Jacobian, one backward per output element.
    var analytic: [[Double]] = checked.map { Array(repeating: 0, count: inputs[$0].count * outCount) }
    for i in 0..<outCount {
        for k in checked { inputs[k].zeroGrad() }
        let y = function(inputs)
        guard y.requiresGrad else { break }
        var seed = [Double](repeating: 0, count: outCount)
        seed[i] = 1
        y.backward(Tensor(seed, shape: y.shape).to(y.dtype))
        for (c, k) in checked.enumerated() {
            let g: [Double] = inputs[k].grad?.scalars() ?? Array(repeating: 0, count: inputs[k].count)
            for j in 0..<g.count { analytic[c][j * outCount + i] = g[j] }
        }
    }
    for k in checked { inputs[k].zeroGrad() }
    // Numeric Jacobian, perturbing one input element at a time in place.
    var worst = 0.0
    var failure: String? = nil
    GradMode.noGrad {
        for (c, k) in checked.enumerated() {
            let flat = inputs[k].detach().contiguous()
            precondition(flat.storage === inputs[k].storage, "gradcheck: inputs must be contiguous")
            let p = flat.pointer(Double.self)
            for j in 0..<flat.count {
                let saved = p[j]
                p[j] = saved + eps
                let plus: [Double] = function(inputs).to(.float64).scalars()
                p[j] = saved - eps
                let minus: [Double] = function(inputs).to(.float64).scalars()
                p[j] = saved
                for i in 0..<outCount {
                    let numeric = (plus[i] - minus[i]) / (2 * eps)
                    let a = analytic[c][j * outCount + i]
                    let err = Swift.abs(a - numeric)
                    worst = Swift.max(worst, err)
                    if failure == nil && !(err <= atol + rtol * Swift.abs(numeric)) {
                        failure = "input \(k) element \(j), output element \(i): analytic \(a), numeric \(numeric)"
                    }
                }
            }
        }
    }
    if let failure {
        return GradcheckResult(passed: false, maxAbsoluteError: worst, description: "gradcheck failed: \(failure)")
    }
    return GradcheckResult(passed: true, maxAbsoluteError: worst, description: "gradcheck passed (max error \(worst))")
}
