"""Reference images for EmberVision's IO, and their pixels as PIL decodes them
(Pillow with its bundled libjpeg-turbo and libpng; never needed by CI).

Writes Tests/Fixtures/images/: small odd-sized (23x17) JPEGs (baseline,
progressive, gray, CMYK with and without the Adobe marker, EXIF orientations
1-8) and PNGs (every color type; 1/2/4/8/16-bit; palette with tRNS;
interlaced), two decompression-bomb headers, and manifest.json. For each case
the manifest names the file, the read mode, whether EXIF orientation is
applied, the expected shape [H, W, C], dtype, tolerance and a raw
little-endian HWC .bin file of the expected samples.

PIL cannot write 2/4-bit gray, 16-bit gray+alpha/RGB/RGBA or interlaced PNGs,
so those are assembled by `png_file` below (filter type 0 per row; PIL-written
files cover the other filters). Expected PNG pixels come from PIL except that
PIL has no 8-bit view of 16-bit gray (it reads I;16), so 16-bit cases expect
`sample >> 8` (the high byte, which is what PIL gives for 16-bit RGB), and
are checked against PIL's own 16-bit array.
"""
import io
import json
import os
import struct
import zlib

import numpy as np
import PIL
from PIL import Image, ImageOps, features

OUT = os.path.join(os.path.dirname(__file__), "..", "images")
os.makedirs(OUT, exist_ok=True)
for name in os.listdir(OUT):
    os.remove(os.path.join(OUT, name))

W, H = 23, 17
rng = np.random.default_rng(7)
yy, xx = np.mgrid[0:H, 0:W]
# Smooth gradients plus mild noise: JPEG-friendly, and asymmetric so every
# EXIF orientation gives a different image.
base = np.stack([xx * 255 / (W - 1), yy * 255 / (H - 1), (xx + 2 * yy) * 255 / (W + 2 * H - 3)], axis=-1)
rgb8 = np.clip(base + rng.normal(0, 6, base.shape), 0, 255).astype(np.uint8)
gray8 = np.asarray(Image.fromarray(rgb8).convert("L"))
alpha8 = ((xx * 11 + yy * 7) % 256).astype(np.uint8)
rgb16 = (rgb8.astype(np.uint16) * 257 + rng.integers(0, 257, rgb8.shape)).astype(np.uint16)
alpha16 = (alpha8.astype(np.uint16) * 257 + 100).astype(np.uint16)

cases = []


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def expect(file, expected, mode="unchanged", orient=True, tolerance=0, tag=""):
    """Records a case: decoding `file` with `mode` gives `expected` (HWC)."""
    expected = np.asarray(expected)
    if expected.ndim == 2:
        expected = expected[:, :, None]
    dtype = "uint16" if expected.dtype == np.uint16 else "uint8"
    stem = os.path.splitext(file)[0] + (f".{mode}" if mode != "unchanged" else "") + tag
    bin_name = stem + ".bin"
    write(bin_name, expected.astype("<u2" if dtype == "uint16" else np.uint8).tobytes())
    cases.append({"file": file, "mode": mode, "orient": orient, "shape": list(expected.shape),
                  "dtype": dtype, "tolerance": tolerance, "expected": bin_name})


def pil(file):
    return Image.open(os.path.join(OUT, file))


# MARK: JPEG ---------------------------------------------------------------

def save_jpeg(name, image, **kw):
    buf = io.BytesIO()
    image.save(buf, "JPEG", **kw)
    write(name, buf.getvalue())
    return buf.getvalue()


save_jpeg("jpeg_baseline.jpg", Image.fromarray(rgb8), quality=90)
expect("jpeg_baseline.jpg", pil("jpeg_baseline.jpg"), tolerance=1)
expect("jpeg_baseline.jpg", pil("jpeg_baseline.jpg").convert("L"), mode="gray", tolerance=1)
expect("jpeg_baseline.jpg", pil("jpeg_baseline.jpg").convert("RGBA"), mode="rgbAlpha", tolerance=1)
save_jpeg("jpeg_444.jpg", Image.fromarray(rgb8), quality=85, subsampling=0)
expect("jpeg_444.jpg", pil("jpeg_444.jpg"), tolerance=1)
save_jpeg("jpeg_progressive.jpg", Image.fromarray(rgb8), quality=90, progressive=True)
assert pil("jpeg_progressive.jpg").info.get("progressive")
expect("jpeg_progressive.jpg", pil("jpeg_progressive.jpg"), tolerance=1)
save_jpeg("jpeg_gray.jpg", Image.fromarray(gray8), quality=90)
expect("jpeg_gray.jpg", pil("jpeg_gray.jpg"), tolerance=1)
expect("jpeg_gray.jpg", pil("jpeg_gray.jpg").convert("RGB"), mode="rgb", tolerance=1)

# CMYK: PIL writes an Adobe APP14 marker and inverted samples ("CMYK;I").
cmyk = Image.fromarray(rgb8).convert("CMYK")
adobe = save_jpeg("jpeg_cmyk_adobe.jpg", cmyk, quality=90)
expect("jpeg_cmyk_adobe.jpg", pil("jpeg_cmyk_adobe.jpg").convert("RGB"), tolerance=1)
# The same scans without the APP14 segment: plain (non-inverted) ink, so the
# expected image is PIL's CMYK (which PIL always inverts) inverted back.
i = adobe.index(b"\xff\xee")
length = struct.unpack(">H", adobe[i + 2:i + 4])[0]
plain = adobe[:i] + adobe[i + 2 + length:]
write("jpeg_cmyk_plain.jpg", plain)
ink = 255 - np.asarray(Image.open(io.BytesIO(plain)))
expect("jpeg_cmyk_plain.jpg", Image.fromarray(ink, "CMYK").convert("RGB"), tolerance=1)

# EXIF orientation 1-8 on the same pixels.
for k in range(1, 9):
    exif = Image.Exif()
    exif[0x0112] = k
    name = f"jpeg_exif_{k}.jpg"
    save_jpeg(name, Image.fromarray(rgb8), quality=90, exif=exif.tobytes())
    assert pil(name).getexif().get(0x0112) == k
    expect(name, ImageOps.exif_transpose(pil(name)), tolerance=1)
expect("jpeg_exif_6.jpg", pil("jpeg_exif_6.jpg"), orient=False, tolerance=1, tag=".raw")

# A header claiming 65000x65000 (JPEG's sides stop at 65535): SOF0's height
# and width patched; the scans are the small image's.
data = bytearray(open(os.path.join(OUT, "jpeg_baseline.jpg"), "rb").read())
sof = data.index(b"\xff\xc0")
data[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
write("bomb_65000x65000.jpg", bytes(data))


# MARK: PNG ----------------------------------------------------------------

def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def pack_rows(samples, depth):
    """Rows of an HxWxC sample array as PNG scanlines (filter byte 0)."""
    out = b""
    for row in samples:
        flat = row.reshape(-1).astype(np.uint32)
        if depth == 16:
            data = flat.astype(">u2").tobytes()
        elif depth == 8:
            data = flat.astype(np.uint8).tobytes()
        else:
            per = 8 // depth
            padded = np.concatenate([flat, np.zeros((-len(flat)) % per, np.uint32)]).reshape(-1, per)
            shifts = np.arange(per - 1, -1, -1) * depth
            data = (padded << shifts).sum(axis=1).astype(np.uint8).tobytes()
        out += b"\x00" + data
    return out


def png_file(samples, color_type, depth, interlace=False, palette=None, trns=None):
    samples = samples if samples.ndim == 3 else samples[:, :, None]
    h, w = samples.shape[:2]
    if interlace:
        raw = b"".join(pack_rows(samples[y0::dy, x0::dx], depth)
                       for x0, y0, dx, dy in ADAM7 if samples[y0::dy, x0::dx].size)
    else:
        raw = pack_rows(samples, depth)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, int(interlace)))
    if palette is not None:
        out += chunk(b"PLTE", bytes(np.asarray(palette, np.uint8).reshape(-1)))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def save_png(name, image, **kw):
    image.save(os.path.join(OUT, name), "PNG", **kw)


# Gray at every depth: 1 (PIL mode "1"), 2 and 4 (by hand), 8, 16 (PIL "I;16").
save_png("png_gray1.png", Image.fromarray(gray8 > 128))
expect("png_gray1.png", pil("png_gray1.png").convert("L"))
for depth in (2, 4):
    name = f"png_gray{depth}.png"
    write(name, png_file(gray8 >> (8 - depth), 0, depth))
    expect(name, pil(name).convert("L"))
write("png_gray2_interlaced.png", png_file(gray8 >> 6, 0, 2, interlace=True))
expect("png_gray2_interlaced.png", pil("png_gray2_interlaced.png").convert("L"))
save_png("png_gray8.png", Image.fromarray(gray8))
expect("png_gray8.png", pil("png_gray8.png"))
expect("png_gray8.png", pil("png_gray8.png").convert("RGBA"), mode="rgbAlpha")
gray16 = (gray8.astype(np.uint16) * 257 + rng.integers(0, 257, gray8.shape)).astype(np.uint16)
write("png_gray16.png", png_file(gray16, 0, 16))
assert (np.asarray(pil("png_gray16.png")).astype(np.uint16) == gray16).all()
expect("png_gray16.png", (gray16 >> 8).astype(np.uint8))
expect("png_gray16.png", gray16, tag=".wide")

# Gray + alpha, 8 and 16.
save_png("png_gray_alpha8.png", Image.fromarray(np.stack([gray8, alpha8], -1), "LA"))
expect("png_gray_alpha8.png", pil("png_gray_alpha8.png"))
expect("png_gray_alpha8.png", pil("png_gray_alpha8.png").convert("RGB"), mode="rgb")
la16 = np.stack([gray16, alpha16], -1)
write("png_gray_alpha16.png", png_file(la16, 4, 16))
expect("png_gray_alpha16.png", (la16 >> 8).astype(np.uint8))

# RGB and RGBA, 8 and 16; interlaced RGBA.
save_png("png_rgb8.png", Image.fromarray(rgb8))
expect("png_rgb8.png", pil("png_rgb8.png"))
rgba8 = np.concatenate([rgb8, alpha8[:, :, None]], -1)
save_png("png_rgba8.png", Image.fromarray(rgba8, "RGBA"))
expect("png_rgba8.png", pil("png_rgba8.png"))
expect("png_rgba8.png", pil("png_rgba8.png").convert("L"), mode="gray")
expect("png_rgba8.png", pil("png_rgba8.png").convert("RGB"), mode="rgb")
expect("png_rgba8.png", pil("png_rgba8.png").convert("LA"), mode="grayAlpha")
write("png_rgb16.png", png_file(rgb16, 2, 16))
assert (np.asarray(pil("png_rgb16.png")) == (rgb16 >> 8)).all()
expect("png_rgb16.png", pil("png_rgb16.png"))
rgba16 = np.concatenate([rgb16, alpha16[:, :, None]], -1)
write("png_rgba16.png", png_file(rgba16, 6, 16))
expect("png_rgba16.png", pil("png_rgba16.png"))
expect("png_rgba16.png", rgba16, tag=".wide")
write("png_rgba8_interlaced.png", png_file(rgba8, 6, 8, interlace=True))
expect("png_rgba8_interlaced.png", pil("png_rgba8_interlaced.png"))
write("png_rgb16_interlaced.png", png_file(rgb16, 2, 16, interlace=True))
expect("png_rgb16_interlaced.png", pil("png_rgb16_interlaced.png"))

# tRNS on gray and RGB (one color made transparent): an alpha channel.
save_png("png_gray8_trns.png", Image.fromarray(gray8), transparency=int(gray8[3, 4]))
expect("png_gray8_trns.png", pil("png_gray8_trns.png").convert("LA"))
save_png("png_rgb8_trns.png", Image.fromarray(rgb8), transparency=tuple(int(v) for v in rgb8[5, 6]))
expect("png_rgb8_trns.png", pil("png_rgb8_trns.png").convert("RGBA"))

# Palette at 1, 2, 4 and 8 bits; with tRNS; interlaced.
for depth in (1, 2, 4, 8):
    n = 1 << depth
    palette = rng.integers(0, 256, (n, 3))
    index = (xx * 3 + yy * 5) % n
    name = f"png_palette{depth}.png"
    write(name, png_file(index, 3, depth, palette=palette))
    expect(name, pil(name).convert("RGB"))
palette = rng.integers(0, 256, (16, 3))
index = (xx + yy * 3) % 16
trns = bytes(rng.integers(0, 256, 11).astype(np.uint8))  # fewer entries than colors: the rest opaque
write("png_palette4_trns.png", png_file(index, 3, 4, palette=palette, trns=trns))
expect("png_palette4_trns.png", pil("png_palette4_trns.png").convert("RGBA"))
expect("png_palette4_trns.png", pil("png_palette4_trns.png").convert("RGB"), mode="rgb")
write("png_palette8_interlaced.png", png_file(index, 3, 8, interlace=True, palette=palette, trns=trns))
expect("png_palette8_interlaced.png", pil("png_palette8_interlaced.png").convert("RGBA"))

# EXIF orientation in a PNG eXIf chunk (Pillow writes it before IDAT).
for k in (3, 6):
    exif = Image.Exif()
    exif[0x0112] = k
    name = f"png_exif_{k}.png"
    save_png(name, Image.fromarray(rgb8), exif=exif.tobytes())
    raw = open(os.path.join(OUT, name), "rb").read()
    assert raw.index(b"eXIf") < raw.index(b"IDAT")
    expect(name, ImageOps.exif_transpose(pil(name)))
expect("png_exif_6.png", pil("png_exif_6.png"), orient=False, tag=".raw")

# A header claiming 100000x100000 RGBA pixels (40 GB), then a small IDAT.
write("bomb_100000x100000.png", b"\x89PNG\r\n\x1a\n"
      + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 6, 0, 0, 0))
      + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump({"pillow": PIL.__version__,
               "libjpeg_turbo": features.version("libjpeg_turbo"), "size": [W, H], "cases": cases}, f, indent=1)
total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
print(f"{len(cases)} cases, {len(os.listdir(OUT))} files, {total} bytes")
