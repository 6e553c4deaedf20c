// Every differentiable op against finite differences in float64, with
// gradcheck's defaults (eps 1e-6, atol 1e-5, rtol 1e-3). Inputs stay away
// from kinks (|x| >= 0.2) and ties so the numeric derivative is defined.

import EmberCore
import EmberTestSupport
import Testing

struct GradCase: CustomTestStringConvertible, Sendable {
    enum Domain: Sendable { case any, positive }
    let name: String
    let shapes: [[Int]]
    let domain: Domain
    let function: @Sendable ([Tensor]) -> Tensor
    var testDescription: String { name }

    init(_ name: String, _ shapes: [[Int]], _ domain: Domain = .any, _ function: @escaping @Sendable ([Tensor]) -> Tensor) {
        (self.name, self.shapes, self.domain, self.function) = (name, shapes, domain, function)
    }

    func inputs(seed: UInt64) -> [Tensor] {
        let g = Generator(seed: seed)
        return shapes.map { shape in
            let u = Tensor.uniform(shape, low: 0.2, high: 1.6, dtype: .float64, generator: g)
            let x = domain == .positive ? u : u.mul(Tensor.bernoulli(shape, p: 0.5, dtype: .float64, generator: g).mul(2.0).sub(1.0))
            return x.requiresGrad_()
        }
    }
}

private func u(_ name: String, _ domain: GradCase.Domain = .any, _ f: @escaping @Sendable (Tensor) -> Tensor) -> GradCase {
    GradCase(name, [[3, 4]], domain) { f($0[0]) }
}

let gradCases: [GradCase] = [
    // Unary math and activations.
    u("neg") { $0.neg() }, u("abs") { $0.abs() }, u("exp") { $0.exp() }, u("expm1") { $0.expm1() },
    u("log", .positive) { $0.log() }, u("log1p", .positive) { $0.log1p() }, u("log2", .positive) { $0.log2() },
    u("sqrt", .positive) { $0.sqrt() }, u("rsqrt", .positive) { $0.rsqrt() },
    u("sin") { $0.sin() }, u("cos") { $0.cos() }, u("tanh") { $0.tanh() }, u("erf") { $0.erf() },
    u("sigmoid") { $0.sigmoid() }, u("relu") { $0.relu() }, u("relu6") { $0.mul(4.0).relu6() },
    u("leaky_relu") { $0.leakyRelu(negativeSlope: 0.2) }, u("elu") { $0.elu(alpha: 0.7) },
    u("gelu") { $0.gelu() }, u("gelu_tanh") { $0.gelu(approximate: .tanh) }, u("silu") { $0.silu() },
    u("softplus") { $0.softplus(beta: 2, threshold: 2) }, u("square") { $0.square() },
    u("reciprocal") { $0.reciprocal() }, u("clamp") { $0.clamp(min: -0.9, max: 0.8) },
    u("nan_to_num") { $0.nanToNum() }, u("floor") { $0.mul(3.3).floor() }, u("round") { $0.mul(3.3).round() },
    u("sign") { $0.sign() },
    // Binary ops, with broadcasting and scalars.
    GradCase("add", [[3, 4], [4]]) { $0[0] + $0[1] }, GradCase("add_alpha", [[3, 4], [3, 1]]) { $0[0].add($0[1], alpha: 2.5) },
    GradCase("sub", [[3, 1], [1, 4]]) { $0[0] - $0[1] }, GradCase("mul", [[3, 4], [3, 4]]) { $0[0] * $0[1] },
    GradCase("div", [[3, 4], [4]]) { $0[0] / $0[1] }, GradCase("pow", [[3, 4], [3, 4]], .positive) { $0[0].pow($0[1]) },
    GradCase("pow_scalar", [[3, 4]]) { $0[0].pow(3.0) }, GradCase("minimum", [[3, 4], [3, 4]]) { $0[0].minimum($0[1]) },
    GradCase("maximum", [[3, 4], [4]]) { $0[0].maximum($0[1]) }, GradCase("remainder", [[3, 4], [3, 4]], .positive) { $0[0].mul(3.1).remainder($0[1]) },
    GradCase("scalar_ops", [[3, 4]]) { 2.0 - $0[0] * 3.0 + 1.0 / ($0[0].abs() + 1.0) },
    GradCase("where", [[3, 4], [3, 4]]) { Tensor.where($0[0].gt(0), $0[0], $0[1]) },
    GradCase("clamp_tensor", [[3, 4], [4], [4]]) { $0[0].clamp(min: $0[1].mul(0.5), max: $0[2].mul(0.5).add(0.9)) },
    // Reductions.
    u("sum") { $0.sum() }, u("sum_dim") { $0.sum(dim: 1) }, u("sum_keep") { $0.sum(dims: [0], keepDim: true) },
    u("mean") { $0.mean(dim: 0) }, u("prod") { $0.prod(dim: 1) }, u("amax") { $0.amax(dims: [1]) },
    u("amin") { $0.amin() }, u("max_dim") { $0.max(dim: 1).values }, u("min_dim_keep") { $0.min(dim: 0, keepDim: true).values },
    u("var") { $0.variance(dim: 1) }, u("std") { $0.std(dims: [0, 1], correction: 0) },
    u("logsumexp") { $0.logsumexp(dim: 1) }, u("norm1") { $0.norm(p: 1, dims: [1]) }, u("norm2") { $0.norm() },
    u("norm_inf") { $0.norm(p: .infinity, dims: [0]) }, u("cumsum") { $0.cumsum(dim: 1) },
    u("softmax") { $0.softmax(dim: 1) }, u("softmax_0") { $0.softmax(dim: 0) }, u("log_softmax") { $0.logSoftmax(dim: -1) },
    // Linear algebra.
    GradCase("matmul_2d", [[3, 4], [4, 2]]) { $0[0].matmul($0[1]) },
    GradCase("matmul_1d_1d", [[4], [4]]) { $0[0].matmul($0[1]) },
    GradCase("matmul_1d_2d", [[4], [4, 3]]) { $0[0].matmul($0[1]) },
    GradCase("matmul_2d_1d", [[3, 4], [4]]) { $0[0].matmul($0[1]) },
    GradCase("matmul_batched_broadcast", [[2, 1, 3, 4], [5, 4, 2]]) { $0[0].matmul($0[1]) },
    GradCase("matmul_3d_2d", [[2, 3, 4], [4, 2]]) { $0[0].matmul($0[1]) },
    GradCase("matmul_transposed", [[4, 3], [2, 4]]) { $0[0].t().matmul($0[1].t()) },
    GradCase("bmm", [[2, 3, 4], [2, 4, 2]]) { $0[0].bmm($0[1]) },
    GradCase("addmm", [[2], [3, 4], [4, 2]]) { $0[0].addmm($0[1], $0[2], beta: 0.5, alpha: 2) },
    GradCase("outer", [[3], [4]]) { $0[0].outer($0[1]) }, GradCase("dot", [[5], [5]]) { $0[0].dot($0[1]) },
    // Views.
    u("reshape") { $0.reshape([2, 6]) }, u("view") { $0.view([12]) }, u("reshape_transposed") { $0.t().reshape([12]) },
    u("permute") { $0.unsqueeze(0).permute(2, 0, 1) }, u("transpose_t") { $0.t().mul(2.0) },
    u("narrow") { $0.narrow(dim: 1, start: 1, length: 2) }, u("slice_step") { $0.slice(dim: 1, start: 0, end: 4, step: 3) },
    u("select") { $0.select(dim: 0, index: 1) }, u("subscript") { $0[2] }, u("squeeze") { $0.unsqueeze(1).squeeze() },
    u("expand") { $0.unsqueeze(0).expand([2, 3, 4]) }, u("flatten") { $0.flatten() },
    u("unflatten") { $0.unflatten(dim: 1, sizes: [2, 2]) }, u("movedim") { $0.unsqueeze(2).movedim(0, 2) },
    u("split") { $0.split(3, dim: 1)[1] }, u("chunk") { $0.chunk(2, dim: 0)[0] }, u("unbind") { $0.unbind(dim: 1)[2] },
    u("contiguous") { $0.t().contiguous() }, u("clone") { $0.clone() },
    // Indexing and joining.
    u("index_select") { $0.indexSelect(dim: 1, index: Tensor([3, 0, 3] as [Int64])) },
    u("gather") { $0.gather(dim: 1, index: Tensor([[0, 0], [3, 1], [2, 2]] as [[Int64]])) },
    u("take_along_dim") { $0.takeAlongDim(Tensor([[1, 2]] as [[Int64]]), dim: 1) },
    GradCase("scatter", [[3, 4], [2, 4]]) { $0[0].scatter(dim: 0, index: Tensor([[0, 1, 2, 0], [2, 0, 0, 1]] as [[Int64]]), src: $0[1]) },
    GradCase("scatter_add", [[3, 4], [2, 4]]) { $0[0].scatterAdd(dim: 0, index: Tensor([[0, 1, 2, 0], [0, 0, 0, 1]] as [[Int64]]), src: $0[1]) },
    u("masked_fill") { $0.maskedFill(Tensor([true, false, false, true]), 0.5) },
    u("masked_select") { $0.maskedSelect(Tensor([true, false, true, true])) },
    u("bool_subscript") { $0[Tensor([true, false, true])] }, u("int_subscript") { $0[Tensor([2, 0, 2] as [Int64])] },
    GradCase("cat", [[3, 4], [3, 2]]) { Tensor.cat([$0[0], $0[1]], dim: 1) },
    GradCase("stack", [[3, 4], [3, 4]]) { Tensor.stack([$0[0], $0[1]], dim: 1) },
    u("pad_constant") { $0.pad([1, 2, -1, 1], mode: .constant(0.5)) }, u("pad_reflect") { $0.pad([2, 1], mode: .reflect) },
    u("pad_replicate") { $0.pad([2, 1, 1, 1], mode: .replicate) }, u("pad_circular") { $0.pad([1, 2], mode: .circular) },
    u("flip") { $0.flip([0, 1]) }, u("roll") { $0.roll([1, -1], dims: [0, 1]) }, u("roll_flat") { $0.roll([5]) },
    u("repeat") { $0.repeat([2, 1, 2]) }, u("tile") { $0.tile([2]) }, u("tril") { $0.tril() }, u("triu") { $0.triu(diagonal: 1) },
    u("sort") { $0.sort(dim: 1).values }, u("topk") { $0.topk(2, dim: 1).values },
    // Convolution and pooling.
    GradCase("conv2d", [[2, 2, 5, 4], [3, 2, 3, 2], [3]]) { $0[0].conv2d($0[1], bias: $0[2], stride: (2, 1), padding: (1, 1), dilation: (1, 2)) },
    GradCase("conv2d_groups", [[1, 4, 4, 4], [4, 2, 2, 2]]) { $0[0].conv2d($0[1], padding: (1, 0), groups: 2) },
    GradCase("conv2d_pointwise", [[2, 4, 3, 3], [6, 2, 1, 1], [6]]) { $0[0].conv2d($0[1], bias: $0[2], groups: 2) },
    GradCase("conv2d_depthwise", [[2, 3, 6, 5], [3, 1, 3, 3], [3]]) {
        $0[0].conv2d($0[1], bias: $0[2], stride: (2, 1), padding: (1, 2), dilation: (1, 2), groups: 3)
    },
    GradCase("conv2d_depthwise_stride1", [[1, 2, 5, 6], [2, 1, 3, 2]]) {
        $0[0].conv2d($0[1], padding: (1, 2), dilation: (2, 1), groups: 2)
    },
    GradCase("conv_transpose2d_depthwise", [[1, 3, 3, 3], [3, 1, 2, 3]]) {
        $0[0].convTranspose2d($0[1], stride: (2, 1), padding: (0, 1), groups: 3)
    },
    GradCase("conv1d", [[2, 3, 7], [4, 3, 3], [4]]) { $0[0].conv1d($0[1], bias: $0[2], stride: 2, padding: 1, dilation: 2) },
    GradCase("conv_transpose2d", [[2, 3, 4, 3], [3, 2, 3, 2], [2]]) {
        $0[0].convTranspose2d($0[1], bias: $0[2], stride: (2, 1), padding: (1, 0), outputPadding: (1, 0), dilation: (1, 2))
    },
    GradCase("conv_transpose2d_groups", [[1, 4, 3, 3], [4, 1, 2, 2]]) { $0[0].convTranspose2d($0[1], stride: (2, 2), groups: 2) },
    GradCase("max_pool2d", [[1, 2, 5, 5]]) { $0[0].maxPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true) },
    GradCase("avg_pool2d", [[1, 2, 5, 4]]) { $0[0].avgPool2d(kernelSize: (2, 3), stride: (2, 1), padding: (1, 1), countIncludePad: false) },
    GradCase("adaptive_avg_pool2d", [[1, 2, 5, 7]]) { $0[0].adaptiveAvgPool2d((2, 3)) },
    GradCase("adaptive_max_pool2d", [[1, 2, 5, 7]]) { $0[0].adaptiveMaxPool2d((3, 2)) },
]

@Test("gradcheck passes", arguments: gradCases)
func gradcheckPasses(_ c: GradCase) {
    let result = gradcheck(c.function, inputs: c.inputs(seed: 99))
    #expect(result.passed, "\(c.name): \(result)")
}

@Test func gradcheckCatchesAWrongDerivative() {
    // |x| recorded with the derivative of x: gradcheck must fail.
    let x = Tensor([0.5, -0.7, 1.2] as [Double]).requiresGrad_()
    let wrong = gradcheck({ i in i[0].add(i[0].abs().sub(i[0]).detach()) }, inputs: [x])
    #expect(!wrong.passed)
}
