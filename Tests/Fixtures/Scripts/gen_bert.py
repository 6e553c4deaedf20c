"""PyTorch + transformers reference values for EmberText's BERT tests.

Writes into Tests/Fixtures/bert/:
  * tiny-bert/: a 2-layer BERT (hidden 32, 4 heads) with random weights from a
    fixed seed, as save_pretrained writes it (config.json, model.safetensors),
    plus the small WordPiece tokenizer.json from the tokenizer fixtures and
    sentence-transformers' modules.json / sentence_bert_config.json, so the
    same directory serves the model, `ember embed` and `ember finetune` tests;
  * tiny_bert.json: its last hidden state and pooler output on a padded batch,
    classifier logits with CLS and mean pooling, and the gradients of a
    cross-entropy loss with respect to a few parameters;
  * minilm.json (only when ~/.cache/ember/all-MiniLM-L6-v2 exists):
    sentence-transformers' embeddings of SENTENCES and BertModel's last hidden
    state for a padded pair.
Needs torch, transformers and sentence-transformers.
"""
import json
import os
import shutil

import torch
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel

from fixtures import encode

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "bert")
TINY = os.path.join(OUT, "tiny-bert")
MINILM = os.path.expanduser("~/.cache/ember/all-MiniLM-L6-v2")

SENTENCES = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "A man is riding a horse.",
    "Héllo, WORLD! naïve café 東京 don't",
    "unaffable",
    "",
    "👨\u200d👩\u200d👧 family 🥰 emoji",
    "This sentence is long enough that it spans a good number of word pieces, "
    "with punctuation; numbers like 3.14159 and 2026; and URLs such as https://example.com/a?b=c.",
    "hello [SEP] world [MASK]",
]


def tiny_model():
    torch.manual_seed(0)
    tok = Tokenizer.from_file(os.path.join(HERE, "..", "tokenizers", "small_bert.json"))
    config = BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=64, max_position_embeddings=64,
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, hidden_act="gelu")
    model = BertModel(config).eval()
    with torch.no_grad():
        # Larger than the 0.02 init so every layer changes the values visibly.
        for name, p in model.named_parameters():
            if "LayerNorm" in name:
                p.copy_(1 + 0.1 * torch.randn_like(p) if name.endswith("weight") else 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.2 * torch.randn_like(p))
    return model, tok


def write_tiny():
    model, tok = tiny_model()
    if os.path.exists(TINY):
        shutil.rmtree(TINY)
    model.save_pretrained(TINY)
    shutil.copy(os.path.join(HERE, "..", "tokenizers", "small_bert.json"), os.path.join(TINY, "tokenizer.json"))
    with open(os.path.join(TINY, "modules.json"), "w") as f:
        json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                   {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                   {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
                  f, indent=2)
    with open(os.path.join(TINY, "sentence_bert_config.json"), "w") as f:
        json.dump({"max_seq_length": 32, "do_lower_case": False}, f)

    tok.enable_truncation(64)
    sentences = SENTENCES[:4] + [SENTENCES[4], SENTENCES[8]]
    encodings = [tok.encode(s) for s in sentences]
    length = min(max(len(e.ids) for e in encodings), 64)
    ids = torch.zeros(len(sentences), length, dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for i, e in enumerate(encodings):
        n = min(len(e.ids), length)
        ids[i, :n] = torch.tensor(e.ids[:n])
        mask[i, :n] = 1
    types[1, 3:] = 1  # exercise token_type_embeddings
    out = model(input_ids=ids, token_type_ids=types, attention_mask=mask)

    torch.manual_seed(1)
    classifier = torch.nn.Linear(32, 3)
    with torch.no_grad():
        classifier.weight.copy_(0.3 * torch.randn(3, 32))
        classifier.bias.copy_(0.1 * torch.randn(3))
    weights = mask.unsqueeze(-1).float()
    mean = (out.last_hidden_state * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
    logits_mean = classifier(mean)
    logits_cls = classifier(out.pooler_output)
    labels = torch.tensor([0, 2, 1, 1, 0, 2])
    loss = torch.nn.functional.cross_entropy(logits_mean, labels)
    model.zero_grad()
    loss.backward()
    grads = {name: encode(p.grad) for name, p in model.named_parameters()
             if name in ("embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight",
                         "encoder.layer.0.attention.self.query.weight", "encoder.layer.1.output.dense.weight",
                         "encoder.layer.1.intermediate.dense.bias")}
    grads["classifier.weight"] = encode(classifier.weight.grad)
    result = {
        "sentences": sentences,
        "input_ids": encode(ids), "token_type_ids": encode(types), "attention_mask": encode(mask),
        "last_hidden_state": encode(out.last_hidden_state), "pooler_output": encode(out.pooler_output),
        "classifier_weight": encode(classifier.weight), "classifier_bias": encode(classifier.bias),
        "logits_mean": encode(logits_mean), "logits_cls": encode(logits_cls),
        "labels": labels.tolist(), "loss": loss.item(), "grads": grads,
    }
    with open(os.path.join(OUT, "tiny_bert.json"), "w") as f:
        json.dump(result, f)


def write_minilm():
    if not os.path.exists(os.path.join(MINILM, "model.safetensors")):
        print("skipping minilm.json: no", MINILM)
        return
    from sentence_transformers import SentenceTransformer
    st = SentenceTransformer(MINILM, device="cpu")
    embeddings = st.encode(SENTENCES, convert_to_tensor=True, normalize_embeddings=False)
    bert = BertModel.from_pretrained(MINILM).eval()
    tok = Tokenizer.from_file(os.path.join(MINILM, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    pair = [SENTENCES[0], SENTENCES[4]]
    encodings = [tok.encode(s) for s in pair]
    length = max(len(e.ids) for e in encodings)
    ids = torch.zeros(2, length, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, e in enumerate(encodings):
        ids[i, :len(e.ids)] = torch.tensor(e.ids)
        mask[i, :len(e.ids)] = 1
    with torch.no_grad():
        hidden = bert(input_ids=ids, attention_mask=mask).last_hidden_state
    with open(os.path.join(OUT, "minilm.json"), "w") as f:
        json.dump({"sentences": SENTENCES, "embeddings": encode(embeddings),
                   "pair": pair, "input_ids": encode(ids), "attention_mask": encode(mask),
                   "last_hidden_state": encode(hidden)}, f)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_tiny()
    write_minilm()
