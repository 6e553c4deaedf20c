"""What `ember classify photo.jpg` does, in Python with PyTorch: the cold-start
comparison of the Vision issue ("a cold ember classify of one image, from
process start to output"). EfficientNet-Lite0 with the cached ImageNet
weights, torchvision's tensor preprocessing (shorter side 256, center crop
224, (p − 127) / 128), softmax, top 5.

    python3 Benchmarks/classify_torch.py ~/.cache/ember/grace_hopper.jpg
    # timed against: .build/release/ember classify ~/.cache/ember/grace_hopper.jpg
"""
import os
import sys

import torch
import torchvision
import torchvision.transforms.functional as F
from efficientnet_lite_pytorch import EfficientNet
from torchvision.models._meta import _IMAGENET_CATEGORIES

cache = os.environ.get("EMBER_CACHE", os.path.expanduser("~/.cache/ember"))
model = EfficientNet.from_name("efficientnet-lite0")
model.load_state_dict(torch.load(os.path.join(cache, "efficientnet-lite0.pth"), weights_only=True))
model.eval()
image = torchvision.io.decode_jpeg(torchvision.io.read_file(sys.argv[1]))
x = F.center_crop(F.resize(image, [256], antialias=True), [224])
x = F.normalize(F.convert_image_dtype(x, torch.float32), [127 / 255] * 3, [128 / 255] * 3)
with torch.no_grad():
    probabilities = model(x.unsqueeze(0)).softmax(1)[0]
top = probabilities.topk(5)
print(sys.argv[1])
for p, i in zip(top.values.tolist(), top.indices.tolist()):
    print(f"  {p:.4f}  {_IMAGENET_CATEGORIES[i]} ({i})")
