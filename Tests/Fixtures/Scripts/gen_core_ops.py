"""Reference values for EmberCore's tensor ops, computed by PyTorch.

Writes Tests/Fixtures/core/ops.json: a list of cases, each an op name, its
inputs (data, dtype, shape, and the view ops that make them non-contiguous),
keyword arguments, PyTorch's outputs, and the tolerance to compare with.
The Swift suite (Tests/EmberCoreTests/OpFixtureTests.swift) runs every case.

Regenerate with `make fixtures` (needs torch; CI never runs this).
"""
import json
import math
import os

import numpy as np  # noqa: F401  (float32 printing)
import torch

torch.manual_seed(1234)
OUT = os.path.join(os.path.dirname(__file__), "..", "core", "ops.json")
cases = []

F32 = dict(rtol=1e-6, atol=1e-6)
F32_TRANSCENDENTAL = dict(rtol=2e-6, atol=1e-6)
F64 = dict(rtol=1e-12, atol=1e-12)
REDUCE32 = dict(rtol=1e-5, atol=1e-5)
REDUCE64 = dict(rtol=1e-10, atol=1e-10)
EXACT = dict(rtol=0, atol=0)
HALF = dict(rtol=1e-2, atol=1e-3)
from fixtures import DTYPES, encode, encode_value  # noqa: E402,F401


class Input:
    """A tensor made from contiguous `base` data and then viewed by `views`."""

    def __init__(self, base, views=()):
        self.base, self.views = base, list(views)

    def tensor(self):
        t = self.base
        for v in self.views:
            kind = v[0]
            if kind == "t":
                t = t.transpose(-2, -1)
            elif kind == "permute":
                t = t.permute(*v[1])
            elif kind == "slice":
                _, dim, start, end, step = v
                idx = [slice(None)] * t.dim()
                idx[dim] = slice(start, end, step)
                t = t[tuple(idx)]
            elif kind == "expand":
                t = t.expand(*v[1])
            else:
                raise ValueError(kind)
        return t

    def json(self):
        d = encode(self.base)
        d["views"] = [list(v) for v in self.views]
        return d


def as_input(x):
    return x if isinstance(x, Input) else Input(x)


def add(name, op, inputs, fn, tol, **args):
    inputs = [as_input(x) for x in inputs]
    outs = fn(*[x.tensor() for x in inputs])
    if not isinstance(outs, (tuple, list)):
        outs = [outs]
    cases.append({"name": name, "op": op, "args": args, "inputs": [x.json() for x in inputs],
                  "outputs": [encode(o) for o in outs], **tol})


SPECIAL = [float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 1e-8, 88.0, -100.0]


def floats(shape, dtype=torch.float32, scale=2.0, special=False):
    t = torch.randn(*shape, dtype=torch.float64) * scale
    if special:
        flat = t.reshape(-1)
        for i, v in enumerate(SPECIAL[: flat.numel()]):
            flat[i] = v
    return t.to(dtype)


def ints(shape, low=-10, high=10, dtype=torch.int64):
    return torch.randint(low, high, shape, dtype=dtype)


# ---------------------------------------------------------------- unary ops
UNARY = {
    "exp": torch.exp, "expm1": torch.expm1, "log": torch.log, "log1p": torch.log1p,
    "log2": torch.log2, "sqrt": torch.sqrt, "rsqrt": torch.rsqrt, "sin": torch.sin,
    "cos": torch.cos, "tanh": torch.tanh, "erf": torch.erf, "sigmoid": torch.sigmoid,
    "relu": torch.relu, "relu6": torch.nn.functional.relu6, "gelu": torch.nn.functional.gelu,
    "gelu_tanh": lambda x: torch.nn.functional.gelu(x, approximate="tanh"),
    "silu": torch.nn.functional.silu, "softplus": torch.nn.functional.softplus,
    "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, 0.1),
    "elu": lambda x: torch.nn.functional.elu(x, 0.7),
    "floor": torch.floor, "ceil": torch.ceil, "round": torch.round, "trunc": torch.trunc,
    "neg": torch.neg, "abs": torch.abs, "sign": torch.sign, "reciprocal": torch.reciprocal,
    "square": torch.square, "isnan": torch.isnan, "isinf": torch.isinf, "isfinite": torch.isfinite,
    "nan_to_num": torch.nan_to_num, "clamp": lambda x: torch.clamp(x, -1.0, 2.0),
    "clamp_min": lambda x: torch.clamp(x, min=0.5),
}
TRANSCENDENTAL = {"exp", "expm1", "log", "log1p", "log2", "sqrt", "rsqrt", "sin", "cos", "tanh",
                  "erf", "sigmoid", "gelu", "gelu_tanh", "silu", "softplus", "elu"}
for name, fn in UNARY.items():
    tol32 = F32_TRANSCENDENTAL if name in TRANSCENDENTAL else F32
    special = floats([4, 9], special=True)
    if name == "gelu":
        # PyTorch's vectorized gelu gives NaN for +inf; Ember gives inf (the limit).
        special[special == float("inf")] = 3.0
    add(f"{name}_f32", name, [special], fn, tol32)
    add(f"{name}_f32_long", name, [floats([77])], fn, tol32)
    add(f"{name}_f64", name, [floats([3, 5], torch.float64, special=True)], fn, F64)
    add(f"{name}_f32_transposed", name, [Input(floats([5, 3]), [("t",)])], fn, tol32)
    add(f"{name}_f32_strided", name, [Input(floats([6, 4]), [("slice", 0, 1, 6, 2)])], fn, tol32)
    add(f"{name}_empty", name, [floats([0, 3])], fn, EXACT)
    add(f"{name}_scalar", name, [torch.tensor(0.75)], fn, tol32)
    if name not in ("gelu_tanh", "silu", "softplus", "leaky_relu", "elu", "gelu", "relu6"):
        add(f"{name}_bf16", name, [floats([10], torch.bfloat16)], fn, HALF)
        add(f"{name}_f16", name, [floats([10], torch.float16)], fn, HALF)
    if name in ("floor", "ceil", "round", "trunc", "neg", "abs", "sign", "square", "relu",
                "clamp", "isnan", "isinf", "isfinite", "exp", "sqrt", "sigmoid", "reciprocal"):
        add(f"{name}_i64", name, [ints([7])], fn, F32 if name in TRANSCENDENTAL | {"reciprocal"} else EXACT)
        add(f"{name}_i32", name, [ints([7], dtype=torch.int32)], fn, F32 if name in TRANSCENDENTAL | {"reciprocal"} else EXACT)

# ---------------------------------------------------------------- binary ops
BINARY = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
    "div_floor": lambda a, b: torch.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda a, b: torch.div(a, b, rounding_mode="trunc"),
    "floor_divide": torch.floor_divide, "remainder": torch.remainder, "pow": torch.pow,
    "minimum": torch.minimum, "maximum": torch.maximum, "eq": torch.eq, "ne": torch.ne,
    "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge,
    "logical_and": torch.logical_and, "logical_or": torch.logical_or, "logical_xor": torch.logical_xor,
}
for name, fn in BINARY.items():
    tol = F32_TRANSCENDENTAL if name == "pow" else F32
    a, b = floats([3, 1, 4], special=True), floats([2, 4])
    if name == "pow":
        a, b = floats([3, 1, 4]).abs() + 0.1, floats([2, 4])
    add(f"{name}_broadcast_f32", name, [a, b], fn, tol)
    add(f"{name}_f64", name, [floats([2, 3], torch.float64, special=True), floats([2, 3], torch.float64)], fn, F64)
    add(f"{name}_transposed", name, [Input(floats([4, 3]), [("t",)]), floats([3, 4])], fn, tol)
    add(f"{name}_expanded", name, [Input(floats([1, 5]), [("expand", [3, 5])]), floats([3, 1])], fn, tol)
    add(f"{name}_empty", name, [floats([0, 4]), floats([4])], fn, EXACT)
    add(f"{name}_0d_with_tensor", name, [torch.tensor(1.5, dtype=torch.float64), floats([3])], fn, tol)
    if name != "pow":
        nonzero = ints([6], 1, 5) * (torch.randint(0, 2, [6]) * 2 - 1)
        add(f"{name}_i64", name, [ints([6]), nonzero], fn, F32 if name == "div" else EXACT)
        add(f"{name}_i32_i64", name, [ints([6], dtype=torch.int32), nonzero], fn, F32 if name == "div" else EXACT)
        add(f"{name}_u8_i8", name, [ints([6], 0, 20, torch.uint8), (ints([6], 1, 5) * -1).to(torch.int8)], fn,
            F32 if name == "div" else EXACT)
    else:
        add("pow_i64", name, [ints([6], -3, 4), ints([6], 0, 4)], fn, EXACT)
    add(f"{name}_int_float", name, [ints([5], 1, 6), floats([5]).abs() + 0.5], fn, tol)
    add(f"{name}_f32_f64", name, [floats([4]), floats([4], torch.float64).abs() + 0.5], fn, tol)
    add(f"{name}_bf16", name, [floats([6], torch.bfloat16), floats([6], torch.bfloat16).abs() + 0.5], fn, HALF)
    if name.startswith("logical") or name in ("eq", "ne", "lt", "le", "gt", "ge", "add", "mul"):
        add(f"{name}_bool", name, [torch.tensor([True, False, True, False]), torch.tensor([True, True, False, False])], fn, EXACT)

# Scalars: a Swift/Python scalar never widens the tensor within its kind.
for name, fn in {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
                 "pow": torch.pow, "remainder": torch.remainder}.items():
    add(f"{name}_scalar_float_on_f32", f"{name}_scalar", [floats([5]).abs() + 0.1], lambda x: fn(x, 2.5), F32_TRANSCENDENTAL, scalar=2.5)
    add(f"{name}_scalar_float_on_f64", f"{name}_scalar", [floats([5], torch.float64).abs() + 0.1], lambda x: fn(x, 2.5), F64, scalar=2.5)
    add(f"{name}_scalar_float_on_i64", f"{name}_scalar", [ints([5], 1, 9)], lambda x: fn(x, 2.5), F32_TRANSCENDENTAL, scalar=2.5)
    add(f"{name}_scalar_int_on_i32", f"{name}_scalar_int", [ints([5], 1, 9, torch.int32)], lambda x: fn(x, 3), F32, scalar=3)
    add(f"{name}_scalar_int_on_f16", f"{name}_scalar_int", [floats([5], torch.float16).abs() + 0.5], lambda x: fn(x, 3), HALF, scalar=3)
    if name != "sub":
        add(f"{name}_scalar_int_on_bool", f"{name}_scalar_int", [torch.tensor([True, False, True])], lambda x: fn(x, 3), F32, scalar=3)

add("where_broadcast", "where", [floats([3, 1]) > 0, floats([1, 4]), floats([3, 4], torch.float64)], torch.where, F64)
add("where_int", "where", [ints([5]) > 0, ints([5]), ints([5], dtype=torch.int32)], torch.where, EXACT)
add("clamp_tensor", "clamp_tensor", [floats([3, 4]), floats([4]) - 1, floats([3, 1]) + 1], lambda x, lo, hi: torch.clamp(x, lo, hi), F32)


# ---------------------------------------------------------------- reductions
_floats, _add = floats, add

def reduction_cases(name, fn, dtypes, tol32, tol64, int_ok=False, nan_ok=True, extra=None, scale=2.0, shift=0.0):
    extra = extra or {}

    def floats(shape, dtype=torch.float32, special=False):
        return _floats(shape, dtype, scale=scale, special=special) + shift

    def add(name, op, inputs, fn, tol, **args):
        _add(name, op, inputs, fn, tol, **args, **extra)

    for dims, keep in [(None, False), ([1], False), ([0, 2], True), ([-1], True), ([0, 1, 2], False)]:
        suffix = "all" if dims is None else "_".join(str(d) for d in dims)
        add(f"{name}_f32_{suffix}{'_keep' if keep else ''}", name, [floats([3, 4, 5])],
            lambda x: fn(x, dims, keep), tol32, dims=dims, keepDim=keep)
    add(f"{name}_f64_1", name, [floats([3, 7], torch.float64)], lambda x: fn(x, [1], False), tol64, dims=[1], keepDim=False)
    add(f"{name}_transposed_1", name, [Input(floats([6, 5]), [("t",)])], lambda x: fn(x, [1], False), tol32, dims=[1], keepDim=False)
    add(f"{name}_permuted_02", name, [Input(floats([4, 3, 5]), [("permute", [2, 0, 1])])], lambda x: fn(x, [0, 2], False), tol32, dims=[0, 2], keepDim=False)
    add(f"{name}_long_row", name, [floats([2, 1100])], lambda x: fn(x, [1], False), tol32, dims=[1], keepDim=False)
    add(f"{name}_scalar", name, [torch.tensor(2.5)], lambda x: fn(x, None, False), tol32, dims=None, keepDim=False)
    if nan_ok:
        add(f"{name}_nan", name, [floats([3, 12], special=True)], lambda x: fn(x, [1], False), tol32, dims=[1], keepDim=False)
    if int_ok:
        add(f"{name}_i32", name, [ints([4, 5], dtype=torch.int32)], lambda x: fn(x, [0], False), EXACT, dims=[0], keepDim=False)
        add(f"{name}_bool", name, [ints([4, 5]) > 0], lambda x: fn(x, [1], False), EXACT, dims=[1], keepDim=False)


def d(dims):
    return tuple(dims) if dims is not None else None


reduction_cases("sum", lambda x, dims, k: x.sum(d(dims), keepdim=k) if dims is not None else x.sum(), None, REDUCE32, REDUCE64, int_ok=True)
reduction_cases("mean", lambda x, dims, k: x.mean(d(dims), keepdim=k) if dims is not None else x.mean(), None, REDUCE32, REDUCE64)
reduction_cases("prod", lambda x, dims, k: x.prod(dims[0], keepdim=k) if dims is not None and len(dims) == 1 else (x.prod() if dims is None or len(dims) == x.dim() else x.prod(dims[1], keepdim=True).prod(dims[0], keepdim=True) if k else x.prod(dims[1]).prod(dims[0])), None, REDUCE32, REDUCE64, scale=0.02, shift=1.0)
reduction_cases("amax", lambda x, dims, k: x.amax(d(dims) or (), keepdim=k), None, EXACT, EXACT, int_ok=True)
reduction_cases("amin", lambda x, dims, k: x.amin(d(dims) or (), keepdim=k), None, EXACT, EXACT, int_ok=True)
reduction_cases("var", lambda x, dims, k: x.var(d(dims), keepdim=k) if dims is not None else x.var(), None, REDUCE32, REDUCE64)
reduction_cases("std", lambda x, dims, k: x.std(d(dims), keepdim=k, correction=0) if dims is not None else x.std(correction=0), None, REDUCE32, REDUCE64, extra={"correction": 0})
reduction_cases("logsumexp", lambda x, dims, k: torch.logsumexp(x, d(dims) if dims is not None else tuple(range(x.dim())), keepdim=k), None, REDUCE32, REDUCE64)
reduction_cases("norm1", lambda x, dims, k: torch.linalg.vector_norm(x, 1, d(dims), keepdim=k), None, REDUCE32, REDUCE64)
reduction_cases("norm2", lambda x, dims, k: torch.linalg.vector_norm(x, 2, d(dims), keepdim=k), None, REDUCE32, REDUCE64)
reduction_cases("norminf", lambda x, dims, k: torch.linalg.vector_norm(x, float("inf"), d(dims), keepdim=k), None, REDUCE32, REDUCE64)
reduction_cases("all", lambda x, dims, k: x.all(d(dims), keepdim=k) if dims is not None else x.all(), None, EXACT, EXACT, int_ok=True)
reduction_cases("any", lambda x, dims, k: x.any(d(dims), keepdim=k) if dims is not None else x.any(), None, EXACT, EXACT, int_ok=True)
for name, fn in {"sum": lambda x: x.sum(1), "amax": lambda x: x.amax(1), "prod": lambda x: x.prod(1),
                 "all": lambda x: x.all(1), "any": lambda x: x.any(1), "mean": lambda x: x.mean(1)}.items():
    add(f"{name}_empty_dim", name, [floats([2, 0])], fn, EXACT, dims=[1], keepDim=False) if name not in ("amax",) else None

for name, fn in {"max_dim": lambda x, dim, k: tuple(x.max(dim, keepdim=k)),
                 "min_dim": lambda x, dim, k: tuple(x.min(dim, keepdim=k)),
                 "argmax": lambda x, dim, k: x.argmax(dim, keepdim=k),
                 "argmin": lambda x, dim, k: x.argmin(dim, keepdim=k)}.items():
    for dim, keep in [(0, False), (1, True), (-1, False)]:
        add(f"{name}_{dim}_{keep}", name, [floats([4, 6])], lambda x: fn(x, dim, keep), EXACT, dim=dim, keepDim=keep)
    add(f"{name}_ties_int", name, [torch.tensor([[3, 1, 3], [2, 2, 0]])], lambda x: fn(x, 1, False), EXACT, dim=1, keepDim=False)
    add(f"{name}_nan", name, [floats([3, 12], special=True)], lambda x: fn(x, 1, False), EXACT, dim=1, keepDim=False)
    add(f"{name}_transposed", name, [Input(floats([5, 4]), [("t",)])], lambda x: fn(x, 1, False), EXACT, dim=1, keepDim=False)
add("argmax_flat", "argmax_flat", [floats([4, 6])], lambda x: x.argmax(), EXACT)
add("argmin_flat", "argmin_flat", [floats([4, 6])], lambda x: x.argmin(), EXACT)

for dim in (0, 1, -1):
    add(f"cumsum_{dim}", "cumsum", [floats([4, 5])], lambda x: x.cumsum(dim), REDUCE32, dim=dim)
    add(f"softmax_{dim}", "softmax", [floats([4, 5, 3], scale=5)], lambda x: x.softmax(dim), F32_TRANSCENDENTAL, dim=dim)
    add(f"log_softmax_{dim}", "log_softmax", [floats([4, 5, 3], scale=5)], lambda x: x.log_softmax(dim), REDUCE32, dim=dim)
add("cumsum_i32", "cumsum", [ints([3, 4], dtype=torch.int32)], lambda x: x.cumsum(1), EXACT, dim=1)
add("cumsum_f64", "cumsum", [floats([3, 4], torch.float64)], lambda x: x.cumsum(1), REDUCE64, dim=1)
add("softmax_long", "softmax", [floats([3, 1037], scale=10)], lambda x: x.softmax(-1), F32_TRANSCENDENTAL, dim=-1)
add("log_softmax_long", "log_softmax", [floats([3, 1037], scale=10)], lambda x: x.log_softmax(-1), REDUCE32, dim=-1)
add("softmax_f64", "softmax", [floats([3, 7], torch.float64)], lambda x: x.softmax(-1), F64, dim=-1)
add("softmax_inf", "softmax", [torch.tensor([[1.0, float("-inf"), 2.0], [float("-inf")] * 3, [float("nan"), 1.0, 2.0]])],
    lambda x: x.softmax(-1), F32_TRANSCENDENTAL, dim=-1)
add("softmax_int", "softmax", [ints([2, 4])], lambda x: x.softmax(-1, dtype=torch.float32), F32_TRANSCENDENTAL, dim=-1)

# ---------------------------------------------------------------- linear algebra
MM = dict(rtol=1e-5, atol=1e-5)
for label, a, b in [
    ("1d_1d", floats([7]), floats([7])), ("2d_1d", floats([3, 7]), floats([7])),
    ("1d_2d", floats([7]), floats([7, 4])), ("2d_2d", floats([3, 7]), floats([7, 4])),
    ("3d_2d", floats([2, 3, 7]), floats([7, 4])), ("3d_3d", floats([2, 3, 7]), floats([2, 7, 4])),
    ("broadcast_batch", floats([2, 1, 3, 7]), floats([5, 7, 4])), ("1d_3d", floats([7]), floats([2, 7, 4])),
    ("3d_1d", floats([2, 3, 7]), floats([7])),
    ("transposed_a", Input(floats([7, 3]), [("t",)]), floats([7, 4])),
    ("transposed_b", floats([3, 7]), Input(floats([4, 7]), [("t",)])),
    ("strided", Input(floats([6, 7]), [("slice", 0, 0, 6, 2)]), Input(floats([7, 8]), [("slice", 1, 0, 8, 2)])),
    ("batched_transposed", Input(floats([2, 7, 3]), [("t",)]), Input(floats([2, 4, 7]), [("t",)])),
    ("empty_k", floats([3, 0]), floats([0, 4])), ("empty_m", floats([0, 5]), floats([5, 4])),
    ("f64", floats([3, 5], torch.float64), floats([5, 2], torch.float64)),
    ("i64", ints([3, 5]), ints([5, 2])),
    ("bf16", floats([3, 5], torch.bfloat16), floats([5, 2], torch.bfloat16)),
]:
    tol = HALF if label == "bf16" else (EXACT if label == "i64" else (F64 if label == "f64" else MM))
    add(f"matmul_{label}", "matmul", [a, b], torch.matmul, tol)
add("mm", "mm", [floats([4, 6]), floats([6, 3])], torch.mm, MM)
add("bmm", "bmm", [floats([3, 4, 6]), floats([3, 6, 2])], torch.bmm, MM)
add("addmm", "addmm", [floats([3]), floats([2, 4]), floats([4, 3])], lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2.0), MM, beta=0.5, alpha=2.0)
add("outer", "outer", [floats([4]), floats([3])], torch.outer, F32)
add("dot", "dot", [floats([9]), floats([9])], torch.dot, MM)
add("matmul_large", "matmul", [floats([65, 130]), floats([130, 33])], torch.matmul, dict(rtol=1e-4, atol=1e-4))

# ---------------------------------------------------------------- views
base = floats([2, 3, 4])
add("reshape_contiguous", "reshape", [base], lambda x: x.reshape(4, -1), EXACT, shape=[4, -1])
add("reshape_transposed", "reshape", [Input(floats([4, 6]), [("t",)])], lambda x: x.reshape(-1), EXACT, shape=[-1])
add("reshape_permuted", "reshape", [Input(base, [("permute", [2, 0, 1])])], lambda x: x.reshape(8, 3), EXACT, shape=[8, 3])
add("permute", "permute", [base], lambda x: x.permute(2, 0, 1), EXACT, dims=[2, 0, 1])
add("transpose", "transpose", [base], lambda x: x.transpose(0, 2), EXACT, dim0=0, dim1=2)
add("t", "t", [floats([3, 5])], lambda x: x.t(), EXACT)
add("narrow", "narrow", [base], lambda x: x.narrow(2, 1, 2), EXACT, dim=2, start=1, length=2)
add("slice_step", "slice", [floats([9, 4])], lambda x: x[1:8:3], EXACT, dim=0, start=1, end=8, step=3)
add("slice_negative", "slice", [floats([9, 4])], lambda x: x[:, -3:], EXACT, dim=1, start=-3, end=4, step=1)
add("select", "select", [base], lambda x: x[:, 2], EXACT, dim=1, index=2)
add("select_negative", "select", [base], lambda x: x[..., -1], EXACT, dim=-1, index=-1)
add("flatten", "flatten", [base], lambda x: x.flatten(1), EXACT, startDim=1, endDim=-1)
add("flatten_transposed", "flatten", [Input(base, [("permute", [2, 1, 0])])], lambda x: x.flatten(), EXACT, startDim=0, endDim=-1)
add("unflatten", "unflatten", [floats([2, 12])], lambda x: x.unflatten(1, (3, -1)), EXACT, dim=1, sizes=[3, -1])
add("squeeze", "squeeze", [floats([1, 3, 1, 2])], lambda x: x.squeeze(), EXACT)
add("squeeze_dim", "squeeze_dim", [floats([1, 3, 1, 2])], lambda x: x.squeeze(2), EXACT, dim=2)
add("unsqueeze", "unsqueeze", [floats([3, 2])], lambda x: x.unsqueeze(-1), EXACT, dim=-1)
add("expand", "expand", [floats([3, 1])], lambda x: x.expand(2, 3, 4), EXACT, shape=[2, 3, 4])
add("expand_keep", "expand", [floats([3, 1])], lambda x: x.expand(-1, 5), EXACT, shape=[-1, 5])
add("split", "split", [floats([7, 2])], lambda x: x.split(3), EXACT, size=3, dim=0)
add("split_sizes", "split_sizes", [floats([2, 7])], lambda x: x.split([2, 5], 1), EXACT, sizes=[2, 5], dim=1)
add("chunk", "chunk", [floats([7, 2])], lambda x: x.chunk(3), EXACT, chunks=3, dim=0)
add("chunk_uneven", "chunk", [floats([2, 5])], lambda x: x.chunk(4, 1), EXACT, chunks=4, dim=1)
add("movedim", "movedim", [base], lambda x: x.movedim(0, -1), EXACT, source=0, destination=-1)
add("contiguous_transposed", "contiguous", [Input(floats([33, 47]), [("t",)])], lambda x: x.contiguous(), EXACT)
add("to_int", "to", [floats([8], special=False) * 3], lambda x: x.to(torch.int64), EXACT, dtype="int64")
add("to_uint8", "to", [torch.tensor([-1.5, 0.0, 1.7, 255.0, 300.0])], lambda x: x.to(torch.int32).to(torch.uint8), EXACT, dtype="uint8")
add("to_bool", "to", [torch.tensor([0.0, -0.0, 2.0, float("nan")])], lambda x: x.to(torch.bool), EXACT, dtype="bool")
add("to_f16", "to", [floats([8])], lambda x: x.to(torch.float16), EXACT, dtype="float16")
add("to_bf16", "to", [floats([8])], lambda x: x.to(torch.bfloat16), EXACT, dtype="bfloat16")
add("to_f64_from_i64", "to", [ints([6], -1000, 1000)], lambda x: x.to(torch.float64), EXACT, dtype="float64")
add("to_i8_wrap", "to", [ints([6], -300, 300)], lambda x: x.to(torch.int8), EXACT, dtype="int8")

# ---------------------------------------------------------------- creation
add("arange_int", "arange", [], lambda: torch.arange(2, 11, 3), EXACT, start=2, end=11, step=3)
add("arange_float", "arange", [], lambda: torch.arange(0, 1, 0.1), F32, start=0, end=1, step=0.1)
add("arange_negative", "arange", [], lambda: torch.arange(5, -3, -2), EXACT, start=5, end=-3, step=-2)
add("linspace", "linspace", [], lambda: torch.linspace(-1, 2, 7), F32, start=-1, end=2, steps=7)
add("linspace_one", "linspace", [], lambda: torch.linspace(3, 5, 1), F32, start=3, end=5, steps=1)
add("eye", "eye", [], lambda: torch.eye(3, 4), EXACT, n=3, m=4)
add("full_i32", "full", [], lambda: torch.full((2, 3), 7, dtype=torch.int32), EXACT, shape=[2, 3], value=7, dtype="int32")


# ---------------------------------------------------------------- indexing
idx = torch.tensor([2, 0, 2, -1])
add("index_select_0", "index_select", [floats([4, 3]), idx], lambda x, i: x.index_select(0, i % 4), EXACT, dim=0)
add("index_select_1_transposed", "index_select", [Input(floats([3, 5]), [("t",)]), torch.tensor([1, 1, 0])], lambda x, i: x.index_select(1, i), EXACT, dim=1)
add("index_select_i32", "index_select", [ints([5, 2], dtype=torch.int32), torch.tensor([4, 3])], lambda x, i: x.index_select(0, i), EXACT, dim=0)
g_idx = torch.randint(0, 4, (3, 5))
add("gather_1", "gather", [floats([3, 4]), g_idx], lambda x, i: x.gather(1, i), EXACT, dim=1)
add("gather_0", "gather", [floats([4, 5]), torch.randint(0, 4, (2, 5))], lambda x, i: x.gather(0, i), EXACT, dim=0)
add("gather_transposed", "gather", [Input(floats([4, 3]), [("t",)]), torch.randint(0, 4, (3, 2))], lambda x, i: x.gather(1, i), EXACT, dim=1)
add("take_along_dim", "take_along_dim", [floats([3, 4]), torch.randint(0, 4, (1, 2))], lambda x, i: torch.take_along_dim(x, i, 1), EXACT, dim=1)
add("take_along_dim_argsort", "take_along_dim", [floats([3, 4]), floats([3, 4]).argsort(1)], lambda x, i: torch.take_along_dim(x, i, 1), EXACT, dim=1)
s_idx = torch.tensor([[0, 1, 2, 0], [2, 0, 0, 1]])
add("scatter_0", "scatter", [torch.zeros(3, 4), s_idx, floats([2, 4])], lambda x, i, s: x.scatter(0, i, s), EXACT, dim=0)
add("scatter_1", "scatter", [torch.zeros(2, 5), torch.tensor([[0, 1, 4], [2, 3, 1]]), floats([2, 3])], lambda x, i, s: x.scatter(1, i, s), EXACT, dim=1)
add("scatter_add_0", "scatter_add", [floats([3, 4]), torch.tensor([[0, 1, 2, 0], [0, 1, 0, 0], [2, 2, 2, 2]]), floats([3, 4])], lambda x, i, s: x.scatter_add(0, i, s), F32, dim=0)
add("scatter_add_i64", "scatter_add", [ints([5]), torch.tensor([0, 0, 4, 4, 4]), ints([5])], lambda x, i, s: x.scatter_add(0, i, s), EXACT, dim=0)
m = floats([3, 4]) > 0
add("masked_fill", "masked_fill", [floats([3, 4]), m], lambda x, m: x.masked_fill(m, -1.5), EXACT, value=-1.5)
add("masked_fill_broadcast", "masked_fill", [floats([3, 4]), torch.tensor([True, False, False, True])], lambda x, m: x.masked_fill(m, float("-inf")), EXACT, value="-inf")
add("masked_select", "masked_select", [floats([3, 4]), m], lambda x, m: x.masked_select(m), EXACT)
add("masked_select_broadcast", "masked_select", [floats([3, 4]), torch.tensor([True, False, False, True])], lambda x, m: x.masked_select(m), EXACT)
add("bool_index", "bool_index", [floats([4, 3]), torch.tensor([True, False, True, True])], lambda x, m: x[m], EXACT)
add("bool_index_full", "bool_index", [floats([4, 3]), m.t().contiguous()], lambda x, m: x[m], EXACT)
add("int_index", "int_index", [floats([5, 2]), torch.tensor([[4, 0], [1, 1]])], lambda x, i: x[i], EXACT)
add("nonzero", "nonzero", [ints([3, 4], 0, 2)], lambda x: x.nonzero(), EXACT)

# ---------------------------------------------------------------- joining
add("cat_0", "cat", [floats([2, 3]), floats([1, 3]), floats([0, 3])], lambda *t: torch.cat(t, 0), EXACT, dim=0)
add("cat_1_promote", "cat", [floats([2, 3]), ints([2, 1]), floats([2, 2], torch.float64)], lambda *t: torch.cat(t, 1), EXACT, dim=1)
add("cat_transposed", "cat", [Input(floats([3, 2]), [("t",)]), floats([2, 3])], lambda *t: torch.cat(t, -1), EXACT, dim=-1)
add("cat_legacy_empty", "cat", [torch.zeros(0), floats([2, 3])], lambda *t: torch.cat(t, 0), EXACT, dim=0)
add("stack_0", "stack", [floats([2, 3]), floats([2, 3])], lambda *t: torch.stack(t, 0), EXACT, dim=0)
add("stack_last", "stack", [floats([2, 3]), floats([2, 3]), floats([2, 3])], lambda *t: torch.stack(t, -1), EXACT, dim=-1)
P = torch.nn.functional.pad
add("pad_constant", "pad", [floats([2, 3, 4])], lambda x: P(x, (1, 2, 0, 1), value=0.5), EXACT, pads=[1, 2, 0, 1], mode="constant", value=0.5)
add("pad_negative", "pad", [floats([2, 3, 4])], lambda x: P(x, (-1, 2)), EXACT, pads=[-1, 2], mode="constant", value=0)
add("pad_reflect", "pad", [floats([1, 2, 4, 5])], lambda x: P(x, (2, 1, 3, 2), mode="reflect"), EXACT, pads=[2, 1, 3, 2], mode="reflect")
add("pad_replicate", "pad", [floats([1, 2, 4, 5])], lambda x: P(x, (2, 1, 3, 2), mode="replicate"), EXACT, pads=[2, 1, 3, 2], mode="replicate")
add("pad_circular", "pad", [floats([1, 2, 4, 5])], lambda x: P(x, (2, 1, 3, 2), mode="circular"), EXACT, pads=[2, 1, 3, 2], mode="circular")
add("pad_reflect_1d", "pad", [floats([2, 3, 6])], lambda x: P(x, (3, 4), mode="reflect"), EXACT, pads=[3, 4], mode="reflect")
add("flip", "flip", [floats([2, 3, 4])], lambda x: x.flip(0, 2), EXACT, dims=[0, 2])
add("flip_transposed", "flip", [Input(floats([3, 4]), [("t",)])], lambda x: x.flip(-1), EXACT, dims=[-1])
add("roll_dims", "roll", [floats([3, 4])], lambda x: x.roll((1, -3), (0, 1)), EXACT, shifts=[1, -3], dims=[0, 1])
add("roll_flat", "roll", [floats([3, 4])], lambda x: x.roll(5), EXACT, shifts=[5], dims=[])
add("repeat", "repeat", [floats([2, 3])], lambda x: x.repeat(2, 1, 3), EXACT, sizes=[2, 1, 3])
add("repeat_transposed", "repeat", [Input(floats([3, 2]), [("t",)])], lambda x: x.repeat(2, 2), EXACT, sizes=[2, 2])
add("tile", "tile", [floats([2, 3])], lambda x: x.tile((2,)), EXACT, sizes=[2])
add("tril", "tril", [floats([4, 5])], lambda x: x.tril(), EXACT, diagonal=0)
add("tril_batched", "tril", [floats([2, 3, 4])], lambda x: x.tril(-1), EXACT, diagonal=-1)
add("triu", "triu", [floats([4, 5])], lambda x: x.triu(1), EXACT, diagonal=1)
add("triu_i64", "triu", [ints([3, 3])], lambda x: x.triu(), EXACT, diagonal=0)
add("one_hot", "one_hot", [torch.tensor([0, 3, 1, 1])], lambda x: torch.nn.functional.one_hot(x), EXACT, numClasses=-1)
add("one_hot_classes", "one_hot", [torch.tensor([[0, 2], [1, 1]])], lambda x: torch.nn.functional.one_hot(x, 5), EXACT, numClasses=5)

# ---------------------------------------------------------------- sorting
distinct = torch.randperm(20).reshape(4, 5).float() * 0.5 - 3
add("sort_last", "sort", [distinct], lambda x: tuple(x.sort(-1)), EXACT, dim=-1, descending=False)
add("sort_desc_0", "sort", [distinct], lambda x: tuple(x.sort(0, descending=True)), EXACT, dim=0, descending=True)
add("sort_ties_stable", "sort", [torch.tensor([[3, 1, 3, 2, 1, 3]])], lambda x: tuple(x.sort(dim=-1, stable=True)), EXACT, dim=-1, descending=False)
add("sort_ties_stable_desc", "sort", [torch.tensor([[3, 1, 3, 2, 1, 3]])], lambda x: tuple(x.sort(dim=-1, descending=True, stable=True)), EXACT, dim=-1, descending=True)
add("sort_nan", "sort", [torch.tensor([[2.0, float("nan"), -1.0, float("inf"), 0.5]])], lambda x: tuple(x.sort(-1)), EXACT, dim=-1, descending=False)
add("sort_nan_desc", "sort", [torch.tensor([[2.0, float("nan"), -1.0, float("inf"), 0.5]])], lambda x: tuple(x.sort(-1, descending=True)), EXACT, dim=-1, descending=True)
add("argsort", "argsort", [distinct], lambda x: x.argsort(1), EXACT, dim=1, descending=False)
add("argsort_desc_transposed", "argsort", [Input(distinct, [("t",)])], lambda x: x.argsort(0, descending=True), EXACT, dim=0, descending=True)
add("topk", "topk", [distinct], lambda x: tuple(x.topk(3, -1)), EXACT, k=3, dim=-1, largest=True)
add("topk_smallest_0", "topk", [distinct], lambda x: tuple(x.topk(2, 0, largest=False)), EXACT, k=2, dim=0, largest=False)

# ---------------------------------------------------------------- printing
def rep(name, t):
    cases.append({"name": f"repr_{name}", "op": "repr", "args": {}, "inputs": [encode(t) | {"views": []}],
                  "outputs": [], "rtol": 0, "atol": 0, "repr": repr(t)})

rep("f32_matrix", torch.tensor([[1.0, 2.5], [-3.25, 4.0]]))
rep("f32_int_mode", torch.tensor([1.0, 2.0, -30.0]))
rep("f32_sci", torch.tensor([1e-5, 1.0, 123456.0]))
rep("f32_large", torch.tensor([1e9, 2.0]))
rep("f32_special", torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5]))
rep("f32_scalar", torch.tensor(3.14159))
rep("f32_3d", floats([2, 2, 3]))
rep("f32_long_row", floats([30]))
rep("f32_summarized", floats([40, 50]))
rep("f32_summarized_1d", floats([2000]))
rep("f64", floats([3], torch.float64))
rep("f16", floats([3], torch.float16))
rep("bf16", floats([3], torch.bfloat16))
rep("i64", ints([2, 3], -100, 100))
rep("i32", ints([4], dtype=torch.int32))
rep("u8", ints([3], 0, 255, torch.uint8))
rep("bool", torch.tensor([[True, False], [False, True]]))
rep("empty", torch.zeros(0))
rep("empty_2d", torch.zeros(0, 3))
rep("empty_i32", torch.zeros(2, 0, dtype=torch.int32))
rep("zeros", torch.zeros(2, 2))
rep("negative_zero_small", torch.tensor([0.0001, -0.5, 0.25]))


# ---------------------------------------------------------------- type promotion
ALL = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32,
       torch.int16, torch.int8, torch.uint8, torch.bool]
for a in ALL:
    for b in ALL:
        x, y = torch.tensor([1, 0, 1]).to(a), torch.tensor([1, 1, 0]).to(b)
        add(f"promote_{DTYPES[a]}_{DTYPES[b]}", "add", [x, y], torch.add, EXACT)
        add(f"promote_{DTYPES[a]}_0d_{DTYPES[b]}", "mul", [x, torch.tensor(1).to(b)], torch.mul, EXACT)

json.dump({"torch": torch.__version__, "cases": cases}, open(OUT, "w"), separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT}")
