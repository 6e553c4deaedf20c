// DataLoader worker threads: the same batches in the same order for any
// worker count, per-worker seeds seen through WorkerInfo.current, a bounded
// prefetch window, and workers that stop when a loop breaks early.

import EmberCore
import EmberData
import Foundation
import Synchronization
import Testing

/// Counts loads and notices when the loader (and all its workers) let go.
final class LoadProbe: Sendable {
    let loaded = Atomic<Int>(0)
    let released = Atomic<Bool>(false)
}

/// Example i is [i, i²]; records each load in `probe`, and optionally sleeps
/// longer for early indices so that later batches finish first.
final class ProbedSquares: Dataset, Sendable {
    let count: Int
    let probe: LoadProbe
    let slowStart: Bool

    init(count: Int, probe: LoadProbe = LoadProbe(), slowStart: Bool = false) {
        self.count = count
        self.probe = probe
        self.slowStart = slowStart
    }

    func example(at i: Int) -> [Tensor] {
        probe.loaded.wrappingAdd(1, ordering: .relaxed)
        if slowStart { Thread.sleep(forTimeInterval: Double(Swift.max(0, 12 - i)) * 0.002) }
        return [Tensor(scalar: Float(i)), Tensor(scalar: Int64(i * i))]
    }

    deinit { probe.released.store(true, ordering: .sequentiallyConsistent) }
}

/// Example i is [i, worker id, worker seed bits, one draw from the worker's generator].
struct WorkerEcho: Dataset, Sendable {
    let count: Int
    func example(at i: Int) -> [Tensor] {
        guard let info = WorkerInfo.current else { return [Tensor(scalar: Int64(i)), Tensor(scalar: Int64(-1)), Tensor(scalar: Int64(0)), Tensor(scalar: Int64(0))] }
        let draw = Tensor.randint(high: 1_000_000, [], generator: info.generator)
        return [Tensor(scalar: Int64(i)), Tensor(scalar: Int64(info.id * 100 + info.numWorkers)), Tensor(scalar: Int64(bitPattern: info.seed)), draw]
    }
}

/// Polls `condition` for up to `seconds`.
func eventually(within seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.005)
    }
    return condition()
}

func contents(_ batches: [[Tensor]]) -> [[[Double]]] {
    batches.map { batch in batch.map { $0.scalars(as: Double.self) } }
}

@Suite struct DataWorkerTests {
    @Test func sameBatchesForAnyWorkerCount() {
        let images = Tensor.randn([23, 3], generator: Generator(seed: 1))
        let datasets: [(String, [Int: [[[Double]]]])] = [
            ("stacked", Dictionary(uniqueKeysWithValues: [0, 1, 3].map { n in
                (n, contents(Array(DataLoader(ProbedSquares(count: 23), batchSize: 4, shuffle: true, numWorkers: n,
                                              generator: Generator(seed: 9)))))
            })),
            ("tensor", Dictionary(uniqueKeysWithValues: [0, 1, 3].map { n in
                (n, contents(Array(DataLoader(TensorDataset(images, Tensor.arange(23)), batchSize: 5, shuffle: true,
                                              dropLast: true, numWorkers: n, generator: Generator(seed: 9)))))
            })),
        ]
        for (name, byWorkers) in datasets {
            #expect(byWorkers[1] == byWorkers[0], "\(name)")
            #expect(byWorkers[3] == byWorkers[0], "\(name)")
        }
        let stacked = datasets[0].1[3]!
        #expect(stacked.count == 6 && stacked[5][0].count == 3)
        #expect(stacked.flatMap { $0[0] }.sorted() == (0..<23).map(Double.init))
        #expect(stacked.flatMap { $0[0] } != (0..<23).map(Double.init))
        #expect(datasets[1].1[3]!.count == 4)
    }

    @Test func laterEpochsMatchToo() {
        // Each pass draws the shuffle and the worker base seed from the same
        // generator, whatever the worker count, so epoch 2 agrees as well.
        func twoEpochs(_ workers: Int) -> [[[Double]]] {
            let loader = DataLoader(ProbedSquares(count: 10), batchSize: 3, shuffle: true, numWorkers: workers,
                                    generator: Generator(seed: 4))
            return contents(Array(loader)) + contents(Array(loader))
        }
        let serial = twoEpochs(0)
        #expect(twoEpochs(2) == serial)
        #expect(serial[0..<4].map { $0[0] } != serial[4..<8].map { $0[0] })
    }

    @Test func batchesComeInIndexOrderWhenLaterOnesFinishFirst() {
        let data = ProbedSquares(count: 24, slowStart: true)
        let order = DataLoader(data, batchSize: 2, numWorkers: 3, prefetchFactor: 4).flatMap { $0[0].scalars(as: Float.self) }
        #expect(order == (0..<24).map(Float.init))
        #expect(data.probe.loaded.load(ordering: .relaxed) == 24)
    }

    @Test func workerInfoIsVisibleInsideExamples() {
        #expect(WorkerInfo.current == nil)
        let serial = Array(DataLoader(WorkerEcho(count: 6), batchSize: 2, numWorkers: 0))
        #expect(serial.allSatisfy { $0[1].scalars(as: Int64.self) == [-1, -1] })

        func run(seed: UInt64) -> [[Tensor]] {
            Array(DataLoader(WorkerEcho(count: 40), batchSize: 4, shuffle: true, numWorkers: 3, generator: Generator(seed: seed)))
        }
        let batches = run(seed: 7)
        var seeds: [Int: UInt64] = [:]
        for (i, batch) in batches.enumerated() {
            // Batch i is loaded, whole, by worker i % 3.
            #expect(batch[1].scalars(as: Int64.self) == Array(repeating: Int64((i % 3) * 100 + 3), count: 4))
            let batchSeeds = Set(batch[2].scalars(as: Int64.self).map { UInt64(bitPattern: $0) })
            #expect(batchSeeds.count == 1)
            if let known = seeds[i % 3] { #expect(batchSeeds.first == known) } else { seeds[i % 3] = batchSeeds.first }
        }
        // Seeds are base + worker id.
        #expect(seeds[1] == seeds[0]! &+ 1 && seeds[2] == seeds[0]! &+ 2)

        let draws = batches.flatMap { $0[3].scalars(as: Int64.self) }
        #expect(Set(draws).count > 30)
        #expect(run(seed: 7).flatMap { $0[3].scalars(as: Int64.self) } == draws)
        let other = run(seed: 8)
        #expect(other.flatMap { $0[3].scalars(as: Int64.self) } != draws)
        #expect(UInt64(bitPattern: other[0][2].scalars(as: Int64.self)[0]) != seeds[0])
    }

    @Test func newEpochNewBaseSeed() {
        let loader = DataLoader(WorkerEcho(count: 8), batchSize: 4, numWorkers: 2, generator: Generator(seed: 3))
        let first = Array(loader), second = Array(loader)
        #expect(first[0][2].scalars(as: Int64.self) != second[0][2].scalars(as: Int64.self))
        #expect(first[0][0].scalars(as: Int64.self) == second[0][0].scalars(as: Int64.self))
    }

    @Test(.timeLimit(.minutes(1))) func prefetchStaysInsideTheWindow() {
        // 2 workers × prefetch 2: at most 4 batches in flight past the ones handed out.
        let data = ProbedSquares(count: 400)
        let loader = DataLoader(data, batchSize: 4, numWorkers: 2, prefetchFactor: 2)
        let iterator = loader.makeIterator()
        #expect(iterator.next()?[0].scalars(as: Float.self) == [0, 1, 2, 3])
        // With the consumer holding batch 0, workers fill batches 1...4 and wait.
        #expect(eventually { data.probe.loaded.load(ordering: .relaxed) >= 5 * 4 })
        Thread.sleep(forTimeInterval: 0.2)
        #expect(data.probe.loaded.load(ordering: .relaxed) == 5 * 4)
        for _ in 0..<3 { _ = iterator.next() }
        #expect(eventually { data.probe.loaded.load(ordering: .relaxed) >= 8 * 4 })
        Thread.sleep(forTimeInterval: 0.2)
        #expect(data.probe.loaded.load(ordering: .relaxed) == 8 * 4)
        var rest = 0
        while iterator.next() != nil { rest += 1 }
        #expect(rest == 96 && data.probe.loaded.load(ordering: .relaxed) == 400)
    }

    @Test(.timeLimit(.minutes(1))) func breakingOutStopsTheWorkers() {
        let probe = LoadProbe()
        func firstBatch() -> [Float] {
            let loader = DataLoader(ProbedSquares(count: 10_000, probe: probe), batchSize: 2, shuffle: true, numWorkers: 3,
                                    generator: Generator(seed: 2))
            for batch in loader { return batch[0].scalars() }
            return []
        }
        #expect(firstBatch().count == 2)
        // The threads release the dataset once they have returned.
        #expect(eventually { probe.released.load(ordering: .sequentiallyConsistent) })
        #expect(probe.loaded.load(ordering: .relaxed) <= (1 + 3 * 2) * 2)
    }
}
