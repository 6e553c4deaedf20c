// The BPE-era pieces on their own: GPT-2's split, byte tables, Metaspace,
// Split behaviors, the decoders and the models' merge rules.

import EmberTokenizers
import Foundation
import Testing

@Suite struct ModelComponents {
    static func words(_ p: any PreTokenizer, _ s: String) -> [String] { p.preTokenize([NormalizedString(s)]).map(\.text) }

    @Test func gpt2Split() {
        func split(_ s: String) -> [String] {
            let u = Array(s.unicodeScalars)
            return ByteLevel.gpt2Split(u).map { r in
                var v = String.UnicodeScalarView()
                v.append(contentsOf: u[r])
                return String(v)
            }
        }
        #expect(split("I'm  ok") == ["I", "'m", " ", " ok"])
        #expect(split("Hello world!!\n\nBye") == ["Hello", " world", "!!", "\n", "\n", "Bye"])
        #expect(split("a  \n b") == ["a", "  \n", " b"])
        #expect(split("x'''s 's 1234 é") == ["x", "'''", "s", " '", "s", " 1234", " é"])
        #expect(split("end ") == ["end", " "])
    }

    @Test func byteTables() {
        #expect(ByteLevelTables.byteToScalar[0x20] == "Ġ")
        #expect(ByteLevelTables.byteToScalar[0x0A] == "Ċ")
        #expect(ByteLevelTables.byteToScalar[0x41] == "A")
        #expect(Set(ByteLevelTables.byteToScalar).count == 256)
        // "é" is two bytes, each a scalar aligned to the one character.
        let p = ByteLevel(addPrefixSpace: true).preTokenize([NormalizedString("é")])
        #expect(p.map(\.text) == ["ĠÃ©"])
        #expect(p[0].alignments == [0..<1, 0..<1, 0..<1])
        #expect(ByteLevelDecoder().decode(["ĠÃ©", "<|endoftext|>"]) == " é<|endoftext|>")
        // A lone continuation byte is invalid UTF-8.
        #expect(ByteLevelDecoder().decode(["©"]) == "\u{FFFD}")
    }

    @Test func metaspace() {
        #expect(Self.words(Metaspace(), "Hey friend!") == ["▁Hey", "▁friend!"])
        #expect(Self.words(Metaspace(prependScheme: .never), "Hey  friend") == ["Hey", "▁", "▁friend"])
        #expect(Self.words(Metaspace(split: false), "a b") == ["▁a▁b"])
        #expect(MetaspaceDecoder().decode(["▁Hey", "▁friend!"]) == "Hey friend!")
        #expect(MetaspaceDecoder(prependScheme: .never).decode(["▁Hey"]) == " Hey")
    }

    @Test func splitBehaviors() {
        let text = "a, b,,c"
        func run(_ b: SplitBehavior, invert: Bool = false) -> [String] {
            Self.words(Split(pattern: .string(","), behavior: b, invert: invert), text)
        }
        #expect(run(.removed) == ["a", " b", "c"])
        #expect(run(.isolated) == ["a", ",", " b", ",", ",", "c"])
        #expect(run(.mergedWithPrevious) == ["a,", " b,", ",", "c"])
        #expect(run(.mergedWithNext) == ["a", ", b", ",", ",c"])
        #expect(run(.contiguous) == ["a", ",", " b", ",,", "c"])
        #expect(run(.removed, invert: true) == [",", ",", ","])
        #expect(Self.words(Punctuation(), "hi!? you") == ["hi", "!", "?", " you"])
        #expect(Self.words(Digits(individualDigits: true), "a12") == ["a", "1", "2"])
        #expect(Self.words(Digits(), "a12b3") == ["a", "12", "b", "3"])
    }

    @Test func textNormalizers() throws {
        #expect(Strip().normalize("  hi \n") == "hi")
        #expect(Strip(left: false).normalize("  hi ") == "  hi")
        #expect(Prepend("▁").normalize("hi") == "▁hi")
        #expect(Prepend("▁").normalize("") == "")
        #expect(try Replace(pattern: .regex("\\s+"), content: " ").normalize("a \t\n b") == "a b")
        // The replacement takes the alignment of the match's last scalar.
        var s = NormalizedString("xaby")
        Replace(pattern: .string("ab"), content: "123").normalize(&s)
        #expect(s.text == "x123y")
        #expect(s.alignments == [0..<1, 2..<3, 2..<3, 2..<3, 3..<4])
    }

    @Test func decoders() {
        #expect(BPEDecoder().decode(["hel", "lo</w>", "you</w>"]) == "hello you")
        #expect(ByteFallbackDecoder().decode(["<0xC3>", "<0xA9>", "t"]) == "ét")
        #expect(ByteFallbackDecoder().decode(["<0xC3>", "t"]) == "\u{FFFD}t")
        #expect(StripDecoder(content: " ", start: 1, stop: 0).decodeChain([" a", "  b"]) == ["a", " b"])
        let llama = SequenceDecoder([ReplaceDecoder(pattern: .string("▁"), content: " "), ByteFallbackDecoder(),
                                     FuseDecoder(), StripDecoder(content: " ", start: 1, stop: 0)])
        #expect(llama.decode(["▁Hi", "▁", "<0xE6>", "<0x9D>", "<0xB1>"]) == "Hi 東")
    }

    @Test func bpeMerges() throws {
        let vocab = ["a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5, "<unk>": 6]
        let bpe = try BPE(vocab: vocab, merges: [("b", "c"), ("a", "b"), ("a", "bc")], unkToken: "<unk>")
        // "bc" ranks first, so "abc" is a + bc, then abc.
        #expect(try bpe.tokenize(Array("abc".unicodeScalars)).map(\.value) == ["abc"])
        #expect(try bpe.tokenize(Array("abxc".unicodeScalars)).map(\.value) == ["ab", "<unk>", "c"])
        #expect(try bpe.tokenize(Array("abxc".unicodeScalars)).map(\.offsets) == [0..<2, 2..<3, 3..<4])
        let fused = try BPE(vocab: vocab, merges: [], unkToken: "<unk>", fuseUnk: true)
        #expect(try fused.tokenize(Array("axyb".unicodeScalars)).map(\.offsets) == [0..<1, 1..<3, 3..<4])
        #expect(throws: TokenizerError.unknownToken("z", role: "merge 0 of BPE")) { try BPE(vocab: vocab, merges: [("a", "z")]) }
        // With ignoreMerges a word in the vocabulary is one token even when no merge path leads to it.
        let direct = try BPE(vocab: vocab, merges: [], ignoreMerges: true)
        #expect(try direct.tokenize(Array("abc".unicodeScalars)).map(\.value) == ["abc"])
        #expect(try BPE(vocab: vocab, merges: []).tokenize(Array("abc".unicodeScalars)).map(\.value) == ["a", "b", "c"])
        // Continuing-subword prefix and end-of-word suffix take part in lookups.
        let affixed = try BPE(vocab: ["a": 0, "##b": 1, "c</w>": 2, "##c</w>": 3, "a##b": 4, "ab": 5], merges: [("a", "##b")],
                              continuingSubwordPrefix: "##", endOfWordSuffix: "</w>")
        #expect(try affixed.tokenize(Array("abc".unicodeScalars)).map(\.value) == ["ab", "##c</w>"])
        #expect(try affixed.tokenize(Array("c".unicodeScalars)).map(\.value) == ["c</w>"])
    }

    @Test func unigramViterbi() throws {
        let u = try Unigram(vocab: [("<unk>", 0), ("a", -1), ("b", -2), ("ab", -2.5), ("c", -1)], unkId: 0)
        #expect(try u.tokenize(Array("abc".unicodeScalars)).map(\.value) == ["ab", "c"])
        // Unknown scalars next to each other are one token.
        #expect(try u.tokenize(Array("xyc".unicodeScalars)).map(\.value) == ["xy", "c"])
        #expect(try u.tokenize(Array("xyc".unicodeScalars)).map(\.id) == [0, 4])
    }
}

/// GPT-2's split, checked alone against HF's ByteLevel pre-tokenizer on
/// seeded random strings of contractions, spaces, letters, digits and marks.
@Suite struct GPT2SplitParity {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let splits: [Range<Int>]
        var testDescription: String { String(text.debugDescription.prefix(40)) }
    }

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: TokFixtures.url("gpt2_split_cases.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root["cases"] as? [[String: Any]] else { return [] }
        return list.map { Case(text: $0["text"] as! String, splits: ($0["splits"] as! [[Int]]).map { $0[0]..<$0[1] }) }
    }()

    @Test func allSplitsMatch() {
        #expect(Self.cases.count == 300)
        for c in Self.cases {
            #expect(ByteLevel.gpt2Split(Array(c.text.unicodeScalars)) == c.splits, "\(c.testDescription)")
        }
    }
}

@Suite struct LongWords {
    /// A 30,000-byte CJK run is one byte-level word; merging it must stay
    /// O(n log n) and give back the text.
    @Test func longCJKRunRoundTrips() throws {
        let tok = try TokFixtures.tokenizer("bpe_bytelevel.json")
        let text = String(repeating: "東京都の天気", count: 1700)
        let e = try tok.encode(text)
        #expect(e.ids.count > 1000)
        #expect(tok.decode(e.ids) == text)
        // Every token covers whole characters of the run, in order.
        #expect(e.offsets.first?.lowerBound == 0 && e.offsets.last?.upperBound == text.unicodeScalars.count)
    }
}
