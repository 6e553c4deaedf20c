// How `TextGeneration` picks tokens: transformers' GenerationConfig fields
// that decoding and sampling use, checked once up front so a bad value from
// a command line is an error naming the option, not a NaN mid-generation.

/// Decoding settings: greedy when `temperature` is 0, else sampling from the
/// filtered distribution.
///
/// ```swift
/// let greedy = GenerationConfig(maxNewTokens: 20)
/// let sampled = GenerationConfig(maxNewTokens: 20, temperature: 0.8, topK: 50, topP: 0.95, seed: 7)
/// ```
public struct GenerationConfig: Sendable, Equatable {
    /// How many tokens to add at most (fewer when EOS comes first).
    public var maxNewTokens: Int
    /// 0 is greedy decoding; above 0, scores are divided by it before sampling.
    public var temperature: Double
    /// Sample among the k best tokens only; nil or 0 keeps all.
    public var topK: Int?
    /// Sample among the fewest best tokens whose probability exceeds p; nil or 1 keeps all.
    public var topP: Double?
    /// transformers' repetition penalty (> 0; 1 is none), applied to every token
    /// already in the sequence, prompt included, greedy or not.
    public var repetitionPenalty: Double
    /// Stop after generating this token; nil uses the model's, if any.
    public var eosTokenId: Int?
    /// Whether to stop at EOS at all.
    public var stopAtEOS: Bool
    /// The sampling seed: the same seed, model and prompt give the same tokens.
    public var seed: UInt64

    public init(maxNewTokens: Int, temperature: Double = 0, topK: Int? = nil, topP: Double? = nil,
                repetitionPenalty: Double = 1, eosTokenId: Int? = nil, stopAtEOS: Bool = true, seed: UInt64 = 0) {
        (self.maxNewTokens, self.temperature, self.topK, self.topP) = (maxNewTokens, temperature, topK, topP)
        (self.repetitionPenalty, self.eosTokenId, self.stopAtEOS, self.seed) = (repetitionPenalty, eosTokenId, stopAtEOS, seed)
    }

    /// Whether tokens are drawn at random rather than picked greedily.
    public var isSampling: Bool { temperature > 0 }

    /// Throws `GenerationError.invalidSetting` naming the first bad field.
    public func validate() throws(GenerationError) {
        guard maxNewTokens >= 0 else { throw .invalidSetting(name: "max_new_tokens", reason: "must be ≥ 0, got \(maxNewTokens)") }
        guard temperature.isFinite, temperature >= 0 else {
            throw .invalidSetting(name: "temperature", reason: "must be a finite number ≥ 0, got \(temperature)")
        }
        if let topK, topK < 0 { throw .invalidSetting(name: "top_k", reason: "must be ≥ 0, got \(topK)") }
        if let topP, !(topP > 0 && topP <= 1) { throw .invalidSetting(name: "top_p", reason: "must be in (0, 1], got \(topP)") }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw .invalidSetting(name: "repetition_penalty", reason: "must be a finite number > 0, got \(repetitionPenalty)")
        }
        if let eosTokenId, eosTokenId < 0 { throw .invalidSetting(name: "eos_token_id", reason: "must be ≥ 0, got \(eosTokenId)") }
    }

    /// Applies the penalty and, when sampling, temperature, top-k and top-p to
    /// `scores`, in transformers' order; `previous` is the sequence so far.
    public func process(_ scores: inout [Float], previous: [Int]) {
        if repetitionPenalty != 1 { LogitsProcessing.repetitionPenalty(&scores, previous: previous, penalty: repetitionPenalty) }
        guard isSampling else { return }
        if temperature != 1 { LogitsProcessing.temperature(&scores, temperature) }
        if let topK, topK > 0 { LogitsProcessing.topK(&scores, k: topK) }
        if let topP, topP < 1 { LogitsProcessing.topP(&scores, p: topP) }
    }
}

/// Why generation could not run.
public enum GenerationError: Error, Equatable, CustomStringConvertible {
    /// A setting is out of range.
    case invalidSetting(name: String, reason: String)
    /// The prompt is empty, or holds an id outside the vocabulary.
    case invalidPrompt(reason: String)
    /// Prompt plus new tokens exceed the model's positions.
    case tooLong(promptLength: Int, maxNewTokens: Int, maxPositions: Int)

    public var description: String {
        switch self {
        case let .invalidSetting(name, reason): "generation: \(name) \(reason)"
        case let .invalidPrompt(reason): "generation: invalid prompt: \(reason)"
        case let .tooLong(prompt, new, max):
            "generation: a prompt of \(prompt) tokens plus \(new) new tokens exceeds the model's \(max) positions"
        }
    }
}
