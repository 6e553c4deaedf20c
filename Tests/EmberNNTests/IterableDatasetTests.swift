// Iterable datasets: batched in stream order, with drop_last, custom collate,
// a fresh pass per epoch, and a stream never pulled again once it ended.

import EmberCore
import EmberData
import EmberTestSupport
import Testing

/// Counts down from `from`: example n is [n, 2n]. `pullsAfterEnd` counts
/// next() calls after the stream has ended.
final class Countdown: IterableDataset {
    let from: Int
    var pullsAfterEnd = 0

    init(from: Int) { self.from = from }

    func makeIterator() -> AnyIterator<[Tensor]> {
        var n = from
        return AnyIterator { [self] in
            guard n > 0 else {
                pullsAfterEnd += 1
                return nil
            }
            defer { n -= 1 }
            return [Tensor(scalar: Float(n)), Tensor(scalar: Int64(2 * n))]
        }
    }
}

@Suite struct IterableDatasetTests {
    @Test func batchesInStreamOrder() {
        let batches = Array(DataLoader(Countdown(from: 10), batchSize: 4))
        #expect(batches.count == 3)
        #expect(batches.map { $0[0].shape } == [[4], [4], [2]])
        expectValues(batches[0][0], [10, 9, 8, 7])
        expectValues(batches[1][1], [12, 10, 8, 6])
        expectValues(batches[2][0], [2, 1])
        #expect(batches[2][1].dtype == .int64)
    }

    @Test func dropLastDropsOnlyAShortBatch() {
        let short = Array(DataLoader(Countdown(from: 10), batchSize: 4, dropLast: true))
        #expect(short.count == 2)
        expectValues(short[1][0], [6, 5, 4, 3])
        let exact = Array(DataLoader(Countdown(from: 8), batchSize: 4, dropLast: true))
        #expect(exact.count == 2)
        expectValues(exact[1][0], [4, 3, 2, 1])
        #expect(Array(DataLoader(Countdown(from: 3), batchSize: 4, dropLast: true)).isEmpty)
        #expect(Array(DataLoader(Countdown(from: 0), batchSize: 4)).isEmpty)
    }

    @Test func customCollate() {
        let loader = DataLoader(Countdown(from: 7), batchSize: 3) { examples in
            [Tensor.stack(examples.map { $0[1] }).sum()]
        }
        #expect(loader.map { $0[0].item() } == [36, 18, 2])
    }

    @Test func eachPassStartsOverAndEndsOnce() {
        let data = Countdown(from: 8)
        let loader = DataLoader(data, batchSize: 4)
        let first = loader.map { $0[0].scalars(as: Float.self) }
        let second = loader.map { $0[0].scalars(as: Float.self) }
        #expect(first == second && first == [[8, 7, 6, 5], [4, 3, 2, 1]])
        let pulls = data.pullsAfterEnd
        let iterator = loader.makeIterator()
        while iterator.next() != nil {}
        #expect(iterator.next() == nil && iterator.next() == nil)
        #expect(data.pullsAfterEnd == pulls + 1)
    }
}
