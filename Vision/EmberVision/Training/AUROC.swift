// The area under the ROC curve, as scikit-learn's `roc_auc_score` computes
// it for one class: the probability that a random positive scores above a
// random negative, ties counting half (the Mann-Whitney U statistic).
// CheXNet reports it per finding.

/// The AUROC of `scores` against binary `labels` (1 positive, 0 negative);
/// nil when only one class is present, where it is undefined.
///
/// ```swift
/// auroc(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])   // 0.75
/// ```
public func auroc(scores: [Float], labels: [Float]) -> Double? {
    precondition(scores.count == labels.count, "auroc: \(scores.count) scores but \(labels.count) labels")
    let positives = labels.filter { $0 > 0.5 }.count, negatives = labels.count - positives
    guard positives > 0, negatives > 0 else { return nil }
    // Average ranks (1-based) over tied scores, then U = Σ ranks of positives − P(P+1)/2.
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
        let averageRank = Double(i + j + 2) / 2
        for k in i...j where labels[order[k]] > 0.5 { rankSum += averageRank }
        i = j + 1
    }
    let p = Double(positives)
    return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
}

/// Each column's AUROC for `[N, C]` scores and labels (nil where a class has
/// only one kind of example).
///
/// ```swift
/// let perClass = classAUROC(scores: probabilities, labels: targets)   // [C]
/// ```
public func classAUROC(scores: Tensor, labels: Tensor) -> [Double?] {
    precondition(scores.shape == labels.shape && scores.rank == 2,
                 "classAUROC: expected matching [N, C] scores and labels, got \(scores.shape) and \(labels.shape)")
    let s = scores.to(.float32).t().contiguous().scalars(as: Float.self)
    let l = labels.to(.float32).t().contiguous().scalars(as: Float.self)
    let n = scores.shape[0]
    return (0..<scores.shape[1]).map { c in
        auroc(scores: Array(s[c * n..<(c + 1) * n]), labels: Array(l[c * n..<(c + 1) * n]))
    }
}
