"""Reference safetensors files for EmberCheckpoint, written by the `safetensors`
package (pip install safetensors; never needed by CI).

Writes Tests/Fixtures/checkpoint/*.safetensors and expected.json: for each file
its metadata, tensor names in data-offset order, and each tensor's dtype, shape,
values and raw little-endian bytes (hex). Files written by `save_file` double as
the expected bytes of Ember's writer for the same tensors and metadata.
`unaligned.safetensors` is assembled by hand (the library always aligns) and
checked by loading it back with the reference reader.
"""
import json
import os
import struct

import safetensors
import torch
from safetensors.torch import load_file, save_file

from fixtures import encode

OUT = os.path.join(os.path.dirname(__file__), "..", "checkpoint")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(3)
expected = {"torch": torch.__version__, "safetensors": safetensors.__version__, "files": {}}


def special(dtype):
    return torch.tensor([0.0, -0.0, 1.5, -2.25, float("inf"), float("-inf"), float("nan"), 3.0e-5], dtype=dtype)


dtypes = {
    "f64": special(torch.float64).reshape(2, 4) / 3,
    "f32": torch.randn(3, 5),
    "f32_special": special(torch.float32),
    "f16": special(torch.float16),
    "bf16": torch.randn(2, 3).to(torch.bfloat16),
    "i64": torch.tensor([0, 1, -1, 2**62, -(2**62), 2**63 - 1, -(2**63)], dtype=torch.int64),
    "i32": torch.tensor([[0, -7], [2**31 - 1, -(2**31)]], dtype=torch.int32),
    "i16": torch.tensor([1, -2, 32767, -32768], dtype=torch.int16),
    "i8": torch.tensor([1, -2, 127, -128, 0], dtype=torch.int8),
    "u8": torch.tensor([0, 1, 128, 255], dtype=torch.uint8),
    "bool": torch.tensor([[True, False, True], [False, False, True]]),
    "scalar_f32": torch.tensor(2.5),
    "scalar_i64": torch.tensor(-9, dtype=torch.int64),
    "scalar_bool": torch.tensor(True),
    "empty_f32": torch.zeros(0, 3),
    "empty_i8": torch.zeros(0, dtype=torch.int8),
    "empty_bf16": torch.zeros(4, 0, 2, dtype=torch.bfloat16),
}

base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
files = {
    "dtypes": (dtypes, {"format": "pt"}),
    # Escapes and non-ASCII in metadata and names; one key, since the
    # reference keeps metadata in a HashMap and orders several keys randomly.
    "metadata": ({"caf\u00e9/\"x\"\n": torch.ones(2, dtype=torch.float16)}, {"note": "tab\there \u00e9 \"q\" \\ /"}),
    # Ember writes base.t() (non-contiguous) and must match these bytes.
    "noncontiguous": ({"t": base.t().contiguous(), "row": base[1].clone()}, None),
    "empty": ({}, None),
}


def describe(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    order = sorted((k for k in header if k != "__metadata__"), key=lambda k: tuple(header[k]["data_offsets"]))
    out = {"metadata": header.get("__metadata__", {}), "has_metadata": "__metadata__" in header,
           "order": order, "header_length": n, "tensors": {}}
    loaded = load_file(path)
    for name in order:
        t = loaded[name]
        enc = encode(t)
        enc["hex"] = t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes().hex() if t.numel() else ""
        enc["data_offsets"] = header[name]["data_offsets"]
        out["tensors"][name] = enc
    return out


for name, (tensors, metadata) in files.items():
    path = os.path.join(OUT, name + ".safetensors")
    save_file(tensors, path, metadata=metadata)
    expected["files"][name] = describe(path)

# A U8 tensor first pushes the F32 and I64 after it off their alignment.
u = torch.tensor([7, 8, 9], dtype=torch.uint8)
f = torch.tensor([1.25, -3.5], dtype=torch.float32)
i = torch.tensor([-5], dtype=torch.int64)
header = {"a_u8": {"dtype": "U8", "shape": [3], "data_offsets": [0, 3]},
          "b_f32": {"dtype": "F32", "shape": [2], "data_offsets": [3, 11]},
          "c_i64": {"dtype": "I64", "shape": [1], "data_offsets": [11, 19]}}
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * ((8 - len(text) % 8) % 8)
path = os.path.join(OUT, "unaligned.safetensors")
with open(path, "wb") as out:
    out.write(struct.pack("<Q", len(text)) + text + u.numpy().tobytes() + f.numpy().tobytes() + i.numpy().tobytes())
back = load_file(path)
assert torch.equal(back["a_u8"], u) and torch.equal(back["b_f32"], f) and torch.equal(back["c_i64"], i)
expected["files"]["unaligned"] = describe(path)

with open(os.path.join(OUT, "expected.json"), "w") as out:
    json.dump(expected, out, indent=1)
    out.write("\n")
