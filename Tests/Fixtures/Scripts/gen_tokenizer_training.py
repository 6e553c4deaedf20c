"""HF `tokenizers` reference outputs for EmberTokenizers' training tests.

Writes into Tests/Fixtures/tokenizers-training/:
  * corpus.txt: the training corpus (three licenses from Debian's
    /usr/share/common-licenses plus generated non-ASCII lines from a fixed
    seed), copied here so CI does not depend on the host;
  * heldout.txt: text not trained on (the Artistic license), for encodings;
  * hf/<config>.json: the tokenizer.json HF trains for each config (compact);
  * hf_encodings.json: HF's ids for every held-out line, per config;
  * verification.json: written by `--verify`: HF loading the files Ember
    wrote into ember/ (by `EMBER_WRITE_FIXTURES=1 swift test --filter
    Trainer`), whether they encode corpus and held-out text exactly as the
    HF-trained ones, and each Ember file's CRC-32 and size, so the Swift
    test can check that its output is still the bytes HF verified.

Usage:
  python3 Tests/Fixtures/Scripts/gen_tokenizer_training.py           # references
  python3 Tests/Fixtures/Scripts/gen_tokenizer_training.py --verify  # after the Swift run
Needs `pip install tokenizers` (0.23.x).
"""
import json
import os
import random
import subprocess
import sys
import zlib

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tokenizers-training")
LICENSES = "/usr/share/common-licenses"

# Each config: model, trainer, pipeline. The Swift tests build the same ones.
CONFIGS = {
    "bpe_whitespace": dict(
        model="BPE", unk_token="[UNK]", normalizer=None, pre_tokenizer="Whitespace",
        trainer=dict(vocab_size=600, min_frequency=2, special_tokens=["[UNK]", "[PAD]"])),
    "bpe_suffix_limited": dict(
        model="BPE", unk_token=None, normalizer="NFKC+Lowercase", pre_tokenizer="WhitespaceSplit",
        trainer=dict(vocab_size=500, special_tokens=["<s>", "</s>", "<unk>"], limit_alphabet=50,
                     initial_alphabet=["é", "ß", "€"], end_of_word_suffix="</w>", max_token_length=8)),
    "wordpiece_bert": dict(
        model="WordPiece", normalizer="Bert", pre_tokenizer="Bert",
        trainer=dict(vocab_size=600, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])),
    "unigram_whitespace": dict(
        model="Unigram", normalizer=None, pre_tokenizer="Whitespace",
        trainer=dict(vocab_size=400, special_tokens=["<pad>", "<unk>"], unk_token="<unk>")),
}


def generated_lines(seed=1234, n=120):
    """Deterministic lines of accented Latin, Greek, CJK and full-width text."""
    rng = random.Random(seed)
    syllables = ["ka", "mé", "ñu", "zö", "lå", "pî", "tø", "rü", "çe", "ßa", "δο", "λι", "東", "京", "語",
                 "ｆｕ", "ﬁn", "ǆo", "œu", "ña", "the", "and", "ing", "€"]
    lines = []
    for _ in range(n):
        words = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(3, 12))]
        lines.append(" ".join(words) + rng.choice([".", ",", "!", "?", ";", ""]))
    return lines


def write_inputs():
    os.makedirs(OUT, exist_ok=True)
    text = ""
    for name in ["GPL-3", "Apache-2.0", "MPL-2.0"]:
        with open(os.path.join(LICENSES, name), encoding="utf-8") as f:
            text += f.read()
    text += "\n".join(generated_lines()) + "\n"
    with open(os.path.join(OUT, "corpus.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(text)
    with open(os.path.join(LICENSES, "Artistic"), encoding="utf-8") as f:
        heldout = f.read()
    with open(os.path.join(OUT, "heldout.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(heldout)


def read_lines(name):
    with open(os.path.join(OUT, name), encoding="utf-8", newline="") as f:
        return f.read().split("\n")


def build(name):
    c = CONFIGS[name]
    t = dict(c["trainer"])
    if c["model"] == "BPE":
        tok = Tokenizer(models.BPE(unk_token=c["unk_token"]))
        trainer = trainers.BpeTrainer(show_progress=False, **t)
    elif c["model"] == "WordPiece":
        tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        trainer = trainers.WordPieceTrainer(show_progress=False, **t)
    else:
        tok = Tokenizer(models.Unigram())
        trainer = trainers.UnigramTrainer(show_progress=False, **t)
    tok.normalizer = {
        None: None,
        "NFKC+Lowercase": normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()]),
        "Bert": normalizers.BertNormalizer(),
    }[c["normalizer"]]
    tok.pre_tokenizer = {
        "Whitespace": pre_tokenizers.Whitespace(),
        "WhitespaceSplit": pre_tokenizers.WhitespaceSplit(),
        "Bert": pre_tokenizers.BertPreTokenizer(),
    }[c["pre_tokenizer"]]
    return tok, trainer


def train(name):
    """Trains one config on corpus.txt split into lines (train_from_iterator)."""
    tok, trainer = build(name)
    tok.train_from_iterator(read_lines("corpus.txt"), trainer)
    return tok


def encode_ids(tok, lines):
    return [e.ids for e in tok.encode_batch(lines)]


def references():
    write_inputs()
    os.makedirs(os.path.join(OUT, "hf"), exist_ok=True)
    heldout = read_lines("heldout.txt")
    encodings = {}
    for name in CONFIGS:
        # HF numbers prefixed/suffixed symbols and breaks some alphabet ties
        # in hash-map order, which varies between processes: train in a few
        # fresh processes and record whether the results agree.
        runs = [subprocess.run([sys.executable, __file__, "--train", name], check=True, capture_output=True,
                               text=True).stdout for _ in range(3)]
        tok = Tokenizer.from_str(runs[0])
        with open(os.path.join(OUT, "hf", name + ".json"), "w", encoding="utf-8") as f:
            f.write(runs[0])
        encodings[name] = {
            "deterministic_across_runs": len(set(runs)) == 1,
            "pretty_crc32": zlib.crc32(tok.to_str(pretty=True).encode("utf-8")),
            "heldout_ids": encode_ids(tok, heldout),
        }
    with open(os.path.join(OUT, "hf_encodings.json"), "w", encoding="utf-8") as f:
        json.dump(encodings, f, ensure_ascii=False, separators=(",", ":"))


def verify():
    """Loads every Ember-written tokenizer.json with HF and compares encodings."""
    corpus, heldout = read_lines("corpus.txt"), read_lines("heldout.txt")
    result = {}
    for name in CONFIGS:
        path = os.path.join(OUT, "ember", name + ".json")
        with open(path, "rb") as f:
            data = f.read()
        ember = Tokenizer.from_file(path)
        hf = Tokenizer.from_file(os.path.join(OUT, "hf", name + ".json"))
        entry = {"crc32": zlib.crc32(data), "bytes": len(data), "loads": True}
        for label, lines in [("corpus", corpus), ("heldout", heldout)]:
            a, b = encode_ids(ember, lines), encode_ids(hf, lines)
            ta = [[ember.id_to_token(i) for i in ids] for ids in a]
            tb = [[hf.id_to_token(i) for i in ids] for ids in b]
            entry[label + "_lines"] = len(lines)
            entry[label + "_identical_ids"] = sum(x == y for x, y in zip(a, b))
            entry[label + "_identical_tokens"] = sum(x == y for x, y in zip(ta, tb))
            entry[label + "_tokens_ember"] = sum(map(len, a))
            entry[label + "_tokens_hf"] = sum(map(len, b))
        ev, hv = ember.get_vocab(), hf.get_vocab()
        entry["vocab_size_ember"], entry["vocab_size_hf"] = len(ev), len(hv)
        entry["vocab_shared"] = len(set(ev) & set(hv))
        result[name] = entry
        print(name, entry)
    with open(os.path.join(OUT, "verification.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--train":
        print(train(sys.argv[2]).to_str(), end="")
    elif len(sys.argv) > 1 and sys.argv[1] == "--verify":
        verify()
    else:
        references()
