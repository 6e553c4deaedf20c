// GPT-2 against transformers (Tests/Fixtures/Scripts/gen_gpt2.py): a tiny
// random GPT2LMHeadModel saved with save_pretrained loads with HF's keys,
// gives the same logits, the same logits through the KV cache one token at
// a time, and the same greedy generations as `generate`.

import EmberCheckpoint
import EmberCore
import EmberNN
import EmberTestSupport
import EmberText
import Foundation
import Testing

enum GPT2Fixture {
    static let directory = FixtureLoader.directory.appendingPathComponent("gpt2")
    static let tiny = directory.appendingPathComponent("tiny")
    nonisolated(unsafe) static let reference: [String: Any] = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("reference.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func tensor(_ name: String) throws -> Tensor {
        try SafeTensors.open(directory.appendingPathComponent("reference.safetensors")).tensor(named: name)
    }

    static func model() throws -> GPT2LMHeadModel { try GPT2LMHeadModel.load(ModelDirectory(tiny)) }

    static func maxDifference(_ a: Tensor, _ b: Tensor) -> Double {
        (a.to(.float64) - b.to(.float64)).abs().max().item()
    }
}

@Suite struct GPT2ParityTests {
    @Test func stateDictKeysAreTransformers() throws {
        let model = try GPT2Fixture.model()
        // transformers lists the tied head too; save_pretrained (and Ember) leave it out.
        let expected = (GPT2Fixture.reference["keys"] as! [[Any]])
            .map { ($0[0] as! String, $0[1] as! [Int]) }.filter { $0.0 != "lm_head.weight" }
        let ours = model.stateDict().map { ($0.key, $0.tensor.shape) }
        #expect(ours.map(\.0) == expected.map(\.0))
        #expect(ours.map(\.1) == expected.map(\.1))
        #expect(model.parameters().reduce(0) { $0 + $1.count } == GPT2Fixture.reference["parameters"] as! Int)
        #expect(model.lmHeadWeight === model.transformer.wte.weight, "the head reads the embeddings in place")
    }

    @Test func logitsMatchTransformers() throws {
        let model = try GPT2Fixture.model()
        let ids = try GPT2Fixture.tensor("input_ids")
        let expected = try GPT2Fixture.tensor("logits")
        let logits = GradMode.noGrad { model(ids) }
        #expect(logits.shape == expected.shape)
        let worst = GPT2Fixture.maxDifference(logits, expected)
        #expect(worst <= 1e-4, "max |Δ| \(worst)")
        let last = GradMode.noGrad { model.nextTokenLogits(ids, cache: nil) }
        #expect(GPT2Fixture.maxDifference(last, expected.select(dim: 1, index: ids.size(1) - 1)) <= 1e-4)
    }

    @Test("erf GELU and attention scaled by 1/(layer + 1) match transformers too")
    func configVariantsMatchTransformers() throws {
        var values = GPT2LoadingTests.tinyConfig
        values["activation_function"] = "gelu"
        values["scale_attn_by_inverse_layer_idx"] = true
        let config = try GPT2Config(HFConfig(values: values))
        let model = try GPT2LMHeadModel.load(config: config, stateDict: GPT2LoadingTests.tinyWeights())
        let ids = try GPT2Fixture.tensor("input_ids")
        let logits = GradMode.noGrad { model(ids) }
        let expected = try GPT2Fixture.tensor("variant_logits")
        let worst = GPT2Fixture.maxDifference(logits, expected)
        #expect(worst <= 1e-4, "max |Δ| \(worst)")
        #expect(GPT2Fixture.maxDifference(expected, try GPT2Fixture.tensor("logits")) > 1e-2, "the switches change the logits")
    }

    @Test("training, dropout on: one backward pass reaches every parameter")
    func backwardReachesEveryParameter() throws {
        let model = try GPT2Fixture.model().train()
        let ids = try GPT2Fixture.tensor("input_ids")
        let loss = Generator.withDefault(Generator(seed: 9)) {
            Functional.crossEntropy(model(ids).reshape([-1, 496]), ids.reshape([-1]))
        }
        loss.backward()
        for (name, p) in model.namedParameters() {
            let g = try #require(p.grad, "\(name) has no gradient")
            #expect(g.abs().sum().item() > 0, "\(name): zero gradient")
        }
    }

    @Test("KV cache: a prefix, then one token, two, and one at a time, equal the full sequence's logits")
    func cacheMatchesFullSequence() throws {
        let model = try GPT2Fixture.model()
        let ids = try GPT2Fixture.tensor("input_ids")   // [2, 9]
        let full = GradMode.noGrad { model(ids) }
        let cache = model.makeCache(batchSize: 2, capacity: ids.size(1))
        var pieces: [Tensor] = []
        GradMode.noGrad {
            for (start, length) in [(0, 4), (4, 1), (5, 2), (7, 1), (8, 1)] {
                pieces.append(model.logits(ids.narrow(dim: 1, start: start, length: length), cache: cache))
                #expect(cache.length == start + length)
            }
        }
        let incremental = Tensor.cat(pieces, dim: 1)
        let worst = GPT2Fixture.maxDifference(incremental, full)
        #expect(worst <= 1e-5, "max |Δ| \(worst)")
        #expect(GPT2Fixture.maxDifference(incremental, try GPT2Fixture.tensor("logits")) <= 1e-4)
    }

    @Test("greedy generation gives transformers' generate ids (with repetition penalty and EOS)")
    func greedyMatchesGenerate() throws {
        let model = try GPT2Fixture.model()
        for case let gen as [String: Any] in GPT2Fixture.reference["generations"] as! [Any] {
            let eos = gen["eos_token_id"] as? Int
            let config = GenerationConfig(maxNewTokens: gen["max_new_tokens"] as! Int,
                                          repetitionPenalty: gen["repetition_penalty"] as! Double,
                                          eosTokenId: eos, stopAtEOS: eos != nil)
            var streamed: [Int] = []
            let ids = try TextGeneration.generate(model, prompt: gen["prompt"] as! [Int], config: config) { streamed.append($0) }
            #expect(ids == gen["ids"] as! [Int], "penalty \(config.repetitionPenalty), eos \(String(describing: eos))")
            #expect(streamed == Array(ids.dropFirst((gen["prompt"] as! [Int]).count)))
        }
    }

    @Test("a fresh model starts from transformers' init: std 0.02, residual projections / √(2·n_layer)")
    func freshModelInitialization() {
        let config = GPT2Config(vocabSize: 2000, nPositions: 128, nEmbd: 64, nLayer: 4, nHead: 4)
        let model = Generator.withDefault(Generator(seed: 3)) { GPT2LMHeadModel(config: config) }
        let weights = model.stateDict()
        func std(_ key: String) -> Double { weights[key]!.to(.float64).std().item() }
        for key in ["transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.attn.c_attn.weight",
                    "transformer.h.3.mlp.c_fc.weight"] {
            #expect(abs(std(key) / 0.02 - 1) < 0.05, "\(key): std \(std(key))")
        }
        let projection = 0.02 / 8.0.squareRoot()
        for key in ["transformer.h.0.attn.c_proj.weight", "transformer.h.2.mlp.c_proj.weight"] {
            #expect(abs(std(key) / projection - 1) < 0.05, "\(key): std \(std(key))")
        }
        #expect(weights["transformer.h.1.mlp.c_fc.bias"]!.abs().max().item() == 0)
        #expect(model.training)
    }
}
