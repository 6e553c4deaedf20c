"""PyTorch's side of Ember's benchmarks, and the ratio table.

Runs the same cases as Benchmarks/EmberBenchmarks/main.swift, with the same
names, on the same number of threads. With --ember it first runs Ember's
benchmark binary and prints a Markdown table of Ember's time over PyTorch's.

    python3 Benchmarks/compare_torch.py --ember .build/release/ember-bench
"""
import argparse
import collections
import os
import re
import subprocess
import time

import torch
import torch.nn.functional as F


def bench(name, body, rate=None, results=None, filt=None):
    if filt and filt not in name:
        return
    body()
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (len(times) < 50 and time.perf_counter() - start < 1.0):
        t0 = time.perf_counter()
        body()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    median = times[len(times) // 2]
    line = f"{name}: median {median:.3f} ms (min {times[0]:.3f})"
    if rate:
        line += f" {rate[0] / (median / 1000):.1f} {rate[1]}"
    print(line, flush=True)
    if results is not None:
        results[name] = median


def run_torch(threads, filt):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    r = {}
    for n in (512, 1024, 2048):
        a, b = torch.randn(n, n), torch.randn(n, n)
        bench(f"matmul {n}", lambda: torch.matmul(a, b), (2 * n**3 / 1e9, "GFLOP/s"), r, filt)
    a, b = torch.randn(32, 128, 64), torch.randn(32, 64, 128)
    bench("bmm 32x128x64x128", lambda: torch.bmm(a, b), (2 * 32 * 128 * 64 * 128 / 1e9, "GFLOP/s"), r, filt)
    n = 16 * 1024 * 1024
    x, y = torch.randn(n), torch.randn(n)
    bench("add 16M", lambda: x + y, (12 * n / 1e9, "GB/s"), r, filt)
    bench("mul 16M", lambda: x * y, (12 * n / 1e9, "GB/s"), r, filt)
    bench("gelu 16M", lambda: F.gelu(x), (8 * n / 1e9, "GB/s"), r, filt)
    m, v = torch.randn(4096, 4096), torch.randn(4096)
    nbytes = 4096 * 4096 * 4 / 1e9
    bench("broadcast add 4096x4096+4096", lambda: m + v, (2 * nbytes, "GB/s"), r, filt)
    bench("sum last dim 4096x4096", lambda: m.sum(-1), (nbytes, "GB/s"), r, filt)
    bench("softmax last dim 4096x4096", lambda: m.softmax(-1), (2 * nbytes, "GB/s"), r, filt)
    bench("transpose contiguous 4096x4096", lambda: m.t().contiguous(), (2 * nbytes, "GB/s"), r, filt)
    run_training_cases(r, filt)
    run_checkpoint_cases(r, filt)
    run_vision_cases(r, filt)
    run_text_cases(r, filt)
    run_tokenizer_cases(r, filt)
    run_gpt2_cases(r, filt)
    return r


def run_text_cases(r, filt):
    """The Text issue's BERT cases, as in Benchmarks/EmberBenchmarks/Cases+Text.swift."""
    names = ("minilm embed bs32 len16", "minilm finetune step bs16 len64")
    if filt and not any(filt in n for n in names):
        return
    from transformers import BertConfig, BertModel
    torch.manual_seed(0)
    config = BertConfig(hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536)

    def mean_pool(hidden, mask):
        w = mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * w).sum(1) / w.sum(1).clamp(min=1e-9)

    model = BertModel(config).eval()
    ids = torch.randint(1000, 30000, (32, 16))
    mask = torch.ones_like(ids)

    def embed():
        with torch.no_grad():
            F.normalize(mean_pool(model(input_ids=ids, attention_mask=mask).last_hidden_state, mask), dim=1)
    bench("minilm embed bs32 len16", embed, (32, "sentences/s"), r, filt)

    encoder = BertModel(config).train()
    head = torch.nn.Linear(384, 8)
    params = list(encoder.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=5e-5, weight_decay=0.01)
    tids, tmask = torch.randint(1000, 30000, (16, 64)), torch.ones(16, 64, dtype=torch.long)
    labels = torch.randint(0, 8, (16,))

    def step():
        opt.zero_grad()
        pooled = mean_pool(encoder(input_ids=tids, attention_mask=tmask).last_hidden_state, tmask)
        F.cross_entropy(head(F.dropout(pooled, 0.1, training=True)), labels).backward()
        opt.step()
    bench("minilm finetune step bs16 len64", step, None, r, filt)


def run_tokenizer_cases(r, filt):
    """The tokenizer issue's cases, as in Cases+Tokenizers.swift, with HF
    `tokenizers` (Rust) on one thread: `encode` in a loop, as the Swift side
    (here it beats encode_batch with parallelism off)."""
    names = ["tokenize minilm 1 thread", "tokenize bytelevel bpe 1 thread", "load minilm tokenizer.json"]
    if filt and not any(filt in n for n in names):
        return
    # Must be set before tokenizers starts its thread pool.
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    os.environ["RAYON_NUM_THREADS"] = "1"
    try:
        from tokenizers import Tokenizer
    except ImportError:
        print("tokenizer cases skipped: pip install tokenizers")
        return
    d = "/usr/share/common-licenses"
    if not os.path.isdir(d):
        print(f"tokenizer cases skipped: {d} is missing")
        return
    parts = []
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            parts.append(f.read().decode("utf-8", errors="replace"))
    text = "\n\n".join(["\n\n".join(parts)] * 3)
    paragraphs = [p for p in text.split("\n\n") if p]
    megabytes = sum(len(p.encode("utf-8")) for p in paragraphs) / 1e6

    def throughput(name, path):
        tok = Tokenizer.from_file(path)
        tok.no_padding()
        tok.no_truncation()
        bench(name, lambda: [tok.encode(p) for p in paragraphs], (megabytes, "MB/s"), r, filt)

    minilm = os.path.expanduser("~/.cache/ember/all-MiniLM-L6-v2/tokenizer.json")
    if os.path.exists(minilm):
        throughput("tokenize minilm 1 thread", minilm)
        bench("load minilm tokenizer.json", lambda: Tokenizer.from_file(minilm), None, r, filt)
    else:
        print(f"minilm cases skipped: {minilm} is missing")
    bpe = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "tokenizers", "bpe_bytelevel.json")
    throughput("tokenize bytelevel bpe 1 thread", bpe)


def run_gpt2_cases(r, filt):
    """The text issue's GPT-2 case, as in Cases+GPT2.swift: greedy generation
    with the KV cache on GPT-2 small's shape, random weights, 32 new tokens
    from a 16-token prompt, never stopping early."""
    name = "gpt2 small generate 32 tokens"
    if filt and filt not in name:
        return
    from transformers import GPT2Config, GPT2LMHeadModel
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config()).eval()
    prompt = torch.tensor([[(i * 3181 + 17) % 50257 for i in range(16)]])
    mask = torch.ones_like(prompt)
    model.generation_config.eos_token_id = None
    model.generation_config.pad_token_id = 0

    def generate():
        with torch.no_grad():
            out = model.generate(prompt, attention_mask=mask, max_new_tokens=32, do_sample=False, use_cache=True)
        assert out.shape[1] == 16 + 32
    bench(name, generate, (32, "tokens/s"), r, filt)


def run_vision_cases(r, filt):
    """The Vision issue's cases, as in Cases+Vision.swift."""
    names = ["jpeg decode+resize+normalize 600x512", "densenet121 inference bs1", "densenet121 inference bs8",
             "efficientnet-lite0 inference bs1", "resnet50 inference bs1", "densenet121 train step bs8"]
    if filt and not any(filt in n for n in names):
        return
    import torchvision
    import torchvision.transforms.functional as TF
    from efficientnet_lite_pytorch import EfficientNet
    photo = os.path.expanduser("~/.cache/ember/grace_hopper.jpg")
    if os.path.exists(photo):
        data = torchvision.io.read_file(photo)

        def preprocess():
            image = torchvision.io.decode_jpeg(data)
            x = TF.convert_image_dtype(TF.resize(image, [256], antialias=True), torch.float32)
            TF.normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        bench("jpeg decode+resize+normalize 600x512", preprocess, None, r, filt)
    torch.manual_seed(0)
    densenet = torchvision.models.densenet121().eval()
    x1, x8 = torch.randn(1, 3, 224, 224), torch.randn(8, 3, 224, 224)
    with torch.no_grad():
        bench("densenet121 inference bs1", lambda: densenet(x1), None, r, filt)
        bench("densenet121 inference bs8", lambda: densenet(x8), None, r, filt)
        efficientnet = EfficientNet.from_name("efficientnet-lite0").eval()
        bench("efficientnet-lite0 inference bs1", lambda: efficientnet(x1), None, r, filt)
        resnet = torchvision.models.resnet50().eval()
        bench("resnet50 inference bs1", lambda: resnet(x1), None, r, filt)
    trained = torchvision.models.densenet121().train()
    opt = torch.optim.Adam(trained.parameters(), lr=1e-4)
    y = torch.randint(0, 1000, (8,))

    def step():
        opt.zero_grad()
        F.cross_entropy(trained(x8), y).backward()
        opt.step()
    bench("densenet121 train step bs8", step, None, r, filt)


def run_checkpoint_cases(r, filt):
    """The checkpoint issue's cases, as in Cases+Checkpoint.swift: the same
    105 MB state dict, written by torch.save and safetensors, read back."""
    import tempfile
    names = ["safetensors open 100MB", "pth load 100MB", "pth load+sum 100MB", "pth save 100MB"]
    if filt and not any(filt in n for n in names):
        return
    torch.manual_seed(0)
    sd = collections.OrderedDict()
    for i in range(25):
        sd[f"layers.{i}.weight"] = torch.randn(1024, 1024)
        sd[f"layers.{i}.bias"] = torch.randn(1024)
    with tempfile.TemporaryDirectory() as d:
        pth = os.path.join(d, "model.pth")
        torch.save(sd, pth)
        try:
            import safetensors.torch
            st = os.path.join(d, "model.safetensors")
            safetensors.torch.save_file(sd, st)
            bench("safetensors open 100MB", lambda: safetensors.torch.load_file(st), None, r, filt)
        except ImportError:
            pass
        bench("pth load 100MB", lambda: torch.load(pth, weights_only=True), None, r, filt)
        bench("pth load+sum 100MB", lambda: [t.sum() for t in torch.load(pth, weights_only=True).values()], None, r, filt)
        out = os.path.join(d, "saved.pth")
        bench("pth save 100MB", lambda: torch.save(sd, out), None, r, filt)


def run_training_cases(r, filt):
    """Core II's cases, as in Benchmarks/EmberBenchmarks/Cases+Training.swift."""
    nn = torch.nn
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
    opt = torch.optim.Adam(mlp.parameters(), lr=1e-3)
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))

    def step(model, opt, x, y):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    bench("mlp 784-1024-1024-10 train step bs128", lambda: step(mlp, opt, x, y), None, r, filt)

    cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Dropout(0.2),
                        nn.Linear(64, 10))
    copt = torch.optim.Adam(cnn.parameters(), lr=1e-3)
    xd, yd = torch.randn(64, 1, 8, 8), torch.randint(0, 10, (64,))
    bench("digits cnn train step bs64", lambda: step(cnn, copt, xd, yd), None, r, filt)

    conv = nn.Conv2d(64, 64, 3, padding=1)
    xc, gc = torch.randn(8, 64, 56, 56).requires_grad_(), torch.randn(8, 64, 56, 56)

    def conv_step():
        conv.zero_grad()
        xc.grad = None
        conv(xc).backward(gc)
    bench("conv2d 3x3 64->64 8x64x56x56 fwd+bwd", conv_step, None, r, filt)

    dw = nn.Conv2d(144, 144, 3, padding=1, groups=144)
    xw = torch.randn(8, 144, 56, 56)

    def depthwise():
        with torch.no_grad():
            dw(xw)
    bench("depthwise 3x3 8x144x56x56 fwd", depthwise, None, r, filt)

    xm = torch.randn(8, 64, 112, 112)

    def maxpool():
        with torch.no_grad():
            F.max_pool2d(xm, 3, 2, 1)
    bench("maxpool 3x3s2 8x64x112x112 fwd", maxpool, None, r, filt)

    xmg, gm = torch.randn(8, 64, 112, 112).requires_grad_(), torch.randn(8, 64, 56, 56)

    def maxpool_step():
        xmg.grad = None
        F.max_pool2d(xmg, 3, 2, 1).backward(gm)
    bench("maxpool 3x3s2 8x64x112x112 fwd+bwd", maxpool_step, None, r, filt)

    bn = nn.BatchNorm2d(64)
    xb, gb = torch.randn(8, 64, 112, 112).requires_grad_(), torch.randn(8, 64, 112, 112)

    def bn_step():
        bn.zero_grad()
        xb.grad = None
        F.relu(bn(xb)).backward(gb)
    bench("batchnorm2d+relu 8x64x112x112 fwd+bwd", bn_step, None, r, filt)

    ln = nn.LayerNorm(768)
    xl = torch.randn(64, 128, 768)

    def ln_gelu():
        with torch.no_grad():
            F.gelu(ln(xl))
    bench("layernorm+gelu 64x128x768 fwd", ln_gelu, None, r, filt)

    q, k, v = (torch.randn(8, 12, 128, 64).requires_grad_() for _ in range(3))
    gq = torch.randn(8, 12, 128, 64)

    def sdpa():
        q.grad = k.grad = v.grad = None
        F.scaled_dot_product_attention(q, k, v).backward(gq)
    bench("sdpa 8x12x128x64 fwd+bwd", sdpa, None, r, filt)


def run_ember(binary, threads, filt):
    args = [binary, "--threads", str(threads)] + ([filt] if filt else [])
    # Ember calls OpenBLAS single-threaded from its own pool. Without this,
    # OpenBLAS starts its own pool at load time and those threads spin for
    # their first ~0.1 s, competing with the first cases for the cores.
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run(args, check=True, capture_output=True, text=True, env=env).stdout
    print(out, end="")
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(.*): median ([0-9.]+) ms", out, re.M)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ember", help="path to Ember's ember-bench binary")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3,
                   help="alternate Ember and PyTorch this many times; each side reports its median round")
    p.add_argument("filter", nargs="?")
    args = p.parse_args()
    # The machine is shared: alternating the two sides and taking each case's
    # median round keeps a burst of outside load from deciding a ratio.
    ember_rounds, torch_rounds = [], []
    for r in range(args.rounds if args.ember else 1):
        print(f"# round {r + 1}")
        if args.ember:
            ember_rounds.append(run_ember(args.ember, args.threads, args.filter))
        print(f"# torch {torch.__version__}, {args.threads} threads")
        torch_rounds.append(run_torch(args.threads, args.filter))

    def median_rounds(rounds):
        return {k: sorted(r[k] for r in rounds)[len(rounds) // 2] for k in rounds[0]} if rounds else {}

    ember, theirs = median_rounds(ember_rounds), median_rounds(torch_rounds)
    if ember:
        print("\n| case | Ember ms | PyTorch ms | Ember / PyTorch |\n| --- | ---: | ---: | ---: |")
        for name, t in theirs.items():
            if name in ember:
                print(f"| {name} | {ember[name]:.3f} | {t:.3f} | {ember[name] / t:.2f} |")
        if "mmap 100MB file" in ember and "safetensors open 100MB" in ember:
            print(f"| safetensors open 100MB vs bare mmap | {ember['safetensors open 100MB']:.3f} | "
                  f"{ember['mmap 100MB file']:.3f} (mmap) | {ember['safetensors open 100MB'] / ember['mmap 100MB file']:.2f} |")
        for name in ember:
            if name.startswith("openblas sgemm"):
                n = name.split()[-1]
                if f"matmul {n}" in ember:
                    print(f"| matmul {n} vs direct OpenBLAS | {ember[f'matmul {n}']:.3f} | {ember[name]:.3f} (OpenBLAS) | {ember[f'matmul {n}'] / ember[name]:.2f} |")


if __name__ == "__main__":
    main()
