"""Reference outputs of a tiny random GPT-2, for Ember's GPT-2 parity tests.

Writes Tests/Fixtures/gpt2/:
  tiny/            a Hugging Face model directory (save_pretrained: config.json,
                   model.safetensors without the tied lm_head.weight), with the
                   small WordPiece tokenizer as tokenizer.json
  tiny_bpe/        the same with a byte-level BPE tokenizer.json (GPT-2's kind)
  reference.safetensors  input ids, logits, and logits processors' inputs/outputs
  reference.json   state-dict keys and shapes, greedy generations, top-k/top-p
                   survivors, and end-to-end prompts for `ember generate`
Regenerate with `python3 Tests/Fixtures/Scripts/gen_gpt2.py` (transformers 5.24, torch 2.15).
"""
import json
import os
import shutil

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer
from transformers import GPT2Config, GPT2LMHeadModel
from transformers.generation.logits_process import (
    RepetitionPenaltyLogitsProcessor, TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "gpt2")
TINY = os.path.join(OUT, "tiny")
TINY_BPE = os.path.join(OUT, "tiny_bpe")
TOKENIZER = os.path.join(HERE, "..", "tokenizers", "small_bert.json")

torch.manual_seed(0)
tokenizer = Tokenizer.from_file(TOKENIZER)
vocab = tokenizer.get_vocab_size(with_added_tokens=True)
# Wide initialization so logits spread over several units and greedy decoding
# doesn't just repeat one token.
config = GPT2Config(vocab_size=vocab, n_positions=64, n_embd=24, n_layer=2, n_head=4,
                    initializer_range=0.25, bos_token_id=2, eos_token_id=3)
model = GPT2LMHeadModel(config).eval()
with torch.no_grad():
    for name, p in model.named_parameters():
        if name.endswith("bias") and "ln" not in name:
            p.normal_(0, 0.1)
        elif "ln" in name:
            p.copy_(1 + 0.2 * torch.randn_like(p) if name.endswith("weight") else 0.1 * torch.randn_like(p))
shutil.rmtree(TINY, ignore_errors=True)
model.save_pretrained(TINY)
shutil.copy(TOKENIZER, os.path.join(TINY, "tokenizer.json"))
os.chmod(os.path.join(TINY, "model.safetensors"), 0o644)
gen_config = os.path.join(TINY, "generation_config.json")
if os.path.exists(gen_config):
    os.remove(gen_config)

g = torch.Generator().manual_seed(1)
input_ids = torch.randint(5, vocab, (2, 9), generator=g)
with torch.no_grad():
    logits = model(input_ids).logits
    # The same weights under config switches some GPT-2 variants set: erf GELU,
    # and attention scaled down by layer (Stanford CRFM's Mistral runs).
    variant_config = GPT2Config(**{**config.to_dict(), "activation_function": "gelu",
                                   "scale_attn_by_inverse_layer_idx": True})
    variant = GPT2LMHeadModel(variant_config).eval()
    variant.load_state_dict(model.state_dict())
    variant_logits = variant(input_ids).logits
    # Incremental logits through HF's own cache, as a cross-check of the reference.
    out = model(input_ids[:, :5], use_cache=True)
    step = model(input_ids[:, 5:], past_key_values=out.past_key_values, use_cache=True).logits
    assert torch.allclose(step, logits[:, 5:], atol=1e-5)


def greedy(prompt, **kwargs):
    ids = torch.tensor([prompt])
    with torch.no_grad():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, use_cache=True,
                             pad_token_id=0, **kwargs)
    return out[0].tolist()


prompts = [input_ids[0].tolist(), [7, 11, 13]]
generations = [
    {"prompt": p, "max_new_tokens": 20, "repetition_penalty": r, "eos_token_id": None,
     "ids": greedy(p, max_new_tokens=20, repetition_penalty=r, eos_token_id=None)}
    for p in prompts for r in (1.0, 1.3)
]
# EOS: the token greedy decoding would produce fifth, as the stop token.
eos = generations[0]["ids"][len(prompts[0]) + 4]
generations.append({"prompt": prompts[0], "max_new_tokens": 20, "repetition_penalty": 1.0, "eos_token_id": eos,
                    "ids": greedy(prompts[0], max_new_tokens=20, eos_token_id=eos)})
for gen in generations:
    print("greedy", gen["repetition_penalty"], gen["eos_token_id"], gen["ids"][len(gen["prompt"]):])

# Logits processors on a fixture: rows of scores of varied spread, and the
# sequences whose tokens the repetition penalty sees.
scores = torch.randn(4, vocab, generator=g) * torch.tensor([[0.5], [1.0], [2.0], [4.0]])
history = torch.randint(0, vocab, (4, 12), generator=g)
history[:, 0] = scores.argmax(dim=1)  # a token with a positive score
history[:, 1] = scores.argmin(dim=1)  # and one with a negative score
penalized = RepetitionPenaltyLogitsProcessor(1.5)(history, scores.clone())
filters = []
for temperature, top_k, top_p in [(1.0, 5, 1.0), (1.0, 0, 0.9), (0.7, 0, 0.5), (1.3, 40, 0.95), (1.0, 0, 0.05),
                                  (1.0, 1, 1.0), (0.5, 10, 0.8)]:
    s = scores.clone()
    s = TemperatureLogitsWarper(temperature)(history, s)
    if top_k > 0:
        s = TopKLogitsWarper(top_k)(history, s)
    if top_p < 1.0:
        s = TopPLogitsWarper(top_p)(history, s)
    kept = [torch.nonzero(torch.isfinite(row)).flatten().tolist() for row in s]
    filters.append({"temperature": temperature, "top_k": top_k, "top_p": top_p, "kept": kept})
    print("filter", temperature, top_k, top_p, [len(k) for k in kept])

# End to end: the prompt as `ember generate` gets it, through the tokenizer.
prompt_text = "the quick brown fox"
encoded = tokenizer.encode(prompt_text).ids
cli_ids = greedy(encoded, max_new_tokens=8)  # the config's EOS, as `ember generate` uses
cli = {"prompt": prompt_text, "max_new_tokens": 8, "prompt_ids": encoded, "ids": cli_ids,
       "text": tokenizer.decode(cli_ids, skip_special_tokens=True)}
print("cli", cli)

# The same end to end with a byte-level BPE tokenizer (GPT-2's kind) and a
# model sized for its vocabulary: non-ASCII text, whose tokens can end
# mid-character, through the streaming decoder.
BPE_TOKENIZER = os.path.join(HERE, "..", "tokenizers", "bpe_bytelevel.json")
bpe_tokenizer = Tokenizer.from_file(BPE_TOKENIZER)
torch.manual_seed(1)
bpe_config = GPT2Config(vocab_size=bpe_tokenizer.get_vocab_size(with_added_tokens=True), n_positions=64, n_embd=24,
                        n_layer=2, n_head=4, initializer_range=0.25, bos_token_id=0, eos_token_id=2)
bpe_model = GPT2LMHeadModel(bpe_config).eval()
shutil.rmtree(TINY_BPE, ignore_errors=True)
bpe_model.save_pretrained(TINY_BPE)
shutil.copy(BPE_TOKENIZER, os.path.join(TINY_BPE, "tokenizer.json"))
os.chmod(os.path.join(TINY_BPE, "model.safetensors"), 0o644)
if os.path.exists(os.path.join(TINY_BPE, "generation_config.json")):
    os.remove(os.path.join(TINY_BPE, "generation_config.json"))
bpe_prompt = "Grüße, naïve café — 東京 🔥"
bpe_encoded = bpe_tokenizer.encode(bpe_prompt).ids
with torch.no_grad():
    bpe_ids = bpe_model.generate(torch.tensor([bpe_encoded]), attention_mask=torch.ones(1, len(bpe_encoded), dtype=torch.long),
                                 do_sample=False, use_cache=True, max_new_tokens=12, pad_token_id=1)[0].tolist()
cli_bpe = {"prompt": bpe_prompt, "max_new_tokens": 12, "prompt_ids": bpe_encoded, "ids": bpe_ids,
           "text": bpe_tokenizer.decode(bpe_ids, skip_special_tokens=True)}
print("cli_bpe", cli_bpe)

save_file({"input_ids": input_ids, "logits": logits.contiguous(), "variant_logits": variant_logits.contiguous(), "scores": scores, "history": history,
           "penalized": penalized.contiguous()}, os.path.join(OUT, "reference.safetensors"))
reference = {
    "keys": [[k, list(v.shape)] for k, v in model.state_dict().items()],
    "parameters": sum(p.numel() for p in model.parameters()),
    "generations": generations,
    "filters": filters,
    "repetition_penalty": 1.5,
    "cli": cli,
    "cli_bpe": cli_bpe,
}
with open(os.path.join(OUT, "reference.json"), "w") as f:
    json.dump(reference, f, separators=(",", ":"))
os.chmod(os.path.join(OUT, "reference.safetensors"), 0o644)
print("logits range", float(logits.min()), float(logits.max()))
