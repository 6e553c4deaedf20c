// Generation settings against transformers' logits processors on a fixture
// (the same tokens survive top-k and top-p, the same penalized scores), and
// sampling: reproducible per seed, and as narrow as its filters.

import EmberCore
import EmberTestSupport
import EmberText
import Foundation
import Testing

@Suite struct GPT2GenerationTests {
    static func rows(_ t: Tensor) -> [[Float]] {
        (0..<t.size(0)).map { t.select(dim: 0, index: $0).contiguous().scalars(as: Float.self) }
    }

    @Test("top-k and top-p keep exactly the tokens transformers' warpers keep")
    func filtersMatchTransformers() throws {
        let scores = Self.rows(try GPT2Fixture.tensor("scores"))
        for case let filter as [String: Any] in GPT2Fixture.reference["filters"] as! [Any] {
            let config = GenerationConfig(maxNewTokens: 1, temperature: filter["temperature"] as! Double,
                                          topK: filter["top_k"] as? Int, topP: filter["top_p"] as? Double)
            for (row, kept) in zip(scores, filter["kept"] as! [[Int]]) {
                var s = row
                config.process(&s, previous: [])
                let survivors = s.indices.filter { s[$0].isFinite }
                #expect(survivors == kept, "T \(config.temperature) k \(config.topK!) p \(config.topP!)")
            }
        }
    }

    @Test func repetitionPenaltyMatchesTransformers() throws {
        let scores = Self.rows(try GPT2Fixture.tensor("scores"))
        let history = try GPT2Fixture.tensor("history")
        let expected = Self.rows(try GPT2Fixture.tensor("penalized"))
        let penalty = GPT2Fixture.reference["repetition_penalty"] as! Double
        for (i, row) in scores.enumerated() {
            var s = row
            let previous = history.select(dim: 0, index: i).scalars(as: Int64.self).map(Int.init)
            LogitsProcessing.repetitionPenalty(&s, previous: previous, penalty: penalty)
            #expect(s == expected[i], "row \(i)")
            #expect(s != row, "row \(i): the fixture's history holds tokens to penalize")
        }
    }

    @Test func topKKeepsTiesWithTheKthScore() {
        var scores: [Float] = [3, 1, 2, 2, 0]
        LogitsProcessing.topK(&scores, k: 2)
        #expect(scores == [3, -.infinity, 2, 2, -.infinity])
    }

    @Test("seeded sampling repeats per seed and varies across seeds")
    func seededSamplingIsReproducible() throws {
        let model = try GPT2Fixture.model()
        func sample(_ seed: UInt64) throws -> [Int] {
            try TextGeneration.generate(model, prompt: [7, 11, 13],
                                        config: GenerationConfig(maxNewTokens: 12, temperature: 1.5, seed: seed))
        }
        let first = try sample(42)
        #expect(try sample(42) == first)
        let others = try [1, 2, 3].map { try sample($0) }
        #expect(Set(others + [first]).count > 1, "four seeds gave one sequence: \(first)")
    }

    @Test("sampling with top-k 1 or a tiny top-p is greedy decoding")
    func narrowSamplingIsGreedy() throws {
        let model = try GPT2Fixture.model()
        let prompt = [7, 11, 13]
        let greedy = try TextGeneration.generate(model, prompt: prompt, config: GenerationConfig(maxNewTokens: 10, stopAtEOS: false))
        for config in [GenerationConfig(maxNewTokens: 10, temperature: 1, topK: 1, stopAtEOS: false, seed: 5),
                       GenerationConfig(maxNewTokens: 10, temperature: 0.7, topP: 1e-6, stopAtEOS: false, seed: 6)] {
            #expect(try TextGeneration.generate(model, prompt: prompt, config: config) == greedy)
        }
    }

    @Test func badSettingsAndPromptsAreTypedErrors() throws {
        let model = try GPT2Fixture.model()
        let cases: [(GenerationConfig, [Int], GenerationError)] = [
            (GenerationConfig(maxNewTokens: 5, temperature: -1), [1], .invalidSetting(name: "temperature", reason: "must be a finite number ≥ 0, got -1.0")),
            (GenerationConfig(maxNewTokens: 5, topP: 0), [1], .invalidSetting(name: "top_p", reason: "must be in (0, 1], got 0.0")),
            (GenerationConfig(maxNewTokens: 5, topK: -2), [1], .invalidSetting(name: "top_k", reason: "must be ≥ 0, got -2")),
            (GenerationConfig(maxNewTokens: 5, repetitionPenalty: 0), [1], .invalidSetting(name: "repetition_penalty", reason: "must be a finite number > 0, got 0.0")),
            (GenerationConfig(maxNewTokens: -1), [1], .invalidSetting(name: "max_new_tokens", reason: "must be ≥ 0, got -1")),
            (GenerationConfig(maxNewTokens: 5), [], .invalidPrompt(reason: "it has no tokens")),
            (GenerationConfig(maxNewTokens: 5), [1, 496], .invalidPrompt(reason: "token id 496 is outside the vocabulary 0..<496")),
            (GenerationConfig(maxNewTokens: 60), [1, 2, 3, 4, 5], .tooLong(promptLength: 5, maxNewTokens: 60, maxPositions: 64)),
            (GenerationConfig(maxNewTokens: .max), [1], .tooLong(promptLength: 1, maxNewTokens: .max, maxPositions: 64)),
        ]
        for (config, prompt, error) in cases {
            #expect(throws: error) { try TextGeneration.generate(model, prompt: prompt, config: config) }
        }
        // Up to the last position is fine.
        let ids = try TextGeneration.generate(model, prompt: [1, 2, 3, 4], config: GenerationConfig(maxNewTokens: 60, stopAtEOS: false))
        #expect(ids.count == 64)
    }
}
