// The decoding loop: the prompt through the model once, filling a KV cache
// sized for the whole generation, then one token per step. Each step's
// logits go through `GenerationConfig.process` and are picked greedily or
// sampled from Ember's seeded generator, and the token is handed to the
// caller before the next step runs, so a CLI can print it right away.

import EmberCore

/// Autoregressive generation for any `CausalLanguageModel`.
///
/// ```swift
/// let model = try GPT2LMHeadModel.load(ModelDirectory(URL(fileURLWithPath: "gpt2")))
/// let ids = try TextGeneration.generate(model, prompt: [464, 3290], config: GenerationConfig(maxNewTokens: 20)) { id in
///     print(id)   // each new token as soon as it is chosen
/// }
/// ```
public enum TextGeneration {
    /// The prompt followed by up to `config.maxNewTokens` new ids, stopping
    /// after EOS (`config.eosTokenId`, else the model's), which is kept.
    /// `onToken` sees each new id as it is chosen.
    public static func generate(_ model: any CausalLanguageModel, prompt: [Int], config: GenerationConfig,
                                onToken: (Int) -> Void = { _ in }) throws(GenerationError) -> [Int] {
        try config.validate()
        guard !prompt.isEmpty else { throw .invalidPrompt(reason: "it has no tokens") }
        if let bad = prompt.first(where: { $0 < 0 || $0 >= model.vocabSize }) {
            throw .invalidPrompt(reason: "token id \(bad) is outside the vocabulary 0..<\(model.vocabSize)")
        }
        // Compared by subtraction: a huge max_new_tokens must not overflow the sum.
        guard prompt.count <= model.maxPositions, config.maxNewTokens <= model.maxPositions - prompt.count else {
            throw .tooLong(promptLength: prompt.count, maxNewTokens: config.maxNewTokens, maxPositions: model.maxPositions)
        }
        if config.maxNewTokens == 0 { return prompt }
        let eos = config.stopAtEOS ? (config.eosTokenId ?? model.eosTokenId) : nil
        let generator = Generator(seed: config.seed)
        // The last new token is never fed back, so it needs no cache slot.
        let cache = model.makeCache(batchSize: 1, capacity: prompt.count + config.maxNewTokens - 1)
        var ids = prompt
        GradMode.noGrad {
            var input = Tensor(prompt.map(Int64.init), shape: [1, prompt.count])
            for _ in 0..<config.maxNewTokens {
                var scores = model.nextTokenLogits(input, cache: cache)
                    .to(.float32).contiguous().scalars(as: Float.self)
                config.process(&scores, previous: ids)
                let next = config.isSampling ? sample(scores, generator: generator) : LogitsProcessing.argmax(scores)
                ids.append(next)
                onToken(next)
                if next == eos { break }
                input = Tensor([Int64(next)], shape: [1, 1])
            }
        }
        return ids
    }

    /// Draws an index with probability softmax(scores), by inverting the
    /// cumulative distribution at one uniform draw from `generator`.
    static func sample(_ scores: [Float], generator: Generator) -> Int {
        let probabilities = LogitsProcessing.softmax(scores)
        let total = probabilities.reduce(0.0) { $0 + Double($1) }
        let u = Tensor.rand([1], dtype: .float64, generator: generator).item() * total
        var cumulative = 0.0
        var last = 0
        for (i, p) in probabilities.enumerated() where p > 0 {
            cumulative += Double(p)
            last = i
            if u < cumulative { return i }
        }
        return last
    }
}
