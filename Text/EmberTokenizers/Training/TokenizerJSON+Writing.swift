// Writing a trained tokenizer as HF's tokenizer.json: same sections, same key
// order and layout as `Tokenizer.save(path, pretty=True)`, so a file trained
// the same way by both libraries is the same bytes.

import Foundation

extension TrainedTokenizer {
    /// The tokenizer.json document.
    ///
    /// ```swift
    /// let text = String(decoding: try trained.jsonData(), as: UTF8.self)
    /// ```
    public func jsonData() throws(TrainerError) -> Data {
        Data(try json().pretty().utf8)
    }

    /// Writes the tokenizer.json atomically: to a temporary file in the same
    /// folder, then renamed over `url`, so a reader never sees half a file.
    ///
    /// ```swift
    /// try trained.save(to: URL(fileURLWithPath: "out/tokenizer.json"))
    /// ```
    public func save(to url: URL) throws(TrainerError) {
        let data = try jsonData()
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temp)
            // rename(2) replaces the target atomically; FileManager's
            // replaceItemAt fails on Linux when the target exists.
            if rename(temp.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw .unwritableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    func json() throws(TrainerError) -> TrainingJSON {
        .object([
            ("version", .string("1.0")),
            ("truncation", .null),
            ("padding", .null),
            ("added_tokens", .array(addedTokens.sorted { $0.id < $1.id }.map(Self.json))),
            ("normalizer", try Self.part(normalizer, "normalizer")),
            ("pre_tokenizer", try Self.part(preTokenizer, "pre_tokenizer")),
            ("post_processor", try Self.part(postProcessor, "post_processor")),
            ("decoder", try Self.part(decoder, "decoder")),
            ("model", Self.json(model)),
        ])
    }

    static func part(_ component: Any?, _ role: String) throws(TrainerError) -> TrainingJSON {
        guard let component else { return .null }
        return try componentJSON(component, role: role)
    }

    static func json(_ t: AddedToken) -> TrainingJSON {
        .object([
            ("id", .int(t.id)), ("content", .string(t.content)), ("single_word", .bool(t.singleWord)),
            ("lstrip", .bool(t.lstrip)), ("rstrip", .bool(t.rstrip)), ("normalized", .bool(t.normalized)),
            ("special", .bool(t.special)),
        ])
    }

    static func json(_ model: TrainedModel) -> TrainingJSON {
        func optional(_ s: String?) -> TrainingJSON { s.map { .string($0) } ?? .null }
        func vocab(_ tokens: [String]) -> TrainingJSON {
            // HF writes the vocabulary as an object in id order.
            .object(tokens.enumerated().map { ($0.element, .int($0.offset)) })
        }
        switch model {
        case .bpe(let m):
            return .object([
                ("type", .string("BPE")), ("dropout", .null), ("unk_token", optional(m.unkToken)),
                ("continuing_subword_prefix", optional(m.continuingSubwordPrefix)),
                ("end_of_word_suffix", optional(m.endOfWordSuffix)), ("fuse_unk", .bool(false)),
                ("byte_fallback", .bool(false)), ("ignore_merges", .bool(false)),
                ("vocab", vocab(m.vocab)),
                ("merges", .array(m.merges.map { .array([.string($0.0), .string($0.1)]) })),
            ])
        case .wordPiece(let m):
            return .object([
                ("type", .string("WordPiece")), ("unk_token", .string(m.unkToken)),
                ("continuing_subword_prefix", .string(m.continuingSubwordPrefix)),
                ("max_input_chars_per_word", .int(m.maxInputCharsPerWord)),
                ("vocab", vocab(m.vocab)),
            ])
        case .unigram(let m):
            return .object([
                ("type", .string("Unigram")), ("unk_id", m.unkId.map { .int($0) } ?? .null),
                ("vocab", .array(m.pieces.map { .array([.string($0.piece), .double($0.score)]) })),
                ("byte_fallback", .bool(false)),
            ])
        }
    }
}

/// A pipeline component that knows its tokenizer.json form. Components added
/// to this library later conform in their own files to become saveable.
protocol TokenizerJSONComponent {
    func tokenizerJSON() throws(TrainerError) -> TrainingJSON
}

/// The JSON of a component, or a typed error naming its type.
func componentJSON(_ component: Any, role: String) throws(TrainerError) -> TrainingJSON {
    guard let c = component as? any TokenizerJSONComponent else {
        throw .unserializableComponent(role: role, type: String(describing: type(of: component)))
    }
    return try c.tokenizerJSON()
}
