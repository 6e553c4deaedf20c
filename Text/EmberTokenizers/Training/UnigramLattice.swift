// The lattice HF's Unigram model builds over one word: a node per vocabulary
// piece found at each position (longest-prefix trie walk, shortest first),
// plus an unknown node where no single-character piece exists. Node order
// matters: Viterbi keeps the first of equal scores, and forward-backward sums
// in this order, as HF does.

import Foundation

/// Pieces of a Unigram model and a trie over them.
struct UnigramScorer {
    var pieces: [(piece: String, score: Double)]
    var minScore: Double
    var unkId: Int
    // Trie: children per node, and the piece id ending at a node (-1: none).
    private var children: [[Unicode.Scalar: Int32]] = [[:]]
    private var terminal: [Int32] = [-1]

    static let unknownPenalty = 10.0

    init(_ pieces: [(piece: String, score: Double)], unkId: Int = 0) {
        self.pieces = pieces
        self.unkId = unkId
        // NaN (the training <UNK>) never wins a `<` comparison, as in HF.
        var m = Double.infinity
        for p in pieces where p.score < m { m = p.score }
        minScore = m
        for (id, p) in pieces.enumerated() {
            var node = 0
            for c in p.piece.unicodeScalars {
                if let next = children[node][c] { node = Int(next); continue }
                children.append([:])
                terminal.append(-1)
                children[node][c] = Int32(children.count - 1)
                node = children.count - 1
            }
            terminal[node] = Int32(id)
        }
    }

    /// The lattice of one word with every piece that occurs in it.
    func lattice(_ word: [Unicode.Scalar]) -> UnigramLattice {
        var l = UnigramLattice(length: word.count, bos: pieces.count + 1, eos: pieces.count + 2)
        let unkScore = minScore - Self.unknownPenalty
        for begin in 0..<word.count {
            var node = 0, hasSingle = false
            var end = begin
            while end < word.count, let next = children[node][word[end]] {
                node = Int(next)
                end += 1
                let id = Int(terminal[node])
                if id >= 0 {
                    l.insert(pos: begin, length: end - begin, score: pieces[id].score, id: id)
                    if end - begin == 1 { hasSingle = true }
                }
            }
            if !hasSingle { l.insert(pos: begin, length: 1, score: unkScore, id: unkId) }
        }
        return l
    }
}

/// Nodes over the scalar positions of one word; node 0 is BOS, node 1 EOS.
struct UnigramLattice {
    var ids: [Int] = []
    var pos: [Int] = []
    var lengths: [Int] = []
    var scores: [Double] = []
    var beginNodes: [[Int]]
    var endNodes: [[Int]]
    let length: Int

    init(length: Int, bos: Int, eos: Int) {
        self.length = length
        beginNodes = Array(repeating: [], count: length + 1)
        endNodes = Array(repeating: [], count: length + 1)
        ids = [bos, eos]
        pos = [0, length]
        lengths = [0, 0]
        scores = [0, 0]
        beginNodes[length].append(1)
        endNodes[0].append(0)
    }

    mutating func insert(pos p: Int, length n: Int, score: Double, id: Int) {
        let node = ids.count
        ids.append(id)
        pos.append(p)
        lengths.append(n)
        scores.append(score)
        beginNodes[p].append(node)
        endNodes[p + n].append(node)
    }

    /// The best path's nodes (BOS and EOS excluded). `excluding` removes one
    /// node, which gives the best path that avoids it.
    func viterbi(excluding skip: Int? = nil) -> [Int] {
        var prev = Array(repeating: -1, count: ids.count)
        var best = Array(repeating: 0.0, count: ids.count)
        for p in 0...length {
            for r in beginNodes[p] where r != skip {
                var bestScore = 0.0, bestNode = -1
                for l in endNodes[p] where l != skip && (l == 0 || prev[l] >= 0) {
                    let s = best[l] + scores[r]
                    if bestNode < 0 || s > bestScore { bestNode = l; bestScore = s }
                }
                if bestNode < 0 { continue }
                prev[r] = bestNode
                best[r] = bestScore
            }
        }
        var path: [Int] = []
        var node = prev[1]
        while node > 0 {
            path.append(node)
            node = prev[node]
        }
        return node == 0 ? path.reversed() : []
    }

    /// Forward-backward: adds each piece's expected count (times `freq`) to
    /// `expected` and returns `freq` times the log-likelihood.
    func addMarginals(freq: Double, into expected: inout [Double]) -> Double {
        var alpha = Array(repeating: 0.0, count: ids.count)
        var beta = Array(repeating: 0.0, count: ids.count)
        for p in 0...length {
            let firstId = ids[endNodes[p][0]]
            for r in beginNodes[p] {
                for l in endNodes[p] {
                    // HF starts the sum at the node with the first node's
                    // piece id (its Node equality compares ids).
                    alpha[r] = Self.logSumExp(alpha[r], scores[l] + alpha[l], first: ids[l] == firstId)
                }
            }
        }
        for p in stride(from: length, through: 0, by: -1) {
            let firstId = ids[beginNodes[p][0]]
            for l in endNodes[p] {
                for r in beginNodes[p] {
                    beta[l] = Self.logSumExp(beta[l], scores[r] + beta[r], first: ids[r] == firstId)
                }
            }
        }
        let z = alpha[1]
        for p in 0..<length {
            for node in beginNodes[p] {
                expected[ids[node]] += freq * exp(alpha[node] + scores[node] + beta[node] - z)
            }
        }
        return freq * z
    }

    static func logSumExp(_ x: Double, _ y: Double, first: Bool) -> Double {
        if first { return y }
        let (lo, hi) = x > y ? (y, x) : (x, y)
        return hi > lo + 50 ? hi : hi + log(exp(lo - hi) + 1)
    }
}
