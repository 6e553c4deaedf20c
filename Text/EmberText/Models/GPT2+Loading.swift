// Loading GPT-2 checkpoints as the Hub has them: keys with or without the
// `transformer.` prefix (GPT2LMHeadModel's or GPT2Model's), `lm_head.weight`
// present or left out when tied, and old checkpoints' `attn.bias` and
// `attn.masked_bias` buffers (the causal mask, which Ember builds itself).

import EmberCheckpoint
import EmberCore
import EmberNN
import Foundation

extension GPT2LMHeadModel {
    /// Builds the model a Hugging Face directory describes (config.json) and
    /// loads its weights (model.safetensors or pytorch_model.bin), in eval mode.
    ///
    /// ```swift
    /// let dir = try ModelDirectory(URL(fileURLWithPath: "distilgpt2"))
    /// let model = try GPT2LMHeadModel.load(dir)
    /// ```
    public static func load(_ directory: ModelDirectory) throws -> GPT2LMHeadModel {
        let config = try GPT2Config(directory.config)
        let weights = try directory.weightsURL()
        return try load(config: config, stateDict: StateDict(contentsOf: weights), path: weights.path)
    }

    /// Builds a model of `config` and loads `stateDict` (HF's keys, in any of
    /// the forms above). Shapes are checked against the config before
    /// anything is allocated; `path` names the weights in errors.
    public static func load(config: GPT2Config, stateDict: StateDict, path: String = "state dict") throws(TextModelError)
        -> GPT2LMHeadModel {
        let weights = try canonicalKeys(stateDict, config: config, path: path)
        let model = GPT2LMHeadModel(config: config)
        do { try model.loadStateDict(weights) } catch {
            throw .weights(path: path, reason: "\(error)")
        }
        return model.eval()
    }

    /// `stateDict` under GPT2LMHeadModel's keys: the prefix added where it's
    /// missing, the mask buffers dropped, and a tied head's copy dropped once
    /// its shape is checked.
    static func canonicalKeys(_ stateDict: StateDict, config: GPT2Config, path: String) throws(TextModelError) -> StateDict {
        var out = StateDict()
        for (key, tensor) in stateDict {
            if key.hasSuffix(".attn.bias") || key.hasSuffix(".attn.masked_bias") { continue }
            let canonical = key.hasPrefix("transformer.") || key.hasPrefix("lm_head.") ? key : "transformer." + key
            guard out[canonical] == nil else {
                throw .weights(path: path, reason: "both \"\(canonical)\" and \"\(key)\" are present")
            }
            out[canonical] = tensor
        }
        let (vocab, width) = (config.vocabSize, config.nEmbd)
        let expected: [(String, [Int])] = [
            ("transformer.wte.weight", [vocab, width]), ("transformer.wpe.weight", [config.nPositions, width]),
            // The last block's MLP pins n_layer and n_inner to the file too.
            ("transformer.h.\(config.nLayer - 1).mlp.c_fc.weight", [width, config.innerDim]),
        ] + (config.tieWordEmbeddings ? [] : [("lm_head.weight", [vocab, width])])
        for (key, shape) in expected {
            guard let tensor = out[key] else {
                throw .weights(path: path, reason: "missing \"\(key)\" (expected shape \(shape))")
            }
            guard tensor.shape == shape else {
                throw .weights(path: path, reason: "\"\(key)\" has shape \(tensor.shape), but config.json implies \(shape)")
            }
        }
        if config.tieWordEmbeddings, let head = out["lm_head.weight"] {
            // transformers ties the head to wte and ignores the saved copy; so do we.
            guard head.shape == [vocab, width] else {
                throw .weights(path: path, reason: "\"lm_head.weight\" has shape \(head.shape), but config.json implies \([vocab, width])")
            }
            out["lm_head.weight"] = nil
        }
        return out
    }
}
