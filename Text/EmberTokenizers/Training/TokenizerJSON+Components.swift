// The tokenizer.json form of the pipeline components this library has, with
// HF's field names and order (as `Tokenizer.save` writes them).

extension BertNormalizer: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("BertNormalizer")), ("clean_text", .bool(cleanText)),
                 ("handle_chinese_chars", .bool(handleChineseChars)),
                 ("strip_accents", stripAccents.map { .bool($0) } ?? .null), ("lowercase", .bool(lowercase))])
    }
}

extension SequenceNormalizer: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        var parts: [TrainingJSON] = []
        for n in normalizers { parts.append(try componentJSON(n, role: "normalizer")) }
        return .object([("type", .string("Sequence")), ("normalizers", .array(parts))])
    }
}

extension UnicodeNormalizer: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        let name = switch form { case .nfc: "NFC"; case .nfd: "NFD"; case .nfkc: "NFKC"; case .nfkd: "NFKD" }
        return .object([("type", .string(name))])
    }
}

extension Lowercase: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON { .object([("type", .string("Lowercase"))]) }
}

extension StripAccentsNormalizer: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON { .object([("type", .string("StripAccents"))]) }
}

extension BertPreTokenizer: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON { .object([("type", .string("BertPreTokenizer"))]) }
}

extension Whitespace: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON { .object([("type", .string("Whitespace"))]) }
}

extension WhitespaceSplit: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON { .object([("type", .string("WhitespaceSplit"))]) }
}

extension SequencePreTokenizer: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        var parts: [TrainingJSON] = []
        for p in preTokenizers { parts.append(try componentJSON(p, role: "pre_tokenizer")) }
        return .object([("type", .string("Sequence")), ("pretokenizers", .array(parts))])
    }
}

extension BertProcessing: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("BertProcessing")),
                 ("sep", .array([.string(sep.token), .int(sep.id)])), ("cls", .array([.string(cls.token), .int(cls.id)]))])
    }
}

extension TemplateProcessing: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        func template(_ pieces: [Piece]) -> TrainingJSON {
            .array(pieces.map { piece in
                switch piece {
                case .specialToken(let id, let typeId):
                    .object([("SpecialToken", .object([("id", .string(id)), ("type_id", .int(typeId))]))])
                case .sequence(let first, let typeId):
                    .object([("Sequence", .object([("id", .string(first ? "A" : "B")), ("type_id", .int(typeId))]))])
                }
            })
        }
        // HF keeps special tokens in a sorted map.
        let specials = specialTokens.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { name, t in
            (name, TrainingJSON.object([("id", .string(name)), ("ids", .array(t.ids.map { .int($0) })),
                                        ("tokens", .array(t.tokens.map { .string($0) }))]))
        }
        return .object([("type", .string("TemplateProcessing")), ("single", template(single)), ("pair", template(pair)),
                        ("special_tokens", .object(specials))])
    }
}

extension WordPieceDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("WordPiece")), ("prefix", .string(prefix)), ("cleanup", .bool(cleanup))])
    }
}
