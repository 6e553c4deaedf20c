// Layers, losses and optimizers against PyTorch (Tests/Fixtures/nn/nn.json,
// made by Tests/Fixtures/Scripts/gen_nn.py). Forward values within 1e-5,
// gradients within 1e-4 (float32), optimizer trajectories within 1e-5.

import EmberCore
import EmberNN
import EmberOptim
import EmberTestSupport
import Testing

nonisolated(unsafe) private let nnFixture = FixtureLoader.json("nn/nn.json")

private func spec(_ any: Any?) -> TensorSpec? {
    (any as? [String: Any]).map(FixtureLoader.spec)
}

struct NamedFixture: CustomTestStringConvertible, @unchecked Sendable {
    let name: String
    let json: [String: Any]
    var testDescription: String { name }
    var args: [String: Any] { json["args"] as? [String: Any] ?? [:] }
}

private let layerCases = (nnFixture["layers"] as! [[String: Any]]).map { NamedFixture(name: $0["name"] as! String, json: $0) }
private let lossCases = (nnFixture["losses"] as! [[String: Any]]).map { NamedFixture(name: $0["name"] as! String, json: $0) }
private let optimizerNames = (nnFixture["optimizers"] as! [String: Any]).keys.sorted()

private func makeLayer(_ c: NamedFixture) -> Module {
    let a = c.args
    switch c.name {
    case "linear", "linear_nobias_3d":
        return Linear(inFeatures: a["inFeatures"] as! Int, outFeatures: a["outFeatures"] as! Int, bias: a["bias"] as! Bool)
    case "layernorm", "layernorm_2d":
        return LayerNorm(a["shape"] as! [Int], eps: a["eps"] as! Double)
    case "embedding_padding":
        return Embedding(numEmbeddings: a["num"] as! Int, embeddingDim: a["dim"] as! Int, paddingIdx: a["paddingIdx"] as? Int)
    case let n where n.hasPrefix("conv1d"):
        let padding: Conv1dPadding = a["same"] as? Bool == true ? .same : .explicit(a["padding"] as? Int ?? 0)
        return Conv1d(inChannels: a["cin"] as! Int, outChannels: a["cout"] as! Int, kernelSize: a["k"] as! Int,
                      stride: a["stride"] as? Int ?? 1, padding: padding, dilation: a["dilation"] as? Int ?? 1,
                      groups: a["groups"] as? Int ?? 1, bias: a["bias"] as? Bool ?? true,
                      reflectPadding: a["reflect"] as? Bool ?? false)
    case let n where n.hasPrefix("convtranspose"):
        func pair(_ key: String, _ d: Int) -> (Int, Int) { (a[key] as? [Int]).map { ($0[0], $0[1]) } ?? (d, d) }
        return ConvTranspose2d(inChannels: a["cin"] as! Int, outChannels: a["cout"] as! Int, kernelSize: pair("k", 1),
                               stride: pair("stride", 1), padding: pair("padding", 0), outputPadding: pair("outputPadding", 0),
                               groups: a["groups"] as? Int ?? 1, bias: a["bias"] as? Bool ?? true, dilation: pair("dilation", 1))
    case let n where n.hasPrefix("conv"):
        func pair(_ key: String, _ d: Int) -> (Int, Int) { (a[key] as? [Int]).map { ($0[0], $0[1]) } ?? (d, d) }
        let padding: Conv2dPadding = a["same"] as? Bool == true ? .same : .explicit(pair("padding", 0).0, pair("padding", 0).1)
        return Conv2d(inChannels: a["cin"] as! Int, outChannels: a["cout"] as! Int, kernelSize: pair("k", 1),
                      stride: pair("stride", 1), padding: padding, dilation: pair("dilation", 1),
                      groups: a["groups"] as? Int ?? 1, bias: a["bias"] as? Bool ?? true,
                      reflectPadding: a["reflect"] as? Bool ?? false)
    case let n where n.hasPrefix("maxpool"):
        let k = a["k"] as! [Int], s = a["stride"] as? [Int] ?? k, p = a["padding"] as? [Int] ?? [0, 0]
        return MaxPool2d(kernelSize: (k[0], k[1]), stride: (s[0], s[1]), padding: (p[0], p[1]), ceilMode: a["ceil"] as? Bool ?? false)
    case let n where n.hasPrefix("avgpool"):
        let k = a["k"] as! [Int], s = a["stride"] as? [Int] ?? k, p = a["padding"] as? [Int] ?? [0, 0]
        return AvgPool2d(kernelSize: (k[0], k[1]), stride: (s[0], s[1]), padding: (p[0], p[1]),
                         ceilMode: a["ceil"] as? Bool ?? false, countIncludePad: a["includePad"] as? Bool ?? true)
    case let n where n.hasPrefix("adaptive_avg"):
        let o = a["out"] as! [Int]
        return AdaptiveAvgPool2d((o[0], o[1]))
    case "adaptive_max":
        let o = a["out"] as! [Int]
        return AdaptiveMaxPool2d((o[0], o[1]))
    case "groupnorm":
        return GroupNorm(numGroups: a["groups"] as! Int, numChannels: a["channels"] as! Int)
    case "batchnorm2d_train", "batchnorm2d_eval":
        return BatchNorm2d(a["features"] as! Int)
    case "batchnorm1d_cumulative":
        return BatchNorm1d(a["features"] as! Int, momentum: nil)
    default:
        preconditionFailure("unknown layer case \(c.name)")
    }
}

@Test("layer matches PyTorch forward and backward", arguments: layerCases)
func layerMatchesTorch(_ c: NamedFixture) throws {
    let layer = makeLayer(c)
    var sd = StateDict()
    for (k, v) in c.json["params"] as! [String: Any] { sd[k] = spec(v)!.make() }
    try layer.loadStateDict(sd)
    layer.train(c.json["train"] as? Bool ?? true)
    let xSpec = spec(c.json["input"])!
    let x = xSpec.make()
    if x.dtype.isFloatingPoint { x.requiresGrad = true }
    let y = layer(x)
    expectClose(y, spec(c.json["output"])!, rtol: 1e-5, atol: 1e-5, "\(c.name) output")
    (y * spec(c.json["upstream"])!.make()).sum().backward()
    if let gx = spec(c.json["input_grad"]) { expectClose(x.grad!, gx, rtol: 1e-4, atol: 1e-4, "\(c.name) input grad") }
    let buffers = Dictionary(uniqueKeysWithValues: layer.namedBuffers())
    for (k, v) in c.json["buffers_after"] as? [String: Any] ?? [:] {
        expectClose(buffers[k]!, spec(v)!, rtol: 1e-5, atol: 1e-6, "\(c.name) buffer \(k) after forward")
    }
    let params = Dictionary(uniqueKeysWithValues: layer.namedParameters())
    for (k, v) in c.json["param_grads"] as! [String: Any] {
        expectClose(params[k]!.grad!, spec(v)!, rtol: 1e-4, atol: 1e-4, "\(c.name) grad of \(k)")
    }
}

private func lossFunction(_ c: NamedFixture) -> (Tensor, Tensor) -> Tensor {
    let a = c.args
    let weight = spec(c.json["weight"])?.make()
    let posWeight = spec(c.json["pos_weight"])?.make()
    let reduction: Reduction = switch a["reduction"] as? String {
    case "sum": .sum
    case "none": .none
    case "batchmean": .batchMean
    default: .mean
    }
    let smoothing = a["labelSmoothing"] as? Double ?? 0
    switch c.name {
    case let n where n.hasPrefix("ce"):
        return { Functional.crossEntropy($0, $1, weight: weight, reduction: reduction, labelSmoothing: smoothing) }
    case "nll": return { Functional.nllLoss($0, $1, weight: weight, reduction: reduction) }
    case let n where n.hasPrefix("bce_logits"):
        return { Functional.binaryCrossEntropyWithLogits($0, $1, weight: weight, posWeight: posWeight, reduction: reduction) }
    case let n where n.hasPrefix("bce"): return { Functional.binaryCrossEntropy($0, $1, weight: weight, reduction: reduction) }
    case let n where n.hasPrefix("mse"): return { Functional.mseLoss($0, $1, reduction: reduction) }
    case "l1": return { Functional.l1Loss($0, $1, reduction: reduction) }
    case "smooth_l1": return { Functional.smoothL1Loss($0, $1, beta: a["beta"] as! Double, reduction: reduction) }
    case "huber": return { Functional.huberLoss($0, $1, delta: a["delta"] as! Double, reduction: reduction) }
    case let n where n.hasPrefix("kl"):
        let logTarget = a["logTarget"] as? Bool ?? false
        return { Functional.klDiv($0, logTarget ? $1.log() : $1, reduction: reduction, logTarget: logTarget) }
    default: preconditionFailure("unknown loss case \(c.name)")
    }
}

@Test("loss matches PyTorch value and gradient", arguments: lossCases)
func lossMatchesTorch(_ c: NamedFixture) {
    let x = spec(c.json["input"])!.make().requiresGrad_()
    let t = spec(c.json["target"])!.make()
    let y = lossFunction(c)(x, t)
    expectClose(y, spec(c.json["output"])!, rtol: 1e-5, atol: 1e-5, "\(c.name) value")
    (y * spec(c.json["upstream"])!.make()).sum().backward()
    expectClose(x.grad!, spec(c.json["input_grad"])!, rtol: 1e-4, atol: 1e-5, "\(c.name) input grad")
}

private func objective(_ p: Tensor, _ q: Tensor) -> Tensor {
    let o = nnFixture["objective"] as! [String: Any]
    let c = spec(o["c"])!.make(), d = spec(o["d"])!.make()
    return ((p * c).sum(dim: 1) - q.narrow(dim: 0, start: 0, length: 3)).pow(2.0).sum() + (q * d).sum() + (p * p).sum() * 0.1
}

private func makeOptimizer(_ name: String, _ p: Tensor, _ q: Tensor) -> Optimizer {
    switch name {
    case "sgd": return SGD([p, q], lr: 0.05)
    case "sgd_momentum": return SGD([p, q], lr: 0.05, momentum: 0.9)
    case "sgd_dampening_wd": return SGD([p, q], lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.01)
    case "sgd_nesterov": return SGD([p, q], lr: 0.05, momentum: 0.9, weightDecay: 0.02, nesterov: true)
    case "adam": return Adam([p, q], lr: 0.01)
    case "adam_wd_amsgrad": return Adam([p, q], lr: 0.02, betas: (0.8, 0.99), weightDecay: 0.1, amsgrad: true)
    case "adamw": return AdamW([p, q], lr: 0.01)
    case "adamw_amsgrad": return AdamW([p, q], lr: 0.03, eps: 1e-6, weightDecay: 0.05, amsgrad: true)
    case "rmsprop": return RMSprop([p, q], lr: 0.01)
    case "rmsprop_centered_momentum_wd":
        return RMSprop([p, q], lr: 0.01, alpha: 0.9, weightDecay: 0.1, momentum: 0.5, centered: true)
    case "adagrad": return Adagrad([p, q], lr: 0.1)
    case "adagrad_decay_init_wd": return Adagrad([p, q], lr: 0.1, lrDecay: 0.05, weightDecay: 0.1, initialAccumulatorValue: 0.2)
    case "sgd_groups":
        return SGD(groups: [ParamGroup(params: [p], options: ["lr": 0.1, "weight_decay": 0.05]), ParamGroup(params: [q])],
                   lr: 0.01, momentum: 0.5)
    default: preconditionFailure("unknown optimizer \(name)")
    }
}

private func startingParameters() -> (Tensor, Tensor) {
    let o = nnFixture["objective"] as! [String: Any]
    return (spec(o["p0"])!.make().requiresGrad_(), spec(o["q0"])!.make().requiresGrad_())
}

@Test("optimizer follows PyTorch's trajectory for 5 steps", arguments: optimizerNames)
func optimizerMatchesTorch(_ name: String) {
    let (p, q) = startingParameters()
    let opt = makeOptimizer(name, p, q)
    let steps = (nnFixture["optimizers"] as! [String: Any])[name] as! [[Any]]
    for (i, expected) in steps.enumerated() {
        opt.zeroGrad()
        objective(p, q).backward()
        opt.step()
        expectClose(p, spec(expected[0])!, rtol: 1e-5, atol: 1e-5, "\(name) step \(i + 1) p")
        expectClose(q, spec(expected[1])!, rtol: 1e-5, atol: 1e-5, "\(name) step \(i + 1) q")
    }
}

@Test("optimizer state dict resumes exactly",
      arguments: ["sgd_nesterov", "adam_wd_amsgrad", "adamw", "rmsprop_centered_momentum_wd", "adagrad_decay_init_wd"])
func optimizerStateRoundTrip(_ name: String) throws {
    let (p, q) = startingParameters()
    let opt = makeOptimizer(name, p, q)
    func run(_ o: Optimizer, _ p: Tensor, _ q: Tensor, steps: Int) {
        for _ in 0..<steps {
            o.zeroGrad()
            objective(p, q).backward()
            o.step()
        }
    }
    run(opt, p, q, steps: 2)
    let saved = opt.stateDict()
    let (p2, q2) = (p.detach().clone().requiresGrad_(), q.detach().clone().requiresGrad_())
    run(opt, p, q, steps: 3)
    let resumed = makeOptimizer(name, p2, q2)
    try resumed.loadStateDict(saved)
    run(resumed, p2, q2, steps: 3)
    #expect(p2.scalars(as: Float.self) == p.scalars(as: Float.self))
    #expect(q2.scalars(as: Float.self) == q.scalars(as: Float.self))
}
