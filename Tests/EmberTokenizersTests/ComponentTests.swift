// The pieces on their own: normalizers, pre-tokenizers, WordPiece, decoder.

import EmberTokenizers
import Foundation
import Testing

@Suite struct Components {
    @Test func bertNormalizerRules() {
        let n = BertNormalizer()
        #expect(n.normalize("Héllo WORLD") == "hello world")
        #expect(n.normalize("x\u{0}y\u{200B}z\u{FFFD}") == "xyz")
        #expect(n.normalize("a\u{00A0}b\u{3000}c\td") == "a b c d")
        #expect(n.normalize("東京") == " 東  京 ")
        #expect(n.normalize("ΟΔΟΣ") == "οδοσ")
        #expect(n.normalize("\u{0130}") == "i")
        // Unassigned code points are kept; private use and tags are dropped.
        #expect(n.normalize("a\u{0378}b\u{E000}c\u{E0001}") == "a\u{0378}bc")
        // Fullwidth forms are not folded (no NFKC in BERT).
        #expect(n.normalize("ＡＢ") == "ａｂ")
        #expect(BertNormalizer(lowercase: false).normalize("Héllo") == "Héllo")
        #expect(BertNormalizer(stripAccents: true, lowercase: false).normalize("Héllo") == "Hello")
        #expect(BertNormalizer.isChineseChar("\u{2B920}") && !BertNormalizer.isChineseChar("\u{2B820}"))
    }

    @Test func offsetsSurviveNormalization() {
        var s = NormalizedString("Cafe\u{301} 東")
        BertNormalizer().normalize(&s)
        #expect(s.text == "cafe  東 ")
        // The combining accent is folded into "e", whose range stays 3..<4.
        #expect(s.alignments == [0..<1, 1..<2, 2..<3, 3..<4, 5..<6, 6..<7, 6..<7, 6..<7])
    }

    @Test func unicodeForms() {
        #expect(Array(UnicodeNormalizer.nfc.normalize("e\u{301}").unicodeScalars) == ["\u{E9}"])
        #expect(UnicodeNormalizer.nfd.normalize("\u{E9}").unicodeScalars.count == 2)
        #expect(UnicodeNormalizer.nfkc.normalize("ﬁ１") == "fi1")
        #expect(Array(UnicodeNormalizer.nfkd.normalize("\u{1E9B}\u{323}").unicodeScalars) == ["s", "\u{323}", "\u{307}"])
        // Hangul: jamo L+V+T compose to one syllable, and it decomposes back (ICU's data).
        // (Scalars are compared: String's == treats canonically equivalent text as equal.)
        #expect(Array(UnicodeNormalizer.nfc.normalize("\u{1112}\u{1161}\u{11AB}").unicodeScalars) == ["\u{D55C}"])
        #expect(Array(UnicodeNormalizer.nfc.normalize("\u{D558}\u{11AB}").unicodeScalars) == ["\u{D55C}"])
        #expect(Array(UnicodeNormalizer.nfd.normalize("\u{D55C}").unicodeScalars) == ["\u{1112}", "\u{1161}", "\u{11AB}"])
        // Marks are reordered by combining class: dot below (220) before dot above (230).
        #expect(Array(UnicodeNormalizer.nfd.normalize("q\u{307}\u{323}").unicodeScalars) == ["q", "\u{323}", "\u{307}"])
        #expect(SequenceNormalizer([UnicodeNormalizer.nfd, StripAccentsNormalizer(), Lowercase()]).normalize("Ça VA") == "ca va")
    }

    @Test func preTokenizers() {
        func words(_ p: any PreTokenizer, _ s: String) -> [String] { p.preTokenize([NormalizedString(s)]).map(\.text) }
        #expect(words(BertPreTokenizer(), "Hi, you! $5 €5 «x»") == ["Hi", ",", "you", "!", "$", "5", "€5", "«", "x", "»"])
        #expect(words(WhitespaceSplit(), "a, b\u{3000}c") == ["a,", "b", "c"])
        #expect(words(Whitespace(), "a+b, c_d") == ["a", "+", "b", ",", "c_d"])
        #expect(words(SequencePreTokenizer([WhitespaceSplit(), BertPreTokenizer()]), "a,b c") == ["a", ",", "b", "c"])
    }

    @Test func wordPieceModel() throws {
        let wp = WordPiece(vocab: ["[UNK]": 0, "un": 1, "##aff": 2, "##able": 3, "a": 4, "##a": 5], maxInputCharsPerWord: 5)
        #expect(try wp.tokenize(Array("unaffable".unicodeScalars)).map(\.value) == ["[UNK]"])
        let wide = WordPiece(vocab: wp.vocab)
        // Canonically equivalent spellings are different tokens.
        let accents = WordPiece(tokens: ["[UNK]", "\u{E9}", "e", "##\u{301}"])
        #expect(try accents.tokenize(Array("e\u{301}".unicodeScalars)).map(\.id) == [2, 3])
        #expect(try accents.tokenize(Array("\u{E9}".unicodeScalars)).map(\.id) == [1])
        #expect(try wide.tokenize(Array("unaffable".unicodeScalars)).map(\.offsets) == [0..<2, 2..<5, 5..<9])
        #expect(try wide.tokenize(Array("unaffablex".unicodeScalars)).map(\.value) == ["[UNK]"])
        #expect(try wide.tokenize(Array("aaa".unicodeScalars)).map(\.id) == [4, 5, 5])
    }

    @Test func wordPieceDecoderCleanup() {
        let d = WordPieceDecoder()
        #expect(d.decode(["hello", ",", "world", "!", "don", "'", "t", "un", "##aff", "##able"]) == "hello, world! don ' t unaffable")
        // Cleanup runs per token, so " do not" across two tokens stays.
        #expect(d.decode(["i", "do", "not", "know", "it", "'s", "you", "'re"]) == "i do not know it's you're")
        #expect(WordPieceDecoder(cleanup: false).decode(["a", ".", "##b"]) == "a .b")
    }

    @Test func vocabTxt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("vocab.txt")
        try "[PAD]\r\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n##s\n,\n".write(to: url, atomically: true, encoding: .utf8)
        let tok = try Tokenizer.bert(vocab: url)
        let e = try tok.encode("Hellos, [MASK]!")
        #expect(e.tokens == ["[CLS]", "hello", "##s", ",", "[MASK]", "[UNK]", "[SEP]"])
        #expect(e.ids == [2, 5, 6, 7, 4, 1, 3])
        #expect(e.offsets == [0..<0, 0..<5, 5..<6, 6..<7, 8..<14, 14..<15, 0..<0])
        #expect(tok.decode(e.ids) == "hellos,")
        #expect(tok.tokenToId("[PAD]") == 0 && tok.idToToken(5) == "hello")
    }

    /// Foundation drops a raw U+FEFF at the start of a JSON string; the
    /// loader works around it (a BOM before the whole file is still skipped).
    @Test func byteOrderMarksInJSON() throws {
        let json = "\u{FEFF}{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0, \"\u{FEFF}\": 1, \"a\u{FEFF}\": 2}}}"
        let tok = try Tokenizer(json: Data(json.utf8))
        #expect(tok.idToToken(1) == "\u{FEFF}")
        #expect(tok.tokenToId("a\u{FEFF}") == 2)
        #expect(try tok.encode("\u{FEFF}").ids == [1])
    }
}
