// HF's `Unigram` model (SentencePiece): the segmentation with the highest
// total score, found by Viterbi over every vocabulary piece that starts at
// each position; scalars no piece covers score as unknown and adjacent
// unknowns are fused into one token.

/// HF's `Unigram` model.
///
/// ```swift
/// let u = try Unigram(vocab: [("<unk>", 0), ("a", -1), ("b", -2), ("ab", -1.5)], unkId: 0)
/// try u.tokenize(Array("ab".unicodeScalars)).map(\.value)   // ["ab"]
/// ```
public struct Unigram: TokenizerModel {
    /// Pieces and their log-probabilities; a piece's id is its position.
    public let pieces: [(piece: String, score: Double)]
    /// The id of the unknown piece, and whether unknown text becomes `<0xNN>` byte pieces.
    public let unkId: Int?
    public let byteFallback: Bool
    let ids: [VocabKey: Int]
    let trie: ScalarTrie
    let unkScore: Double

    /// A Unigram model; `unkId` must index `vocab`.
    ///
    /// ```swift
    /// let u = try Unigram(vocab: [("<unk>", 0), ("▁hi", -3)], unkId: 0, byteFallback: false)
    /// ```
    public init(vocab: [(String, Double)], unkId: Int?, byteFallback: Bool = false, source: String = "Unigram")
        throws(TokenizerError) {
        if let unkId, unkId < 0 || unkId >= vocab.count {
            throw .invalidField(path: source, field: "model.unk_id", expected: "an index into model.vocab")
        }
        self.pieces = vocab.map { (piece: $0.0, score: $0.1) }
        self.unkId = unkId
        self.byteFallback = byteFallback
        var ids: [VocabKey: Int] = [:]
        var trie = ScalarTrie()
        var minScore = Double.infinity
        for (i, (p, s)) in vocab.enumerated() {
            ids[VocabKey(p)] = i
            trie.insert(Array(p.unicodeScalars), id: i)
            minScore = min(minScore, s)
        }
        self.ids = ids
        self.trie = trie
        self.unkScore = minScore - 10
    }

    public var vocabSize: Int { pieces.count }
    public func tokenToId(_ token: String) -> Int? { ids[VocabKey(token)] }
    public func idToToken(_ id: Int) -> String? { id >= 0 && id < pieces.count ? pieces[id].piece : nil }

    public func tokenize(_ word: [Unicode.Scalar]) throws(TokenizerError) -> [Token] {
        if word.isEmpty { return [] }
        var tokens: [Token] = []
        for r in try bestPath(word) {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: word[r])
            let s = String(v)
            if let id = ids[VocabKey(s)] {
                tokens.append(Token(id: id, value: s, offsets: r))
                continue
            }
            if byteFallback {
                var bytes: [Token] = []
                for b in s.utf8 {
                    let name = BPE.byteToken(b)
                    guard let id = ids[VocabKey(name)] else { bytes = []; break }
                    bytes.append(Token(id: id, value: name, offsets: r))
                }
                if !bytes.isEmpty { tokens += bytes; continue }
            }
            guard let unkId else { throw .unknownToken(s, role: "Unigram input without unk_id") }
            tokens.append(Token(id: unkId, value: s, offsets: r))
        }
        return tokens
    }

    /// HF's `encode_optimized`: the best path's pieces as scalar ranges,
    /// runs of unknown scalars fused.
    func bestPath(_ s: [Unicode.Scalar]) throws(TokenizerError) -> [Range<Int>] {
        let n = s.count
        var score = [Double](repeating: 0, count: n + 1)
        var from = [Int](repeating: -1, count: n + 1)
        var id = [Int](repeating: 0, count: n + 1)
        for start in 0..<n {
            let base = score[start]
            var single = false
            trie.forEachPrefix(of: s, from: start) { end, piece in
                let candidate = pieces[piece].score + base
                if from[end] < 0 || candidate > score[end] {
                    score[end] = candidate
                    from[end] = start
                    id[end] = piece
                }
                if end == start + 1 { single = true }
            }
            if !single {
                guard let unkId else { throw .unknownToken(String(Character(s[start])), role: "Unigram input without unk_id") }
                let candidate = unkScore + base
                if from[start + 1] < 0 || candidate > score[start + 1] {
                    score[start + 1] = candidate
                    from[start + 1] = start
                    id[start + 1] = unkId
                }
            }
        }
        var out: [Range<Int>] = []
        var end = n
        var unkEnd = -1
        while end > 0 {
            let start = from[end]
            if id[end] == unkId {
                if unkEnd < 0 { unkEnd = end }
            } else {
                if unkEnd >= 0 { out.append(end..<unkEnd); unkEnd = -1 }
                out.append(start..<end)
            }
            end = start
        }
        if unkEnd >= 0 { out.append(0..<unkEnd) }
        return out.reversed()
    }
}

/// A trie of scalar sequences: nodes are numbers, edges a hash map keyed
/// by (node, scalar).
struct ScalarTrie: Sendable {
    private var edges: [UInt64: Int32] = [:]
    private var terminal: [Int32] = [-1]

    mutating func insert(_ key: [Unicode.Scalar], id: Int) {
        var node: Int32 = 0
        for c in key {
            let k = UInt64(UInt32(node)) << 32 | UInt64(c.value)
            if let next = edges[k] { node = next } else {
                let next = Int32(terminal.count)
                terminal.append(-1)
                edges[k] = next
                node = next
            }
        }
        terminal[Int(node)] = Int32(id)
    }

    /// Calls `body(end, id)` for every key that is a prefix of `s[start...]`, shortest first.
    func forEachPrefix(of s: [Unicode.Scalar], from start: Int, _ body: (Int, Int) -> Void) {
        var node: Int32 = 0
        var i = start
        while i < s.count, let next = edges[UInt64(UInt32(node)) << 32 | UInt64(s[i].value)] {
            node = next
            i += 1
            let t = terminal[Int(node)]
            if t >= 0 { body(i, Int(t)) }
        }
    }
}
