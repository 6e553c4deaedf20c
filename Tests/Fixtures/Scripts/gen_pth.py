"""PyTorch checkpoints written by torch itself, for Ember's .pth reader.

Writes Tests/Fixtures/checkpoint/pth/: each object saved in the zip format
(torch >= 1.6) and in the legacy stream format (`_use_new_zipfile_serialization
=False`, as CheXNet's and EfficientNet-Lite0's files are), plus a protocol-4
pickle and a file whose pickle asks for `os.system` (which a safe reader must
refuse by name, never run). `expected.json` describes every object tree:
dicts (with key order), lists, tuples, numbers, strings, None, and tensors with
dtype, shape, stride, storage offset and values. Regenerate with `make fixtures`.
"""
import collections
import json
import os

import torch
import torch.nn as nn

from fixtures import encode

OUT = os.path.join(os.path.dirname(__file__), "..", "checkpoint", "pth")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(11)


def describe(obj):
    """The object tree as JSON, as Ember's reader should rebuild it."""
    if isinstance(obj, torch.Tensor):
        d = encode(obj)
        d["kind"] = "tensor"
        d["stride"] = list(obj.stride())
        d["storage_offset"] = obj.storage_offset()
        return d
    if isinstance(obj, dict):
        d = {"kind": "ordered_dict" if isinstance(obj, collections.OrderedDict) else "dict",
             "items": [[describe(k), describe(v)] for k, v in obj.items()]}
        if getattr(obj, "_metadata", None) is not None:
            d["metadata"] = describe(obj._metadata)
        return d
    if isinstance(obj, list):
        return {"kind": "list", "items": [describe(v) for v in obj]}
    if isinstance(obj, tuple):
        return {"kind": "tuple", "items": [describe(v) for v in obj]}
    if obj is None:
        return {"kind": "none"}
    if isinstance(obj, bool):
        return {"kind": "bool", "value": obj}
    if isinstance(obj, int):
        # As a string: Foundation's JSON reader may round large integers.
        return {"kind": "int", "value": str(obj)}
    if isinstance(obj, float):
        return {"kind": "float", "value": repr(obj)}
    if isinstance(obj, str):
        return {"kind": "string", "value": obj}
    raise TypeError(type(obj))


expected = {"torch": torch.__version__, "files": {}}


def save(name, obj, legacy=True, **kwargs):
    path = os.path.join(OUT, name)
    torch.save(obj, path, **kwargs)
    entry = {"object": describe(obj), "format": "zip"}
    # What torch itself reads back with weights_only=True (or the reason it refuses).
    try:
        torch.load(path, weights_only=True)
        entry["torch_weights_only"] = "loads"
    except Exception as e:  # noqa: BLE001 - recorded, not handled
        entry["torch_weights_only"] = type(e).__name__
    expected["files"][name] = entry
    if legacy:
        stem, ext = name.split(".", 1)
        legacy_name = f"{stem}_legacy.{ext}"
        torch.save(obj, os.path.join(OUT, legacy_name), _use_new_zipfile_serialization=False)
        expected["files"][legacy_name] = {"format": "legacy", "same_object_as": name,
                                          "torch_weights_only": entry["torch_weights_only"]}


# A module's state dict: OrderedDict with _metadata (BatchNorm version 2).
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 2)


net = Net()
with torch.no_grad():
    net.bn.running_mean.normal_()
    net.bn.running_var.uniform_(0.5, 2)
save("state_dict.pt", net.state_dict())

# A training checkpoint: nested dicts, a DataParallel prefix, optimizer state,
# numbers of every kind, strings, lists, tuples and None.
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss = net.fc(net.bn(net.conv(torch.randn(2, 3, 5, 5))).mean((2, 3))).sum()
loss.backward()
opt.step()
checkpoint = {
    "epoch": 7,
    "arch": "densenet121",
    "best_prec1": 0.8312,
    "big": 2 ** 40 + 3,
    "negative": -70000,
    "state_dict": collections.OrderedDict(("module." + k, v) for k, v in net.state_dict().items()),
    "optimizer": opt.state_dict(),
    "history": [1, 2.5, "x", None, True, False],
    "shape": (3, (4, 5)),
}
save("checkpoint.pth.tar", checkpoint)

# Views sharing one storage: transposed, row, column slice with an offset, expanded (stride 0).
base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
views = collections.OrderedDict([
    ("base", base), ("transposed", base.t()), ("row", base[1]), ("columns", base[:, 2:5]),
    ("expanded", base[2, :3].unsqueeze(0).expand(3, 3)), ("strided", base[::2, ::3]),
    ("separate", torch.tensor([1.5, -2.5])),
])
save("views.pt", views)

# Every dtype Ember has, plus empty and 0-d tensors.
dtypes = collections.OrderedDict([
    ("float64", torch.randn(2, 3, dtype=torch.float64)),
    ("float32", torch.randn(3)),
    ("float16", torch.randn(2, 2).half()),
    ("bfloat16", torch.randn(2, 2).bfloat16()),
    ("int64", torch.tensor([-(2 ** 40), 5, 7])),
    ("int32", torch.tensor([-3, 2 ** 30], dtype=torch.int32)),
    ("int16", torch.tensor([-300, 300], dtype=torch.int16)),
    ("int8", torch.tensor([-128, 127], dtype=torch.int8)),
    ("uint8", torch.tensor([0, 255], dtype=torch.uint8)),
    ("bool", torch.tensor([True, False, True])),
    ("empty", torch.zeros(0, 3)),
    ("scalar", torch.tensor(3.25)),
    ("scalar_int", torch.tensor(9)),
])
save("dtypes.pt", dtypes)

# More than 1,000 keys, so the pickle batches its SETITEMS; all views of one storage.
rows = torch.randn(1100, 2)
save("many_keys.pt", collections.OrderedDict((f"layer{i}.weight", rows[i]) for i in range(1100)))

# Protocol 4 (some libraries save this way; torch's weights_only loader refuses it).
save("proto4.pt", collections.OrderedDict([("w", torch.randn(2, 2)), ("b", torch.zeros(2))]), legacy=False,
     pickle_protocol=4)


class Exploit:
    """A pickle that calls os.system when unpickled: a safe reader names it and refuses."""

    def __reduce__(self):
        return (os.system, ("true",))


path = os.path.join(OUT, "os_system.pt")
torch.save({"weights": torch.zeros(2), "payload": Exploit()}, path)
expected["files"]["os_system.pt"] = {"format": "zip", "refused_global": f"{os.system.__module__}.system"}
torch.save({"weights": torch.zeros(2), "payload": Exploit()}, os.path.join(OUT, "os_system_legacy.pt"),
           _use_new_zipfile_serialization=False)
expected["files"]["os_system_legacy.pt"] = {"format": "legacy", "refused_global": f"{os.system.__module__}.system"}

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, separators=(",", ":"))
print(f"wrote {len(expected['files'])} files to {OUT}")
