// SentencePiece's compiled normalization rules (HF's `Precompiled`
// normalizer, used by T5, ALBERT, XLM-R and other converted tokenizers): a
// darts-clone double-array trie over UTF-8 bytes whose leaves point into a
// blob of NUL-terminated replacement strings.

import Foundation

/// HF's `Precompiled` normalizer, with its grapheme-wise application: a
/// grapheme of fewer than 6 bytes is replaced as a whole when the trie has
/// a rule for (a prefix of) it, otherwise each scalar is looked up alone.
///
/// ```swift
/// let n = try PrecompiledNormalizer(charsmap: Array(Data(base64Encoded: blob)!))
/// n.normalize("ﬁ")   // "fi" with an NFKC charsmap
/// ```
public struct PrecompiledNormalizer: Normalizer {
    /// The charsmap as stored in the file (base64-decoded).
    public let charsmap: [UInt8]
    let trie: [UInt32]
    let replacements: [UInt8]

    /// Parses a charsmap: a little-endian u32 trie size in bytes, the trie,
    /// then the replacement strings.
    public init(charsmap: [UInt8], source: String = "precompiled_charsmap") throws(TokenizerError) {
        func bad(_ why: String) -> TokenizerError { .invalidField(path: source, field: "precompiled_charsmap", expected: why) }
        guard charsmap.count >= 4 else { throw bad("a charsmap of at least 4 bytes") }
        let size = Int(charsmap[0]) | Int(charsmap[1]) << 8 | Int(charsmap[2]) << 16 | Int(charsmap[3]) << 24
        let units = size / 4
        guard units <= (charsmap.count - 4) / 4 else { throw bad("a charsmap whose trie fits in it") }
        var trie = [UInt32](repeating: 0, count: units)
        for k in 0..<units {
            let b = 4 + 4 * k
            trie[k] = UInt32(charsmap[b]) | UInt32(charsmap[b + 1]) << 8 | UInt32(charsmap[b + 2]) << 16 | UInt32(charsmap[b + 3]) << 24
        }
        let rest = Array(charsmap[(4 + 4 * units)...])
        guard String(validating: rest, as: UTF8.self) != nil else { throw bad("UTF-8 replacement strings") }
        self.charsmap = charsmap
        self.trie = trie
        self.replacements = rest
    }

    /// The replacement for the shortest rule that is a prefix of `key`
    /// (darts-clone's first common-prefix result, as HF takes it).
    func transform(_ key: [UInt8]) -> [Unicode.Scalar]? {
        guard !trie.isEmpty else { return nil }
        func offset(_ u: UInt32) -> Int { Int((u >> 10) << ((u & (1 << 9)) >> 6)) }
        var pos = offset(trie[0])
        for c in key {
            if c == 0 { break }
            pos ^= Int(c)
            guard pos < trie.count else { return nil }
            let unit = trie[pos]
            if unit & ((1 << 31) | 0xFF) != UInt32(c) { return nil }
            pos ^= offset(unit)
            if (unit >> 8) & 1 == 1 {
                guard pos < trie.count else { return nil }
                let start = Int(trie[pos] & ((1 << 31) - 1))
                guard start <= replacements.count else { return nil }
                var end = start
                while end < replacements.count, replacements[end] != 0 { end += 1 }
                // A start inside a character is invalid; HF would panic on it.
                guard let s = String(validating: replacements[start..<end], as: UTF8.self) else { return nil }
                return Array(s.unicodeScalars)
            }
        }
        return nil
    }

    public func normalize(_ text: inout NormalizedString) {
        var dest: [(Unicode.Scalar, Int)] = []
        dest.reserveCapacity(text.scalars.count)
        var modified = false
        // HF's `replace`: the new scalars replace the old ones in order, the
        // extra ones are insertions, a shortfall is removed after the last.
        func replace(oldCount: Int, _ new: [Unicode.Scalar]) {
            modified = true
            let diff = new.count - oldCount
            dest += new.map { ($0, 0) }
            if diff > 0 {
                for k in 0..<min(diff, dest.count) { dest[dest.count - 1 - k].1 = 1 }
            } else if diff < 0, !dest.isEmpty {
                dest[dest.count - 1].1 += diff
            }
        }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: text.scalars)
        for grapheme in String(v) {
            let bytes = Array(String(grapheme).utf8)
            if bytes.count < 6, let norm = transform(bytes) {
                replace(oldCount: grapheme.unicodeScalars.count, norm)
                continue
            }
            for c in grapheme.unicodeScalars {
                if let norm = transform(Array(UTF8.encode(c)!)) { replace(oldCount: 1, norm) } else { dest.append((c, 0)) }
            }
        }
        if modified { text.transform(dest) }
    }
}
