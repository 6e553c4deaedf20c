"""Reference values for EmberNN and EmberOptim, computed by PyTorch.

Writes Tests/Fixtures/nn/nn.json: state-dict keys, layer forward and backward
(weights, inputs, outputs, gradients), losses with their input gradients, and
5-step parameter trajectories of each optimizer. Regenerate with `make fixtures`.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixtures import encode

torch.manual_seed(7)
OUT = os.path.join(os.path.dirname(__file__), "..", "nn", "nn.json")
out = {"torch": torch.__version__}

# State-dict keys of containers and nesting.
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(8)
        self.fc = nn.Sequential(nn.Linear(8, 8), nn.GELU(), nn.Dropout(0.1), nn.Linear(8, 4, bias=False))
        self.embed = nn.Embedding(10, 8, padding_idx=0)
        self.heads = nn.ModuleList([nn.Linear(4, 2), nn.Linear(4, 3)])
        self.extra = nn.ModuleDict({"proj": nn.Linear(2, 2)})

out["keys"] = {"block": [[k, list(v.shape)] for k, v in Block().state_dict().items()]}

# Layers: forward and backward against an upstream gradient.
layers = []


def layer_case(name, module, x, train=True, **args):
    module.train(train)
    module.zero_grad()
    params = {k: encode(v) for k, v in module.state_dict().items()}
    x = x.clone().requires_grad_(x.is_floating_point())
    y = module(x)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    layers.append({
        "name": name, "args": args,
        "params": params, "train": train,
        "buffers_after": {k: encode(v) for k, v in module.named_buffers()},
        "input": encode(x), "output": encode(y), "upstream": encode(g),
        "input_grad": encode(x.grad) if x.grad is not None else None,
        "param_grads": {k: encode(p.grad) for k, p in module.named_parameters()},
    })


layer_case("linear", nn.Linear(4, 3), torch.randn(5, 4), inFeatures=4, outFeatures=3, bias=True)
layer_case("linear_nobias_3d", nn.Linear(4, 2, bias=False), torch.randn(2, 3, 4), inFeatures=4, outFeatures=2, bias=False)
ln = nn.LayerNorm(6)
with torch.no_grad():
    ln.weight.normal_(); ln.bias.normal_()
layer_case("layernorm", ln, torch.randn(3, 5, 6) * 3 + 1, shape=[6], eps=1e-5)
ln2 = nn.LayerNorm([5, 6], eps=1e-3)
with torch.no_grad():
    ln2.weight.normal_(); ln2.bias.normal_()
layer_case("layernorm_2d", ln2, torch.randn(2, 5, 6), shape=[5, 6], eps=1e-3)
layer_case("embedding_padding", nn.Embedding(7, 3, padding_idx=2), torch.tensor([[0, 2, 6], [2, 2, 1]]),
           num=7, dim=3, paddingIdx=2)
layer_case("conv", nn.Conv2d(3, 4, 3), torch.randn(2, 3, 7, 6), cin=3, cout=4, k=[3, 3])
layer_case("conv_stride_pad_dilation", nn.Conv2d(2, 4, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1)),
           torch.randn(2, 2, 9, 8), cin=2, cout=4, k=[3, 2], stride=[2, 1], padding=[1, 2], dilation=[2, 1])
layer_case("conv_groups_nobias", nn.Conv2d(4, 6, 3, padding=1, groups=2, bias=False), torch.randn(1, 4, 5, 5),
           cin=4, cout=6, k=[3, 3], padding=[1, 1], groups=2, bias=False)
layer_case("conv_depthwise_same", nn.Conv2d(3, 3, 4, padding="same", groups=3), torch.randn(2, 3, 6, 6),
           cin=3, cout=3, k=[4, 4], same=True, groups=3)
layer_case("conv_reflect", nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), torch.randn(1, 2, 5, 4),
           cin=2, cout=3, k=[3, 3], padding=[1, 1], reflect=True)
layer_case("maxpool", nn.MaxPool2d(2), torch.randn(2, 3, 6, 7), k=[2, 2])
layer_case("maxpool_pad_stride_ceil", nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), torch.randn(1, 2, 8, 7),
           k=[3, 3], stride=[2, 2], padding=[1, 1], ceil=True)
layer_case("avgpool_pad_exclude", nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False, ceil_mode=True),
           torch.randn(1, 2, 8, 7), k=[3, 3], stride=[2, 2], padding=[1, 1], ceil=True, includePad=False)
layer_case("avgpool", nn.AvgPool2d(2, stride=1), torch.randn(2, 2, 5, 5), k=[2, 2], stride=[1, 1])
layer_case("adaptive_avg", nn.AdaptiveAvgPool2d((3, 2)), torch.randn(2, 3, 7, 5), out=[3, 2])
layer_case("adaptive_avg_global", nn.AdaptiveAvgPool2d(1), torch.randn(2, 3, 4, 5), out=[1, 1])
layer_case("adaptive_max", nn.AdaptiveMaxPool2d((2, 3)), torch.randn(1, 2, 5, 7), out=[2, 3])
gn = nn.GroupNorm(2, 6)
with torch.no_grad():
    gn.weight.normal_(); gn.bias.normal_()
layer_case("groupnorm", gn, torch.randn(3, 6, 4, 5) * 2 + 0.5, groups=2, channels=6)
bn = nn.BatchNorm2d(3)
with torch.no_grad():
    bn.weight.normal_(); bn.bias.normal_(); bn.running_mean.normal_(); bn.running_var.uniform_(0.5, 2)
layer_case("batchnorm2d_train", bn, torch.randn(4, 3, 5, 5) * 2 + 1, features=3)
layer_case("batchnorm2d_eval", bn, torch.randn(4, 3, 5, 5), train=False, features=3)
bn1 = nn.BatchNorm1d(5, momentum=None)
layer_case("batchnorm1d_cumulative", bn1, torch.randn(8, 5), features=5, cumulative=True)
layer_case("conv1d", nn.Conv1d(3, 4, 3), torch.randn(2, 3, 9), cin=3, cout=4, k=3)
layer_case("conv1d_stride_pad_dilation_groups", nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2),
           torch.randn(2, 4, 11), cin=4, cout=6, k=3, stride=2, padding=2, dilation=2, groups=2)
layer_case("conv1d_same_reflect", nn.Conv1d(2, 3, 4, padding="same", padding_mode="reflect", bias=False),
           torch.randn(1, 2, 8), cin=2, cout=3, k=4, same=True, reflect=True, bias=False)
layer_case("conv_depthwise_stride_dilation", nn.Conv2d(4, 4, 3, stride=2, padding=2, dilation=2, groups=4),
           torch.randn(2, 4, 9, 8), cin=4, cout=4, k=[3, 3], stride=[2, 2], padding=[2, 2], dilation=[2, 2], groups=4)
layer_case("conv_depthwise_5x5_dilated", nn.Conv2d(3, 3, 5, padding=3, dilation=(2, 1), groups=3),
           torch.randn(2, 3, 9, 10), cin=3, cout=3, k=[5, 5], padding=[3, 3], dilation=[2, 1], groups=3)
layer_case("convtranspose", nn.ConvTranspose2d(3, 2, 3), torch.randn(2, 3, 4, 5), cin=3, cout=2, k=[3, 3])
layer_case("convtranspose_stride_pad_outpad", nn.ConvTranspose2d(4, 6, (3, 4), stride=(2, 3), padding=(1, 2),
                                                                  output_padding=(1, 2), groups=2, dilation=(1, 1)),
           torch.randn(2, 4, 5, 4), cin=4, cout=6, k=[3, 4], stride=[2, 3], padding=[1, 2], outputPadding=[1, 2], groups=2)
layer_case("convtranspose_dilation_nobias", nn.ConvTranspose2d(2, 3, 2, stride=2, dilation=2, bias=False),
           torch.randn(1, 2, 3, 3), cin=2, cout=3, k=[2, 2], stride=[2, 2], dilation=[2, 2], bias=False)
out["layers"] = layers

# Multi-head attention and transformer encoders (dropout 0, so training mode is deterministic).
transformers = []


def grads_of(module):
    return {k: encode(p.grad) for k, p in module.named_parameters()}


def mha_case(name, module, q, k, v, need_weights=True, average=True, **masks):
    module.train()
    module.zero_grad()
    params = {key: encode(val) for key, val in module.state_dict().items()}
    q, k, v = (t.clone().requires_grad_() for t in (q, k, v))
    y, w = module(q, k, v, need_weights=need_weights, average_attn_weights=average, **masks)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    transformers.append({
        "name": name, "kind": "mha", "params": params,
        "config": {"embed": module.embed_dim, "heads": module.num_heads, "kdim": module.kdim, "vdim": module.vdim,
                   "batchFirst": module.batch_first, "bias": module.in_proj_bias is not None,
                   "needWeights": need_weights, "average": average},
        "inputs": [encode(q), encode(k), encode(v)],
        "masks": {key: encode(val) for key, val in masks.items() if val is not None},
        "output": encode(y), "weights": encode(w) if w is not None else None, "upstream": encode(g),
        "input_grads": [encode(q.grad), encode(k.grad), encode(v.grad)], "param_grads": grads_of(module),
    })


E = 8
mha_case("mha_self", nn.MultiheadAttention(E, 2), *([torch.randn(5, 3, E)] * 3))
mha_case("mha_cross_batch_first_padding", nn.MultiheadAttention(E, 4, batch_first=True),
         torch.randn(2, 4, E), torch.randn(2, 6, E), torch.randn(2, 6, E),
         key_padding_mask=torch.tensor([[False] * 6, [False, False, False, True, True, True]]))
mha_case("mha_bool_attn_mask_heads", nn.MultiheadAttention(E, 2, batch_first=True), torch.randn(2, 3, E),
         torch.randn(2, 5, E), torch.randn(2, 5, E), average=False,
         attn_mask=torch.tensor([[False, True, False, False, True]] * 3))
mha_case("mha_float_mask_3d_kdim_vdim_nobias", nn.MultiheadAttention(E, 2, kdim=5, vdim=3, bias=False),
         torch.randn(4, 2, E), torch.randn(6, 2, 5), torch.randn(6, 2, 3), attn_mask=torch.randn(4, 4, 6))
mha_case("mha_unbatched_no_weights", nn.MultiheadAttention(E, 2), torch.randn(4, E), torch.randn(3, E),
         torch.randn(3, E), need_weights=False, key_padding_mask=torch.tensor([False, True, False]))


def encoder_case(name, module, x, batch_first, **masks):
    module.train()
    module.zero_grad()
    params = {key: encode(val) for key, val in module.state_dict().items()}
    x = x.clone().requires_grad_()
    y = module(x, **masks)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    layer = module.layers[0] if isinstance(module, nn.TransformerEncoder) else module
    transformers.append({
        "name": name, "kind": "encoder" if isinstance(module, nn.TransformerEncoder) else "encoder_layer",
        "params": params,
        "config": {"dModel": layer.self_attn.embed_dim, "nhead": layer.self_attn.num_heads,
                   "dimFeedforward": layer.linear1.out_features, "normFirst": layer.norm_first,
                   "gelu": layer.activation is F.gelu, "batchFirst": batch_first, "eps": layer.norm1.eps,
                   "numLayers": len(module.layers) if isinstance(module, nn.TransformerEncoder) else 1,
                   "finalNorm": isinstance(module, nn.TransformerEncoder) and module.norm is not None},
        "inputs": [encode(x)], "masks": {key: encode(val) for key, val in masks.items() if val is not None},
        "output": encode(y), "upstream": encode(g), "input_grads": [encode(x.grad)], "param_grads": grads_of(module),
    })


encoder_case("encoder_layer_relu_post_norm", nn.TransformerEncoderLayer(E, 2, 16, dropout=0.0), torch.randn(5, 2, E), False)
encoder_case("encoder_layer_gelu_pre_norm_padding",
             nn.TransformerEncoderLayer(E, 4, 12, dropout=0.0, activation="gelu", norm_first=True, batch_first=True),
             torch.randn(2, 5, E), True, src_key_padding_mask=torch.tensor([[False] * 5, [False, False, False, True, True]]))
encoder_case("encoder_layer_causal_mask", nn.TransformerEncoderLayer(E, 2, 16, dropout=0.0, batch_first=True, layer_norm_eps=1e-6),
             torch.randn(2, 4, E), True, src_mask=nn.Transformer.generate_square_subsequent_mask(4))
encoder_case("encoder_stack_final_norm",
             nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 2, 16, dropout=0.0, batch_first=True, norm_first=True),
                                   num_layers=2, norm=nn.LayerNorm(E), enable_nested_tensor=False),
             torch.randn(3, 4, E), True)
out["transformers"] = transformers

# Losses: value and gradient with respect to the input.
losses = []


def loss_case(name, fn, inp, target, **args):
    x = inp.clone().requires_grad_()
    y = fn(x, target)
    g = torch.randn_like(y) if y.dim() > 0 else torch.tensor(1.0)
    (y * g).sum().backward()
    losses.append({"name": name, "args": args, "input": encode(inp), "target": encode(target),
                   "output": encode(y), "upstream": encode(g), "input_grad": encode(x.grad),
                   "weight": encode(args.pop("_weight")) if "_weight" in args else None,
                   "pos_weight": encode(args.pop("_pos_weight")) if "_pos_weight" in args else None})


logits, labels = torch.randn(6, 5) * 2, torch.tensor([0, 4, 2, 2, 1, 3])
w = torch.rand(5) + 0.5
for red in ("mean", "sum", "none"):
    loss_case(f"ce_{red}", lambda x, t, r=red: F.cross_entropy(x, t, reduction=r), logits, labels, reduction=red)
loss_case("ce_weight", lambda x, t: F.cross_entropy(x, t, weight=w), logits, labels, _weight=w)
ign = torch.tensor([0, -100, 2, 2, -100, 3])
loss_case("ce_ignore", lambda x, t: F.cross_entropy(x, t), logits, ign, ignoreIndex=-100)
loss_case("ce_ignore_weight_smooth", lambda x, t: F.cross_entropy(x, t, weight=w, label_smoothing=0.2), logits, ign,
          _weight=w, labelSmoothing=0.2)
loss_case("ce_smooth_sum", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1, reduction="sum"), logits, labels,
          labelSmoothing=0.1, reduction="sum")
probs = torch.softmax(torch.randn(6, 5), 1)
loss_case("ce_probs", lambda x, t: F.cross_entropy(x, t), logits, probs)
loss_case("ce_probs_smooth_weight", lambda x, t: F.cross_entropy(x, t, weight=w, label_smoothing=0.3), logits, probs,
          _weight=w, labelSmoothing=0.3)
seg_logits, seg_labels = torch.randn(2, 4, 3, 3), torch.randint(0, 4, (2, 3, 3))
loss_case("ce_spatial", lambda x, t: F.cross_entropy(x, t), seg_logits, seg_labels)
loss_case("nll", lambda x, t: F.nll_loss(x, t, weight=w), torch.log_softmax(logits, 1), labels, _weight=w)
p = torch.rand(4, 3) * 0.98 + 0.01
tb = (torch.rand(4, 3) > 0.5).float()
loss_case("bce", lambda x, t: F.binary_cross_entropy(x, t), p, tb)
wb = torch.rand(4, 3)
loss_case("bce_weight_sum", lambda x, t: F.binary_cross_entropy(x, t, weight=wb, reduction="sum"), p, tb, _weight=wb,
          reduction="sum")
z = torch.randn(4, 3) * 4
pw = torch.tensor([1.0, 3.0, 0.5])
loss_case("bce_logits", lambda x, t: F.binary_cross_entropy_with_logits(x, t), z, tb)
loss_case("bce_logits_pos_weight", lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw), z, tb,
          _pos_weight=pw)
a, b = torch.randn(4, 5), torch.randn(4, 5)
loss_case("mse", F.mse_loss, a, b)
loss_case("mse_none", lambda x, t: F.mse_loss(x, t, reduction="none"), a, b, reduction="none")
loss_case("l1", F.l1_loss, a, b)
loss_case("smooth_l1", lambda x, t: F.smooth_l1_loss(x, t, beta=0.5), a, b, beta=0.5)
loss_case("huber", lambda x, t: F.huber_loss(x, t, delta=0.7), a, b, delta=0.7)
lp, tp = torch.log_softmax(torch.randn(3, 4), 1), torch.softmax(torch.randn(3, 4), 1)
loss_case("kl_batchmean", lambda x, t: F.kl_div(x, t, reduction="batchmean"), lp, tp, reduction="batchmean")
loss_case("kl_log_target_sum", lambda x, t: F.kl_div(x, t.log(), reduction="sum", log_target=True), lp, tp,
          reduction="sum", logTarget=True)
out["losses"] = losses

# Attention: value and gradients of q, k, v.
attention = []


def attention_case(name, mask=None, causal=False, scale=None):
    q, k, v = (torch.randn(2, 3, 5, 4).requires_grad_() for _ in range(3))
    y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal, scale=scale)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    attention.append({"name": name, "q": encode(q), "k": encode(k), "v": encode(v), "out": encode(y),
                      "upstream": encode(g), "grads": [encode(q.grad), encode(k.grad), encode(v.grad)],
                      "mask": encode(mask) if mask is not None else None, "causal": causal, "scale": scale})


attention_case("plain")
attention_case("causal", causal=True)
attention_case("bool_mask", mask=torch.rand(5, 5) > 0.3)
attention_case("float_mask_scale", mask=torch.randn(3, 5, 5), scale=0.3)
out["attention"] = attention

# Optimizers: 5 steps on a fixed quadratic-plus-linear loss.
c, d = torch.randn(3, 4), torch.randn(4)
p0, q0 = torch.randn(3, 4), torch.randn(4)


def objective(p, q):
    return ((p * c).sum(1) - q[:3]).pow(2).sum() + (q * d).sum() + (p * p).sum() * 0.1


def trajectory(make):
    p, q = p0.clone().requires_grad_(), q0.clone().requires_grad_()
    opt = make([p, q])
    steps = []
    for _ in range(5):
        opt.zero_grad()
        objective(p, q).backward()
        opt.step()
        steps.append([encode(p.detach().clone()), encode(q.detach().clone())])
    return steps


O = torch.optim
optim_cases = {
    "sgd": lambda ps: O.SGD(ps, lr=0.05),
    "sgd_momentum": lambda ps: O.SGD(ps, lr=0.05, momentum=0.9),
    "sgd_dampening_wd": lambda ps: O.SGD(ps, lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01),
    "sgd_nesterov": lambda ps: O.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.02),
    "adam": lambda ps: O.Adam(ps, lr=0.01),
    "adam_wd_amsgrad": lambda ps: O.Adam(ps, lr=0.02, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True),
    "adamw": lambda ps: O.AdamW(ps, lr=0.01),
    "adamw_amsgrad": lambda ps: O.AdamW(ps, lr=0.03, weight_decay=0.05, amsgrad=True, eps=1e-6),
    "rmsprop": lambda ps: O.RMSprop(ps, lr=0.01),
    "rmsprop_centered_momentum_wd": lambda ps: O.RMSprop(ps, lr=0.01, alpha=0.9, momentum=0.5, centered=True,
                                                         weight_decay=0.1),
    "adagrad": lambda ps: O.Adagrad(ps, lr=0.1),
    "adagrad_decay_init_wd": lambda ps: O.Adagrad(ps, lr=0.1, lr_decay=0.05, weight_decay=0.1,
                                                  initial_accumulator_value=0.2),
    "sgd_groups": lambda ps: O.SGD([{"params": [ps[0]], "lr": 0.1, "weight_decay": 0.05},
                                    {"params": [ps[1]]}], lr=0.01, momentum=0.5),
}
out["objective"] = {"c": encode(c), "d": encode(d), "p0": encode(p0), "q0": encode(q0)}
out["optimizers"] = {name: trajectory(make) for name, make in optim_cases.items()}

os.makedirs(os.path.dirname(OUT), exist_ok=True)
json.dump(out, open(OUT, "w"), separators=(",", ":"))
print(f"wrote {OUT}: {len(layers)} layers, {len(transformers)} attention modules, {len(losses)} losses, "
      f"{len(optim_cases)} optimizers")

# Schedulers: the learning rate after construction and after each of 40 steps.
S = torch.optim.lr_scheduler


def lr_sequence(make, metrics=None):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = make(opt)
    seq = [opt.param_groups[0]["lr"]]
    for i in range(40):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
        seq.append(opt.param_groups[0]["lr"])
    return [repr(v) for v in seq]


plateau_metrics = [1.0 / (1 + i) if i < 8 else 0.12 + 0.001 * (i % 3) for i in range(40)]
out["schedulers"] = {
    "step": lr_sequence(lambda o: S.StepLR(o, step_size=7, gamma=0.5)),
    "multistep": lr_sequence(lambda o: S.MultiStepLR(o, milestones=[3, 10, 10, 25], gamma=0.3)),
    "exponential": lr_sequence(lambda o: S.ExponentialLR(o, gamma=0.93)),
    "cosine": lr_sequence(lambda o: S.CosineAnnealingLR(o, T_max=12, eta_min=0.001)),
    "linear": lr_sequence(lambda o: S.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=9)),
    "lambda": lr_sequence(lambda o: S.LambdaLR(o, lambda e: 0.95 ** e + 0.01 * (e % 4))),
    "onecycle": lr_sequence(lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=41, cycle_momentum=False)),
    "onecycle_linear_three": lr_sequence(lambda o: S.OneCycleLR(o, max_lr=0.3, total_steps=50, pct_start=0.25,
                                                                anneal_strategy="linear", three_phase=True,
                                                                cycle_momentum=False)),
    "plateau": lr_sequence(lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1), plateau_metrics),
    "sequential_warmup_cosine": lr_sequence(lambda o: S.SequentialLR(
        o, [S.LinearLR(o, start_factor=0.1, total_iters=5), S.CosineAnnealingLR(o, T_max=30, eta_min=0.002)],
        milestones=[5])),
    "sequential_three": lr_sequence(lambda o: S.SequentialLR(
        o, [S.LinearLR(o, start_factor=0.5, end_factor=1.0, total_iters=3), S.StepLR(o, step_size=4, gamma=0.5),
            S.ExponentialLR(o, gamma=0.9)], milestones=[3, 15])),
    "sequential_multistep_lambda": lr_sequence(lambda o: S.SequentialLR(
        o, [S.MultiStepLR(o, milestones=[2, 4], gamma=0.5), S.LambdaLR(o, lambda e: 1.0 / (1 + e))], milestones=[10])),
}


# One-cycle momentum: the momentum (SGD) or beta1 (Adam) after each step.
def momentum_sequence(make_opt, key):
    opt = make_opt([torch.zeros(1, requires_grad=True)])
    sched = S.OneCycleLR(opt, max_lr=0.2, total_steps=30, pct_start=0.4, base_momentum=0.8, max_momentum=0.9)
    read = (lambda: opt.param_groups[0]["betas"][0]) if key == "beta1" else (lambda: opt.param_groups[0]["momentum"])
    seq = [(opt.param_groups[0]["lr"], read())]
    for _ in range(29):
        opt.step()
        sched.step()
        seq.append((opt.param_groups[0]["lr"], read()))
    return {"lr": [repr(a) for a, _ in seq], "momentum": [repr(b) for _, b in seq]}


out["onecycle_momentum"] = {
    "sgd": momentum_sequence(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), "momentum"),
    "adam": momentum_sequence(lambda ps: torch.optim.Adam(ps, lr=0.1), "beta1"),
}
out["plateau_metrics"] = [repr(m) for m in plateau_metrics]
json.dump(out, open(OUT, "w"), separators=(",", ":"))
print(f"added {len(out['schedulers'])} schedulers")
