// The model turns one pre-token into vocabulary tokens. WordPiece is the
// first; BPE, Unigram and WordLevel conform to the same protocol later.

import Foundation

/// One token the model produced for a pre-token: its id, its text and its
/// range of scalars within the pre-token.
///
/// ```swift
/// let t = Token(id: 7, value: "##ing", offsets: 3..<6)
/// ```
public struct Token: Sendable, Equatable {
    /// Vocabulary id, token text and scalar range in the pre-token.
    public var id: Int
    public var value: String
    public var offsets: Range<Int>
    /// A token as a model returns it.
    public init(id: Int, value: String, offsets: Range<Int>) {
        self.id = id
        self.value = value
        self.offsets = offsets
    }
}

/// A tokenization model (HF's `model` section), dispatched on `model.type`.
///
/// ```swift
/// let model: any TokenizerModel = WordPiece(vocab: ["[UNK]": 0, "hi": 1])
/// try model.tokenize(Array("hi".unicodeScalars)).map(\.id)   // [1]
/// ```
public protocol TokenizerModel: Sendable {
    /// The tokens of one pre-token; offsets are scalar indices into `word`.
    func tokenize(_ word: [Unicode.Scalar]) throws(TokenizerError) -> [Token]
    func tokenToId(_ token: String) -> Int?
    func idToToken(_ id: Int) -> String?
    /// Number of entries in the model's vocabulary (added tokens excluded).
    var vocabSize: Int { get }
}

/// HF's `WordPiece` model: greedy longest-match-first from the left, pieces
/// after the first looked up with `continuingSubwordPrefix`; a word with any
/// unmatched position, or longer than `maxInputCharsPerWord` scalars, becomes
/// a single `unkToken`.
///
/// ```swift
/// let wp = WordPiece(vocab: ["[UNK]": 0, "un": 1, "##aff": 2, "##able": 3])
/// try wp.tokenize(Array("unaffable".unicodeScalars)).map(\.value)   // ["un", "##aff", "##able"]
/// ```
public struct WordPiece: TokenizerModel {
    /// Keys compare by scalars: "é" and "e\u{301}" are different tokens.
    let vocabByKey: [VocabKey: Int]
    /// Settings from the file: unknown token, prefix of non-initial pieces and the longest word (in scalars) not mapped to unknown.
    public let unkToken: String
    public let continuingSubwordPrefix: String
    public let maxInputCharsPerWord: Int
    let vocabR: IdTable
    let byBytes: ByteKeyMap

    /// A WordPiece model with HF's defaults ("[UNK]", "##", 100).
    ///
    /// ```swift
    /// let wp = WordPiece(vocab: ["[UNK]": 0, "a": 1], maxInputCharsPerWord: 50)
    /// ```
    public init(vocab: [String: Int], unkToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharsPerWord: Int = 100) {
        var byKey: [VocabKey: Int] = [:]
        byKey.reserveCapacity(vocab.count)
        for (k, v) in vocab { byKey[VocabKey(k)] = v }
        self.init(byKey: byKey, unkToken: unkToken, continuingSubwordPrefix: continuingSubwordPrefix,
                  maxInputCharsPerWord: maxInputCharsPerWord)
    }

    /// A WordPiece model whose token ids are their positions in `tokens`
    /// (a `vocab.txt`'s lines). A later duplicate gets the later id, as in HF.
    ///
    /// ```swift
    /// let wp = WordPiece(tokens: ["[UNK]", "a", "##b"])
    /// ```
    public init(tokens: [String], unkToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharsPerWord: Int = 100) {
        var byKey: [VocabKey: Int] = [:]
        byKey.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() { byKey[VocabKey(t)] = i }
        self.init(byKey: byKey, unkToken: unkToken, continuingSubwordPrefix: continuingSubwordPrefix,
                  maxInputCharsPerWord: maxInputCharsPerWord)
    }

    init(byKey: [VocabKey: Int], unkToken: String, continuingSubwordPrefix: String, maxInputCharsPerWord: Int) {
        self.vocabByKey = byKey
        self.unkToken = unkToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.vocabR = IdTable(byKey)
        self.byBytes = ByteKeyMap(byKey)
    }

    /// Reads a BERT `vocab.txt`: one token a line, the line number is its id.
    ///
    /// ```swift
    /// let tokens = try WordPiece.readVocab(URL(fileURLWithPath: "vocab.txt"))
    /// let wp = WordPiece(tokens: tokens)
    /// ```
    public static func readVocab(_ url: URL) throws(TokenizerError) -> [String] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: url.path, reason: String(describing: error))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformedFile(path: url.path, reason: "not UTF-8 text")
        }
        var tokens: [String] = []
        // Split on the scalar "\n": as Characters, "\r\n" is one and would not split.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        // A final newline ends the last line; it does not start an empty token.
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            // HF trims trailing whitespace (and so "\r" of CRLF files).
            var s = line
            while let last = s.last, last.isWhiteSpace { s = s.dropLast() }
            tokens.append(String(String.UnicodeScalarView(s)))
        }
        if tokens.isEmpty { throw .malformedFile(path: url.path, reason: "the vocabulary is empty") }
        return tokens
    }

    /// The vocabulary as a dictionary (Swift's String keys merge canonically
    /// equivalent tokens; lookups inside the model never do).
    public var vocab: [String: Int] {
        var d: [String: Int] = [:]
        for (k, v) in vocabByKey { d[k.string] = v }
        return d
    }
    /// The number of vocabulary entries.
    public var vocabSize: Int { vocabByKey.count }
    public func tokenToId(_ token: String) -> Int? { vocabByKey[VocabKey(token)] }
    public func idToToken(_ id: Int) -> String? { vocabR[id] }

    public func tokenize(_ word: [Unicode.Scalar]) throws(TokenizerError) -> [Token] {
        // HF looks the unknown token up only when a word needs it.
        func unk() throws(TokenizerError) -> [Token] {
            guard let unkId = vocabByKey[VocabKey(unkToken)] else { throw .unknownToken(unkToken, role: "WordPiece unk_token") }
            return [Token(id: unkId, value: unkToken, offsets: 0..<word.count)]
        }
        if word.count > maxInputCharsPerWord { return try unk() }
        // The word's UTF-8 and where each scalar starts in it, so every
        // candidate substring is a slice of bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.count + 4)
        var starts: [Int] = []
        starts.reserveCapacity(word.count + 1)
        for c in word {
            starts.append(bytes.count)
            if c.value < 0x80 { bytes.append(UInt8(c.value)) } else { bytes += UTF8.encode(c)! }
        }
        starts.append(bytes.count)
        let prefix = Array(continuingSubwordPrefix.utf8)
        var tokens: [Token] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Token?
            while start < end {
                let piece = bytes[starts[start]..<starts[end]]
                if let id = byBytes.id(piece, prefix: start > 0 ? prefix : []), let value = vocabR[id] {
                    found = Token(id: id, value: value, offsets: start..<end)
                    break
                }
                end -= 1
            }
            // One unmatched position makes the whole word unknown.
            guard let token = found else { return try unk() }
            tokens.append(token)
            start = end
        }
        return tokens
    }
}

/// A dictionary key that compares strings scalar by scalar. Swift's String
/// equality is canonical equivalence ("é" == "e\u{301}", "한" == its jamo),
/// but vocabularies tell those apart, as HF's byte-keyed maps do.
struct VocabKey: Hashable, Sendable {
    let string: String
    init(_ string: String) { self.string = string }

    static func == (a: VocabKey, b: VocabKey) -> Bool { a.string.utf8.elementsEqual(b.string.utf8) }

    func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

// A read-only hash map from UTF-8 byte strings to ids, looked up straight
// from a word's bytes: WordPiece tries several substrings of every word, and
// building a String (and SipHashing it) for each try dominated encoding.

/// Token bytes → id, open addressing over one byte arena; keys compare
/// byte by byte (so "é" and "e\u{301}" differ, as in HF's maps).
struct ByteKeyMap: Sendable {
    private var arena: [UInt8] = []
    /// Per slot: key start in the arena, key length, id; length -1 = empty.
    private var slots: [(start: Int32, length: Int32, id: Int32)]
    private let mask: Int

    init(_ vocab: [VocabKey: Int]) {
        var capacity = 16
        while capacity < vocab.count * 2 { capacity <<= 1 }
        slots = Array(repeating: (0, -1, 0), count: capacity)
        mask = capacity - 1
        for (k, id) in vocab {
            // Ids beyond Int32 are left to the dictionary path (never in real files).
            guard let id32 = Int32(exactly: id) else { continue }
            let bytes = Array(k.string.utf8)
            let start = Int32(truncatingIfNeeded: arena.count)
            arena += bytes
            var h = Self.hash(bytes[...], prefix: [])
            while slots[h & mask].length >= 0 { h &+= 1 }
            slots[h & mask] = (start, Int32(truncatingIfNeeded: bytes.count), id32)
        }
    }

    /// FNV-1a over `prefix` then `bytes`.
    @inline(__always)
    static func hash(_ bytes: ArraySlice<UInt8>, prefix: [UInt8]) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in prefix { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The id of the token `prefix + bytes`, if any.
    func id(_ bytes: ArraySlice<UInt8>, prefix: [UInt8] = []) -> Int? {
        var h = Self.hash(bytes, prefix: prefix)
        let n = prefix.count + bytes.count
        while true {
            let s = slots[h & mask]
            if s.length < 0 { return nil }
            if Int(s.length) == n && matches(Int(s.start), bytes, prefix) { return Int(s.id) }
            h &+= 1
        }
    }

    @inline(__always)
    private func matches(_ start: Int, _ bytes: ArraySlice<UInt8>, _ prefix: [UInt8]) -> Bool {
        var a = start
        for b in prefix { if arena[a] != b { return false }; a += 1 }
        for b in bytes { if arena[a] != b { return false }; a += 1 }
        return true
    }
}
