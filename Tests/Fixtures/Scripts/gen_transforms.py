"""torchvision's tensor transforms on small seeded images, for Ember's
Vision transforms tests (Tests/EmberVisionTests/Transform*Tests.swift).

Writes Tests/Fixtures/transforms/transforms.json: the input images once, then
one case per functional call (op name, input name, arguments, torchvision's
output). Tensors are stored as base64 of their little-endian bytes to keep the
file small. Needs torch and torchvision; never run by CI.
"""
import base64
import json
import os

import numpy as np
import torch
import torchvision
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode

OUT = os.path.join(os.path.dirname(__file__), "..", "transforms", "transforms.json")
DTYPES = {torch.uint8: "uint8", torch.float32: "float32"}
MODES = {"nearest": InterpolationMode.NEAREST, "nearest-exact": InterpolationMode.NEAREST_EXACT,
         "bilinear": InterpolationMode.BILINEAR, "bicubic": InterpolationMode.BICUBIC}


def encode(t):
    t = t.detach().contiguous()
    raw = t.numpy().astype("<f4" if t.dtype == torch.float32 else "u1").tobytes()
    return {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "b64": base64.b64encode(raw).decode()}


def make_inputs():
    g = torch.Generator().manual_seed(0)
    u8 = torch.randint(0, 256, (3, 23, 31), dtype=torch.uint8, generator=g)
    # A few grey and saturated pixels exercise the HSV branches (max == min, max == r == g).
    u8[:, 0, :4] = torch.tensor([7, 128, 200, 255], dtype=torch.uint8)
    u8[0, 1, :3] = 250
    u8[1, 1, :3] = 250
    f32 = torch.rand((3, 23, 31), generator=g)
    f32[:, 0, :3] = torch.tensor([0.0, 0.5, 1.0])
    return {"u8": u8, "f32": f32}


def main():
    torch.manual_seed(0)
    inputs = make_inputs()
    cases = []

    def add(op, inp, args, out):
        outs = out if isinstance(out, (list, tuple)) else [out]
        cases.append({"op": op, "input": inp, "args": args, "outputs": [encode(o) for o in outs]})

    # Resize: down- and upscaling, odd sizes, one axis only, each mode, antialias on/off.
    for inp in ("u8", "f32"):
        x = inputs[inp]
        for mode in ("bilinear", "bicubic"):
            for aa in (True, False):
                for size in ([12, 17], [5, 7], [31, 40], [23, 15], [9, 44]):
                    if inp == "f32" and (size in ([23, 15], [31, 40]) and not (size == [31, 40] and aa and mode == "bilinear")):
                        continue  # float outputs are 4× larger; u8 covers these shapes
                    add("resize", inp, {"size": size, "interpolation": mode, "antialias": aa},
                        F.resize(x, size, MODES[mode], antialias=aa))
        for mode in ("nearest", "nearest-exact"):
            for size in ([12, 17], [46, 62], [31, 40], [7, 31]):
                if inp == "f32" and size in ([46, 62], [31, 40]):
                    continue
                add("resize", inp, {"size": size, "interpolation": mode, "antialias": True},
                    F.resize(x, size, MODES[mode]))
        for size, max_size in (([11], None), ([40], None), ([16], 20)):
            args = {"size": size, "interpolation": "bilinear", "antialias": True}
            if max_size is not None:
                args["max_size"] = max_size
            add("resize", inp, args, F.resize(x, size, max_size=max_size))

    # Crops, including out-of-bounds ones (zero-padded), and centre crops larger than the image.
    x = inputs["u8"]
    for top, left, h, w in ((2, 3, 10, 12), (-3, 5, 10, 40), (15, -4, 12, 12), (0, 0, 23, 31), (-2, -2, 27, 35)):
        add("crop", "u8", {"top": top, "left": left, "height": h, "width": w}, F.crop(x, top, left, h, w))
    for size in ([10], [11, 20], [30, 40], [24, 31], [20, 35], [22, 30]):
        add("center_crop", "u8", {"size": size}, F.center_crop(x, size))
    for mode in ("bilinear", "nearest"):
        add("resized_crop", "f32", {"top": 2, "left": 3, "height": 15, "width": 20, "size": [8, 8],
                                    "interpolation": mode},
            F.resized_crop(inputs["f32"], 2, 3, 15, 20, [8, 8], MODES[mode]))
    add("five_crop", "u8", {"size": [10, 12]}, F.five_crop(x, [10, 12]))
    add("ten_crop", "u8", {"size": [9], "vertical_flip": False}, F.ten_crop(x, [9]))
    add("ten_crop", "u8", {"size": [9], "vertical_flip": True}, F.ten_crop(x, [9], vertical_flip=True))
    add("hflip", "u8", {}, F.hflip(x))
    add("vflip", "f32", {}, F.vflip(inputs["f32"]))

    # Padding: every mode, the 1-, 2- and 4-element forms, negative amounts where torch allows them.
    for inp in ("u8", "f32"):
        for mode in ("constant", "edge", "reflect", "symmetric"):
            for padding in ([3], [2, 4], [1, 2, 3, 4]):
                if inp == "f32" and padding != [1, 2, 3, 4]:
                    continue  # padding moves values; u8 covers the forms
                add("pad", inp, {"padding": padding, "fill": 7 if inp == "u8" else 0.25, "mode": mode},
                    F.pad(inputs[inp], padding, fill=7 if inp == "u8" else 0.25, padding_mode=mode))
        for mode in ("constant", "symmetric"):
            if inp == "f32":
                continue
            add("pad", inp, {"padding": [-2, 1, 3, -1], "fill": 0, "mode": mode},
                F.pad(inputs[inp], [-2, 1, 3, -1], padding_mode=mode))

    # Rotation: both modes, expand, centre and fill.
    rotations = [
        (30, "nearest", False, None, None), (30, "bilinear", False, None, None),
        (-45, "bilinear", True, None, None), (-45, "nearest", True, None, None),
        (90, "nearest", False, None, None), (90, "bilinear", True, None, None),
        (180, "bilinear", False, None, None), (17.5, "bilinear", False, [5, 7], [10.0, 20.0, 30.0]),
        (17.5, "nearest", True, None, [40.0]), (-100, "bilinear", True, None, [0.0]),
        (5, "bilinear", False, [30, 2], None), (250, "nearest", False, [3, 20], [1.0, 2.0, 3.0]),
    ]
    for inp in ("u8", "f32"):
        for angle, mode, expand, center, fill in (rotations if inp == "u8" else rotations[1:3] + rotations[6:8]):
            if fill is not None and inp == "f32":
                fill = [v / 255 for v in fill]
            add("rotate", inp, {"angle": angle, "interpolation": mode, "expand": expand,
                                "center": center, "fill": fill},
                F.rotate(inputs[inp], angle, MODES[mode], expand, center, fill))

    # Colour.
    for inp in ("u8", "f32"):
        x = inputs[inp]
        for f in ((0.0, 0.5, 1.7) if inp == "u8" else (0.5, 1.7)):
            add("adjust_brightness", inp, {"factor": f}, F.adjust_brightness(x, f))
        for f in ((0.0, 0.3, 1.6) if inp == "u8" else (0.3, 1.6)):
            add("adjust_contrast", inp, {"factor": f}, F.adjust_contrast(x, f))
        for f in ((0.0, 0.4, 2.5) if inp == "u8" else (0.4, 2.5)):
            add("adjust_saturation", inp, {"factor": f}, F.adjust_saturation(x, f))
        for f in ((-0.5, -0.4, 0.1, 0.33, 0.5) if inp == "u8" else (-0.4, 0.1, 0.5)):
            add("adjust_hue", inp, {"factor": f}, F.adjust_hue(x, f))
        for n in (1, 3):
            add("rgb_to_grayscale", inp, {"num_output_channels": n}, F.rgb_to_grayscale(x, n))

    # Conversion.
    add("normalize", "f32", {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
        F.normalize(inputs["f32"], [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]))
    add("convert_image_dtype", "u8", {"dtype": "float32"}, F.convert_image_dtype(inputs["u8"], torch.float32))
    add("convert_image_dtype", "f32", {"dtype": "uint8"}, F.convert_image_dtype(inputs["f32"], torch.uint8))
    hwc = inputs["u8"].permute(1, 2, 0).contiguous()
    add("to_tensor_hwc", "u8", {}, torchvision.transforms.ToTensor()(hwc.numpy()))

    doc = {"torch": torch.__version__, "torchvision": torchvision.__version__,
           "inputs": {k: encode(v) for k, v in inputs.items()}, "cases": cases}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"{len(cases)} cases, {os.path.getsize(OUT)} bytes -> {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
