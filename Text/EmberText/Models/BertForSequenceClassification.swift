// transformers' BertForSequenceClassification (`bert.…`, `classifier.…`),
// with a choice of pooling: BERT's pooler over [CLS] (HF's default), or
// sentence-transformers' mean pooling, which the fine-tuning recipe uses.
// The choice is saved as config.json's `classifier_pooling`.

import EmberCheckpoint
import EmberCore
import EmberNN
import Foundation

/// A BERT encoder with a linear classification head.
///
/// ```swift
/// var config = BertConfig.miniLML6
/// config.labels = ["negative", "positive"]
/// config.classifierPooling = "mean"
/// let model = BertForSequenceClassification(config)
/// let logits = model(batch)            // [B, 2]
/// ```
public final class BertForSequenceClassification: Module {
    public let config: BertConfig
    public let bert: BertModel
    let dropout: Dropout
    let classifier: Linear

    public var numLabels: Int { classifier.outFeatures }

    public init(_ config: BertConfig) {
        precondition((config.labels?.count ?? 0) > 0, "BertForSequenceClassification: config.labels must name at least one class")
        self.config = config
        bert = BertModel(config, addPoolingLayer: true)
        dropout = Dropout(p: config.hiddenDropoutProb)
        classifier = Linear(inFeatures: config.hiddenSize, outFeatures: config.labels!.count)
        super.init()
        registerModule("bert", bert)
        registerModule("dropout", dropout)
        registerModule("classifier", classifier)
        BertModel.initializeWeights(classifier, std: 0.02)
    }

    /// Logits `[B, numLabels]`.
    public func callAsFunction(_ batch: TextBatch) -> Tensor {
        let output = bert(batch)
        let pooled = config.classifierPooling == "mean"
            ? Functional.meanPooling(output.lastHiddenState, mask: batch.attentionMask)
            : output.poolerOutput!
        return classifier(dropout(pooled))
    }
}

extension BertForSequenceClassification {
    /// A classifier on top of a pretrained encoder directory (a bare BertModel
    /// such as MiniLM, or a classifier saved before); the head starts fresh
    /// unless the weights hold `classifier.*` of the right shape.
    public convenience init(directory: ModelDirectory, labels: [String]? = nil, pooling: String? = nil) throws {
        var config = try BertConfig(directory.config)
        if let labels { config.labels = labels }
        if let pooling { config.classifierPooling = pooling }
        guard let classes = config.labels, !classes.isEmpty else {
            throw TextModelError.invalidConfig(path: directory.config.path, key: "id2label",
                                               reason: "a classifier needs labels; none were given and the config has none")
        }
        self.init(config)
        let weights = try directory.loadStateDict()
        let source = try directory.weightsURL().path
        try bert.loadHFWeights(weights, source: source)
        if let w = weights["classifier.weight"], let b = weights["classifier.bias"] {
            guard w.shape == [classes.count, config.hiddenSize], b.shape == [classes.count] else {
                throw TextModelError.weights(path: source, reason: "classifier.weight \(w.shape) and classifier.bias \(b.shape) don't fit \(classes.count) labels × hidden \(config.hiddenSize)")
            }
            GradMode.noGrad {
                _ = classifier.weight.copy_(w)
                _ = classifier.bias!.copy_(b)
            }
        }
    }
}
