// Seed pieces for Unigram training, as HF (after SentencePiece) makes them:
// every character, then every substring that is an internal node of the
// suffix tree of all words joined by "\0" (a substring seen at least twice
// that is followed by two different characters), scored by occurrences times
// length. Occurrences count distinct words once each, as in HF.

import Foundation

extension UnigramTrainer {
    func seedPieces(_ sentences: [(word: [Unicode.Scalar], count: Int)]) -> [(piece: String, score: Double)] {
        var text: [UInt32] = []
        var charCounts: [Unicode.Scalar: Int] = [:]
        for (word, count) in sentences where !word.isEmpty {
            for c in word {
                text.append(c.value)
                if c != "\0" { charCounts[c, default: 0] += count }
            }
            text.append(0)
        }
        var seeds: [(piece: String, score: Double)] = charCounts
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.value > $1.key.value }
            .map { (String($0.key), Double($0.value)) }

        var substrings: [(score: Int, start: Int, length: Int)] = []
        let sa = Self.suffixArray(text)
        Self.forEachInternalNode(text, sa) { start, depth, freq in
            guard depth > 1, depth <= maxPieceLength else { return }
            if text[start..<(start + depth)].contains(0) { return }
            substrings.append((freq * depth, start, depth))
        }
        // Highest score first; ties: the greater string first (HF sorts the
        // pair (score, chars) in reverse).
        substrings.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            return text[b.start..<(b.start + b.length)].lexicographicallyPrecedes(text[a.start..<(a.start + a.length)])
        }
        for s in substrings {
            if seeds.count >= seedSize { break }
            var v = String.UnicodeScalarView()
            for u in text[s.start..<(s.start + s.length)] { v.append(Unicode.Scalar(u)!) }
            seeds.append((String(v), Double(s.score)))
        }
        let logSum = log(seeds.reduce(0.0) { $0 + $1.score })
        return seeds.map { ($0.piece, log($0.score) - logSum) }
    }

    /// Suffix array by prefix doubling.
    static func suffixArray(_ s: [UInt32]) -> [Int] {
        let n = s.count
        if n == 0 { return [] }
        var sa = Array(0..<n)
        var rank = s.map(Int.init)
        var tmp = Array(repeating: 0, count: n)
        var k = 1
        while true {
            let key = { (i: Int) -> (Int, Int) in (rank[i], i + k < n ? rank[i + k] : -1) }
            sa.sort { key($0) < key($1) }
            tmp[sa[0]] = 0
            for i in 1..<n { tmp[sa[i]] = tmp[sa[i - 1]] + (key(sa[i - 1]) < key(sa[i]) ? 1 : 0) }
            rank = tmp
            if rank[sa[n - 1]] == n - 1 { break }
            k *= 2
        }
        return sa
    }

    /// Calls `body(start, depth, frequency)` for every internal node of the
    /// suffix tree (an lcp-interval of width ≥ 2), via Kasai's LCP array and
    /// the usual bottom-up interval walk.
    static func forEachInternalNode(_ s: [UInt32], _ sa: [Int], _ body: (Int, Int, Int) -> Void) {
        let n = s.count
        guard n > 1 else { return }
        var rank = Array(repeating: 0, count: n)
        for (i, p) in sa.enumerated() { rank[p] = i }
        var lcp = Array(repeating: 0, count: n)   // lcp[i]: sa[i-1] vs sa[i]
        var h = 0
        for p in 0..<n {
            if rank[p] > 0 {
                let q = sa[rank[p] - 1]
                while p + h < n, q + h < n, s[p + h] == s[q + h] { h += 1 }
                lcp[rank[p]] = h
                if h > 0 { h -= 1 }
            } else {
                h = 0
            }
        }
        var stack: [(lcp: Int, lb: Int)] = [(0, 0)]
        for i in 1...n {
            let cur = i < n ? lcp[i] : 0
            var lb = i - 1
            while cur < stack[stack.count - 1].lcp {
                let top = stack.removeLast()
                lb = top.lb
                body(sa[top.lb], top.lcp, i - top.lb)
            }
            if cur > stack[stack.count - 1].lcp { stack.append((cur, lb)) }
        }
    }
}
