// BERT's hyper-parameters, read from a Hugging Face config.json with
// transformers' defaults (BertConfig) for absent keys. Sizes are bounded so a
// hostile config can't ask for a terabyte of weights.

import Foundation

/// The shape of a BERT encoder: MiniLM, BERT-base and their relatives.
///
/// ```swift
/// let config = try BertConfig(HFConfig(contentsOf: dir.appendingPathComponent("config.json")))
/// let minilm = BertConfig.miniLML6   // all-MiniLM-L6-v2's shape
/// ```
public struct BertConfig: Sendable, Equatable {
    /// The feed-forward activation: `hidden_act`.
    public enum Activation: String, Sendable { case gelu, geluNew = "gelu_new", relu, geluPytorchTanh = "gelu_pytorch_tanh" }

    public var vocabSize = 30522
    public var hiddenSize = 768
    public var numHiddenLayers = 12
    public var numAttentionHeads = 12
    public var intermediateSize = 3072
    public var hiddenAct = Activation.gelu
    public var hiddenDropoutProb = 0.1
    public var attentionProbsDropoutProb = 0.1
    public var maxPositionEmbeddings = 512
    public var typeVocabSize = 2
    public var layerNormEps = 1e-12
    public var padTokenId = 0
    /// Class names for a classification head (`id2label`), in id order.
    public var labels: [String]? = nil
    /// How a classification head pools the tokens: "cls" (BERT's pooler, the
    /// default) or "mean" (sentence-transformers' mean pooling).
    public var classifierPooling = "cls"

    public init() {}

    /// all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, intermediate 1536.
    public static var miniLML6: BertConfig {
        var config = BertConfig()
        (config.hiddenSize, config.numHiddenLayers, config.intermediateSize) = (384, 6, 1536)
        return config
    }

    public var headDim: Int { hiddenSize / numAttentionHeads }

    /// Reads the keys transformers' BertConfig reads; rejects other position
    /// embedding types and sizes beyond what any released BERT uses.
    public init(_ json: HFConfig) throws(TextModelError) {
        let type = json.modelType
        guard ["bert", "", "roberta", "xlm-roberta"].contains(type) || type.hasSuffix("bert") else {
            throw .unsupportedModel(path: json.path, modelType: type)
        }
        vocabSize = try json.int("vocab_size", default: 30522, range: 1...1_000_000)
        hiddenSize = try json.int("hidden_size", default: 768, range: 1...16384)
        numHiddenLayers = try json.int("num_hidden_layers", default: 12, range: 1...256)
        numAttentionHeads = try json.int("num_attention_heads", default: 12, range: 1...256)
        intermediateSize = try json.int("intermediate_size", default: 3072, range: 1...65536)
        let act = try json.string("hidden_act", default: "gelu")
        guard let activation = Activation(rawValue: act) else {
            throw .invalidConfig(path: json.path, key: "hidden_act", reason: "\"\(act)\" is not one of gelu, gelu_new, gelu_pytorch_tanh, relu")
        }
        hiddenAct = activation
        hiddenDropoutProb = try json.double("hidden_dropout_prob", default: 0.1, range: 0...1)
        attentionProbsDropoutProb = try json.double("attention_probs_dropout_prob", default: 0.1, range: 0...1)
        maxPositionEmbeddings = try json.int("max_position_embeddings", default: 512, range: 1...1_048_576)
        typeVocabSize = try json.int("type_vocab_size", default: 2, range: 1...1024)
        layerNormEps = try json.double("layer_norm_eps", default: 1e-12, range: 0...1)
        padTokenId = try json.int("pad_token_id", default: 0, range: 0...(vocabSize - 1))
        let positions = try json.string("position_embedding_type", default: "absolute")
        guard positions == "absolute" else {
            throw .invalidConfig(path: json.path, key: "position_embedding_type", reason: "only \"absolute\" is supported, found \"\(positions)\"")
        }
        guard hiddenSize % numAttentionHeads == 0 else {
            throw .invalidConfig(path: json.path, key: "num_attention_heads",
                                 reason: "hidden_size \(hiddenSize) is not a multiple of \(numAttentionHeads) heads")
        }
        labels = try json.labels()
        classifierPooling = try json.string("classifier_pooling", default: "cls")
        guard ["cls", "mean"].contains(classifierPooling) else {
            throw .invalidConfig(path: json.path, key: "classifier_pooling", reason: "expected \"cls\" or \"mean\", found \"\(classifierPooling)\"")
        }
    }

    /// The config.json transformers writes for this shape (`architectures`
    /// names the class the weights belong to).
    public func json(architecture: String = "BertModel") -> [String: Any] {
        var values: [String: Any] = [
            "architectures": [architecture], "model_type": "bert",
            "vocab_size": vocabSize, "hidden_size": hiddenSize, "num_hidden_layers": numHiddenLayers,
            "num_attention_heads": numAttentionHeads, "intermediate_size": intermediateSize,
            "hidden_act": hiddenAct.rawValue, "hidden_dropout_prob": hiddenDropoutProb,
            "attention_probs_dropout_prob": attentionProbsDropoutProb,
            "max_position_embeddings": maxPositionEmbeddings, "type_vocab_size": typeVocabSize,
            "layer_norm_eps": layerNormEps, "pad_token_id": padTokenId, "position_embedding_type": "absolute",
            "initializer_range": 0.02,
        ]
        if let labels {
            values["id2label"] = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ("\($0.offset)", $0.element) })
            values["label2id"] = Dictionary(labels.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            values["num_labels"] = labels.count
            values["classifier_pooling"] = classifierPooling
        }
        return values
    }
}
