// transformers' logits processors for one row of next-token scores, with
// their exact rules so the same tokens survive: the repetition penalty
// (RepetitionPenaltyLogitsProcessor), temperature, top-k (ties with the k-th
// score kept) and top-p (TopPLogitsWarper: sort ascending, drop while the
// cumulative probability stays ≤ 1 - top_p, always keep the best token).
// Rows are plain arrays: one row of at most a few hundred thousand scores
// per step, which a tensor op per rule would only make slower.

import Foundation

/// Next-token score filters, applied in transformers' order by `GenerationConfig`.
///
/// ```swift
/// var scores: [Float] = [2, 1, 0.5, -1]
/// LogitsProcessing.topK(&scores, k: 2)   // [2, 1, -inf, -inf]
/// ```
public enum LogitsProcessing {
    /// Divides the positive scores of tokens in `previous`, and multiplies the
    /// negative ones, by `penalty`: they become less likely either way.
    ///
    /// ```swift
    /// LogitsProcessing.repetitionPenalty(&scores, previous: [0, 3], penalty: 1.3)
    /// ```
    public static func repetitionPenalty(_ scores: inout [Float], previous: [Int], penalty: Double) {
        let p = Float(penalty)
        for id in Set(previous) where scores.indices.contains(id) {
            let s = scores[id]
            scores[id] = s < 0 ? s * p : s / p
        }
    }

    /// Divides every score by `temperature` (> 0).
    public static func temperature(_ scores: inout [Float], _ temperature: Double) {
        let t = Float(temperature)
        for i in scores.indices { scores[i] /= t }
    }

    /// Keeps the `k` highest scores (and any equal to the k-th), setting the rest to -∞.
    public static func topK(_ scores: inout [Float], k: Int) {
        guard k > 0, k < scores.count else { return }
        let threshold = kthLargest(scores, k)
        for i in scores.indices where scores[i] < threshold { scores[i] = -.infinity }
    }

    /// Keeps the smallest set of best tokens whose probabilities sum to more
    /// than `p`, as TopPLogitsWarper decides it (with min_tokens_to_keep = 1).
    public static func topP(_ scores: inout [Float], p: Double) {
        guard p < 1, !scores.isEmpty else { return }
        // Ascending, as transformers sorts; among equal scores the later index
        // counts as larger, so the token kept last is the first best one.
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }
        let probabilities = softmax(order.map { scores[$0] })
        // torch accumulates a float32 cumsum in double, then rounds each sum.
        let threshold = Float(1 - p)
        var cumulative = 0.0
        for (rank, index) in order.enumerated() where rank < order.count - 1 {
            cumulative += Double(probabilities[rank])
            if Float(cumulative) <= threshold { scores[index] = -.infinity } else { break }
        }
    }

    /// Probabilities of `scores`, computed in float32 as torch's softmax is.
    public static func softmax(_ scores: [Float]) -> [Float] {
        guard let top = scores.max(), top > -.infinity else { return scores.map { _ in 0 } }
        let exps = scores.map { Float(exp(Double($0 - top))) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    /// The index of the highest score (the first, among ties), as argmax picks it.
    public static func argmax(_ scores: [Float]) -> Int {
        var best = 0
        for i in scores.indices where scores[i] > scores[best] { best = i }
        return best
    }

    /// The k-th largest value, by selection rather than a full sort.
    static func kthLargest(_ scores: [Float], _ k: Int) -> Float {
        var values = scores
        var (low, high) = (0, values.count - 1)
        let target = k - 1
        while low < high {
            let pivot = values[(low + high) / 2]
            var (i, j) = (low, high)
            while i <= j {
                while values[i] > pivot { i += 1 }
                while values[j] < pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if target <= j { high = j } else if target >= i { low = i } else { break }
        }
        return values[target]
    }
}
