"""PyTorch's `scheduler.state_dict()` for each learning-rate scheduler.

Writes Tests/Fixtures/nn/scheduler_state.json. Each case builds an optimizer
and a scheduler, takes a few steps and records:

  state   a JSON view of the state dict: Counter keys become strings, tuples
          lists, and non-finite floats "inf", "-inf" or "nan";
  schema  "path type" for every value in order (`_schedulers[1].last_epoch
          int`), which keeps what JSON loses: key order, int against float,
          Counter against dict;
  lrs     every group's rate after construction and after each step;
  momenta the first group's momentum (or Adam's beta1) alongside, for
          one-cycle schedules that cycle it.

Floats are JSON numbers; the Swift tests allow 1e-12 relative error because
Foundation's JSON reader on Linux rounds some doubles. Regenerate with
`make fixtures`.
"""
import json
import math
import os

import torch

S = torch.optim.lr_scheduler
OUT = os.path.join(os.path.dirname(__file__), "..", "nn", "scheduler_state.json")


def view(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, dict):
        return {str(k): view(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [view(x) for x in v]
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    raise TypeError(f"no JSON view for {type(v).__name__}")


def schema(v, path, out):
    if path:
        out.append(f"{path} {type(v).__name__}")
    if isinstance(v, dict):
        for k, x in v.items():
            schema(x, f"{path}.{k}" if path else str(k), out)
    elif isinstance(v, (list, tuple)):
        for i, x in enumerate(v):
            schema(x, f"{path}[{i}]", out)
    return out


def sgd():
    ps = [torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)]
    return torch.optim.SGD([{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.01}], lr=0.1, momentum=0.9)


def adam():
    return torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1)


def momentum(opt):
    g = opt.param_groups[0]
    return g["betas"][0] if "betas" in g else g["momentum"]


def case(make_opt, make, steps, metrics=None):
    opt = make_opt()
    sched = make(opt)
    lrs, momenta = [[g["lr"] for g in opt.param_groups]], [momentum(opt)]
    for i in range(steps):
        opt.step()
        sched.step() if metrics is None else sched.step(metrics[i])
        lrs.append([g["lr"] for g in opt.param_groups])
        momenta.append(momentum(opt))
    state = sched.state_dict()
    out = {"steps": steps, "state": view(state), "schema": schema(state, "", []), "lrs": lrs, "momenta": momenta}
    if metrics is not None:
        out["metrics"] = metrics
    return out


plateau_metrics = [1.0, 0.9, 0.95, 0.97, 0.96, 0.8, 0.85, 0.86]
cases = {
    "step": case(sgd, lambda o: S.StepLR(o, step_size=3, gamma=0.5), 5),
    "multistep": case(sgd, lambda o: S.MultiStepLR(o, milestones=[2, 4, 4], gamma=0.5), 5),
    "exponential": case(sgd, lambda o: S.ExponentialLR(o, gamma=0.9), 4),
    "cosine": case(sgd, lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.001), 7),
    "linear": case(sgd, lambda o: S.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=4), 3),
    "lambda": case(sgd, lambda o: S.LambdaLR(o, lambda e: 0.9 ** e), 4),
    "onecycle": case(sgd, lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=10), 4),
    "onecycle_adam_linear_three": case(adam, lambda o: S.OneCycleLR(
        o, max_lr=0.3, total_steps=12, pct_start=0.25, anneal_strategy="linear", three_phase=True), 6),
    "onecycle_no_momentum": case(sgd, lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=10, cycle_momentum=False), 3),
    "sequential": case(sgd, lambda o: S.SequentialLR(
        o, [S.LinearLR(o, start_factor=0.5, end_factor=1.0, total_iters=2), S.StepLR(o, step_size=2, gamma=0.5),
            S.ExponentialLR(o, gamma=0.9)], milestones=[2, 5]), 6),
    "plateau": case(sgd, lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=1, cooldown=1, min_lr=0.0),
                    len(plateau_metrics), plateau_metrics),
}
# The Counter is what the "multistep" case is for: make sure it stayed one.
assert "milestones Counter" in cases["multistep"]["schema"]

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {OUT}: {len(cases)} schedulers")
