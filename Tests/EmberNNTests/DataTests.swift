// Datasets, samplers and the loader: batch shapes, seeded shuffling that
// repeats exactly, drop_last, custom collation and random splits.

import EmberCore
import EmberData
import EmberTestSupport
import Testing

@Suite struct DataTests {
    let data = TensorDataset(Tensor.arange(0, 10, dtype: .float32).unsqueeze(1), Tensor.arange(10))

    @Test func batchesInOrder() {
        let loader = DataLoader(data, batchSize: 4)
        let batches = Array(loader)
        #expect(loader.count == 3 && batches.count == 3)
        #expect(batches[0][0].shape == [4, 1] && batches[2][1].shape == [2])
        expectValues(batches[1][1], [4, 5, 6, 7])
    }

    @Test func dropLastAndCustomCollate() {
        let loader = DataLoader(data, batchSize: 4, dropLast: true) { examples in
            [Tensor.stack(examples.map { $0[1] }).sum()]
        }
        let sums = loader.map { $0[0].item() }
        #expect(sums == [6, 22])
    }

    @Test func seededShuffleRepeatsAndCoversEverything() {
        let a = DataLoader(data, batchSize: 3, shuffle: true, generator: Generator(seed: 5)).flatMap { $0[1].scalars(as: Int64.self) }
        let b = DataLoader(data, batchSize: 3, shuffle: true, generator: Generator(seed: 5)).flatMap { $0[1].scalars(as: Int64.self) }
        #expect(a == b)
        #expect(a.sorted() == (0..<10).map(Int64.init))
        #expect(a != (0..<10).map(Int64.init))
    }

    @Test func weightedSamplerFollowsWeights() {
        let sampler = Sampler.weightedRandom(weights: [0, 1, 3], count: 4000, replacement: true, generator: Generator(seed: 1))
        let loader = DataLoader(TensorDataset(Tensor.arange(3)), batchSize: 1000, sampler: sampler)
        let drawn = loader.flatMap { $0[0].scalars(as: Int64.self) }
        #expect(drawn.count == 4000 && !drawn.contains(0))
        let threes = Double(drawn.filter { $0 == 2 }.count) / 4000
        #expect(Swift.abs(threes - 0.75) < 0.03)
    }

    @Test func randomSplitIsDisjointAndSeeded() throws {
        let parts = randomSplit(data, lengths: [8, 2], generator: Generator(seed: 3))
        #expect(parts.map(\.count) == [8, 2])
        #expect(Set(parts[0].indices).isDisjoint(with: parts[1].indices))
        let again = randomSplit(data, lengths: [8, 2], generator: Generator(seed: 3))
        #expect(again[1].indices == parts[1].indices)
        expectValues(try parts[1].example(at: 0)[1], [Double(parts[1].indices[0])])
    }
}
