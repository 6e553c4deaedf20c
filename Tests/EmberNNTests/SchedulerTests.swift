// Learning-rate sequences against PyTorch (exact: the same recurrences in
// float64), and gradient clipping.

import EmberCore
import EmberNN
import EmberOptim
import EmberTestSupport
import Foundation
import Testing

nonisolated(unsafe) private let schedulerFixture = FixtureLoader.json("nn/nn.json")

private func makeScheduler(_ name: String, _ opt: Optimizer) -> (Int) -> Void {
    switch name {
    case "step": let s = StepLR(opt, stepSize: 7, gamma: 0.5); return { _ in s.step() }
    case "multistep": let s = MultiStepLR(opt, milestones: [3, 10, 10, 25], gamma: 0.3); return { _ in s.step() }
    case "exponential": let s = ExponentialLR(opt, gamma: 0.93); return { _ in s.step() }
    case "cosine": let s = CosineAnnealingLR(opt, tMax: 12, etaMin: 0.001); return { _ in s.step() }
    case "linear": let s = LinearLR(opt, startFactor: 0.25, endFactor: 0.9, totalIters: 9); return { _ in s.step() }
    case "lambda":
        let s = LambdaLR(opt) { e in Foundation.pow(0.95, Double(e)) + 0.01 * Double(e % 4) }
        return { _ in s.step() }
    case "onecycle": let s = OneCycleLR(opt, maxLR: 0.5, totalSteps: 41); return { _ in s.step() }
    case "onecycle_linear_three":
        let s = OneCycleLR(opt, maxLR: 0.3, totalSteps: 50, pctStart: 0.25, anneal: .linear, threePhase: true)
        return { _ in s.step() }
    case "sequential_warmup_cosine":
        let s = SequentialLR(opt, schedulers: [LinearLR(opt, startFactor: 0.1, totalIters: 5),
                                               CosineAnnealingLR(opt, tMax: 30, etaMin: 0.002)], milestones: [5])
        return { _ in s.step() }
    case "sequential_three":
        let s = SequentialLR(opt, schedulers: [LinearLR(opt, startFactor: 0.5, endFactor: 1, totalIters: 3),
                                               StepLR(opt, stepSize: 4, gamma: 0.5), ExponentialLR(opt, gamma: 0.9)],
                             milestones: [3, 15])
        return { _ in s.step() }
    case "sequential_multistep_lambda":
        let s = SequentialLR(opt, schedulers: [MultiStepLR(opt, milestones: [2, 4], gamma: 0.5),
                                               LambdaLR(opt) { 1 / (1 + Double($0)) }], milestones: [10])
        return { _ in s.step() }
    case "plateau":
        let metrics = (schedulerFixture["plateau_metrics"] as! [String]).map { Double($0)! }
        let s = ReduceLROnPlateau(opt, factor: 0.5, patience: 2, cooldown: 1)
        return { i in s.step(metrics[i]) }
    default: preconditionFailure("unknown scheduler \(name)")
    }
}

@Test("scheduler sequence equals PyTorch's", arguments: (schedulerFixture["schedulers"] as! [String: Any]).keys.sorted())
func schedulerMatchesTorch(_ name: String) {
    let expected = ((schedulerFixture["schedulers"] as! [String: Any])[name] as! [String]).map { Double($0)! }
    let opt = SGD([Tensor.zeros([1]).requiresGrad_()], lr: 0.1)
    let step = makeScheduler(name, opt)
    var got = [opt.paramGroups[0].lr]
    for i in 0..<(expected.count - 1) {
        step(i)
        got.append(opt.paramGroups[0].lr)
    }
    #expect(got == expected, "\(name)")
}

@Test("one-cycle momentum equals PyTorch's", arguments: ["sgd", "adam"])
func oneCycleMomentumMatchesTorch(_ name: String) {
    let expected = (schedulerFixture["onecycle_momentum"] as! [String: [String: [String]]])[name]!
    let param = Tensor.zeros([1]).requiresGrad_()
    let opt: Optimizer = name == "sgd" ? SGD([param], lr: 0.1, momentum: 0.9) : Adam([param], lr: 0.1)
    let key = name == "sgd" ? "momentum" : "beta1"
    let s = OneCycleLR(opt, maxLR: 0.2, totalSteps: 30, pctStart: 0.4, baseMomentum: 0.8, maxMomentum: 0.9)
    var lrs = [opt.paramGroups[0].lr], momenta = [opt.paramGroups[0].options[key]!]
    for _ in 0..<29 {
        s.step()
        lrs.append(opt.paramGroups[0].lr)
        momenta.append(opt.paramGroups[0].options[key]!)
    }
    #expect(lrs == expected["lr"]!.map { Double($0)! })
    #expect(momenta == expected["momentum"]!.map { Double($0)! })
}

@Test func clipGradNormScalesAllGradientsTogether() {
    let a = Tensor([1, 1] as [Float]).requiresGrad_()
    let b = Tensor([1] as [Float]).requiresGrad_()
    (a * Tensor([3, 0] as [Float]) + 0).sum().backward()
    (b * 4.0).sum().backward()
    let norm = clipGradNorm_([a, b], maxNorm: 1)
    #expect(Swift.abs(norm - 5) < 1e-6)
    expectValues(a.grad!, [0.6, 0], tolerance: 1e-6)
    expectValues(b.grad!, [0.8], tolerance: 1e-6)
    clipGradValue_([b], clipValue: 0.5)
    expectValues(b.grad!, [0.5])
}
