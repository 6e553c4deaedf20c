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
        // Ids are packed into 32 bits in the merge table, as HF's u32 ids.
        if let bad = byKey.first(where: { $0.value < 0 || $0.value > Int(UInt32.max) }) {
            throw .invalidField(path: source, field: "vocab[\"\(bad.key.string)\"]", expected: "an id from 0 to 4294967295")
        }
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
            m[UInt64(ia) << 32 | UInt64(ib)] = UInt64(rank) << 32 | UInt64(im)
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
    /// has a rank, exactly as HF's `merge_all`: a min-heap of (rank,
    /// position) entries over a linked list of symbols, O(n log n) even for
    /// a long CJK run (one byte-level word). A popped entry is stale, and
    /// skipped, unless the pair now at its position still merges into the
    /// entry's token (HF compares the merged id, not the pair).
    func merge(_ input: [Symbol]) -> [Symbol] {
        let n = input.count
        guard n > 1 else { return input }
        var symbols = input
        var prev = Array(-1..<(n - 1)), next = Array(1...n)
        next[n - 1] = -1
        var alive = [Bool](repeating: true, count: n)
        // key = rank << 32 | position: the smallest is the lowest rank, then leftmost.
        var heap: [(key: UInt64, id: UInt32)] = []
        heap.reserveCapacity(n)
        func push(_ merge: UInt64, _ pos: Int) {
            heap.append(((merge >> 32) << 32 | UInt64(pos), UInt32(truncatingIfNeeded: merge)))
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                if heap[parent].key <= heap[i].key { break }
                heap.swapAt(parent, i)
                i = parent
            }
        }
        func pop() -> (key: UInt64, id: UInt32) {
            let top = heap[0]
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && heap[l].key < heap[m].key { m = l }
                if r < heap.count && heap[r].key < heap[m].key { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
            return top
        }
        for i in 0..<(n - 1) {
            let r = pairRank(symbols[i].id, symbols[i + 1].id)
            if r != .max { push(r, i) }
        }
        while !heap.isEmpty {
            let entry = pop()
            let pos = Int(entry.key & 0xFFFF_FFFF)
            guard alive[pos], next[pos] >= 0 else { continue }
            let right = next[pos]
            let current = pairRank(symbols[pos].id, symbols[right].id)
            guard current != .max, UInt32(truncatingIfNeeded: current) == entry.id else { continue }
            symbols[pos] = Symbol(id: Int(entry.id), start: symbols[pos].start, end: symbols[right].end)
            alive[right] = false
            next[pos] = next[right]
            if next[pos] >= 0 { prev[next[pos]] = pos }
            if prev[pos] >= 0 {
                let r = pairRank(symbols[prev[pos]].id, symbols[pos].id)
                if r != .max { push(r, prev[pos]) }
            }
            if next[pos] >= 0 {
                let r = pairRank(symbols[pos].id, symbols[next[pos]].id)
                if r != .max { push(r, pos) }
            }
        }
        var out: [Symbol] = []
        out.reserveCapacity(n)
        for i in 0..<n where alive[i] { out.append(symbols[i]) }
        return out
    }

    /// (rank << 32 | merged id) of a pair, or UInt64.max.
    @inline(__always)
    func pairRank(_ a: Int, _ b: Int) -> UInt64 {
        merges[UInt64(UInt32(truncatingIfNeeded: a)) << 32 | UInt64(UInt32(truncatingIfNeeded: b))] ?? .max
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
