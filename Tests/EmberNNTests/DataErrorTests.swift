// A dataset that cannot read an example (a corrupt file) hands its error to
// the training loop through forEachBatch and makeThrowingIterator, with or
// without workers, after every batch before it; nothing traps.

import EmberCore
import EmberData
import Testing

private struct Unreadable: Error, Equatable { let index: Int }

/// Example i is [i]; example `bad` throws, as an unreadable image would.
private struct Flaky: Dataset, Sendable {
    let count: Int, bad: Int
    func example(at index: Int) throws -> [Tensor] {
        if index == bad { throw Unreadable(index: index) }
        return [Tensor([Float(index)])]
    }
}

@Test("an unreadable example ends the pass with its error, after the batches before it", arguments: [0, 1, 2])
func datasetErrorsReachTheLoop(_ workers: Int) throws {
    let dataset = Flaky(count: 20, bad: 13)
    let loader = workers == 0 ? DataLoader(dataset, batchSize: 4)
        : DataLoader(dataset, batchSize: 4, numWorkers: workers, generator: Generator(seed: 1))
    var seen: [[Float]] = []
    #expect(throws: Unreadable(index: 13)) {
        try loader.forEachBatch { seen.append($0[0].scalars(as: Float.self)) }
    }
    #expect(seen == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])

    var batches = loader.makeThrowingIterator()
    var count = 0
    #expect(throws: Unreadable(index: 13)) { while try batches.next() != nil { count += 1 } }
    #expect(count == 3)
    #expect(try batches.next() == nil, "a failed pass stays finished")
}

@Test func errorsFromTheLoopBodyStopThePass() throws {
    struct Stop: Error {}
    let loader = DataLoader(Flaky(count: 20, bad: -1), batchSize: 5, numWorkers: 2, generator: Generator(seed: 2))
    var batches = 0
    #expect(throws: Stop.self) {
        try loader.forEachBatch { _ in
            batches += 1
            if batches == 2 { throw Stop() }
        }
    }
    #expect(batches == 2)
    // The loader is reusable: a full pass afterwards sees every example.
    var total = 0
    try loader.forEachBatch { total += $0[0].shape[0] }
    #expect(total == 20)
}
