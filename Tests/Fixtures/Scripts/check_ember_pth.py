"""Checks Ember's .pth writer with torch itself: Ember → torch → Ember.

`make fixtures` first has the Swift tests re-save torch's own fixtures with
Ember (EMBER_WRITE_FIXTURES=1 writes them to checkpoint/pth/ember/). This
script loads each with `torch.load(weights_only=True)`, compares it with the
object torch saved originally (types, key order, dtypes, shapes, strides,
storage offsets, exact values, and which tensors share a storage), records
the verdict in ember/verified.json, and re-saves it with torch into
ember/resaved/ for the Swift tests to load back.
"""
import collections
import json
import math
import os
import warnings

import torch

PTH = os.path.join(os.path.dirname(__file__), "..", "checkpoint", "pth")
EMBER = os.path.join(PTH, "ember")
NAMES = ["state_dict.pt", "checkpoint.pth.tar", "views.pt", "dtypes.pt", "many_keys.pt"]


def bits(t):
    """A tensor's bytes, so that values compare bit for bit (NaN payloads, -0.0)."""
    return t if t.dtype == torch.bool else t.reshape(-1).contiguous().view(torch.uint8)


def differences(ours, theirs, path, storages):
    """Where `ours` differs from `theirs`; records each tensor's storage pair."""
    if type(ours) is not type(theirs):
        return [f"{path}: {type(ours).__name__} != {type(theirs).__name__}"]
    if isinstance(theirs, torch.Tensor):
        storages.append((ours.untyped_storage().data_ptr(), theirs.untyped_storage().data_ptr(), path))
        for attr in ("dtype", "shape"):
            if getattr(ours, attr) != getattr(theirs, attr):
                return [f"{path}: {attr} {getattr(ours, attr)} != {getattr(theirs, attr)}"]
        if ours.stride() != theirs.stride() or ours.storage_offset() != theirs.storage_offset():
            return [f"{path}: layout {ours.stride()}+{ours.storage_offset()} != {theirs.stride()}+{theirs.storage_offset()}"]
        same = torch.equal(bits(ours), bits(theirs))
        return [] if same else [f"{path}: values differ"]
    if isinstance(theirs, dict):
        if list(ours.keys()) != list(theirs.keys()):
            return [f"{path}: keys {list(ours.keys())[:5]}... != {list(theirs.keys())[:5]}..."]
        return [d for k in theirs for d in differences(ours[k], theirs[k], f"{path}[{k!r}]", storages)]
    if isinstance(theirs, (list, tuple)):
        if len(ours) != len(theirs):
            return [f"{path}: length {len(ours)} != {len(theirs)}"]
        return [d for i, (a, b) in enumerate(zip(ours, theirs)) for d in differences(a, b, f"{path}[{i}]", storages)]
    if isinstance(theirs, float) and ours != ours and theirs != theirs:
        return []
    return [] if ours == theirs else [f"{path}: {ours!r} != {theirs!r}"]


def verdict(ours, theirs):
    storages = []
    problems = differences(ours, theirs, "", storages)
    # Tensors share a storage in Ember's file exactly where they share one in torch's.
    groups_ours, groups_theirs = collections.defaultdict(set), collections.defaultdict(set)
    for a, b, path in storages:
        groups_ours[a].add(path)
        groups_theirs[b].add(path)
    if sorted(map(sorted, groups_ours.values())) != sorted(map(sorted, groups_theirs.values())):
        problems.append("storage sharing differs")
    return "equal" if not problems else "; ".join(problems[:5])


verified = {}
os.makedirs(os.path.join(EMBER, "resaved"), exist_ok=True)
for name in NAMES + ["zip64.pt"]:
    original = os.path.join(PTH, "views.pt" if name == "zip64.pt" else name)
    ours = torch.load(os.path.join(EMBER, name), weights_only=True)
    verified[name] = verdict(ours, torch.load(original, weights_only=True))
    if name != "zip64.pt":
        torch.save(ours, os.path.join(EMBER, "resaved", name))
    print(f"{name}: {verified[name]}")



def check_training_checkpoint(path):
    """Ember's training checkpoint (TrainingCheckpointTests' run after two
    epochs) must load into torch's own model, Adam and SequentialLR."""
    nn = torch.nn
    c = torch.load(path, weights_only=True)
    if sorted(c) != ["epoch", "optimizer", "rng_state", "scheduler", "state_dict"] or c["epoch"] != 1:
        return f"keys {sorted(c)}, epoch {c.get('epoch')}"
    model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Dropout(0.3), nn.Linear(8, 2))
    model.load_state_dict(c["state_dict"], strict=True)
    opt = torch.optim.Adam([{"params": model[0].parameters()}, {"params": model[3].parameters(), "lr": 0.002}],
                           lr=0.01, amsgrad=True)
    # As in any resume: build the schedulers (which set the rates), then load the states.
    warmup = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=2)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=3)
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [warmup, cosine], milestones=[2])
    opt.load_state_dict(c["optimizer"])
    for p in model.parameters():
        s = opt.state[p]
        if s["exp_avg"].shape != p.shape or s["max_exp_avg_sq"].shape != p.shape or float(s["step"]) != 10:
            return f"optimizer state for {tuple(p.shape)}: {[(k, tuple(v.shape)) for k, v in s.items()]}"
    sched.load_state_dict(c["scheduler"])
    if sched.last_epoch != 2 or sched._schedulers[1].last_epoch != 0:
        return f"scheduler epochs {sched.last_epoch}, {sched._schedulers[1].last_epoch}"
    if sched.state_dict() != c["scheduler"]:
        return "torch's scheduler state after loading differs from the saved one"
    # One more step is the cosine's first: base * (1 + cos(pi / 3)) / 2 for each group.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that this optimizer has not stepped yet
        sched.step()
    lrs = [g["lr"] for g in opt.param_groups]
    expected = [base * (1 + math.cos(math.pi / 3)) / 2 for base in (0.01, 0.002)]
    if any(abs(a - b) > 1e-12 for a, b in zip(lrs, expected)):
        return f"lrs after one more step {lrs}, expected {expected}"
    if sorted(c["rng_state"]) != ["default", "loader"] or any(t.shape != (4,) for t in c["rng_state"].values()):
        return f"rng_state {c['rng_state']}"
    return "equal"


verified["training.pth"] = check_training_checkpoint(os.path.join(EMBER, "training.pth"))
print(f"training.pth: {verified['training.pth']}")

with open(os.path.join(EMBER, "verified.json"), "w") as f:
    json.dump(verified, f, indent=1, sort_keys=True)
