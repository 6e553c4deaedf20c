"""PyTorch + transformers on the fortunes fine-tuning recipe: the reference
that `make fortunes` (Ember) is compared with.

MiniLM (all-MiniLM-L6-v2), mean pooling and a linear head; AdamW at 5e-5 with
weight decay 0.01 (none on biases and LayerNorm weights, as transformers'
Trainer does); linear warmup over the first 10% of steps (rounded up), then
linear decay; batch 16, max length 64, dynamic padding, 2 epochs; dropout 0.1
as the model's config says. Prints each epoch's validation loss and accuracy,
and the wall time from start (loading included) to the end.

    .build/release/fortunes-data --output /tmp/fortunes
    python3 Benchmarks/fortunes_torch.py --data /tmp/fortunes --threads 2
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from transformers import BertModel


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="folder with train.jsonl and valid.jsonl (fortunes-data)")
    p.add_argument("--model", default=os.path.expanduser("~/.cache/ember/all-MiniLM-L6-v2"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    start = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    train, valid = read(os.path.join(args.data, "train.jsonl")), read(os.path.join(args.data, "valid.jsonl"))
    labels = sorted({e["label"] for e in train})
    index = {label: i for i, label in enumerate(labels)}
    tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(64)
    train_ids = [e.ids for e in tok.encode_batch([e["text"] for e in train])]
    valid_ids = [e.ids for e in tok.encode_batch([e["text"] for e in valid])]
    train_y = torch.tensor([index[e["label"]] for e in train])
    valid_y = torch.tensor([index[e["label"]] for e in valid])

    encoder = BertModel.from_pretrained(args.model)
    head = torch.nn.Linear(encoder.config.hidden_size, len(labels))
    head.weight.data.normal_(0, 0.02)
    head.bias.data.zero_()
    dropout = torch.nn.Dropout(encoder.config.hidden_dropout_prob)
    named = list(encoder.named_parameters()) + [("classifier." + n, p) for n, p in head.named_parameters()]
    no_decay = [p for n, p in named if n.endswith("bias") or "LayerNorm" in n]
    decay = [p for n, p in named if not (n.endswith("bias") or "LayerNorm" in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=5e-5)
    batch = 16
    steps_per_epoch = math.ceil(len(train) / batch)
    total = steps_per_epoch * args.epochs
    warmup = math.ceil(0.1 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))

    def collate(rows):
        length = max(len(r) for r in rows)
        ids = torch.zeros(len(rows), length, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for i, r in enumerate(rows):
            ids[i, :len(r)] = torch.tensor(r)
            mask[i, :len(r)] = 1
        return ids, mask

    def logits(ids, mask):
        hidden = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        w = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * w).sum(1) / w.sum(1).clamp(min=1e-9)
        return head(dropout(pooled))

    best = 0.0
    for epoch in range(1, args.epochs + 1):
        encoder.train()
        dropout.train()
        order = torch.randperm(len(train), generator=torch.Generator().manual_seed(args.seed + epoch)).tolist()
        t0, losses = time.time(), []
        for step in range(steps_per_epoch):
            rows = order[step * batch:(step + 1) * batch]
            ids, mask = collate([train_ids[i] for i in rows])
            opt.zero_grad()
            loss = F.cross_entropy(logits(ids, mask), train_y[rows])
            loss.backward()
            opt.step()
            sched.step()
            losses.append(loss.item())
        encoder.eval()
        dropout.eval()
        correct, total_loss = 0, 0.0
        with torch.no_grad():
            for s in range(0, len(valid), batch):
                ids, mask = collate(valid_ids[s:s + batch])
                out = logits(ids, mask)
                y = valid_y[s:s + batch]
                total_loss += F.cross_entropy(out, y, reduction="sum").item()
                correct += (out.argmax(1) == y).sum().item()
        accuracy = correct / len(valid)
        best = max(best, accuracy)
        print(f"epoch {epoch}: train loss {sum(losses) / len(losses):.4f}, valid loss {total_loss / len(valid):.4f}, "
              f"valid accuracy {accuracy:.4f} ({time.time() - t0:.1f} s)", flush=True)
    print(f"best valid accuracy {best:.4f}; {time.time() - start:.1f} s with {args.threads} threads, "
          f"torch {torch.__version__}")


if __name__ == "__main__":
    main()
