// The merge loop of HF's BPE trainer, with the same data flow so that the
// same merges come out in the same order: pair counts are kept up to date
// incrementally, a max-heap holds candidate pairs with the words they were
// seen in, and a popped entry whose count went stale is pushed back with the
// current count instead of being merged.

/// A word being merged: symbol ids and their lengths in characters.
struct MergeWord {
    var ids: [Int32]
    var lengths: [Int]

    /// Replaces every left-to-right occurrence of (a, b) by `merged`,
    /// returning the pair-count changes as HF's `Word::merge` reports them
    /// (pairs that would exceed `maxLength` characters are not counted).
    mutating func merge(_ a: Int32, _ b: Int32, into merged: Int32, maxLength: Int) -> [(pair: UInt64, change: Int)] {
        var changes: [(UInt64, Int)] = []
        var i = 0
        while i < ids.count {
            if ids[i] == a, i + 1 < ids.count, ids[i + 1] == b {
                let length = lengths[i] + lengths[i + 1]
                if i > 0 {
                    changes.append((BPELearner.pair(ids[i - 1], a), -1))
                    if lengths[i - 1] + length < maxLength { changes.append((BPELearner.pair(ids[i - 1], merged), 1)) }
                }
                ids[i] = merged
                lengths[i] = length
                ids.remove(at: i + 1)
                lengths.remove(at: i + 1)
                if i + 1 < ids.count {
                    changes.append((BPELearner.pair(b, ids[i + 1]), -1))
                    if lengths[i + 1] + length < maxLength { changes.append((BPELearner.pair(merged, ids[i + 1]), 1)) }
                }
            }
            i += 1
        }
        return changes
    }
}

/// A heap entry: a pair, its count when pushed, and the words it occurs in.
struct MergeCandidate {
    var pair: UInt64
    var count: Int
    var words: [Int]

    /// Higher count first; on a tie the smaller pair of ids, i.e. the pair
    /// whose tokens entered the vocabulary first.
    func before(_ o: MergeCandidate) -> Bool { count != o.count ? count > o.count : pair < o.pair }
}

/// A binary heap of merge candidates.
struct MergeHeap {
    private var items: [MergeCandidate] = []
    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ c: MergeCandidate) {
        items.append(c)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard items[i].before(items[p]) else { break }
            items.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() -> MergeCandidate? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < items.count, items[l].before(items[best]) { best = l }
            if r < items.count, items[r].before(items[best]) { best = r }
            if best == i { break }
            items.swapAt(i, best)
            i = best
        }
        return top
    }
}

/// The merge loop over words already split into initial symbols.
struct BPELearner {
    var tokens: [String]
    var index: [VocabKey: Int32]
    var words: [MergeWord]
    var counts: [Int]

    static func pair(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }
    static func split(_ p: UInt64) -> (Int32, Int32) { (Int32(bitPattern: UInt32(p >> 32)), Int32(bitPattern: UInt32(p & 0xFFFF_FFFF))) }

    mutating func id(of token: String) -> Int32 {
        if let i = index[VocabKey(token)] { return i }
        let i = Int32(tokens.count)
        tokens.append(token)
        index[VocabKey(token)] = i
        return i
    }

    /// Learns merges until the vocabulary holds `vocabSize` tokens or no pair
    /// occurs `minFrequency` times; returns the merges in the order learned
    /// (a pair may repeat, as in HF, when it was found in two batches).
    mutating func learn(vocabSize: Int, minFrequency: Int, prefix: String?, maxTokenLength: Int) -> [(UInt64, Int32)] {
        var pairCounts: [UInt64: Int] = [:]
        var whereToUpdate: [UInt64: Set<Int>] = [:]
        for (w, word) in words.enumerated() where word.ids.count > 1 {
            for k in 0..<(word.ids.count - 1) {
                let p = Self.pair(word.ids[k], word.ids[k + 1])
                pairCounts[p, default: 0] += counts[w]
                whereToUpdate[p, default: []].insert(w)
            }
        }
        var heap = MergeHeap()
        // Pushed in pair order so that equal entries meet the heap in the same
        // order on every run (Swift's hashing is seeded per process).
        func flush() {
            for (p, ws) in whereToUpdate.sorted(by: { $0.key < $1.key }) {
                let c = pairCounts[p] ?? 0
                if c > 0 { heap.push(MergeCandidate(pair: p, count: c, words: Array(ws))) }
            }
            whereToUpdate.removeAll(keepingCapacity: true)
        }
        flush()

        var merges: [(UInt64, Int32)] = []
        while tokens.count < vocabSize, var top = heap.pop() {
            let current = pairCounts[top.pair] ?? 0
            if top.count != current {
                top.count = current
                heap.push(top)
                continue
            }
            if top.count < 1 || minFrequency > top.count { break }
            let (a, b) = Self.split(top.pair)
            var right = tokens[Int(b)]
            if let prefix, !prefix.isEmpty, right.unicodeScalars.starts(with: prefix.unicodeScalars) {
                right = String(String.UnicodeScalarView(right.unicodeScalars.dropFirst(prefix.unicodeScalars.count)))
            }
            let merged = id(of: tokens[Int(a)] + right)
            merges.append((top.pair, merged))
            for w in top.words {
                for (p, change) in words[w].merge(a, b, into: merged, maxLength: maxTokenLength) {
                    pairCounts[p, default: 0] += change * counts[w]
                    if change > 0 { whereToUpdate[p, default: []].insert(w) }
                }
            }
            flush()
        }
        return merges
    }
}
