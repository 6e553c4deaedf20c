// Reading HF `tokenizer.json` files (and BERT `vocab.txt`). Components are
// dispatched on their `type` tag; a type this library doesn't implement is a
// typed error naming it, never a crash or a silent fallback.

import Foundation

extension Tokenizer {
    /// Loads a HF `tokenizer.json`.
    ///
    /// ```swift
    /// let tok = try Tokenizer(contentsOf: URL(fileURLWithPath: "all-MiniLM-L6-v2/tokenizer.json"))
    /// ```
    public init(contentsOf url: URL) throws(TokenizerError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        try self.init(json: data, source: url.path)
    }

    /// Loads a `tokenizer.json` held in memory; `source` names it in errors.
    ///
    /// ```swift
    /// let tok = try Tokenizer(json: data, source: "tokenizer.json")
    /// ```
    public init(json data: Data, source: String = "tokenizer.json") throws(TokenizerError) {
        let root = try JSONValue.parse(data, file: source)
        let normalizer = try Self.loadNormalizer(root["normalizer"])
        var added: [AddedToken] = []
        if !root["added_tokens"].isNull {
            for t in try root["added_tokens"].array() {
                added.append(AddedToken(
                    id: try t["id"].int(), content: try t["content"].string(),
                    singleWord: try t["single_word"].bool(default: false), lstrip: try t["lstrip"].bool(default: false),
                    rstrip: try t["rstrip"].bool(default: false), normalized: try t["normalized"].bool(default: true),
                    special: try t["special"].bool(default: false)))
            }
        }
        self.init(model: try Self.loadModel(root["model"]), normalizer: normalizer,
                  preTokenizer: try Self.loadPreTokenizer(root["pre_tokenizer"]),
                  postProcessor: try Self.loadPostProcessor(root["post_processor"]),
                  decoder: try Self.loadDecoder(root["decoder"]), addedTokens: added,
                  truncation: try Self.loadTruncation(root["truncation"]), padding: try Self.loadPadding(root["padding"]))
    }

    /// A BERT tokenizer from a `vocab.txt`, with the settings HF's
    /// `BertTokenizerFast` converter gives it: BertNormalizer, BertPreTokenizer,
    /// WordPiece ("[UNK]", "##", 100), `[CLS] $A [SEP]` templates and the
    /// WordPiece decoder. No truncation or padding.
    ///
    /// ```swift
    /// let tok = try Tokenizer.bert(vocab: URL(fileURLWithPath: "vocab.txt"))
    /// ```
    public static func bert(vocab url: URL, lowercase: Bool = true) throws(TokenizerError) -> Tokenizer {
        let model = WordPiece(tokens: try WordPiece.readVocab(url))
        func id(_ t: String) throws(TokenizerError) -> Int {
            guard let i = model.tokenToId(t) else { throw .unknownToken(t, role: "BERT special token in \(url.path)") }
            return i
        }
        let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].filter { model.tokenToId($0) != nil }
        return Tokenizer(
            model: model, normalizer: BertNormalizer(lowercase: lowercase),
            preTokenizer: BertPreTokenizer(),
            postProcessor: BertProcessing(sep: ("[SEP]", try id("[SEP]")), cls: ("[CLS]", try id("[CLS]"))),
            decoder: WordPieceDecoder(),
            addedTokens: specials.map { AddedToken(id: model.tokenToId($0)!, content: $0, special: true) })
    }

    static func loadModel(_ v: JSONValue) throws(TokenizerError) -> any TokenizerModel {
        _ = try v.object()
        // tokenizers accepts a model without `type` and infers it; WordPiece
        // is the one with `max_input_chars_per_word`.
        // tokenizers accepts a model without `type` and infers it from its fields.
        let type: String
        if !v["type"].isNull { type = try v.type() }
        else if !v["max_input_chars_per_word"].isNull { type = "WordPiece" }
        else if !v["merges"].isNull { type = "BPE" }
        else if v["vocab"].raw is [Any] { type = "Unigram" }
        else if !v["vocab"].isNull { type = "WordLevel" }
        else { type = try v.type() }
        switch type {
        case "WordPiece":
            return WordPiece(byKey: try loadVocab(v["vocab"]), unkToken: try v["unk_token"].string(default: "[UNK]"),
                             continuingSubwordPrefix: try v["continuing_subword_prefix"].string(default: "##"),
                             maxInputCharsPerWord: try v["max_input_chars_per_word"].int(default: 100))
        default:
            return try loadOtherModel(v, type: type)
        }
    }

    static func loadNormalizer(_ v: JSONValue) throws(TokenizerError) -> (any Normalizer)? {
        if v.isNull { return nil }
        switch try v.type() {
        case "BertNormalizer":
            return BertNormalizer(cleanText: try v["clean_text"].bool(default: true),
                                  handleChineseChars: try v["handle_chinese_chars"].bool(default: true),
                                  stripAccents: try v["strip_accents"].optionalBool(),
                                  lowercase: try v["lowercase"].bool(default: true))
        case "Sequence":
            var list: [any Normalizer] = []
            for n in try v["normalizers"].array() { if let n = try loadNormalizer(n) { list.append(n) } }
            return SequenceNormalizer(list)
        case "NFC": return UnicodeNormalizer(.nfc)
        case "NFD": return UnicodeNormalizer(.nfd)
        case "NFKC": return UnicodeNormalizer(.nfkc)
        case "NFKD": return UnicodeNormalizer(.nfkd)
        case "Lowercase": return Lowercase()
        case "StripAccents": return StripAccentsNormalizer()
        case let t: return try loadOtherNormalizer(v, type: t)
        }
    }

    static func loadPreTokenizer(_ v: JSONValue) throws(TokenizerError) -> (any PreTokenizer)? {
        if v.isNull { return nil }
        switch try v.type() {
        case "BertPreTokenizer": return BertPreTokenizer()
        case "Whitespace": return Whitespace()
        case "WhitespaceSplit": return WhitespaceSplit()
        case "Sequence":
            var list: [any PreTokenizer] = []
            for p in try v["pretokenizers"].array() { if let p = try loadPreTokenizer(p) { list.append(p) } }
            return SequencePreTokenizer(list)
        case let t: return try loadOtherPreTokenizer(v, type: t)
        }
    }

    static func loadPostProcessor(_ v: JSONValue) throws(TokenizerError) -> (any PostProcessor)? {
        if v.isNull { return nil }
        switch try v.type() {
        case "BertProcessing":
            func pair(_ f: JSONValue) throws(TokenizerError) -> (String, Int) {
                let a = try f.array()
                guard a.count == 2 else { throw .invalidField(path: f.file, field: f.field, expected: "[token, id]") }
                return (try a[0].string(), try a[1].int())
            }
            return BertProcessing(sep: try pair(v["sep"]), cls: try pair(v["cls"]))
        case "TemplateProcessing":
            var specials: [String: (ids: [Int], tokens: [String])] = [:]
            if !v["special_tokens"].isNull {
                for (name, _) in try v["special_tokens"].object().members {
                    let s = v["special_tokens"][name]
                    var ids: [Int] = [], tokens: [String] = []
                    for i in try s["ids"].array() { ids.append(try i.int()) }
                    for t in try s["tokens"].array() { tokens.append(try t.string()) }
                    guard ids.count == tokens.count else {
                        throw .invalidField(path: s.file, field: s.field, expected: "as many ids as tokens")
                    }
                    specials[name] = (ids, tokens)
                }
            }
            let single = try loadTemplate(v["single"], specials)
            let pair = try loadTemplate(v["pair"], specials)
            return TemplateProcessing(single: single, pair: pair, specialTokens: specials)
        case let t: return try loadOtherPostProcessor(v, type: t)
        }
    }

    /// A template as a list of `{"SpecialToken": {id, type_id}}` /
    /// `{"Sequence": {id: "A"|"B", type_id}}`, or in its string form.
    static func loadTemplate(_ v: JSONValue, _ specials: [String: (ids: [Int], tokens: [String])])
        throws(TokenizerError) -> [TemplateProcessing.Piece] {
        var pieces: [TemplateProcessing.Piece] = []
        if v.raw is String {
            pieces = try TemplateProcessing.parse(try v.string())
        } else {
            for p in try v.array() {
                if !p["SpecialToken"].isNull {
                    let s = p["SpecialToken"]
                    pieces.append(.specialToken(try s["id"].string(), typeId: try s["type_id"].int(default: 0)))
                } else if !p["Sequence"].isNull {
                    let s = p["Sequence"]
                    let id = try s["id"].string()
                    guard id == "A" || id == "B" else { throw .invalidField(path: s.file, field: "\(s.field).id", expected: "\"A\" or \"B\"") }
                    pieces.append(.sequence(first: id == "A", typeId: try s["type_id"].int(default: 0)))
                } else {
                    throw .invalidField(path: p.file, field: p.field, expected: "a SpecialToken or Sequence piece")
                }
            }
        }
        for case .specialToken(let name, _) in pieces where specials[name] == nil {
            throw .unknownToken(name, role: "template special token missing from \(v.file) special_tokens")
        }
        return pieces
    }

    static func loadDecoder(_ v: JSONValue) throws(TokenizerError) -> (any TokenDecoder)? {
        if v.isNull { return nil }
        switch try v.type() {
        case "WordPiece":
            return WordPieceDecoder(prefix: try v["prefix"].string(default: "##"), cleanup: try v["cleanup"].bool(default: true))
        case let t: return try loadOtherDecoder(v, type: t)
        }
    }

    static func loadDirection(_ v: JSONValue) throws(TokenizerError) -> Direction {
        let s = try v.string(default: "Right")
        guard let d = Direction(rawValue: s) else { throw .invalidField(path: v.file, field: v.field, expected: "\"Left\" or \"Right\"") }
        return d
    }

    static func loadTruncation(_ v: JSONValue) throws(TokenizerError) -> Truncation? {
        if v.isNull { return nil }
        _ = try v.object()
        let s = try v["strategy"].string(default: "LongestFirst")
        guard let strategy = Truncation.Strategy(rawValue: s) else {
            throw .invalidField(path: v.file, field: "\(v.field).strategy", expected: "LongestFirst, OnlyFirst or OnlySecond")
        }
        return Truncation(maxLength: try v["max_length"].int(default: 512), strategy: strategy,
                          direction: try loadDirection(v["direction"]), stride: try v["stride"].int(default: 0))
    }

    static func loadPadding(_ v: JSONValue) throws(TokenizerError) -> Padding? {
        if v.isNull { return nil }
        _ = try v.object()
        let strategy: Padding.Strategy
        let s = v["strategy"]
        if s.isNull || (s.raw as? String) == "BatchLongest" {
            strategy = .batchLongest
        } else if !s["Fixed"].isNull {
            strategy = .fixed(try s["Fixed"].int())
        } else {
            throw .invalidField(path: s.file, field: s.field, expected: "\"BatchLongest\" or {\"Fixed\": n}")
        }
        return Padding(strategy: strategy, direction: try loadDirection(v["direction"]),
                       padToMultipleOf: try v["pad_to_multiple_of"].optionalInt(), padId: try v["pad_id"].int(default: 0),
                       padTypeId: try v["pad_type_id"].int(default: 0), padToken: try v["pad_token"].string(default: "[PAD]"))
    }
}
