// Every op against PyTorch: one test case per fixture entry in
// Tests/Fixtures/core/ops.json (made by Tests/Fixtures/Scripts/gen_core_ops.py).
// Each case states its tolerance; exact ones compare bit for bit.

import EmberCore
import EmberTestSupport
import Testing

let allCases = FixtureLoader.cases("core/ops.json")
let coreCases = allCases.filter { $0.op != "repr" }
let printCases = allCases.filter { $0.op == "repr" }

@Test("op matches PyTorch", arguments: coreCases)
func opMatchesTorch(_ c: OpCase) {
    guard let impl = opRegistry[c.op] else {
        Issue.record("no Ember implementation registered for op \(c.op)")
        return
    }
    let outputs = impl(c.inputs.map { $0.make() }, c.args)
    #expect(outputs.count == c.outputs.count, "\(c.name): \(outputs.count) outputs, expected \(c.outputs.count)")
    for (i, (got, want)) in zip(outputs, c.outputs).enumerated() {
        expectClose(got, want, rtol: c.rtol, atol: c.atol, "\(c.name) output \(i)")
    }
}

@Test func fixturesAreLoaded() {
    #expect(coreCases.count > 800)
}

@Test("prints as PyTorch prints", arguments: printCases)
func printsLikeTorch(_ c: OpCase) {
    #expect(c.inputs[0].make().description == c.repr)
}
