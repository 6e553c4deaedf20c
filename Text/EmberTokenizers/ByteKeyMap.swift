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
