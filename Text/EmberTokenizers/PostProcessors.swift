// Post-processors add the special tokens a model expects around the
// sequences ([CLS] A [SEP] B [SEP]) and set the type ids.

/// Adds special tokens and type ids (HF's `post_processor` section).
///
/// ```swift
/// let p = BertProcessing(sep: ("[SEP]", 102), cls: ("[CLS]", 101))
/// p.addedTokens(isPair: true)   // 3
/// ```
public protocol PostProcessor: Sendable {
    /// How many special tokens `process` adds, so truncation leaves room.
    func addedTokens(isPair: Bool) -> Int
    /// Joins `a` and `b` (already truncated) into the final encoding.
    func process(_ a: Encoding, _ b: Encoding?, addSpecialTokens: Bool) -> Encoding
    /// HF's `process_encodings`: the sequences (one or two) after this
    /// step, merged or not, so a `SequenceProcessor` can chain steps.
    func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding]
}

extension PostProcessor {
    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        guard let a = encodings.first else { return [] }
        return [process(a, encodings.count > 1 ? encodings[1] : nil, addSpecialTokens: addSpecialTokens)]
    }

    /// `process` for steps that only rewrite each sequence: theirs, then concatenated.
    func processByEncodings(_ a: Encoding, _ b: Encoding?, addSpecialTokens: Bool) -> Encoding {
        let list = processEncodings(b.map { [a, $0] } ?? [a], addSpecialTokens: addSpecialTokens)
        var e = Encoding()
        for x in list { e.append(x) }
        return e
    }
}

/// HF's `default_process`: the sequences concatenated, type ids untouched.
func defaultProcess(_ a: Encoding, _ b: Encoding?) -> Encoding {
    var e = a
    if let b { e.append(b) }
    return e
}

/// A special token as the post-processor inserts it: offsets 0..<0,
/// special mask 1, attention 1.
func specialEncoding(ids: [Int], tokens: [String], typeId: Int) -> Encoding {
    var e = Encoding()
    e.ids = ids
    e.tokens = tokens
    e.typeIds = Array(repeating: typeId, count: ids.count)
    e.offsets = Array(repeating: 0..<0, count: ids.count)
    e.attentionMask = Array(repeating: 1, count: ids.count)
    e.specialTokensMask = Array(repeating: 1, count: ids.count)
    return e
}

/// HF's `BertProcessing`: `[CLS] A [SEP]` (type 0) and `B [SEP]` (type 1).
///
/// ```swift
/// let p = BertProcessing(sep: ("[SEP]", 102), cls: ("[CLS]", 101))
/// ```
public struct BertProcessing: PostProcessor {
    /// The separator and class tokens with their ids.
    public let sep: (token: String, id: Int)
    public let cls: (token: String, id: Int)
    /// As in the file: `sep: ["[SEP]", 102], cls: ["[CLS]", 101]`.
    public init(sep: (String, Int), cls: (String, Int)) {
        self.sep = sep
        self.cls = cls
    }

    public func addedTokens(isPair: Bool) -> Int { isPair ? 3 : 2 }

    public func process(_ a: Encoding, _ b: Encoding?, addSpecialTokens: Bool) -> Encoding {
        guard addSpecialTokens else { return defaultProcess(a, b) }
        var e = specialEncoding(ids: [cls.id], tokens: [cls.token], typeId: 0)
        var first = a
        first.typeIds = Array(repeating: 0, count: first.count)
        e.append(first)
        e.append(specialEncoding(ids: [sep.id], tokens: [sep.token], typeId: 0))
        if var b {
            b.typeIds = Array(repeating: 1, count: b.count)
            e.append(b)
            e.append(specialEncoding(ids: [sep.id], tokens: [sep.token], typeId: 1))
        }
        return e
    }
}

/// HF's `TemplateProcessing`: templates of special tokens and sequences,
/// each with its type id, e.g. `[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1`.
///
/// ```swift
/// let t = try TemplateProcessing(single: "[CLS]:0 $A:0 [SEP]:0",
///                                pair: "[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
///                                specialTokens: ["[CLS]": ([101], ["[CLS]"]), "[SEP]": ([102], ["[SEP]"])])
/// ```
public struct TemplateProcessing: PostProcessor {
    /// One element of a template.
    public enum Piece: Sendable, Equatable {
        /// `$A` (first = true) or `$B`, with the type id its tokens get.
        case sequence(first: Bool, typeId: Int)
        /// A named entry of `specialTokens`.
        case specialToken(String, typeId: Int)
    }
    /// Templates for one sequence and for a pair.
    public let single: [Piece]
    public let pair: [Piece]
    /// The special tokens the templates name, each possibly several ids.
    public let specialTokens: [String: (ids: [Int], tokens: [String])]

    /// Templates as pieces.
    ///
    /// ```swift
    /// let t = TemplateProcessing(single: [.specialToken("[CLS]", typeId: 0), .sequence(first: true, typeId: 0)],
    ///                            pair: [], specialTokens: ["[CLS]": ([101], ["[CLS]"])])
    /// ```
    public init(single: [Piece], pair: [Piece], specialTokens: [String: (ids: [Int], tokens: [String])]) {
        self.single = single
        self.pair = pair
        self.specialTokens = specialTokens
    }

    /// Templates in HF's string form: pieces separated by spaces, `$A`/`$B`
    /// (or `$`, meaning `$A`) for sequences, anything else names a special
    /// token; `:n` gives the type id (default 0).
    public init(single: String, pair: String, specialTokens: [String: (ids: [Int], tokens: [String])]) throws(TokenizerError) {
        self.init(single: try Self.parse(single), pair: try Self.parse(pair), specialTokens: specialTokens)
    }

    static func parse(_ template: String) throws(TokenizerError) -> [Piece] {
        var pieces: [Piece] = []
        for part in template.split(separator: " ") {
            var name = String(part), typeId = 0
            if let colon = name.lastIndex(of: ":"), let t = Int(name[name.index(after: colon)...]) {
                typeId = t
                name = String(name[..<colon])
            }
            switch name {
            case "$", "$A": pieces.append(.sequence(first: true, typeId: typeId))
            case "$B": pieces.append(.sequence(first: false, typeId: typeId))
            default: pieces.append(.specialToken(name, typeId: typeId))
            }
        }
        return pieces
    }

    public func addedTokens(isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { n, piece in
            if case .specialToken(let name, _) = piece { return n + (specialTokens[name]?.ids.count ?? 0) }
            return n
        }
    }

    public func process(_ a: Encoding, _ b: Encoding?, addSpecialTokens: Bool) -> Encoding {
        var e = Encoding()
        for piece in b == nil ? single : pair {
            switch piece {
            case .sequence(let first, let typeId):
                // Sequences take the template's type id even without specials.
                guard var s = first ? a : b else { continue }
                s.typeIds = Array(repeating: typeId, count: s.count)
                e.append(s)
            case .specialToken(let name, let typeId):
                guard addSpecialTokens, let t = specialTokens[name] else { continue }
                e.append(specialEncoding(ids: t.ids, tokens: t.tokens, typeId: typeId))
            }
        }
        return e
    }
}

// RoBERTa's post-processor and the Sequence of post-processors (byte-level
// offset trimming followed by a template, as in Llama 3's files).

/// HF's `RobertaProcessing`: `<s> A </s>` and `<s> A </s> </s> B </s>`, all
/// type ids 0; with `trimOffsets`, offsets leave out the spaces tokens
/// start or end with (as the ByteLevel post-processor).
///
/// ```swift
/// let p = RobertaProcessing(sep: ("</s>", 2), cls: ("<s>", 0))
/// p.addedTokens(isPair: true)   // 4
/// ```
public struct RobertaProcessing: PostProcessor {
    /// The separator and class tokens with their ids, and the offset settings.
    public let sep: (token: String, id: Int)
    public let cls: (token: String, id: Int)
    public let trimOffsets: Bool
    public let addPrefixSpace: Bool
    public init(sep: (String, Int) = ("</s>", 2), cls: (String, Int) = ("<s>", 0), trimOffsets: Bool = true,
                addPrefixSpace: Bool = true) {
        self.sep = sep
        self.cls = cls
        self.trimOffsets = trimOffsets
        self.addPrefixSpace = addPrefixSpace
    }

    public func addedTokens(isPair: Bool) -> Int { isPair ? 4 : 2 }

    public func process(_ a: Encoding, _ b: Encoding?, addSpecialTokens: Bool) -> Encoding {
        var list = b.map { [a, $0] } ?? [a]
        for i in list.indices {
            if trimOffsets { trimSpaceOffsets(&list[i], addPrefixSpace: addPrefixSpace) }
            list[i].typeIds = Array(repeating: 0, count: list[i].count)
        }
        var e = Encoding()
        for (i, s) in list.enumerated() {
            if addSpecialTokens {
                e.append(specialEncoding(ids: [i == 0 ? cls.id : sep.id], tokens: [i == 0 ? cls.token : sep.token], typeId: 0))
            }
            e.append(s)
            if addSpecialTokens { e.append(specialEncoding(ids: [sep.id], tokens: [sep.token], typeId: 0)) }
        }
        return e
    }
}

/// Several post-processors chained (HF `Sequence`): each gets the
/// sequences the previous one returned.
///
/// ```swift
/// let p = SequenceProcessor([ByteLevelProcessing(trimOffsets: false), template])
/// ```
public struct SequenceProcessor: PostProcessor {
    /// The steps, in order.
    public let processors: [any PostProcessor]
    public init(_ processors: [any PostProcessor]) { self.processors = processors }
    public func addedTokens(isPair: Bool) -> Int { processors.reduce(0) { $0 + $1.addedTokens(isPair: isPair) } }
    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        processors.reduce(encodings) { $1.processEncodings($0, addSpecialTokens: addSpecialTokens) }
    }
    public func process(_ a: Encoding, _ b: Encoding?, addSpecialTokens: Bool) -> Encoding {
        processByEncodings(a, b, addSpecialTokens: addSpecialTokens)
    }
}
