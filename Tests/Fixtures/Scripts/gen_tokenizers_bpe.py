"""HF `tokenizers` reference outputs for EmberTokenizers' BPE, Unigram and
WordLevel parity tests.

Trains small tokenizers with HF `tokenizers` on a committed corpus
(Tests/Fixtures/tokenizers/train_corpus.txt, written by this script from a
seeded generator when absent) and writes into Tests/Fixtures/tokenizers/:
  * bpe_bytelevel.json: GPT-2 style byte-level BPE (merges as pairs);
  * bpe_roberta.json: the same model RoBERTa style (prefix space,
    RobertaProcessing, <mask> with lstrip; merges as "a b" strings);
  * gpt2_vocab.json + gpt2_merges.txt: the byte-level model as GPT-2 files,
    with the cases of transformers' GPT2TokenizerFast built from them;
  * bpe_suffix.json: BPE with "##" / "</w>", unknown scalars fused, BPEDecoder;
  * bpe_bytefallback.json: Llama-style BPE with <0xNN> byte fallback;
  * unigram.json: SentencePiece-style Unigram (Metaspace, byte fallback);
  * wordlevel.json: WordLevel;
  * <name>_cases.json for each: HF's encodings and decodings of the corpus
    of gen_tokenizers.py plus byte-level extras, pairs, and random strings;
  * precompiled_charsmap.bin: a SentencePiece charsmap compiled from a few
    custom rules (needs `pip install sentencepiece`; the committed file is
    reused without it), for the Precompiled normalizer variants;
  * pipelines_cases.json: variants of bpe_bytelevel / unigram with other
    normalizers, pre-tokenizers and decoders (Split with every behavior,
    Punctuation, Digits, Strip, Replace, Prepend, Llama's decoder chain);
    the tests put each variant's sections into the base file.
Needs `pip install tokenizers transformers`.
"""
import json
import os
import random
import sys

# One thread keeps training light. HF's trainers still break ties in hash
# order, so a rerun may train slightly different files; their cases are
# always written with them, so fixtures stay consistent.
os.environ.setdefault("RAYON_NUM_THREADS", "1")
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

sys.path.insert(0, os.path.dirname(__file__))
import gen_tokenizers as base  # noqa: E402

OUT = base.OUT
CORPUS_FILE = os.path.join(OUT, "train_corpus.txt")

EXTRA = [
    "\n\n",
    "Hello\n\nworld",
    "  leading two spaces",
    "trailing two spaces  ",
    " ",
    "a\u00e9b \u00e9\u00e9\u00e9 \u6771\u4eac\u90fd \U0001f600\U0001f600",
    "multi-byte: \u4e2d\u6587 \u0915\u094d\u0937 \U0001f468\u200d\U0001f469\u200d\U0001f467 \U00010348",
    "I'm you're it's we'll they'd I've don't 'quoted' ''",
    "it's 's 'S 'Re",
    "numbers 1 12 123 1234 12345 \u0661\u0662\u0663 \u2160\u2161 \u00bd",
    "tabs\t\tand\n \nmixed \u3000 spaces",
    "<|endoftext|>after special",
    "before<|endoftext|>",
    "<s>hi</s> <mask> <pad>",
    "x <mask>y",
    "Hello   world  !",
    "snake_case CamelCase kebab-case",
    "\u2581already metaspace \u2581\u2581",
    "\u00a0nbsp\u00a0",
    "end.",
]

WORDS = """the of and to in is was for on that with as by at from his her it an were are which this be
or has had not but also they their first one two new after who other its been more when into would
there all can only over time some year years people may many most such these than then them about
city world music history school family house water light night small large great early later
tokenizer encoding decoding merge vocabulary byte level unicode offset token model training corpus
running walked happily unbelievable internationalization preprocessing reconstruction""".split()
SYLLABLES = "ka ri to ne mo su ha ya ze lu pi do".split()
EXTRA_WORDS = ["caf\u00e9", "na\u00efve", "\u00fcber", "se\u00f1or", "stra\u00dfe", "\u6771\u4eac", "\u65e5\u672c\u8a9e",
               "\u0645\u0631\u062d\u0628\u0627", "\u043f\u0440\u0438\u0432\u0435\u0442", "\U0001f600", "don't", "it's",
               "I'm", "we'll", "3.14", "2024", "42", "e-mail", "(note)", "\"quote\"", "x=y+z", "http://example.com"]


def write_corpus():
    """A seeded, English-like corpus, about 40 KB."""
    rng = random.Random(42)
    lines = []
    for _ in range(500):
        n = rng.randint(4, 16)
        ws = []
        for _ in range(n):
            r = rng.random()
            if r < 0.8:
                ws.append(rng.choice(WORDS))
            elif r < 0.9:
                ws.append(rng.choice(EXTRA_WORDS))
            else:
                ws.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        s = " ".join(ws)
        s = s[0].upper() + s[1:] + rng.choice([".", ".", "!", "?", ","])
        lines.append(s)
    with open(CORPUS_FILE, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def corpus_lines():
    if not os.path.exists(CORPUS_FILE):
        write_corpus()
    with open(CORPUS_FILE, encoding="utf-8") as f:
        return f.read().splitlines()


def train_bytelevel(lines):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=1000, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>", "<|endoftext|>"])
    tok.train_from_iterator(lines, trainer)
    return tok


def build_bytelevel(trained):
    tok = Tokenizer.from_str(trained.to_str())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=True)
    tok.add_special_tokens(["<|endoftext|>"])
    return tok


def build_roberta(trained):
    tok = Tokenizer.from_str(trained.to_str())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")),
                                                      trim_offsets=True, add_prefix_space=True)
    tok.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>"])
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True, normalized=False)])
    tok.enable_truncation(max_length=64)
    return tok


def legacy_merges(path):
    """Rewrites a saved tokenizer's merges as "a b" strings (the older format)."""
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    j["model"]["merges"] = [a + " " + b for a, b in j["model"]["merges"]]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(j, f, ensure_ascii=False, indent=1)


def build_suffix(lines):
    tok = Tokenizer(models.BPE(unk_token="<unk>", continuing_subword_prefix="##", end_of_word_suffix="</w>",
                               fuse_unk=True))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.BpeTrainer(vocab_size=600, min_frequency=2, show_progress=False, limit_alphabet=60,
                                  continuing_subword_prefix="##", end_of_word_suffix="</w>",
                                  special_tokens=["<unk>", "<cls>", "<sep>"])
    tok.train_from_iterator(lines, trainer)
    tok.decoder = decoders.BPEDecoder(suffix="</w>")
    tok.post_processor = processors.TemplateProcessing(
        single="<cls> $A <sep>", pair="<cls> $A <sep> $B:1 <sep>:1",
        special_tokens=[("<cls>", tok.token_to_id("<cls>")), ("<sep>", tok.token_to_id("<sep>"))])
    return tok


BYTE_TOKENS = ["<0x%02X>" % b for b in range(256)]


def build_bytefallback(lines, path):
    """Llama style: no pre-tokenizer, spaces as ▁, unknown scalars as bytes."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="never", split=True)
    trainer = trainers.BpeTrainer(vocab_size=700, min_frequency=2, show_progress=False, limit_alphabet=70,
                                  special_tokens=["<unk>", "<s>", "</s>"] + BYTE_TOKENS)
    tok.train_from_iterator(lines, trainer)
    tok.pre_tokenizer = None
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(" ", 1, 0)])
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B:1", special_tokens=[("<s>", tok.token_to_id("<s>"))])
    tok.save(path, pretty=True)
    # The byte tokens are plain vocabulary entries in Llama's files, not added tokens.
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    j["added_tokens"] = [t for t in j["added_tokens"] if t["content"] not in BYTE_TOKENS]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(j, f, ensure_ascii=False, indent=1)


def build_unigram(lines, path):
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
    trainer = trainers.UnigramTrainer(vocab_size=500, show_progress=False, unk_token="<unk>",
                                      special_tokens=["<unk>", "<s>", "</s>"], max_piece_length=8)
    tok.train_from_iterator(lines, trainer)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B:1 </s>:1", special_tokens=[("</s>", tok.token_to_id("</s>"))])
    tok.save(path, pretty=True)
    # Byte fallback needs the <0xNN> pieces in the vocabulary.
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    j["model"]["vocab"] += [[b, -30.0] for b in BYTE_TOKENS]
    j["model"]["byte_fallback"] = True
    with open(path, "w", encoding="utf-8") as f:
        json.dump(j, f, ensure_ascii=False, indent=1)


def build_wordlevel(lines):
    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.normalizer = normalizers.Sequence([normalizers.Strip(), normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation(),
                                                 pre_tokenizers.Digits(individual_digits=False)])
    trainer = trainers.WordLevelTrainer(vocab_size=700, min_frequency=1, show_progress=False,
                                        special_tokens=["[UNK]", "[CLS]", "[SEP]", "[PAD]"])
    tok.train_from_iterator(lines, trainer)
    tok.post_processor = processors.BertProcessing(("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]")))
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")
    return tok


def corpus(max_len=120):
    """The corpus of gen_tokenizers.py and the extras, without the longest
    entries (the fixtures stay under ~100 KB)."""
    return [s for s in base.CORPUS + EXTRA if len(s) <= max_len]


def cases(tok, n_random=25):
    texts = corpus()
    out = [base.record(tok, tok.encode(s), s, None) for s in texts]
    out += [base.record(tok, tok.encode(a, b), a, b) for a, b in base.PAIRS[:4] + [(EXTRA[1], EXTRA[5])]]
    plain = [dict(base.record(tok, tok.encode(s, add_special_tokens=False), s, None), add_special_tokens=False)
             for s in texts[:4] + EXTRA[:4]]
    rand = [base.record(tok, tok.encode(s), s, None) for s in base.RANDOM[:n_random]]
    batch = [base.record(tok, e, s, None) for s, e in zip(texts[:8], tok.encode_batch(texts[:8]))]
    return {"cases": out, "plain": plain, "batch": batch, "random": rand}


def save_and_cases(name, tok=None, n_random=25):
    path = os.path.join(OUT, name + ".json")
    if tok is not None:
        tok.save(path, pretty=True)
    tok = Tokenizer.from_file(path)
    base.write(name + "_cases.json", cases(tok, n_random))
    return tok


def gpt2_files(tok):
    """The byte-level model as GPT-2's vocab.json and merges.txt."""
    j = json.loads(tok.to_str())
    with open(os.path.join(OUT, "gpt2_vocab.json"), "w", encoding="utf-8") as f:
        json.dump(j["model"]["vocab"], f, ensure_ascii=False)
    with open(os.path.join(OUT, "gpt2_merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in j["model"]["merges"]:
            f.write(a + " " + b + "\n")
    from transformers import GPT2TokenizerFast
    hf = GPT2TokenizerFast(vocab=os.path.join(OUT, "gpt2_vocab.json"), merges=os.path.join(OUT, "gpt2_merges.txt"))
    backend = hf.backend_tokenizer
    data = cases(backend, 20)
    data["tokenizer"] = json.loads(backend.to_str())
    data["tokenizer"]["model"]["vocab"] = {}
    data["tokenizer"]["model"]["merges"] = []
    base.write("gpt2_cases.json", data)


# Short texts that exercise splitting, spaces, digits and punctuation.
PIPELINE_TEXTS = [
    "Hello, world! It's 2024.", "  two  spaces\tand\ttabs  ", "a1b22c333d4444 \u0661\u0662 \u00bd", "...!!??,,",
    "don't stop", "caf\u00e9 na\u00efve \u6771\u4eac \U0001f600", "", " ", "\n\nx\n", "is this IS it? yes, is.",
    "<|endoftext|>a, b<|endoftext|>", "\u2581meta \u2581\u2581x", "x  y   z", "end.", "the the  the, is is. a a a",
    "ABC \ufb01\u2026 e\u0301 \u00e9 \uff21\uff22\u3000x \u1e9b\u0323 \uac00\ud55c ABBA", "AAe\u0301\u0301 \ufb01\ufb01",
]


def pipeline_variants():
    """Sections swapped into a base tokenizer: (name, base file, sections)."""
    def pt(p):
        return json.loads(p.__getstate__()) if hasattr(p, "__getstate__") else p
    bl = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}
    gpt2ish = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
    variants = []
    for behavior in ["removed", "isolated", "merged_with_previous", "merged_with_next", "contiguous"]:
        for invert in [False, True]:
            split = pre_tokenizers.Split(Regex(r"\s+|[,.!?]"), behavior=behavior, invert=invert)
            variants.append((f"split regex {behavior}{' invert' if invert else ''}", "bpe_bytelevel",
                             {"pre_tokenizer": pre_tokenizers.Sequence([split, pre_tokenizers.ByteLevel(**{k: v for k, v in bl.items() if k != "type"})])}))
    variants.append(("split string isolated", "bpe_bytelevel",
                     {"pre_tokenizer": pre_tokenizers.Sequence([pre_tokenizers.Split(" ", behavior="isolated"),
                                                                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])}))
    variants.append(("llama3 style split", "bpe_bytelevel",
                     {"pre_tokenizer": pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(gpt2ish), behavior="isolated"),
                                                                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]),
                      "post_processor": processors.Sequence([processors.ByteLevel(trim_offsets=False),
                                                             processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B:1",
                                                                                           special_tokens=[("<s>", 0)])])}))
    variants.append(("punctuation digits", "bpe_bytelevel",
                     {"normalizer": normalizers.Sequence([normalizers.Strip(), normalizers.Replace(Regex(r"\s+"), " "),
                                                          normalizers.Prepend("_")]),
                      "pre_tokenizer": pre_tokenizers.Sequence([pre_tokenizers.Punctuation(behavior="contiguous"),
                                                                pre_tokenizers.Digits(individual_digits=True),
                                                                pre_tokenizers.ByteLevel(add_prefix_space=True)])}))
    variants.append(("replace multi strip left", "bpe_bytelevel",
                     {"normalizer": normalizers.Sequence([normalizers.Strip(left=True, right=False),
                                                          normalizers.Replace("is", "IS!"), normalizers.Replace("  ", ""),
                                                          normalizers.NFKD()]),
                      "pre_tokenizer": pre_tokenizers.Sequence([pre_tokenizers.Punctuation(behavior="merged_with_previous"),
                                                                pre_tokenizers.Digits(individual_digits=False),
                                                                pre_tokenizers.ByteLevel(add_prefix_space=False)])}))
    variants.append(("metaspace always no split", "unigram",
                     {"pre_tokenizer": pre_tokenizers.Metaspace(prepend_scheme="always", split=False),
                      "decoder": decoders.Metaspace(prepend_scheme="always")}))
    variants.append(("metaspace never", "unigram",
                     {"pre_tokenizer": pre_tokenizers.Metaspace(prepend_scheme="never", split=True),
                      "decoder": decoders.Metaspace(prepend_scheme="never")}))
    variants.append(("llama style unigram", "unigram",
                     {"normalizer": normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")]),
                      "pre_tokenizer": None,
                      "decoder": decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                                    decoders.Strip(" ", 1, 0)])}))
    charsmap = precompiled_charsmap()
    variants.append(("precompiled", "unigram", {"normalizer": normalizers.Precompiled(charsmap)}))
    variants.append(("precompiled then replace", "bpe_bytelevel",
                     {"normalizer": normalizers.Sequence([normalizers.Precompiled(charsmap),
                                                          normalizers.Replace(Regex(" {2,}"), " ")])}))
    variants.append(("bytelevel normalizer", "bpe_bytelevel",
                     {"normalizer": normalizers.ByteLevel(),
                      "pre_tokenizer": pre_tokenizers.Split("\u0120", behavior="merged_with_next")}))
    variants.append(("fixed length", "bpe_bytelevel",
                     {"pre_tokenizer": pre_tokenizers.Sequence([pre_tokenizers.FixedLength(length=3),
                                                                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])}))
    variants.append(("ctc decoder", "wordlevel",
                     {"decoder": decoders.CTC(pad_token="[PAD]", word_delimiter_token="the", cleanup=True)}))
    return variants


CHARSMAP_FILE = os.path.join(OUT, "precompiled_charsmap.bin")

# SentencePiece normalization rules (source code points → target): case
# folding, expansions, a sequence source, Hangul to jamo.
SPM_RULES = """41\t61
42\t62
FB01\t66 69
2026\t2E 2E 2E
E9\t65
65 301\t45
3000\t20
FF21\t61
1E9B 323\t73 323 307
AC00\t1100 1161
D55C\t1112 1161 11AB
"""


def proto_fields(buf):
    """(field number, bytes or None) of a protobuf message, enough to find the charsmap."""
    i = 0
    while i < len(buf):
        key, shift = 0, 0
        while True:
            b = buf[i]; i += 1; key |= (b & 0x7F) << shift; shift += 7
            if b < 0x80:
                break
        number, wire = key >> 3, key & 7
        if wire == 0:
            while buf[i] & 0x80:
                i += 1
            i += 1
            yield number, None
        elif wire == 2:
            n, shift = 0, 0
            while True:
                b = buf[i]; i += 1; n |= (b & 0x7F) << shift; shift += 7
                if b < 0x80:
                    break
            yield number, buf[i:i + n]
            i += n
        elif wire == 5:
            i += 4; yield number, None
        elif wire == 1:
            i += 8; yield number, None
        else:
            raise ValueError(f"wire type {wire}")


def precompiled_charsmap():
    """The charsmap SentencePiece compiles from SPM_RULES (cached in the fixtures)."""
    try:
        import sentencepiece as spm
        import tempfile
    except ImportError:
        with open(CHARSMAP_FILE, "rb") as f:
            return f.read()
    with tempfile.TemporaryDirectory() as d:
        rules = os.path.join(d, "rules.tsv")
        with open(rules, "w") as f:
            f.write(SPM_RULES)
        spm.SentencePieceTrainer.train(input=CORPUS_FILE, model_prefix=os.path.join(d, "m"), vocab_size=300,
                                       normalization_rule_tsv=rules, model_type="unigram", minloglevel=2)
        with open(os.path.join(d, "m.model"), "rb") as f:
            model = f.read()
    # ModelProto.normalizer_spec (3) → NormalizerSpec.precompiled_charsmap (2).
    charsmap = next(v2 for n, v in proto_fields(model) if n == 3 for n2, v2 in proto_fields(v) if n2 == 2)
    with open(CHARSMAP_FILE, "wb") as f:
        f.write(charsmap)
    return charsmap


def gpt2_split_cases(n=300, seed=99):
    """HF's ByteLevel pre-tokenizer splits (GPT-2's regex) of seeded random
    strings, as character offsets: the hand-written scanner is checked alone."""
    rng = random.Random(seed)
    pieces = ["'", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'x", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n",
              "\u00a0", "\u3000", "\u2003", "\u0085", "\u200b", "a", "Z", "hello", "\u00e9", "e\u0301", "\u6771",
              "\u0915\u094d", "\u0661", "\u00bd", "\u2160", "1", "42", "3.14", "!", "?!", "...", "-", "_", "$",
              "\U0001f600", "\U0001f468\u200d\U0001f469", "\U00010348", "\u02b0", "\u01c5", "\u0000", "\u000b"]
    pre = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    out = []
    for _ in range(n):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        out.append({"text": text, "splits": [list(o) for _, o in pre.pre_tokenize_str(text)]})
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    base.write("gpt2_split_cases.json", {"cases": gpt2_split_cases()})
    lines = corpus_lines()
    trained = train_bytelevel(lines)
    bytelevel = save_and_cases("bpe_bytelevel", build_bytelevel(trained))
    gpt2_files(bytelevel)
    path = os.path.join(OUT, "bpe_roberta.json")
    build_roberta(trained).save(path, pretty=True)
    legacy_merges(path)
    save_and_cases("bpe_roberta")
    save_and_cases("bpe_suffix", build_suffix(lines))
    build_bytefallback(lines, os.path.join(OUT, "bpe_bytefallback.json"))
    save_and_cases("bpe_bytefallback")
    build_unigram(lines, os.path.join(OUT, "unigram.json"))
    save_and_cases("unigram")
    save_and_cases("wordlevel", build_wordlevel(lines))

    out = []
    for name, base_name, sections in pipeline_variants():
        with open(os.path.join(OUT, base_name + ".json"), encoding="utf-8") as f:
            j = json.load(f)
        enc = {}
        for key, comp in sections.items():
            enc[key] = None if comp is None else json.loads(comp.__getstate__())
            j[key] = enc[key]
        tok = Tokenizer.from_str(json.dumps(j))
        recs = [base.record(tok, tok.encode(s), s, None) for s in PIPELINE_TEXTS]
        recs.append(base.record(tok, tok.encode(EXTRA[1], EXTRA[5]), EXTRA[1], EXTRA[5]))
        out.append({"name": name, "base": base_name + ".json", "sections": enc, "cases": recs})
    # Raw UTF-8 (no \\u escapes) halves the file; none of these texts holds
    # a U+FEFF, which the tests' JSONSerialization would drop.
    assert not any("\ufeff" in t for t in PIPELINE_TEXTS)
    with open(os.path.join(OUT, "pipelines_cases.json"), "w", encoding="utf-8") as f:
        json.dump({"variants": out}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
