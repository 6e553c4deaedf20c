// Loading GPT-2 directories in the forms the Hub has them (pytorch_model.bin
// with GPT2Model's keys, old mask buffers, a saved lm_head copy), and every
// way a directory can be wrong: a typed error naming the file and key.

import EmberCheckpoint
import EmberCore
import EmberNN
import EmberText
import Foundation
import Testing

@Suite struct GPT2LoadingTests {
    /// A model directory holding `config` and `weights` as pytorch_model.bin.
    static func directory(config: [String: Any], weights: StateDict) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-gpt2-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: config).write(to: dir.appendingPathComponent("config.json"))
        try TorchCheckpoint.save(TorchValue(weights), to: dir.appendingPathComponent("pytorch_model.bin"))
        return dir
    }

    static var tinyConfig: [String: Any] {
        let data = try! Data(contentsOf: GPT2Fixture.tiny.appendingPathComponent("config.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func tinyWeights() throws -> StateDict {
        try StateDict(contentsOf: GPT2Fixture.tiny.appendingPathComponent("model.safetensors"))
    }

    @Test("GPT2Model keys, mask buffers and a saved head copy load to the same logits")
    func oldStyleCheckpointLoads() throws {
        var weights = try Self.tinyWeights().strippingPrefix("transformer.")
        let positions = 64
        for layer in 0..<2 {
            weights["h.\(layer).attn.bias"] = Tensor.ones([1, 1, positions, positions]).tril()
            weights["h.\(layer).attn.masked_bias"] = Tensor(scalar: Float(-1e4))
        }
        weights["lm_head.weight"] = weights["wte.weight"]!.clone()
        let dir = try Self.directory(config: Self.tinyConfig, weights: weights)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try GPT2LMHeadModel.load(ModelDirectory(dir))
        let ids = try GPT2Fixture.tensor("input_ids")
        let logits = GradMode.noGrad { model(ids) }
        #expect(GPT2Fixture.maxDifference(logits, try GPT2Fixture.tensor("logits")) <= 1e-4)
        #expect(!model.training)
    }

    @Test func untiedHeadIsItsOwnWeight() throws {
        var config = Self.tinyConfig
        config["tie_word_embeddings"] = false
        var weights = try Self.tinyWeights()
        weights["lm_head.weight"] = weights["transformer.wte.weight"]! * 2
        let dir = try Self.directory(config: config, weights: weights)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try GPT2LMHeadModel.load(ModelDirectory(dir))
        #expect(model.stateDict().keys.last == "lm_head.weight")
        let ids = try GPT2Fixture.tensor("input_ids")
        let logits = GradMode.noGrad { model(ids) }
        #expect(GPT2Fixture.maxDifference(logits, try GPT2Fixture.tensor("logits") * 2) <= 2e-4)

        weights["lm_head.weight"] = nil
        let missing = try Self.directory(config: config, weights: weights)
        defer { try? FileManager.default.removeItem(at: missing) }
        #expect(throws: TextModelError.weights(path: missing.appendingPathComponent("pytorch_model.bin").path,
                                               reason: "missing \"lm_head.weight\" (expected shape [496, 24])")) {
            try GPT2LMHeadModel.load(ModelDirectory(missing))
        }
    }

    @Test("config values out of range or inconsistent name the key")
    func badConfigsAreTyped() throws {
        let path = "m/config.json"
        func config(_ changes: [String: Any]) throws -> GPT2Config {
            var values = Self.tinyConfig
            for (k, v) in changes { values[k] = v }
            return try GPT2Config(HFConfig(values: values, path: path))
        }
        #expect(throws: TextModelError.invalidConfig(path: path, key: "n_head", reason: "n_embd 24 is not divisible by n_head 5")) {
            try config(["n_head": 5])
        }
        #expect(throws: TextModelError.invalidConfig(path: path, key: "n_embd", reason: "1000000 is outside 1...16384")) {
            try config(["n_embd": 1_000_000])
        }
        #expect(throws: TextModelError.invalidConfig(path: path, key: "activation_function",
                                                     reason: "\"swiglu\" is not one of gelu_new, gelu_pytorch_tanh, gelu, relu, silu, swish, tanh")) {
            try config(["activation_function": "swiglu"])
        }
        #expect(throws: TextModelError.invalidConfig(path: path, key: "eos_token_id", reason: "496 is outside 0...495")) {
            try config(["eos_token_id": 496])
        }
        #expect(throws: TextModelError.invalidConfig(path: path, key: "n_embd", reason: "the model would have 94490329088 parameters (more than 8e9)")) {
            try config(["n_embd": 16384, "n_head": 16, "n_layer": 24, "vocab_size": 1_048_576])
        }
        #expect(throws: TextModelError.unsupportedModel(path: path, modelType: "bert")) { try config(["model_type": "bert"]) }
        #expect(try config(["eos_token_id": [3, 4]]).eosTokenId == 3)
    }

    @Test("weights that disagree with config.json are refused before the model is built")
    func mismatchedWeightsAreTyped() throws {
        let weights = try Self.tinyWeights()
        let file = "w.safetensors"
        var wide = Self.tinyConfig
        wide["n_embd"] = 32
        #expect(throws: TextModelError.weights(path: file, reason: "\"transformer.wte.weight\" has shape [496, 24], but config.json implies [496, 32]")) {
            try GPT2LMHeadModel.load(config: GPT2Config(HFConfig(values: wide)), stateDict: weights, path: file)
        }
        var deep = Self.tinyConfig
        deep["n_layer"] = 3
        #expect(throws: TextModelError.weights(path: file, reason: "missing \"transformer.h.2.mlp.c_fc.weight\" (expected shape [24, 96])")) {
            try GPT2LMHeadModel.load(config: GPT2Config(HFConfig(values: deep)), stateDict: weights, path: file)
        }
        var broken = weights
        broken["transformer.h.0.attn.c_proj.weight"] = Tensor.zeros([24, 23])
        do {
            _ = try GPT2LMHeadModel.load(config: GPT2Config(HFConfig(values: Self.tinyConfig)), stateDict: broken, path: file)
            Issue.record("a mis-shaped weight loaded")
        } catch let TextModelError.weights(path, reason) {
            #expect(path == file)
            #expect(reason.contains("transformer.h.0.attn.c_proj.weight") && reason.contains("[24, 23]"), "\(reason)")
        }
        var both = weights
        both["wte.weight"] = weights["transformer.wte.weight"]
        #expect(throws: TextModelError.weights(path: file, reason: "both \"transformer.wte.weight\" and \"wte.weight\" are present")) {
            try GPT2LMHeadModel.load(config: GPT2Config(HFConfig(values: Self.tinyConfig)), stateDict: both, path: file)
        }
    }

    @Test func missingWeightsFileIsTyped() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-gpt2-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: GPT2Fixture.tiny.appendingPathComponent("config.json"),
                                         to: dir.appendingPathComponent("config.json"))
        #expect(throws: TextModelError.missingFile(path: dir.path, expected: "model.safetensors or pytorch_model.bin")) {
            try GPT2LMHeadModel.load(ModelDirectory(dir))
        }
    }
}
