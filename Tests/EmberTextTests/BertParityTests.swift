// BERT against transformers: a tiny random BERT committed with its outputs
// (Tests/Fixtures/Scripts/gen_bert.py) and, when cached, all-MiniLM-L6-v2
// against sentence-transformers. Tolerances: hidden states and logits within
// 1e-4 absolute (the bar); gradients within 1e-4 + 1e-3·|g|;
// sentence embeddings at cosine ≥ 0.99999.

import EmberCore
import EmberNN
import EmberTestSupport
import EmberText
import EmberTokenizers
import Foundation
import Testing

private let tinyURL = FixtureLoader.directory.appendingPathComponent("bert/tiny-bert")

private func spec(_ json: [String: Any], _ key: String) -> TensorSpec { FixtureLoader.spec(json[key] as! [String: Any]) }

@Suite struct BertParityTests {
    let reference = FixtureLoader.json("bert/tiny_bert.json")

    func batch() -> TextBatch {
        TextBatch(inputIds: spec(reference, "input_ids").make(), tokenTypeIds: spec(reference, "token_type_ids").make(),
                  attentionMask: spec(reference, "attention_mask").make())
    }

    @Test func keysAndShapesMatchTransformers() throws {
        let model = try BertModel(directory: ModelDirectory(tinyURL))
        let keys = model.stateDict().keys
        #expect(keys.count == 39)
        #expect(keys.first == "embeddings.word_embeddings.weight")
        #expect(keys.contains("encoder.layer.1.attention.self.query.weight"))
        #expect(keys.contains("encoder.layer.0.attention.output.LayerNorm.bias"))
        #expect(keys.last == "pooler.dense.bias")
        #expect(model.parameters().reduce(0) { $0 + $1.count } == 36_192)
    }

    @Test func hiddenStateAndPoolerMatch() throws {
        let model = try BertModel(directory: ModelDirectory(tinyURL)).eval()
        let out = GradMode.noGrad { model(batch()) }
        expectClose(out.lastHiddenState, spec(reference, "last_hidden_state"), rtol: 0, atol: 1e-4, "last_hidden_state")
        expectClose(out.poolerOutput!, spec(reference, "pooler_output"), rtol: 0, atol: 1e-4, "pooler_output")
    }

    @Test func tokenizerBatchGivesTheSameInputs() throws {
        var tokenizer = try ModelDirectory(tinyURL).loadTokenizer()
        tokenizer.truncation = Truncation(maxLength: 64)
        let sentences = reference["sentences"] as! [String]
        let textBatch = TextBatch(try tokenizer.encodeBatch(sentences))
        #expect(textBatch.inputIds.scalars(as: Int64.self) == spec(reference, "input_ids").make().scalars(as: Int64.self))
        #expect(textBatch.attentionMask.scalars(as: Int64.self) == spec(reference, "attention_mask").make().scalars(as: Int64.self))
    }

    func classifier(pooling: String) throws -> BertForSequenceClassification {
        let model = try BertForSequenceClassification(directory: ModelDirectory(tinyURL), labels: ["a", "b", "c"],
                                                      pooling: pooling)
        try model.loadStateDict(StateDict([("classifier.weight", spec(reference, "classifier_weight").make()),
                                           ("classifier.bias", spec(reference, "classifier_bias").make())]), strict: false)
        return model
    }

    @Test func classifierLogitsMatchWithBothPoolings() throws {
        for pooling in ["mean", "cls"] {
            let model = try classifier(pooling: pooling).eval()
            let logits = GradMode.noGrad { model(batch()) }
            expectClose(logits, spec(reference, "logits_\(pooling)"), rtol: 0, atol: 1e-4, "logits_\(pooling)")
        }
    }

    @Test func lossGradientsMatch() throws {
        // Dropout is 0 in the tiny config, so training mode is deterministic.
        let model = try classifier(pooling: "mean").train()
        let labels = Tensor((reference["labels"] as! [Int]).map(Int64.init), shape: [6])
        let loss = Functional.crossEntropy(model(batch()), labels)
        #expect(abs(loss.item() - (reference["loss"] as! Double)) < 1e-5)
        loss.backward()
        let grads = reference["grads"] as! [String: Any]
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters())
        for (name, value) in grads {
            let key = name == "classifier.weight" ? name : "bert." + name
            let grad = try #require(parameters[key]?.grad, "no gradient for \(key)")
            expectClose(grad, FixtureLoader.spec(value as! [String: Any]), rtol: 1e-3, atol: 1e-4, key)
        }
        #expect(grads.count == 6)
    }
}

private let miniLMCached = FileManager.default.fileExists(
    atPath: ModelDirectory.miniLML6.appendingPathComponent("model.safetensors").path)

@Suite(.enabled(if: miniLMCached, "needs all-MiniLM-L6-v2 in ~/.cache/ember (make setup)"))
struct MiniLMParityTests {
    let reference = FixtureLoader.json("bert/minilm.json")

    @Test func sentenceEmbeddingsMatchSentenceTransformers() throws {
        let encoder = try SentenceEncoder(directory: ModelDirectory.miniLML6)
        #expect(encoder.normalize && encoder.maxSequenceLength == 256)
        let sentences = reference["sentences"] as! [String]
        let ours = try encoder.encode(sentences, batchSize: 4)
        let theirs = spec(reference, "embeddings").make()
        #expect(ours.shape == theirs.shape)
        let cosine = Functional.normalize(ours, dim: 1).mul(Functional.normalize(theirs, dim: 1)).sum(dim: 1)
        let worst = cosine.min().item()
        #expect(worst >= 0.99999, "worst cosine \(worst)")
        expectClose(ours, spec(reference, "embeddings"), rtol: 0, atol: 1e-4, "embeddings")
    }

    @Test func lastHiddenStateMatchesTransformers() throws {
        let model = try BertModel(directory: ModelDirectory(ModelDirectory.miniLML6)).eval()
        let out = GradMode.noGrad {
            model(inputIds: spec(reference, "input_ids").make(), attentionMask: spec(reference, "attention_mask").make())
        }
        expectClose(out.lastHiddenState, spec(reference, "last_hidden_state"), rtol: 0, atol: 1e-4, "last_hidden_state")
    }
}
