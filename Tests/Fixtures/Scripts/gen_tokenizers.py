"""HF `tokenizers` reference outputs for EmberTokenizers' parity tests.

Writes into Tests/Fixtures/tokenizers/:
  * small_bert.json, small_seq.json: two small WordPiece tokenizer.json files
    built here (committed, so CI needs no download);
  * small_bert_cases.json, small_seq_cases.json: HF's encodings and decodings
    of the corpus with them;
  * minilm_cases.json: the same for all-MiniLM-L6-v2's tokenizer.json, written
    only when ~/.cache/ember/all-MiniLM-L6-v2/tokenizer.json exists (the
    tokenizer itself is ~460 KB and is not committed).
Needs `pip install tokenizers` (0.23.x).
"""
import json
import os

from tokenizers import AddedToken, Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece

OUT = os.path.join(os.path.dirname(__file__), "..", "tokenizers")
MINILM = os.path.expanduser("~/.cache/ember/all-MiniLM-L6-v2/tokenizer.json")

CORPUS = [
    "Héllo, WORLD! naïve café 東京 don't",
    "A man is eating food.",
    "unaffable",
    "hello [SEP] world",
    "hello [sep] world",
    "[CLS][MASK][SEP]",
    "x[MASK]y",
    "a" * 101,
    "a" * 100,
    "x\u0000y\u200bz",
    "\u01c5",
    "",
    "   ",
    "\t\n\r",
    "cafe\u0301 and caf\u00e9",
    "e\u0301\u0302\u0303 over",
    "👨\u200d👩\u200d👧 family 🥰 \U0001fae0 emoji",
    "flag 🇫🇷 and 👍🏽",
    "\u0130stanbul \u0391\u0398\u0397\u039d\u0391 \u039f\u0394\u039f\u03a3 stra\u00dfe",
    "\uff21\uff22\uff23\uff11\uff12\uff13",
    "https://www.example.com/path?q=1&r=two#frag",
    "email me: someone@example.org!!!",
    "tabs\tand\nnewlines\r\nand  multiple   spaces",
    "nbsp\u00a0here and ideographic\u3000space and\u2003em",
    "ctrl\u0007bell\u001bescape\u007fdel\u0085nel",
    "replacement \ufffd char and \ue000 private",
    "unassigned \u0378 and \U000e0001 tag",
    "中文字符测试 mixed with English",
    "日本語のテキストです。",
    "한국어 텍스트",
    "𠀀𪜀 extension 𫝀 and 𫠠 gap 𬺰",
    "price: €100, © 2024, 30°C",
    "«quotes» „low“ ‘single’ — dash – en … ellipsis",
    "don't won't I'm you're it's we've",
    "supercalifragilisticexpialidocious" * 4,
    "ßẞ ǆǅǄ ﬁ ﬀ",
    "Ünïcödé ÀÉÎÕÜ àéîõü",
    "mathematical 𝐀𝐁𝐂 𝟏𝟐𝟑",
    "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom",
    "right-to-left: مرحبا بالعالم",
    "hindi: नमस्ते दुनिया",
    "thai: สวัสดีชาวโลก",
    "mix3d numb3rs 123456 1.5e10 -42",
    "(parens) [brackets] {braces} <angles>",
    "under_score and hy-phen and sl/ash",
    "trailing space ",
    " leading space",
    "a " * 80,
    "[UNK] [PAD] [MASK]",
    "<mask> lstrip test",
    "hello <mask> world",
    "word<mask>word",
    "the special_word is here",
    "the_special_word is not here",
    "New York is big",
]

PAIRS = [
    ("A man is eating food.", "A man is eating a piece of bread."),
    ("hello", "world"),
    ("", "only second"),
    ("only first", ""),
    ("a " * 70, "b " * 70),
    ("short", "c " * 200),
    ("d " * 200, "short"),
    ("Héllo [SEP] 東京", "naïve [MASK] café"),
]


def random_corpus(n=200, seed=1234):
    """Seeded random strings drawn from tricky pieces, for broad parity."""
    import random
    rng = random.Random(seed)
    pieces = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
              + list(".,!?;:'\"()[]{}<>-_/\\@#$%^&*+=~`|")
              + [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2003", "\u200b", "\u200c",
                 "\u200d", "\ufeff", "\u0000", "\u0007", "\u0085", "\ufffd", "\ue000", "\u00ad"]
              + ["\u0301", "\u0308", "\u0323", "\u0302", "\u20dd", "\u093f", "\u094d", "\u0947"]
              + list("éèêëàâäïîôöùûüçñÉÀÇÑßẞİıǅǆǄﬁﬀΣσςΑΩабвгдЖЯ")
              + list("東京中文字日本語のテキスト한국어텍스트")
              + ["😀", "👍", "🏽", "👨", "👩", "👧", "\ufe0f", "🇫", "🇷", "🥰", "\U0001fae0", "𝐀", "𝟏", "€", "©", "°", "«", "»", "—", "…"]
              + list("ＡＢＣ１２３") + list("مرحبا") + list("नमस्ते") + list("สวัสดี")
              + ["[MASK]", "[SEP]", "[CLS]", "[PAD]", "[UNK]", "[mask]", "<mask>", "special_word", "new york", "New York",
                 "hello", "world", "unaffable", "don't", "http://x.y/z", "a" * 30])
    out = []
    for _ in range(n):
        k = rng.randint(0, 40)
        out.append("".join(rng.choice(pieces) for _ in range(k)))
    return out


RANDOM = random_corpus(int(os.environ.get("EMBER_TOK_RANDOM", "200")), int(os.environ.get("EMBER_TOK_SEED", "1234")))


def small_vocab():
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    words = """the a an is are was man eating eat food piece of bread hello world
    un ##aff ##able ##ing ##s ##ed ##er cafe naive don t won i m you re it s we ve
    and over family emoji flag with english mixed text test space spaces tab tabs
    new york big special word here not only first second short price quotes
    single dash en ellipsis parens brackets braces angles under score hy phen sl
    ash trailing leading email me someone example org com www https path q r two
    frag multiple newlines nbsp ideographic em ctrl bell escape del nel
    replacement char private unassigned tag extension gap mathematical right to
    left hindi thai numb ##3 ##rs mix ##3d super ##cal ##if ##rag ##il ##istic
    ##ex ##pi ##ali ##doc ##ious stra ##sse istanbul zero width non joiner bom
    lstrip""".split()
    chars = set()
    for s in CORPUS + [x for p in PAIRS for x in p]:
        for c in s.lower():
            chars.add(c)
    pieces = []
    for c in sorted(chars):
        if c.isspace():
            continue
        pieces += [c, "##" + c]
    vocab = {}
    for tok in specials + words + pieces:
        if tok not in vocab:
            vocab[tok] = len(vocab)
    return vocab


def build_small_bert():
    """BertNormalizer(lowercase, strip_accents explicitly false) + extra added tokens with flags."""
    tok = Tokenizer(WordPiece(small_vocab(), unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=False, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.add_special_tokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True, normalized=False)])
    tok.add_tokens([AddedToken("special_word", single_word=True, normalized=True),
                    AddedToken("new york", normalized=True, rstrip=True)])
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS]:0 $A:0 [SEP]:0", pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
        special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    tok.enable_truncation(max_length=40)
    return tok


def build_small_seq():
    """Sequence[NFD, Lowercase, StripAccents] + Whitespace + BertProcessing, no cleanup, padding to 8s."""
    tok = Tokenizer(WordPiece(small_vocab(), unk_token="[UNK]", max_input_chars_per_word=24))
    tok.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Lowercase(), normalizers.StripAccents()])
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.add_special_tokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tok.post_processor = processors.BertProcessing(("[SEP]", tok.token_to_id("[SEP]")),
                                                   ("[CLS]", tok.token_to_id("[CLS]")))
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=False)
    tok.enable_truncation(max_length=30, strategy="longest_first")
    tok.enable_padding(pad_id=0, pad_token="[PAD]", pad_to_multiple_of=8)
    return tok


def record(tok, enc, text, pair):
    ids = enc.ids
    return {
        "text": text, "pair": pair,
        "ids": ids, "type_ids": enc.type_ids, "tokens": enc.tokens,
        "offsets": [list(o) for o in enc.offsets],
        "attention_mask": enc.attention_mask,
        "special_tokens_mask": enc.special_tokens_mask,
        "decoded": tok.decode(ids, skip_special_tokens=True),
        "decoded_with_special": tok.decode(ids, skip_special_tokens=False),
    }


def cases(tok):
    out = [record(tok, tok.encode(s), s, None) for s in CORPUS]
    out += [record(tok, tok.encode(a, b), a, b) for a, b in PAIRS]
    # Without special tokens (and so without the template).
    plain = [dict(record(tok, tok.encode(s, add_special_tokens=False), s, None), add_special_tokens=False)
             for s in CORPUS[:6]]
    rand = [record(tok, tok.encode(s), s, None) for s in RANDOM]
    # A batch, so padding to the longest (when the file asks for it) is checked too.
    batch = [record(tok, e, s, None) for s, e in zip(CORPUS[:8], tok.encode_batch(CORPUS[:8]))]
    return {"cases": out, "plain": plain, "batch": batch, "random": rand}


# Truncation and padding given as arguments rather than by the file; the
# Swift tests set the same values and compare.
SETTINGS = [
    {"truncation": {"max_length": 10, "strategy": "longest_first", "direction": "left"},
     "padding": {"length": 16, "direction": "left", "pad_id": 1, "pad_type_id": 2, "pad_token": "[UNK]"}},
    {"truncation": {"max_length": 12, "strategy": "only_second", "direction": "right"},
     "padding": {"length": None, "direction": "right", "pad_to_multiple_of": 4}},
    {"truncation": {"max_length": 9, "strategy": "only_first", "direction": "right"}, "padding": None},
]


def settings_cases(path):
    out = []
    for st in SETTINGS:
        tok = Tokenizer.from_file(path)
        tok.no_padding()
        tok.enable_truncation(**st["truncation"])
        if st["padding"]:
            tok.enable_padding(**st["padding"])
        inputs = [(a, b) for a, b in PAIRS if b] + [(s, None) for s in CORPUS[:3]]
        recs = []
        for a, b in inputs:
            try:
                recs.append(record(tok, tok.encode(a, b), a, b))
            except Exception as e:  # HF refuses (e.g. only_second on a single sequence)
                recs.append({"text": a, "pair": b, "error": str(e)})
        batch_inputs = [(a, b) for a, b in PAIRS if b]
        try:
            batch = [record(tok, e, a, b) for (a, b), e in zip(batch_inputs, tok.encode_batch(batch_inputs))]
        except Exception as e:
            batch = {"error": str(e)}
        out.append({"settings": st, "cases": recs, "batch": batch})
    return out


def write(name, obj):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=True, indent=None, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, tok in [("small_bert", build_small_bert()), ("small_seq", build_small_seq())]:
        tok.save(os.path.join(OUT, name + ".json"), pretty=True)
        # Reload, so the cases come from exactly what the file holds.
        tok = Tokenizer.from_file(os.path.join(OUT, name + ".json"))
        data = cases(tok)
        data["settings"] = settings_cases(os.path.join(OUT, name + ".json"))
        write(name + "_cases.json", data)
    if os.path.exists(MINILM):
        tok = Tokenizer.from_file(MINILM)
        # The file pads everything to 128 ids; only a few cases keep that, the
        # rest are unpadded (truncation at 128 stays) to keep the fixture small.
        padded = cases(tok)
        tok.no_padding()
        data = cases(tok)
        data["padded"] = padded["cases"][:4] + padded["cases"][len(CORPUS):len(CORPUS) + 2]
        write("minilm_cases.json", data)
    else:
        print("MiniLM tokenizer.json not cached; minilm_cases.json left as it is")


if __name__ == "__main__":
    main()
