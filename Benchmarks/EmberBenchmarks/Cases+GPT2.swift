// The text issue's GPT-2 case: greedy generation with a KV cache on GPT-2
// small's shape (768 wide, 12 layers, 12 heads, 50257 tokens; random
// weights), 32 new tokens from a 16-token prompt, against transformers'
// GPT2LMHeadModel.generate. Names match Benchmarks/compare_torch.py.

import EmberCore
import EmberText

func runGPT2Cases() {
    let name = "gpt2 small generate 32 tokens"
    guard wanted(name) else { return }
    manualSeed(0)
    let model = GPT2LMHeadModel(config: GPT2Config()).eval()
    let prompt = (0..<16).map { ($0 * 3181 + 17) % 50257 }
    // No EOS stop: every run generates all 32 tokens, as on the PyTorch side.
    let config = GenerationConfig(maxNewTokens: 32, stopAtEOS: false)
    bench(name, rate: (32, "tokens/s")) {
        _ = try! TextGeneration.generate(model, prompt: prompt, config: config)
    }
}
