// Loading BERT directories in their other layouts (pytorch_model.bin, a
// `bert.` prefix) and the errors a broken directory gives: each names the
// file and the key or shape.

import EmberCheckpoint
import EmberCore
import EmberNN
import EmberTestSupport
import EmberText
import Foundation
import Testing

private let tinyURL = FixtureLoader.directory.appendingPathComponent("bert/tiny-bert")

@Suite struct BertLoadingTests {
    /// A copy of the tiny BERT directory with `edit` applied to its config and weights.
    func variant(config edit: (inout [String: Any]) -> Void = { _ in },
                 weights: (StateDict) -> StateDict = { $0 }, weightsName: String = "model.safetensors") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: tinyURL.appendingPathComponent("config.json"))) as! [String: Any]
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: dir.appendingPathComponent("config.json"))
        try weights(StateDict(contentsOf: tinyURL.appendingPathComponent("model.safetensors")))
            .save(to: dir.appendingPathComponent(weightsName))
        try FileManager.default.copyItem(at: tinyURL.appendingPathComponent("tokenizer.json"),
                                        to: dir.appendingPathComponent("tokenizer.json"))
        return dir
    }

    func output(_ url: URL) throws -> Tensor {
        let model = try BertModel(directory: ModelDirectory(url)).eval()
        return GradMode.noGrad { model(inputIds: Tensor([2, 6, 11, 8, 3] as [Int64], shape: [1, 5])).lastHiddenState }
    }

    @Test func pytorchModelBinAndPrefixedKeysLoadTheSameWeights() throws {
        let reference = try output(tinyURL)
        let bin = try variant(weightsName: "pytorch_model.bin")
        let prefixed = try variant(weights: { sd in StateDict(sd.map { ("bert." + $0.key, $0.tensor) } +
                                                              [("classifier.weight", Tensor.zeros([2, 32]))]) })
        defer { for url in [bin, prefixed] { try? FileManager.default.removeItem(at: url) } }
        #expect(try ModelDirectory(bin).weightsURL().lastPathComponent == "pytorch_model.bin")
        for url in [bin, prefixed] {
            #expect(try output(url).sub(reference).abs().max().item() == 0)
        }
    }

    @Test func wrongShapesNameTheKeyAndShapes() throws {
        let dir = try variant(config: { $0["intermediate_size"] = 48 })
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try BertModel(directory: ModelDirectory(dir))
            Issue.record("loaded weights of the wrong shape")
        } catch let error as TextModelError {
            let text = "\(error)"
            #expect(text.contains("model.safetensors") && text.contains("encoder.layer.0.intermediate.dense.weight"), "\(text)")
            #expect(text.contains("[48, 32]") && text.contains("[64, 32]"), "\(text)")
        }
    }

    @Test func missingWeightsAreListed() throws {
        let dir = try variant(weights: { sd in StateDict(sd.filter { !$0.key.hasPrefix("encoder.layer.1.") }.map { ($0.key, $0.tensor) }) })
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            try BertModel(directory: ModelDirectory(dir))
        } throws: { error in
            "\(error)".contains("missing encoder.layer.1.") && "\(error)".contains("and 11 more")
        }
    }

    @Test func badConfigsAreTypedErrors() throws {
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("num_attention_heads", { $0["num_attention_heads"] = 5 }),
            ("hidden_act", { $0["hidden_act"] = "swishy" }),
            ("hidden_size", { $0["hidden_size"] = 1 << 40 }),
            ("position_embedding_type", { $0["position_embedding_type"] = "relative_key" }),
            ("model_type", { $0["model_type"] = "gpt2" }),
        ]
        for (key, edit) in cases {
            let dir = try variant(config: edit)
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect {
                try BertModel(directory: ModelDirectory(dir))
            } throws: { error in
                guard let error = error as? TextModelError else { return false }
                return "\(error)".contains(key) && "\(error)".contains("config.json")
            }
        }
        #expect(throws: TextModelError.self) { try ModelDirectory(FileManager.default.temporaryDirectory) }
    }
}
