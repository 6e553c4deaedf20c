"""Reference outputs of the vision models, for Ember's parity tests.

Full-size networks would need tens of megabytes of random weights, so both
sides fill every state-dict tensor from the same formula instead (see
`fill` and Tests/EmberVisionTests/ModelFixtures.swift): weights scaled by
1/sqrt(fan_in), BatchNorm halving its input, so activations stay near 1. The fixture holds
each model's state-dict keys and shapes (in order), and its output and
feature-map summary on a fixed input. Writes
Tests/Fixtures/vision/models.json. Regenerate with `make fixtures`.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torchvision
from efficientnet_lite_pytorch import EfficientNet

OUT = os.path.join(os.path.dirname(__file__), "..", "vision")
os.makedirs(OUT, exist_ok=True)


def formula(n, k):
    """sin(0.7·i + 1.3·k + 0.5) for i < n, in float64."""
    return torch.sin(torch.arange(n, dtype=torch.float64) * 0.7 + (1.3 * k + 0.5))


def fill(model):
    for k, (name, t) in enumerate(model.state_dict().items()):
        if t.dtype == torch.int64:  # num_batches_tracked
            t.zero_()
            continue
        s = formula(t.numel(), k)
        if name.endswith("running_var"):
            v = 1 + 0.2 * s.abs()
        elif name.endswith("running_mean") or name.endswith("bias"):
            v = 0.1 * s
        elif t.dim() == 1:  # BatchNorm weight
            v = 0.5 + 0.1 * s
        else:
            v = s / math.sqrt(t.numel() // t.shape[0])
        t.copy_(v.reshape(t.shape).to(t.dtype))


def image(shape):
    return (0.5 * formula(math.prod(shape), 0)).reshape(shape).float()


class CheXNet(nn.Module):
    """arnoweng/CheXNet's model: torchvision's DenseNet-121 with a 14-way sigmoid head."""

    def __init__(self):
        super().__init__()
        self.densenet121 = torchvision.models.densenet121()
        self.densenet121.classifier = nn.Sequential(nn.Linear(1024, 14), nn.Sigmoid())

    def forward(self, x):
        return self.densenet121(x)


def features(name, model, x):
    if name.startswith("densenet") :
        return torch.relu(model.features(x))
    if name == "chexnet":
        return torch.relu(model.densenet121.features(x))
    if name.startswith("resnet"):
        m = model
        x = m.maxpool(m.relu(m.bn1(m.conv1(x))))
        return m.layer4(m.layer3(m.layer2(m.layer1(x))))
    return model.extract_features(x)


models = {
    "densenet121": torchvision.models.densenet121(),
    "densenet169": torchvision.models.densenet169(),
    "densenet201": torchvision.models.densenet201(),
    "chexnet": CheXNet(),
    "resnet18": torchvision.models.resnet18(),
    "resnet50": torchvision.models.resnet50(),
    "efficientnet-lite0": EfficientNet.from_name("efficientnet-lite0"),
}
x = image((2, 3, 64, 64))
result = {"input_shape": list(x.shape)}
for name, model in models.items():
    fill(model)
    model.eval()
    with torch.no_grad():
        out = model(x)
        fmap = features(name, model, x)
    result[name] = {
        "keys": [[k, list(v.shape)] for k, v in model.state_dict().items()],
        "parameters": sum(p.numel() for p in model.parameters()),
        "output": out.flatten().tolist() if out.shape[-1] <= 14 else out[:, :50].flatten().tolist(),
        "output_shape": list(out.shape),
        "output_sum": [float(r) for r in out.double().sum(1)],
        "feature_shape": list(fmap.shape),
        "feature_sum": float(fmap.double().sum()),
        "feature_abs_sum": float(fmap.double().abs().sum()),
    }
    print(name, list(out.shape), result[name]["parameters"], float(out.abs().max()))

with open(os.path.join(OUT, "models.json"), "w") as f:
    json.dump(result, f, separators=(",", ":"))
