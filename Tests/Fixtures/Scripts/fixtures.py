"""Shared helpers for the fixture scripts: how tensors are written to JSON.

Float32 values are written as their shortest decimal, float64 values as
strings (Foundation's JSON reader on Linux rounds some doubles), NaN and
infinities as "nan", "inf" and "-inf".
"""
import math

import torch

DTYPES = {
    torch.float32: "float32", torch.float64: "float64", torch.float16: "float16",
    torch.bfloat16: "bfloat16", torch.int64: "int64", torch.int32: "int32",
    torch.int16: "int16", torch.int8: "int8", torch.uint8: "uint8", torch.bool: "bool",
}


def encode_value(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def encode(t):
    t = t.detach()
    flat = t.contiguous().reshape(-1)
    if t.dtype in (torch.float16, torch.bfloat16, torch.float32):
        # The shortest decimal that reads back as the same float32 keeps files small.
        data = [encode_value(float(str(v))) for v in flat.float().numpy()]
    elif t.dtype == torch.float64:
        # As strings: Foundation's JSON reader on Linux rounds some doubles.
        data = [encode_value(v) if not math.isfinite(v) else repr(v) for v in flat.tolist()]
    else:
        data = [encode_value(v) for v in flat.tolist()]
    return {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data": data}
