"""The train-digits recipe (Examples/train-digits) in PyTorch, for accuracy and time.

    python3 Benchmarks/digits_torch.py [~/.cache/ember/digits.csv] [--epochs 30]
"""
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

args = sys.argv[1:]
epochs = 30
if "--epochs" in args:
    i = args.index("--epochs")
    epochs = int(args[i + 1])
    del args[i:i + 2]
path = args[0] if args else os.path.expanduser("~/.cache/ember/digits.csv")
torch.set_num_threads(2)
rows = [list(map(int, line.split(","))) for line in open(path) if line.strip()]
data = torch.tensor(rows)
images, labels = (data[:, :64].float() / 16).reshape(-1, 1, 8, 8), data[:, 64]
torch.manual_seed(0)
perm = torch.randperm(len(rows), generator=torch.Generator().manual_seed(42))
train_idx, val_idx = perm[:1437], perm[1437:]
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Dropout(0.2),
                      nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)


def accuracy():
    model.eval()
    with torch.no_grad():
        acc = (model(images[val_idx]).argmax(1) == labels[val_idx]).float().mean().item()
    model.train()
    return acc


start = time.perf_counter()
for epoch in range(1, epochs + 1):
    order = train_idx[torch.randperm(len(train_idx), generator=torch.Generator().manual_seed(epoch))]
    total = 0.0
    for i in range(0, len(order), 64):
        b = order[i:i + 64]
        loss = F.cross_entropy(model(images[b]), labels[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    sched.step()
    # Validated every epoch, as train-digits does for its progress line.
    print(f"epoch {epoch}/{epochs}  loss {total / ((len(order) + 63) // 64):.4f}  val acc {accuracy():.4f}")
acc = accuracy()
print(f"final validation accuracy: {acc * 100:.2f}% ({len(val_idx)} images), {time.perf_counter() - start:.1f} s")
