// Scheduler state dicts against PyTorch's `state_dict()` (keys, order, Python
// types and values), and resuming from one: a fresh optimizer and scheduler
// that load the saved states must step on bit for bit.

import EmberCore
import EmberOptim
import EmberTestSupport
import Foundation
import Testing

nonisolated(unsafe) private let stateFixture = FixtureLoader.json("nn/scheduler_state.json")["cases"] as! [String: [String: Any]]

/// A scheduler of either family behind one interface.
private struct Built {
    let optimizer: Optimizer
    let step: (Int) -> Void
    let stateDict: () -> SchedulerState
    let load: (SchedulerState) throws -> Void
}

/// Two SGD groups with momentum, as the fixture script builds them.
private func sgd() -> Optimizer {
    SGD(groups: [ParamGroup(params: [Tensor.zeros([1]).requiresGrad_()]),
                 ParamGroup(params: [Tensor.zeros([1]).requiresGrad_()], options: ["lr": 0.01])], lr: 0.1, momentum: 0.9)
}

private func build(_ name: String) -> Built {
    let opt = name.hasPrefix("onecycle_adam") ? Adam([Tensor.zeros([1]).requiresGrad_()], lr: 0.1) : sgd()
    func wrap(_ s: LRScheduler) -> Built {
        Built(optimizer: opt, step: { _ in s.step() }, stateDict: s.stateDict, load: s.loadStateDict)
    }
    switch name {
    case "step": return wrap(StepLR(opt, stepSize: 3, gamma: 0.5))
    case "multistep": return wrap(MultiStepLR(opt, milestones: [2, 4, 4], gamma: 0.5))
    case "exponential": return wrap(ExponentialLR(opt, gamma: 0.9))
    case "cosine": return wrap(CosineAnnealingLR(opt, tMax: 5, etaMin: 0.001))
    case "linear": return wrap(LinearLR(opt, startFactor: 0.25, endFactor: 0.9, totalIters: 4))
    case "lambda": return wrap(LambdaLR(opt) { Foundation.pow(0.9, Double($0)) })
    case "onecycle": return wrap(OneCycleLR(opt, maxLR: 0.5, totalSteps: 10))
    case "onecycle_adam_linear_three":
        return wrap(OneCycleLR(opt, maxLR: 0.3, totalSteps: 12, pctStart: 0.25, anneal: .linear, threePhase: true))
    case "onecycle_no_momentum": return wrap(OneCycleLR(opt, maxLR: 0.5, totalSteps: 10, cycleMomentum: false))
    case "sequential":
        return wrap(SequentialLR(opt, schedulers: [LinearLR(opt, startFactor: 0.5, endFactor: 1, totalIters: 2),
                                                   StepLR(opt, stepSize: 2, gamma: 0.5), ExponentialLR(opt, gamma: 0.9)],
                                 milestones: [2, 5]))
    case "plateau":
        let metrics = (stateFixture["plateau"]!["metrics"] as! [Any]).map(FixtureLoader.number)
        let s = ReduceLROnPlateau(opt, factor: 0.5, patience: 1, cooldown: 1)
        return Built(optimizer: opt, step: { s.step(metrics[$0]) }, stateDict: s.stateDict, load: s.loadStateDict)
    default: preconditionFailure("unknown scheduler \(name)")
    }
}

private func momentum(_ opt: Optimizer) -> Double {
    opt.paramGroups[0].options["beta1"] ?? opt.paramGroups[0].options["momentum"]!
}

/// "path type" lines in the fixture script's format, with Python's type names.
private func schema(_ v: StateValue, _ path: String = "", into out: inout [String]) {
    if !path.isEmpty { out.append("\(path) \(v.kind)") }
    switch v {
    case .dict(let entries):
        for (k, x) in entries { schema(x, path.isEmpty ? k : "\(path).\(k)", into: &out) }
    case .list(let items):
        for (i, x) in items.enumerated() { schema(x, "\(path)[\(i)]", into: &out) }
    case .counter(let counts):
        for (value, count) in counts { schema(.int(count), "\(path).\(value)", into: &out) }
    default: break
    }
}

/// Compares values under a known schema; floats within 1e-12 relative, as
/// Foundation's JSON reader may round the last digit.
private func sameValue(_ v: StateValue, _ json: Any, at path: String) -> Bool {
    switch v {
    case .none: return json is NSNull
    case .bool(let b): return (json as? Bool) == b
    case .int(let i): return (json as? NSNumber)?.intValue == i
    case .string(let s): return (json as? String) == s
    case .double(let d):
        let expected = FixtureLoader.number(json)
        if d == expected || (d.isNaN && expected.isNaN) { return true }
        return Swift.abs(d - expected) <= 1e-12 * Swift.abs(expected)
    case .list(let items):
        guard let list = json as? [Any], list.count == items.count else { return false }
        return zip(items, list).enumerated().allSatisfy { i, p in sameValue(p.0, p.1, at: "\(path)[\(i)]") }
    case .dict(let entries):
        guard let dict = json as? [String: Any], dict.count == entries.count else { return false }
        return entries.allSatisfy { k, x in dict[k].map { sameValue(x, $0, at: "\(path).\(k)") } ?? false }
    case .counter(let counts):
        guard let dict = json as? [String: Any], dict.count == counts.count else { return false }
        return counts.allSatisfy { value, count in (dict[String(value)] as? NSNumber)?.intValue == count }
    }
}

private func close(_ a: Double, _ b: Double) -> Bool { a == b || Swift.abs(a - b) <= 1e-12 * Swift.abs(b) }

@Test("scheduler state dict equals PyTorch's key for key", arguments: stateFixture.keys.sorted())
func schedulerStateMatchesTorch(_ name: String) throws {
    let expected = stateFixture[name]!
    let built = build(name)
    let lrs = expected["lrs"] as! [[Any]], momenta = (expected["momenta"] as! [Any]).map(FixtureLoader.number)
    for i in 0...(expected["steps"] as! Int) {
        if i > 0 { built.step(i - 1) }
        let got = built.optimizer.paramGroups.map(\.lr)
        let want = lrs[i].map(FixtureLoader.number)
        #expect(got.count == want.count && zip(got, want).allSatisfy(close), "\(name) step \(i)")
        #expect(close(momentum(built.optimizer), momenta[i]), "\(name) momentum at step \(i)")
    }
    let state = built.stateDict()
    var got: [String] = []
    schema(state.value, into: &got)
    #expect(got == expected["schema"] as! [String])
    #expect(sameValue(state.value, expected["state"]!, at: ""), "\(name): \(state.entries)")
}

@Test("a fresh scheduler that loads a saved state steps on bit for bit", arguments: stateFixture.keys.sorted())
func schedulerResumesExactly(_ name: String) throws {
    let total = stateFixture[name]!["steps"] as! Int
    let split = total / 2
    let original = build(name)
    for i in 0..<split { original.step(i) }
    let savedOptimizer = original.optimizer.stateDict(), savedScheduler = original.stateDict()

    let resumed = build(name)
    try resumed.optimizer.loadStateDict(savedOptimizer)
    try resumed.load(savedScheduler)
    #expect(resumed.stateDict() == savedScheduler)
    for i in split..<total {
        original.step(i)
        resumed.step(i)
        let (a, b) = (original.optimizer, resumed.optimizer)
        #expect(a.paramGroups.map { $0.lr.bitPattern } == b.paramGroups.map { $0.lr.bitPattern }, "\(name) step \(i)")
        #expect(momentum(a).bitPattern == momentum(b).bitPattern, "\(name) momentum at step \(i)")
    }
    #expect(resumed.stateDict() == original.stateDict())
}

@Test func sequentialStateNestsEachSchedulersOwn() throws {
    let opt = sgd()
    let warmup = LinearLR(opt, startFactor: 0.5, totalIters: 2), decay = ExponentialLR(opt, gamma: 0.9)
    let s = SequentialLR(opt, schedulers: [warmup, decay], milestones: [2])
    for _ in 0..<4 { s.step() }
    let nested = try #require(s.stateDict()["_schedulers"]?.listValue)
    #expect(nested.count == 2)
    #expect(SchedulerState(nested[0]) == warmup.stateDict())
    #expect(SchedulerState(nested[1]) == decay.stateDict())
    #expect(s.stateDict().keys == ["_milestones", "last_epoch", "_last_lr", "_schedulers"])
}

// MARK: Loads that do not fit

/// `state` with `key` replaced (nil removes it).
private func edited(_ state: SchedulerState, _ key: String, _ value: StateValue?) -> SchedulerState {
    var s = state
    s[key] = value
    return s
}

@Test func mismatchedStatesThrowNamingTheKeyAndChangeNothing() throws {
    let opt = sgd()
    let s = StepLR(opt, stepSize: 3, gamma: 0.5)
    s.step()
    let saved = s.stateDict()
    let cases: [(SchedulerState, SchedulerStateError)] = [
        (edited(saved, "last_epoch", nil), .missingKey("last_epoch")),
        (edited(saved, "_step_count", .double(3)), .wrongKind(key: "_step_count", expected: "int", found: "float")),
        (edited(saved, "base_lrs", .list([.double(0.1)])), .countMismatch(key: "base_lrs", expected: 2, found: 1)),
        (edited(saved, "_last_lr", .list([.double(0.1), .string("x")])),
         .wrongKind(key: "_last_lr[1]", expected: "float", found: "str")),
        (edited(saved, "base_lrs", StateValue.none), .wrongKind(key: "base_lrs", expected: "list", found: "NoneType")),
    ]
    let fresh = StepLR(sgd(), stepSize: 3, gamma: 0.5)
    let before = fresh.stateDict()
    for (bad, error) in cases {
        #expect(throws: error) { try fresh.loadStateDict(bad) }
        #expect(fresh.stateDict() == before)
    }
    // An int where PyTorch has a float loads, as Python would take `lr=1`.
    try fresh.loadStateDict(edited(saved, "base_lrs", .list([.int(1), .int(2)])))
    #expect(fresh.baseLRs == [1, 2])
}

@Test func sequentialLoadsAllChildrenOrNone() throws {
    func make() -> SequentialLR {
        let opt = sgd()
        return SequentialLR(opt, schedulers: [LinearLR(opt, startFactor: 0.5, totalIters: 2),
                                              ExponentialLR(opt, gamma: 0.9)], milestones: [2])
    }
    let s = make()
    for _ in 0..<3 { s.step() }
    let saved = s.stateDict()
    var children = try #require(saved["_schedulers"]?.listValue)
    children[1] = edited(try #require(SchedulerState(children[1])), "last_epoch", nil).value
    let fresh = make()
    let before = fresh.stateDict()
    #expect(throws: SchedulerStateError.missingKey("_schedulers[1].last_epoch")) {
        try fresh.loadStateDict(edited(saved, "_schedulers", .list(children)))
    }
    #expect(throws: SchedulerStateError.countMismatch(key: "_schedulers", expected: 2, found: 1)) {
        try fresh.loadStateDict(edited(saved, "_schedulers", .list([children[0]])))
    }
    #expect(throws: SchedulerStateError.wrongKind(key: "_schedulers[0]", expected: "dict", found: "int")) {
        try fresh.loadStateDict(edited(saved, "_schedulers", .list([.int(0), children[1]])))
    }
    #expect(fresh.stateDict() == before, "the first child's state must not be applied alone")
    try fresh.loadStateDict(saved)
    #expect(fresh.stateDict() == saved)
}

@Test func schedulerSpecificKeysAreChecked() throws {
    let lambda = LambdaLR(sgd()) { _ in 1 }
    #expect(throws: SchedulerStateError.missingKey("lr_lambdas")) {
        try lambda.loadStateDict(edited(lambda.stateDict(), "lr_lambdas", nil))
    }
    let oneCycle = OneCycleLR(sgd(), maxLR: 0.5, totalSteps: 10)
    #expect(throws: SchedulerStateError.invalidValue(key: "last_epoch", reason: "11 is outside -1...10 (total_steps)")) {
        try oneCycle.loadStateDict(edited(oneCycle.stateDict(), "last_epoch", .int(11)))
    }
    let plateau = ReduceLROnPlateau(sgd())
    #expect(throws: SchedulerStateError.missingKey("best")) {
        try plateau.loadStateDict(edited(plateau.stateDict(), "best", nil))
    }
    #expect(throws: SchedulerStateError.wrongKind(key: "num_bad_epochs", expected: "int", found: "float")) {
        try plateau.loadStateDict(edited(plateau.stateDict(), "num_bad_epochs", .double(1)))
    }
    #expect(plateau.stateDict()["best"] == .double(.infinity))
}

@Test func stateValuesCompareInOrderAndKeepPositions() {
    let a = StateValue.dict([("x", .int(1)), ("y", .double(2))])
    #expect(a != .dict([("y", .double(2)), ("x", .int(1))]))
    #expect(StateValue.int(1) != .double(1))
    #expect(StateValue.double(.nan) == .double(.nan))
    var s = SchedulerState([("a", .int(1)), ("b", .int(2))])
    s["a"] = .int(3)
    s["c"] = StateValue.none
    #expect(s.keys == ["a", "b", "c"] && s["a"] == .int(3))
    s["b"] = nil
    #expect(s.keys == ["a", "c"])
}

// MARK: Resuming from PyTorch's state

/// PyTorch's state rebuilt from the fixture's JSON view, typed and ordered by its schema.
private func torchState(_ name: String) -> SchedulerState {
    let lines = (stateFixture[name]!["schema"] as! [String]).map { $0.split(separator: " ").map(String.init) }
    let kinds = Dictionary(uniqueKeysWithValues: lines.map { ($0[0], $0[1]) })
    var children: [String: [String]] = [:]
    for line in lines {
        let path = line[0]
        let parent = path.hasSuffix("]") ? String(path[..<path.lastIndex(of: "[")!])
            : path.lastIndex(of: ".").map { String(path[..<$0]) } ?? ""
        children[parent, default: []].append(path)
    }
    func leaf(_ child: String, in parent: String) -> String {
        String(child.dropFirst(parent.isEmpty ? 0 : parent.count + 1))
    }
    func value(_ json: Any, _ path: String) -> StateValue {
        switch path.isEmpty ? "dict" : kinds[path]! {
        case "NoneType": return StateValue.none
        case "bool": return .bool((json as! NSNumber).boolValue)
        case "int": return .int((json as! NSNumber).intValue)
        case "float": return .double(FixtureLoader.number(json))
        case "str": return .string(json as! String)
        case "list": return .list((json as! [Any]).enumerated().map { value($1, "\(path)[\($0)]") })
        case "Counter":
            let dict = json as! [String: Any]
            return .counter(children[path, default: []].map {
                let k = leaf($0, in: path)
                return (Int(k)!, (dict[k] as! NSNumber).intValue)
            })
        default:
            let dict = json as! [String: Any]
            return .dict(children[path, default: []].map { let k = leaf($0, in: path); return (k, value(dict[k]!, $0)) })
        }
    }
    return SchedulerState(value(stateFixture[name]!["state"]!, ""))!
}

@Test("PyTorch's state loads and steps on as Ember's own run", arguments: stateFixture.keys.sorted())
func torchStateResumes(_ name: String) throws {
    let fixture = stateFixture[name]!
    let steps = fixture["steps"] as! Int
    let original = build(name)
    for i in 0..<steps { original.step(i) }

    // PyTorch's optimizer state, as far as the schedules read it: the rates and the momentum.
    let resumed = build(name)
    let lrs = (fixture["lrs"] as! [[Any]])[steps].map(FixtureLoader.number)
    for g in resumed.optimizer.paramGroups.indices { resumed.optimizer.paramGroups[g].lr = lrs[g] }
    let key = resumed.optimizer.paramGroups[0].options["beta1"] != nil ? "beta1" : "momentum"
    resumed.optimizer.paramGroups[0].options[key] = FixtureLoader.number((fixture["momenta"] as! [Any])[steps])
    try resumed.load(torchState(name))

    var got: [String] = []
    schema(resumed.stateDict().value, into: &got)
    #expect(got == fixture["schema"] as! [String])
    #expect(sameValue(resumed.stateDict().value, fixture["state"]!, at: ""))
    // The plateau case has no metrics left; the others run on past the fixture.
    let more = name == "plateau" ? 0 : name.hasPrefix("onecycle") ? 3 : 6
    for i in steps..<(steps + more) {
        original.step(i)
        resumed.step(i)
        let (a, b) = (original.optimizer.paramGroups.map(\.lr), resumed.optimizer.paramGroups.map(\.lr))
        #expect(zip(b, a).allSatisfy(close), "\(name) step \(i): \(b) against \(a)")
        #expect(close(momentum(resumed.optimizer), momentum(original.optimizer)))
    }
}
