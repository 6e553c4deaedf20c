// The tokenizer.json form of the byte-level, SentencePiece and pattern
// components, in HF's key order, so a trained tokenizer using them can be
// saved (see Training/TokenizerJSON+Writing.swift).

import Foundation

extension TextPattern {
    var tokenizerJSON: TrainingJSON {
        switch self {
        case .string(let s): .object([("String", .string(s))])
        case .regex(let box): .object([("Regex", .string(box.regex.pattern))])
        }
    }
}

extension Strip: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Strip")), ("strip_left", .bool(left)), ("strip_right", .bool(right))])
    }
}

extension Replace: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Replace")), ("pattern", pattern.tokenizerJSON), ("content", .string(content))])
    }
}

extension Prepend: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Prepend")), ("prepend", .string(prefix))])
    }
}

extension ByteLevel: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(addPrefixSpace)),
                 ("trim_offsets", .bool(trimOffsets)), ("use_regex", .bool(useRegex))])
    }
}

extension Metaspace: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Metaspace")), ("replacement", .string(String(Character(replacement)))),
                 ("prepend_scheme", .string(prependScheme.rawValue)), ("split", .bool(split))])
    }
}

extension Split: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Split")), ("pattern", pattern.tokenizerJSON), ("behavior", .string(behavior.rawValue)),
                 ("invert", .bool(invert))])
    }
}

extension Punctuation: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Punctuation")), ("behavior", .string(behavior.rawValue))])
    }
}

extension Digits: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Digits")), ("individual_digits", .bool(individualDigits))])
    }
}

extension CharDelimiterSplit: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("CharDelimiterSplit")), ("delimiter", .string(String(Character(delimiter))))])
    }
}

extension RobertaProcessing: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("RobertaProcessing")), ("sep", .array([.string(sep.token), .int(sep.id)])),
                 ("cls", .array([.string(cls.token), .int(cls.id)])), ("trim_offsets", .bool(trimOffsets)),
                 ("add_prefix_space", .bool(addPrefixSpace))])
    }
}

extension ByteLevelProcessing: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(addPrefixSpace)),
                 ("trim_offsets", .bool(trimOffsets)), ("use_regex", .bool(useRegex))])
    }
}

extension SequenceProcessor: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        var parts: [TrainingJSON] = []
        for p in processors { parts.append(try componentJSON(p, role: "post_processor")) }
        return .object([("type", .string("Sequence")), ("processors", .array(parts))])
    }
}

extension ByteLevelDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(addPrefixSpace)),
                 ("trim_offsets", .bool(trimOffsets)), ("use_regex", .bool(useRegex))])
    }
}

extension MetaspaceDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Metaspace")), ("replacement", .string(String(Character(replacement)))),
                 ("prepend_scheme", .string(prependScheme.rawValue)), ("split", .bool(split))])
    }
}

extension BPEDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("BPEDecoder")), ("suffix", .string(suffix))])
    }
}

extension ByteFallbackDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON { .object([("type", .string("ByteFallback"))]) }
}

extension FuseDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON { .object([("type", .string("Fuse"))]) }
}

extension StripDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Strip")), ("content", .string(String(Character(content)))), ("start", .int(start)),
                 ("stop", .int(stop))])
    }
}

extension ReplaceDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Replace")), ("pattern", pattern.tokenizerJSON), ("content", .string(content))])
    }
}

extension SequenceDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        var parts: [TrainingJSON] = []
        for d in decoders { parts.append(try componentJSON(d, role: "decoder")) }
        return .object([("type", .string("Sequence")), ("decoders", .array(parts))])
    }
}

extension PrecompiledNormalizer: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("Precompiled")), ("precompiled_charsmap", .string(Data(charsmap).base64EncodedString()))])
    }
}

extension ByteLevelNormalizer: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON { .object([("type", .string("ByteLevel"))]) }
}

extension FixedLength: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("FixedLength")), ("length", .int(length))])
    }
}

extension CTCDecoder: TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON {
        .object([("type", .string("CTC")), ("pad_token", .string(padToken)),
                 ("word_delimiter_token", .string(wordDelimiterToken)), ("cleanup", .bool(cleanup))])
    }
}
