// The encode/decode pipeline, in HF's order: added tokens, normalizer,
// pre-tokenizer, model, truncation, post-processor, padding.

import Foundation

/// A text tokenizer equivalent to HF `tokenizers.Tokenizer`.
///
/// ```swift
/// let tok = try Tokenizer(contentsOf: URL(fileURLWithPath: "tokenizer.json"))
/// let e = try tok.encode("Hello, world!")
/// e.ids                       // [101, 7592, 1010, 2088, 999, 102, 0, 0, ...] (MiniLM pads to 128)
/// tok.decode(e.ids)           // "hello, world!"
/// ```
public struct Tokenizer: Sendable {
    /// The pipeline's parts, in the order they run (nil parts are skipped).
    public let model: any TokenizerModel
    public let normalizer: (any Normalizer)?
    public let preTokenizer: (any PreTokenizer)?
    public var postProcessor: (any PostProcessor)?
    public var decoder: (any TokenDecoder)?
    /// Applied by every encode; nil = no truncation.
    public var truncation: Truncation?
    /// Applied by every encode (and across a batch); nil = no padding.
    public var padding: Padding?
    let addedVocabulary: AddedVocabulary

    /// Assembles a tokenizer from its parts.
    ///
    /// ```swift
    /// let tok = Tokenizer(model: WordPiece(vocab: vocab), normalizer: BertNormalizer(),
    ///                     preTokenizer: BertPreTokenizer(),
    ///                     addedTokens: [AddedToken(id: 0, content: "[PAD]", special: true)])
    /// ```
    public init(model: any TokenizerModel, normalizer: (any Normalizer)? = nil, preTokenizer: (any PreTokenizer)? = nil,
                postProcessor: (any PostProcessor)? = nil, decoder: (any TokenDecoder)? = nil,
                addedTokens: [AddedToken] = [], truncation: Truncation? = nil, padding: Padding? = nil) {
        self.model = model
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.postProcessor = postProcessor
        self.decoder = decoder
        self.truncation = truncation
        self.padding = padding
        self.addedVocabulary = AddedVocabulary(addedTokens, normalizer: normalizer)
    }

    /// The added tokens (`added_tokens`), specials included.
    public var addedTokens: [AddedToken] { addedVocabulary.tokens }

    /// The id of a token: added tokens first, then the model's vocabulary.
    ///
    /// ```swift
    /// tok.tokenToId("[SEP]")   // 102
    /// ```
    public func tokenToId(_ token: String) -> Int? {
        addedVocabulary.byContent[VocabKey(token)] ?? model.tokenToId(token)
    }

    /// The token of an id: added tokens first, then the model's vocabulary.
    ///
    /// ```swift
    /// tok.idToToken(102)   // "[SEP]"
    /// ```
    public func idToToken(_ id: Int) -> String? {
        if let i = addedVocabulary.byId[id] { return addedVocabulary.tokens[i].content }
        return model.idToToken(id)
    }

    /// Encodes one sequence, or a pair, with this tokenizer's truncation
    /// and padding.
    ///
    /// ```swift
    /// let e = try tok.encode("A man is eating food.", pair: "A man eats.")
    /// e.typeIds   // [0, 0, ..., 1, 1]
    /// ```
    public func encode(_ text: String, pair: String? = nil, addSpecialTokens: Bool = true) throws(TokenizerError) -> Encoding {
        var a = try encodeSequence(text, typeId: 0)
        var b = try pair.map { (p: String) throws(TokenizerError) in try encodeSequence(p, typeId: 1) }
        if let truncation {
            var maxLength = truncation.maxLength
            let added = postProcessor?.addedTokens(isPair: b != nil) ?? 0
            if addSpecialTokens && added > 0 {
                guard maxLength >= added else { throw .truncationTooShort(maxLength: maxLength, specialTokens: added) }
                maxLength -= added
            }
            try truncation.apply(&a, &b, maxLength: maxLength)
        }
        var e = postProcessor?.process(a, b, addSpecialTokens: addSpecialTokens) ?? defaultProcess(a, b)
        if let padding {
            var one = [e]
            padding.apply(&one)
            e = one[0]
        }
        return e
    }

    /// Encodes many sequences in parallel; the result equals encoding them
    /// one by one, then padding across the batch (`.batchLongest` pads to
    /// the longest of the batch).
    ///
    /// ```swift
    /// let batch = try tok.encodeBatch(["first text", "second"])
    /// ```
    public func encodeBatch(_ texts: [String], addSpecialTokens: Bool = true) throws(TokenizerError) -> [Encoding] {
        try encodeBatch(texts.map { ($0, nil) }, addSpecialTokens: addSpecialTokens)
    }

    /// Encodes many pairs (second element nil for a single sequence) in parallel.
    ///
    /// ```swift
    /// let batch = try tok.encodeBatch([("question?", "context."), ("alone", nil)])
    /// ```
    public func encodeBatch(_ inputs: [(String, String?)], addSpecialTokens: Bool = true) throws(TokenizerError) -> [Encoding] {
        // Each slot is written by exactly one iteration, so the unchecked
        // buffer is free of races; results don't depend on scheduling.
        let results = UnsafeMutableBufferPointer<Result<Encoding, TokenizerError>?>.allocate(capacity: inputs.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
            slots[i] = Result { () throws(TokenizerError) in
                try encode(inputs[i].0, pair: inputs[i].1, addSpecialTokens: addSpecialTokens)
            }
        }
        var encodings: [Encoding] = []
        encodings.reserveCapacity(inputs.count)
        for r in results { encodings.append(try r!.get()) }
        padding?.apply(&encodings)
        return encodings
    }

    /// Text of the ids, through the decoder (tokens joined by spaces when
    /// there is none); special added tokens are dropped when asked.
    ///
    /// ```swift
    /// tok.decode([101, 7592, 102])                            // "hello"
    /// tok.decode([101, 7592, 102], skipSpecialTokens: false)  // "[CLS] hello [SEP]"
    /// ```
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
        let tokens = ids.compactMap { id -> String? in
            if skipSpecialTokens && addedVocabulary.isSpecial(id: id) { return nil }
            return idToToken(id)
        }
        return decoder?.decode(tokens) ?? tokens.joined(separator: " ")
    }

    /// Decodes several id lists in parallel.
    ///
    /// ```swift
    /// let texts = tok.decodeBatch(batch.map(\.ids))
    /// ```
    public func decodeBatch(_ ids: [[Int]], skipSpecialTokens: Bool = true) -> [String] {
        let results = UnsafeMutableBufferPointer<String>.allocate(capacity: ids.count)
        results.initialize(repeating: "")
        defer { results.deinitialize(); results.deallocate() }
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in
            slots[i] = decode(ids[i], skipSpecialTokens: skipSpecialTokens)
        }
        return Array(results)
    }

    /// One sequence through added tokens, normalizer, pre-tokenizer and
    /// model, with offsets mapped back to the original scalars.
    func encodeSequence(_ text: String, typeId: Int) throws(TokenizerError) -> Encoding {
        var tokens: [Token] = []
        for (piece, added) in addedVocabulary.extractAndNormalize(text, normalizer: normalizer) {
            if var t = added {
                t.offsets = piece.originalRange(of: 0..<piece.scalars.count)
                tokens.append(t)
                continue
            }
            let words = preTokenizer?.preTokenize([piece]) ?? [piece]
            for word in words {
                for var t in try model.tokenize(word.scalars) {
                    t.offsets = word.originalRange(of: t.offsets)
                    tokens.append(t)
                }
            }
        }
        return Encoding(tokens: tokens, typeId: typeId)
    }
}
