// HF's `BPE` model: a word starts as one symbol per scalar (with the
// continuing-subword prefix and end-of-word suffix where they apply, unknown
// scalars as byte tokens or `unk_token`), then the adjacent pair with the
// lowest merge rank is merged, leftmost first, until no pair has a rank.

import Foundation

/// HF's `BPE` model (GPT-2, RoBERTa, Llama and many more).
///
/// ```swift
/// let bpe = try BPE(vocab: ["a": 0, "b": 1, "ab": 2], merges: [("a", "b")])
/// try bpe.tokenize(Array("ab".unicodeScalars)).map(\.value)   // ["ab"]
/// ```
public struct BPE: TokenizerModel {
    let vocabByKey: [VocabKey: Int]
    let vocabR: IdTable
    /// (left id << 32 | right id) → (rank << 32 | merged id).
    let merges: [UInt64: UInt64]
    /// Ids of the one-scalar tokens, the common case of a symbol lookup.
    let scalarIds: [Unicode.Scalar: Int]
    /// The file's settings; empty prefix and suffix mean none.
    public let unkToken: String?
    public let continuingSubwordPrefix: String
    public let endOfWordSuffix: String
    public let fuseUnk: Bool
    public let byteFallback: Bool
    public let ignoreMerges: Bool
    let cache: WordCache

    /// A BPE model from a vocabulary and ordered merges (rank = position).
    /// Every merge's two parts and their concatenation (the right part
    /// without `continuingSubwordPrefix`) must be in the vocabulary.
    ///
    /// ```swift
    /// let bpe = try BPE(vocab: vocab, merges: [("Ġ", "t"), ("h", "e")], unkToken: nil)
    /// ```
    public init(vocab: [String: Int], merges: [(String, String)], unkToken: String? = nil,
                continuingSubwordPrefix: String = "", endOfWordSuffix: String = "", fuseUnk: Bool = false,
                byteFallback: Bool = false, ignoreMerges: Bool = false, source: String = "BPE") throws(TokenizerError) {
        var byKey: [VocabKey: Int] = [:]
        byKey.reserveCapacity(vocab.count)
        for (k, v) in vocab { byKey[VocabKey(k)] = v }
        try self.init(byKey: byKey, merges: merges, unkToken: unkToken, continuingSubwordPrefix: continuingSubwordPrefix,
                      endOfWordSuffix: endOfWordSuffix, fuseUnk: fuseUnk, byteFallback: byteFallback,
                      ignoreMerges: ignoreMerges, source: source)
    }

    init(byKey: [VocabKey: Int], merges mergeList: [(String, String)], unkToken: String?, continuingSubwordPrefix: String,
         endOfWordSuffix: String, fuseUnk: Bool, byteFallback: Bool, ignoreMerges: Bool, source: String) throws(TokenizerError) {
        self.vocabByKey = byKey
        var scalars: [Unicode.Scalar: Int] = [:]
        for (k, v) in byKey {
            var it = k.string.unicodeScalars.makeIterator()
            if let s = it.next(), it.next() == nil { scalars[s] = v }
        }
        self.vocabR = IdTable(byKey)
        self.scalarIds = scalars
        let prefixBytes = continuingSubwordPrefix.utf8.count
        var m: [UInt64: UInt64] = [:]
        m.reserveCapacity(mergeList.count)
        for (rank, (a, b)) in mergeList.enumerated() {
            guard let ia = byKey[VocabKey(a)] else { throw .unknownToken(a, role: "merge \(rank) of \(source)") }
            guard let ib = byKey[VocabKey(b)] else { throw .unknownToken(b, role: "merge \(rank) of \(source)") }
            // HF drops the prefix's length in bytes from the right part, whether it starts with it or not.
            let tail = Array(b.utf8.dropFirst(prefixBytes))
            let merged = a + (String(validating: tail, as: UTF8.self) ?? "\u{FFFD}")
            guard let im = byKey[VocabKey(merged)] else { throw .unknownToken(merged, role: "merge \(rank) of \(source)") }
            // A later duplicate wins, as HF's map collection does.
            m[UInt64(ia) << 32 | UInt64(UInt32(truncatingIfNeeded: ib))] = UInt64(rank) << 32 | UInt64(UInt32(truncatingIfNeeded: im))
        }
        self.merges = m
        self.unkToken = unkToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.endOfWordSuffix = endOfWordSuffix
        self.fuseUnk = fuseUnk
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
        self.cache = WordCache()
    }

    public var vocabSize: Int { vocabByKey.count }
    public func tokenToId(_ token: String) -> Int? { vocabByKey[VocabKey(token)] }
    public func idToToken(_ id: Int) -> String? { vocabR[id] }
    /// The vocabulary as a dictionary.
    public var vocab: [String: Int] {
        var d: [String: Int] = [:]
        for (k, v) in vocabByKey { d[k.string] = v }
        return d
    }

    /// A symbol of a word being merged: its id and its range of scalars.
    struct Symbol { var id: Int; var start: Int; var end: Int }

    public func tokenize(_ word: [Unicode.Scalar]) throws(TokenizerError) -> [Token] {
        if word.isEmpty { return [] }
        if ignoreMerges {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: word)
            let s = String(v)
            if let id = vocabByKey[VocabKey(s)] { return [Token(id: id, value: vocabR[id] ?? s, offsets: 0..<word.count)] }
        }
        let symbols: [Symbol]
        if let hit = cache.get(word) {
            symbols = hit
        } else {
            symbols = merge(try initialSymbols(word))
            cache.put(word, symbols)
        }
        return symbols.map { Token(id: $0.id, value: vocabR[$0.id] ?? "", offsets: $0.start..<$0.end) }
    }

    /// HF's `merge_word` before merging: one symbol per scalar.
    func initialSymbols(_ word: [Unicode.Scalar]) throws(TokenizerError) -> [Symbol] {
        var symbols: [Symbol] = []
        symbols.reserveCapacity(word.count)
        var unk: Symbol?
        let last = word.count - 1
        for (i, c) in word.enumerated() {
            var id: Int?
            var key: String?
            let prefixed = i > 0 && !continuingSubwordPrefix.isEmpty, suffixed = i == last && !endOfWordSuffix.isEmpty
            if !prefixed && !suffixed {
                id = scalarIds[c]
            } else {
                var s = String(Character(c))
                if prefixed { s = continuingSubwordPrefix + s }
                if suffixed { s += endOfWordSuffix }
                key = s
                id = vocabByKey[VocabKey(s)]
            }
            if let id {
                if let u = unk { symbols.append(u); unk = nil }
                symbols.append(Symbol(id: id, start: i, end: i + 1))
                continue
            }
            if byteFallback {
                // Every byte of the symbol's text (prefix included, as HF) as `<0xNN>`.
                let text = key ?? String(Character(c))
                var ids: [Int] = []
                for b in text.utf8 {
                    guard let bid = vocabByKey[VocabKey(Self.byteToken(b))] else { ids = []; break }
                    ids.append(bid)
                }
                if !ids.isEmpty {
                    if let u = unk { symbols.append(u); unk = nil }
                    for bid in ids { symbols.append(Symbol(id: bid, start: i, end: i + 1)) }
                    continue
                }
            }
            guard let unkToken else { continue }
            if var u = unk, fuseUnk {
                u.end = i + 1
                unk = u
            } else {
                if let u = unk { symbols.append(u) }
                guard let unkId = vocabByKey[VocabKey(unkToken)] else { throw .unknownToken(unkToken, role: "BPE unk_token") }
                unk = Symbol(id: unkId, start: i, end: i + 1)
            }
        }
        if let u = unk { symbols.append(u) }
        return symbols
    }

    /// `<0xNN>`, the byte-fallback token of a byte.
    static func byteToken(_ b: UInt8) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "<"), UInt8(ascii: "0"), UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 15)],
                                 UInt8(ascii: ">")], as: UTF8.self)
    }

    /// Merges the lowest-ranked adjacent pair, leftmost on ties, until none
    /// has a rank: the order HF's priority queue produces.
    func merge(_ input: [Symbol]) -> [Symbol] {
        var symbols = input
        guard symbols.count > 1 else { return symbols }
        // Ranks of the pairs (i, i+1); UInt64.max = no merge.
        var ranks = [UInt64](repeating: .max, count: symbols.count - 1)
        func rank(_ i: Int) -> UInt64 {
            merges[UInt64(symbols[i].id) << 32 | UInt64(UInt32(truncatingIfNeeded: symbols[i + 1].id))] ?? .max
        }
        for i in ranks.indices { ranks[i] = rank(i) }
        while true {
            var best = UInt64.max, at = -1
            for (i, r) in ranks.enumerated() where r < best { best = r; at = i }
            if at < 0 { break }
            symbols[at] = Symbol(id: Int(best & 0xFFFF_FFFF), start: symbols[at].start, end: symbols[at + 1].end)
            symbols.remove(at: at + 1)
            ranks.remove(at: at)
            if at < ranks.count { ranks[at] = rank(at) }
            if at > 0 { ranks[at - 1] = rank(at - 1) }
        }
        return symbols
    }
}

/// Token strings by id: an array when ids are dense (they are in every
/// real file), a dictionary otherwise, so a huge id in a file cannot make
/// a huge allocation.
struct IdTable: Sendable {
    private let dense: [String?]
    private let sparse: [Int: String]

    init(_ vocab: [VocabKey: Int]) {
        let maxId = vocab.values.max() ?? -1
        if maxId < 2 * vocab.count + 1024, vocab.values.allSatisfy({ $0 >= 0 }) {
            var d = [String?](repeating: nil, count: maxId + 1)
            for (k, v) in vocab { d[v] = k.string }
            dense = d
            sparse = [:]
        } else {
            dense = []
            var s: [Int: String] = [:]
            for (k, v) in vocab { s[v] = k.string }
            sparse = s
        }
    }

    subscript(_ id: Int) -> String? { id >= 0 && id < dense.count ? dense[id] : sparse[id] }
}

/// Words already merged, as HF's BPE cache (10,000 words; once full, new
/// words are not stored). Shared across threads behind a lock.
final class WordCache: @unchecked Sendable {
    private var map: [[Unicode.Scalar]: [BPE.Symbol]] = [:]
    private let lock = NSLock()
    static let capacity = 10_000

    func get(_ word: [Unicode.Scalar]) -> [BPE.Symbol]? {
        lock.lock()
        defer { lock.unlock() }
        return map[word]
    }

    func put(_ word: [Unicode.Scalar], _ symbols: [BPE.Symbol]) {
        lock.lock()
        defer { lock.unlock() }
        if map.count < Self.capacity { map[word] = symbols }
    }
}
