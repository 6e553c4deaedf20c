// Reading the `model` section for BPE, Unigram and WordLevel, and the
// component types that came with them (byte-level, Metaspace, Split, ...).
// Unknown types and bad fields are typed errors naming file and field.

import Foundation

extension Tokenizer {
    /// `{token: id}` of a vocab object; the path of a field is built only for a bad entry.
    static func loadVocab(_ v: JSONValue) throws(TokenizerError) -> [VocabKey: Int] {
        let object = try v.object()
        var vocab: [VocabKey: Int] = [:]
        vocab.reserveCapacity(object.count)
        for (token, raw) in object.members {
            if let i = raw as? Int {
                vocab[VocabKey(token)] = i
            } else {
                vocab[VocabKey(token)] = try v[token].int()
            }
        }
        return vocab
    }

    /// The model types besides WordPiece.
    static func loadOtherModel(_ v: JSONValue, type: String) throws(TokenizerError) -> any TokenizerModel {
        switch type {
        case "BPE":
            if !v["dropout"].isNull {
                guard let d = JSONValue.number(v["dropout"].raw) else {
                    throw .invalidField(path: v.file, field: "\(v.field).dropout", expected: "a number or null")
                }
                // Dropout makes encoding random; only its "off" values are accepted.
                guard d == 0 else {
                    throw .invalidField(path: v.file, field: "\(v.field).dropout", expected: "null or 0 (BPE dropout is not supported)")
                }
            }
            var merges: [(String, String)] = []
            let list = v["merges"]
            if let strings = list.raw as? [String] {
                merges.reserveCapacity(strings.count)
                for (i, line) in strings.enumerated() {
                    guard let pair = splitMerge(line.unicodeScalars) else {
                        throw .invalidField(path: v.file, field: "\(list.field)[\(i)]", expected: "two tokens separated by one space")
                    }
                    merges.append(pair)
                }
            } else {
                for m in try list.array() {
                    if let pair = m.raw as? [String], pair.count == 2 {
                        merges.append((pair[0], pair[1]))
                    } else {
                        throw .invalidField(path: v.file, field: m.field, expected: "[\"left\", \"right\"] or \"left right\"")
                    }
                }
            }
            return try BPE(byKey: try loadVocab(v["vocab"]), merges: merges,
                           unkToken: v["unk_token"].isNull ? nil : try v["unk_token"].string(),
                           continuingSubwordPrefix: try v["continuing_subword_prefix"].string(default: ""),
                           endOfWordSuffix: try v["end_of_word_suffix"].string(default: ""),
                           fuseUnk: try v["fuse_unk"].bool(default: false), byteFallback: try v["byte_fallback"].bool(default: false),
                           ignoreMerges: try v["ignore_merges"].bool(default: false), source: "\(v.file) \(v.field).merges")
        case "Unigram":
            var vocab: [(String, Double)] = []
            for entry in try v["vocab"].array() {
                let pair = try entry.array()
                guard pair.count == 2, let piece = pair[0].raw as? String, let score = JSONValue.number(pair[1].raw) else {
                    throw .invalidField(path: v.file, field: entry.field, expected: "[piece, score]")
                }
                vocab.append((piece, score))
            }
            return try Unigram(vocab: vocab, unkId: try v["unk_id"].optionalInt(),
                               byteFallback: try v["byte_fallback"].bool(default: false), source: v.file)
        case "WordLevel":
            let vocab = try loadVocab(v["vocab"])
            var d: [String: Int] = [:]
            for (k, i) in vocab { d[k.string] = i }
            return WordLevel(vocab: d, unkToken: try v["unk_token"].string(default: "<unk>"))
        default:
            throw .unknownType(path: v.file, field: "\(v.field).type", type: type)
        }
    }

    /// `{"String": s}` or `{"Regex": r}`.
    static func loadPattern(_ v: JSONValue) throws(TokenizerError) -> TextPattern {
        _ = try v.object()
        if !v["String"].isNull { return .string(try v["String"].string()) }
        if !v["Regex"].isNull {
            let r = try v["Regex"].string()
            do { return try TextPattern.regex(r) } catch {
                throw .invalidField(path: v.file, field: "\(v.field).Regex", expected: "a valid regular expression")
            }
        }
        throw .invalidField(path: v.file, field: v.field, expected: "{\"String\": ...} or {\"Regex\": ...}")
    }

    static func loadBehavior(_ v: JSONValue, default d: SplitBehavior) throws(TokenizerError) -> SplitBehavior {
        if v.isNull { return d }
        guard let b = SplitBehavior(rawValue: try v.string()) else {
            throw .invalidField(path: v.file, field: v.field,
                                expected: "Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous")
        }
        return b
    }

    static func loadScalar(_ v: JSONValue, default d: Unicode.Scalar) throws(TokenizerError) -> Unicode.Scalar {
        if v.isNull { return d }
        let s = try v.string()
        guard s.unicodeScalars.count == 1 else { throw .invalidField(path: v.file, field: v.field, expected: "one character") }
        return s.unicodeScalars.first!
    }

    /// Metaspace's scheme, from `prepend_scheme` or the older `add_prefix_space`.
    static func loadPrependScheme(_ v: JSONValue) throws(TokenizerError) -> PrependScheme {
        var scheme = PrependScheme.always
        if !v["prepend_scheme"].isNull {
            guard let s = PrependScheme(rawValue: try v["prepend_scheme"].string()) else {
                throw .invalidField(path: v.file, field: "\(v.field).prepend_scheme", expected: "\"always\", \"first\" or \"never\"")
            }
            scheme = s
        }
        if try v["add_prefix_space"].optionalBool() == false {
            guard scheme == .never || v["prepend_scheme"].isNull else {
                throw .invalidField(path: v.file, field: "\(v.field).add_prefix_space", expected: "consistent with prepend_scheme")
            }
            scheme = .never
        }
        return scheme
    }

    static func loadOtherNormalizer(_ v: JSONValue, type: String) throws(TokenizerError) -> any Normalizer {
        switch type {
        case "Strip": return Strip(left: try v["strip_left"].bool(default: true), right: try v["strip_right"].bool(default: true))
        case "Replace": return Replace(pattern: try loadPattern(v["pattern"]), content: try v["content"].string())
        case "Prepend": return Prepend(try v["prepend"].string())
        case "ByteLevel": return ByteLevelNormalizer()
        case "Precompiled":
            let field = v["precompiled_charsmap"]
            guard let data = Data(base64Encoded: try field.string()) else {
                throw .invalidField(path: v.file, field: field.field, expected: "base64 text")
            }
            return try PrecompiledNormalizer(charsmap: [UInt8](data), source: v.file)
        default: throw .unknownType(path: v.file, field: "\(v.field).type", type: type)
        }
    }

    static func loadOtherPreTokenizer(_ v: JSONValue, type: String) throws(TokenizerError) -> any PreTokenizer {
        switch type {
        case "ByteLevel":
            return ByteLevel(addPrefixSpace: try v["add_prefix_space"].bool(default: true),
                             trimOffsets: try v["trim_offsets"].bool(default: true), useRegex: try v["use_regex"].bool(default: true))
        case "Metaspace":
            return Metaspace(replacement: try loadScalar(v["replacement"], default: "\u{2581}"),
                             prependScheme: try loadPrependScheme(v), split: try v["split"].bool(default: true))
        case "Split":
            return Split(pattern: try loadPattern(v["pattern"]), behavior: try loadBehavior(v["behavior"], default: .removed),
                         invert: try v["invert"].bool(default: false))
        case "Punctuation": return Punctuation(behavior: try loadBehavior(v["behavior"], default: .isolated))
        case "Digits": return Digits(individualDigits: try v["individual_digits"].bool(default: false))
        case "CharDelimiterSplit": return CharDelimiterSplit(try loadScalar(v["delimiter"], default: " "))
        case "FixedLength":
            let length = try v["length"].int(default: 5)
            guard length >= 1 else { throw .invalidField(path: v.file, field: "\(v.field).length", expected: "a length of at least 1") }
            return FixedLength(length: length)
        default: throw .unknownType(path: v.file, field: "\(v.field).type", type: type)
        }
    }

    static func loadOtherPostProcessor(_ v: JSONValue, type: String) throws(TokenizerError) -> any PostProcessor {
        func pair(_ f: JSONValue, _ d: (String, Int)) throws(TokenizerError) -> (String, Int) {
            if f.isNull { return d }
            let a = try f.array()
            guard a.count == 2 else { throw .invalidField(path: f.file, field: f.field, expected: "[token, id]") }
            return (try a[0].string(), try a[1].int())
        }
        switch type {
        case "RobertaProcessing":
            return RobertaProcessing(sep: try pair(v["sep"], ("</s>", 2)), cls: try pair(v["cls"], ("<s>", 0)),
                                     trimOffsets: try v["trim_offsets"].bool(default: true),
                                     addPrefixSpace: try v["add_prefix_space"].bool(default: true))
        case "ByteLevel":
            return ByteLevelProcessing(trimOffsets: try v["trim_offsets"].bool(default: true),
                                       addPrefixSpace: try v["add_prefix_space"].bool(default: true),
                                       useRegex: try v["use_regex"].bool(default: true))
        case "Sequence":
            var list: [any PostProcessor] = []
            for p in try v["processors"].array() { if let p = try loadPostProcessor(p) { list.append(p) } }
            return SequenceProcessor(list)
        default: throw .unknownType(path: v.file, field: "\(v.field).type", type: type)
        }
    }

    static func loadOtherDecoder(_ v: JSONValue, type: String) throws(TokenizerError) -> any TokenDecoder {
        switch type {
        case "ByteLevel":
            return ByteLevelDecoder(addPrefixSpace: try v["add_prefix_space"].bool(default: true),
                                    trimOffsets: try v["trim_offsets"].bool(default: true), useRegex: try v["use_regex"].bool(default: true))
        case "Metaspace":
            return MetaspaceDecoder(replacement: try loadScalar(v["replacement"], default: "\u{2581}"),
                                    prependScheme: try loadPrependScheme(v), split: try v["split"].bool(default: true))
        case "BPEDecoder": return BPEDecoder(suffix: try v["suffix"].string(default: "</w>"))
        case "ByteFallback": return ByteFallbackDecoder()
        case "Fuse": return FuseDecoder()
        case "CTC":
            return CTCDecoder(padToken: try v["pad_token"].string(default: "<pad>"),
                              wordDelimiterToken: try v["word_delimiter_token"].string(default: "|"),
                              cleanup: try v["cleanup"].bool(default: true))
        case "Strip":
            return StripDecoder(content: try loadScalar(v["content"], default: " "), start: max(0, try v["start"].int(default: 0)),
                                stop: max(0, try v["stop"].int(default: 0)))
        case "Replace": return ReplaceDecoder(pattern: try loadPattern(v["pattern"]), content: try v["content"].string())
        case "Sequence":
            var list: [any TokenDecoder] = []
            for d in try v["decoders"].array() { if let d = try loadDecoder(d) { list.append(d) } }
            return SequenceDecoder(list)
        default: throw .unknownType(path: v.file, field: "\(v.field).type", type: type)
        }
    }
}
