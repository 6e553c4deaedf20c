// Finite-difference gradient checks (float64, eps 1e-6, atol 1e-5, rtol 1e-3)
// of every differentiable function and layer EmberNN adds on top of the core
// ops: losses, normalizations, attention and the transformer blocks. Layer
// cases check the input and every parameter.

import EmberCore
import EmberNN
import EmberTestSupport
import Testing

struct NNGradCase: CustomTestStringConvertible, @unchecked Sendable {
    let name: String
    /// Makes the inputs (the function's differentiable arguments) and the function.
    let make: () -> (inputs: [Tensor], function: ([Tensor]) -> Tensor)
    var testDescription: String { name }
}

private func random(_ shape: [Int], seed: UInt64, positive: Bool = false) -> Tensor {
    let g = Generator(seed: seed)
    let magnitude = Tensor.uniform(shape, low: 0.2, high: 1.6, dtype: .float64, generator: g)
    if positive { return magnitude.requiresGrad_() }
    return magnitude.mul(Tensor.bernoulli(shape, p: 0.5, dtype: .float64, generator: g).mul(2.0).sub(1.0)).requiresGrad_()
}

/// A loss of a random `[4, 3]` input against a fixed target.
private func loss(_ name: String, target: Tensor, inputPositive: Bool = false,
                  _ f: @escaping (Tensor, Tensor) -> Tensor) -> NNGradCase {
    NNGradCase(name: name) {
        ([random([4, 3], seed: 5, positive: inputPositive)], { f($0[0], target) })
    }
}

/// A layer in float64, checked with respect to its input and all its parameters.
private func layer(_ name: String, input shape: [Int], _ make: @escaping () -> Module) -> NNGradCase {
    NNGradCase(name: name) {
        let module = make().to(.float64)
        let params = module.parameters()
        return ([random(shape, seed: 9)] + params, { module($0[0]) })
    }
}

private let classes = Tensor([0, 2, 1, 2] as [Int64])
private let probabilities = Tensor([0.2, 0.5, 0.3, 0.1, 0.1, 0.8, 0.6, 0.3, 0.1, 0.3, 0.3, 0.4] as [Double], shape: [4, 3])
private let regressionTarget = Tensor([0.3, -1.2, 0.8, 2.0, 0.1, -0.4, 1.5, -0.9, 0.0, 0.6, -2.2, 1.1] as [Double], shape: [4, 3])

let nnGradCases: [NNGradCase] = [
    loss("cross_entropy", target: classes) { Functional.crossEntropy($0, $1) },
    loss("cross_entropy_weight_smoothing_ignore", target: Tensor([0, -100, 1, 2] as [Int64])) {
        Functional.crossEntropy($0, $1, weight: Tensor([0.5, 1.0, 2.0] as [Double]), labelSmoothing: 0.2)
    },
    loss("cross_entropy_probabilities", target: probabilities) { Functional.crossEntropy($0, $1, reduction: .sum) },
    loss("nll_loss", target: classes) { Functional.nllLoss($0.logSoftmax(dim: 1), $1) },
    loss("binary_cross_entropy", target: probabilities) { Functional.binaryCrossEntropy($0.sigmoid(), $1) },
    loss("binary_cross_entropy_with_logits_pos_weight", target: probabilities) {
        Functional.binaryCrossEntropyWithLogits($0, $1, posWeight: Tensor([1.0, 3.0, 0.5] as [Double]))
    },
    loss("mse", target: regressionTarget) { Functional.mseLoss($0, $1) },
    loss("l1", target: regressionTarget) { Functional.l1Loss($0, $1, reduction: .sum) },
    loss("smooth_l1", target: regressionTarget) { Functional.smoothL1Loss($0, $1, beta: 0.5) },
    loss("huber", target: regressionTarget) { Functional.huberLoss($0, $1, delta: 0.7) },
    loss("kl_div", target: probabilities, inputPositive: true) {
        Functional.klDiv($0.logSoftmax(dim: 1), $1, reduction: .batchMean)
    },
    NNGradCase(name: "scaled_dot_product_attention_mask") {
        let mask = Tensor([true, false, true, true, true, false, true, true, true] as [Bool], shape: [3, 3])
        return ([random([2, 3, 4], seed: 1), random([2, 3, 4], seed: 2), random([2, 3, 4], seed: 3)],
                { Functional.scaledDotProductAttention($0[0], $0[1], $0[2], attnMask: mask) })
    },
    NNGradCase(name: "scaled_dot_product_attention_causal") {
        ([random([1, 2, 4, 3], seed: 4), random([1, 2, 4, 3], seed: 6), random([1, 2, 4, 3], seed: 7)],
         { Functional.scaledDotProductAttention($0[0], $0[1], $0[2], isCausal: true) })
    },
    layer("linear", input: [3, 4]) { Linear(inFeatures: 4, outFeatures: 2) },
    layer("layer_norm", input: [2, 3, 4]) { LayerNorm([4]) },
    layer("group_norm", input: [2, 4, 2, 3]) { GroupNorm(numGroups: 2, numChannels: 4) },
    layer("batch_norm2d_train", input: [3, 2, 2, 2]) { BatchNorm2d(2) },
    layer("batch_norm1d_eval", input: [4, 3]) { BatchNorm1d(3).eval() },
    // The fused BN → ReLU (BatchNorm.forwardReLU / Tensor.batchNormReLU), with batch and running statistics.
    NNGradCase(name: "batch_norm2d_relu_train") {
        let norm = BatchNorm2d(2).to(.float64)
        GradMode.noGrad { _ = norm.weight!.copy_(Tensor([0.7, -1.3] as [Double])); _ = norm.bias!.copy_(Tensor([0.2, 0.1] as [Double])) }
        return ([random([3, 2, 2, 2], seed: 9)] + norm.parameters(), { norm.forwardReLU($0[0]) })
    },
    NNGradCase(name: "batch_norm2d_relu_eval") {
        let norm = BatchNorm2d(3).to(.float64)
        GradMode.noGrad {
            _ = norm.runningMean!.copy_(Tensor([0.1, -0.3, 0.2] as [Double]))
            _ = norm.runningVar!.copy_(Tensor([0.5, 1.5, 2.0] as [Double]))
            _ = norm.bias!.copy_(Tensor([0.05, -0.1, 0.15] as [Double]))
        }
        norm.eval()
        return ([random([2, 3, 2, 2], seed: 11)] + norm.parameters(), { norm.forwardReLU($0[0]) })
    },
    layer("conv1d_same", input: [1, 2, 5]) { Conv1d(inChannels: 2, outChannels: 2, kernelSize: 2, padding: .same) },
    layer("conv2d_reflect", input: [1, 2, 4, 3]) {
        Conv2d(inChannels: 2, outChannels: 2, kernelSize: (3, 2), padding: .explicit(1, 1), reflectPadding: true)
    },
    layer("conv_transpose2d", input: [1, 2, 3, 3]) {
        ConvTranspose2d(inChannels: 2, outChannels: 2, kernelSize: (2, 3), stride: (2, 2), padding: (0, 1))
    },
    NNGradCase(name: "multihead_attention_padding") {
        let mha = MultiheadAttention(embedDim: 4, numHeads: 2, batchFirst: true).to(.float64)
        let padding = Tensor([false, false, true, false, false, false] as [Bool], shape: [2, 3])
        let (q, kv) = (random([2, 2, 4], seed: 11), random([2, 3, 4], seed: 12))
        return ([q, kv] + mha.parameters(), { mha($0[0], $0[1], $0[1], keyPaddingMask: padding).output })
    },
    NNGradCase(name: "normalize_l2_dim1") {
        ([random([3, 4], seed: 13)], { Functional.normalize($0[0], dim: 1) })
    },
    NNGradCase(name: "normalize_l1_dim0") {
        ([random([3, 4], seed: 14)], { Functional.normalize($0[0], p: 1, dim: 0) })
    },
    layer("transformer_encoder_layer_post_norm_relu", input: [3, 2, 4]) {
        TransformerEncoderLayer(dModel: 4, nhead: 2, dimFeedforward: 6, dropout: 0)
    },
    layer("transformer_encoder_layer_pre_norm_gelu", input: [2, 3, 4]) {
        TransformerEncoderLayer(dModel: 4, nhead: 2, dimFeedforward: 6, dropout: 0, activation: .gelu,
                                batchFirst: true, normFirst: true)
    },
]

@Test("nn gradcheck passes", arguments: nnGradCases)
func nnGradcheckPasses(_ c: NNGradCase) {
    let (inputs, function) = c.make()
    let result = gradcheck(function, inputs: inputs)
    #expect(result.passed, "\(c.name): \(result)")
}
