// The EM loop of HF's UnigramTrainer: E-step by forward-backward over every
// word's lattice, a Bayesian M-step (digamma, dropping pieces expected less
// than half a time), and pruning by the likelihood lost when a piece is
// replaced by its second-best segmentation. Quirks of HF's arithmetic are
// kept on purpose, since they decide which pieces survive.

import Foundation

extension UnigramTrainer {
    typealias Piece = (piece: String, score: Double)
    typealias Sentence = (word: [Unicode.Scalar], count: Int)

    /// Expected count of every piece over the corpus.
    func expectedCounts(_ model: UnigramScorer, _ sentences: [Sentence]) -> [Double] {
        var expected = Array(repeating: 0.0, count: model.pieces.count)
        for (word, count) in sentences where !word.isEmpty {
            _ = model.lattice(word).addMarginals(freq: Double(count), into: &expected)
        }
        return expected
    }

    /// Keeps pieces expected at least 0.5 times; scores become
    /// digamma(count) - digamma(total). Piece 0 (the training <UNK>) stays, NaN.
    func maximization(_ pieces: [Piece], _ expected: [Double]) -> [Piece] {
        var kept: [Piece] = []
        var sum = 0.0
        for (i, p) in pieces.enumerated() {
            if i == 0 { kept.append((p.piece, .nan)); continue }
            if expected[i] < 0.5 { continue }
            kept.append((p.piece, expected[i]))
            sum += expected[i]
        }
        let logSum = Self.digamma(sum)
        return kept.map { ($0.piece, Self.digamma($0.score) - logSum) }
    }

    /// Drops the pieces whose removal costs the least likelihood, down to
    /// `shrinkingFactor` of the vocabulary (not below 1.1 × vocabSize).
    func prune(_ model: UnigramScorer, _ pieces: [Piece], _ sentences: [Sentence]) -> [Piece] {
        var alwaysKeep = Array(repeating: true, count: pieces.count)
        var alternatives = Array(repeating: [Int](), count: pieces.count)
        for (id, p) in pieces.enumerated() {
            if id == 0 { alwaysKeep[id] = false; continue }
            let lattice = model.lattice(Array(p.piece.unicodeScalars))
            let best = lattice.viterbi()
            if best.count >= 2 {
                alwaysKeep[id] = false
            } else if best.count == 1 {
                // The second-best segmentation is the best one without the
                // whole-piece node (the only path that uses it).
                let second = lattice.viterbi(excluding: best[0])
                alternatives[id] = second.map { lattice.ids[$0] }
            }
        }

        var vsum = 0.0
        var freq = Array(repeating: 0.0, count: pieces.count)
        var inverted = Array(repeating: [Int](), count: pieces.count)
        for (i, (word, count)) in sentences.enumerated() where !word.isEmpty {
            let lattice = model.lattice(word)
            vsum += Double(count)
            for node in lattice.viterbi() {
                freq[lattice.ids[node]] += Double(count)
                inverted[lattice.ids[node]].append(i)
            }
        }
        let sum = freq.reduce(0, +)
        let logSum = log(sum)
        var candidates: [(id: Int, loss: Double)] = []
        var kept: [Piece] = [pieces[0]]
        for (id, p) in pieces.enumerated() where id != 0 {
            if freq[id] == 0 && !alwaysKeep[id] { continue }
            if alternatives[id].isEmpty { kept.append(p); continue }
            var f = 0.0
            for n in inverted[id] { f += Double(sentences[n].count) }
            if f == 0 || f.isNaN { continue }
            f /= vsum
            let logProb = log(freq[id]) - logSum
            // HF multiplies by the number of pieces minus one here (where
            // SentencePiece uses the number of alternatives); kept for parity.
            let logSumAlt = log(sum + freq[id] * Double(alternatives.count - 1))
            var logProbAlt = 0.0
            for n in alternatives[id] { logProbAlt += log(freq[n] + freq[id]) - logSumAlt }
            candidates.append((id, f * (logProb - logProbAlt)))
        }
        let desired = vocabSize * 11 / 10
        let prunedSize = max(desired, Int(Double(pieces.count) * shrinkingFactor))
        // Stable, like Rust's sort_by: equal losses keep id order.
        let order = candidates.enumerated().sorted {
            $0.element.loss != $1.element.loss ? $0.element.loss > $1.element.loss : $0.offset < $1.offset
        }
        for c in order {
            // HF stops only on reaching the size exactly.
            if kept.count == prunedSize { break }
            kept.append(pieces[c.element.id])
        }
        return kept
    }

    /// HF's digamma: recurrence up to 7, then the asymptotic series.
    static func digamma(_ v: Double) -> Double {
        var x = v, result = 0.0
        while x < 7 {
            result -= 1 / x
            x += 1
        }
        x -= 1.0 / 2.0
        let xx = 1 / x, xx2 = xx * xx, xx4 = xx2 * xx2
        result += log(x) + (1.0 / 24.0) * xx2 - 7.0 / 960.0 * xx4 + (31.0 / 8064.0) * xx4 * xx2
            - (127.0 / 30720.0) * xx4 * xx4
        return result
    }
}
