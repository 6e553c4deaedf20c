// GPT-2's byte-level scheme: text is split with GPT-2's regex, then every
// UTF-8 byte becomes one printable scalar (bytes_to_unicode), so a BPE over
// 256 base symbols covers any input. The decoder maps the scalars back.

/// GPT-2's byte ↔ scalar tables: printable Latin-1 bytes stand for
/// themselves, the others are shifted to U+0100 and up.
///
/// ```swift
/// ByteLevelTables.byteToScalar[0x20]   // "Ġ"
/// ```
public enum ByteLevelTables {
    /// The scalar standing for each byte.
    public static let byteToScalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var n: UInt32 = 0
        for b in 0..<256 {
            let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(256 + n)!
                n += 1
            }
        }
        return table
    }()

    /// The byte of each scalar of `byteToScalar` (they all lie below U+0144).
    static let scalarToByte: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (b, s) in byteToScalar.enumerated() { table[Int(s.value)] = Int16(b) }
        return table
    }()

    /// The byte a scalar stands for, if it is one of the 256.
    static func byte(of s: Unicode.Scalar) -> UInt8? {
        guard s.value < 0x144 else { return nil }
        let b = scalarToByte[Int(s.value)]
        return b < 0 ? nil : UInt8(b)
    }
}

/// HF's `ByteLevel` pre-tokenizer: optionally a space in front of each
/// piece (`addPrefixSpace`), GPT-2's split (`useRegex`), then every byte as
/// its scalar. Offsets of the byte scalars of a character are the
/// character's.
///
/// ```swift
/// ByteLevel(addPrefixSpace: false).preTokenize([NormalizedString("Hi there")]).map(\.text)   // ["Hi", "Ġthere"]
/// ```
public struct ByteLevel: PreTokenizer {
    /// The file's settings.
    public let addPrefixSpace: Bool
    public let trimOffsets: Bool
    public let useRegex: Bool
    /// HF's defaults: prefix space, trimmed offsets, GPT-2's regex.
    public init(addPrefixSpace: Bool = true, trimOffsets: Bool = true, useRegex: Bool = true) {
        self.addPrefixSpace = addPrefixSpace
        self.trimOffsets = trimOffsets
        self.useRegex = useRegex
    }

    public func preTokenize(_ pieces: [NormalizedString]) -> [NormalizedString] {
        var out: [NormalizedString] = []
        out.reserveCapacity(pieces.count * 8)
        for var piece in pieces {
            if addPrefixSpace, piece.scalars.first != " " { piece.prepend([" "]) }
            if useRegex {
                for r in Self.gpt2Split(piece.scalars) { out.append(Self.bytes(of: piece, r)) }
            } else if !piece.isEmpty {
                out.append(Self.bytes(of: piece, 0..<piece.scalars.count))
            }
        }
        return out
    }

    /// Scalars `range` of `piece` as byte scalars, each aligned as the
    /// character it is a byte of.
    static func bytes(of piece: NormalizedString, _ range: Range<Int>) -> NormalizedString {
        var scalars: [Unicode.Scalar] = []
        var alignments: [Range<Int>] = []
        scalars.reserveCapacity(range.count + 4)
        alignments.reserveCapacity(range.count + 4)
        let table = ByteLevelTables.byteToScalar
        for i in range {
            let c = piece.scalars[i], a = piece.alignments[i]
            if c.value < 0x80 {
                scalars.append(table[Int(c.value)])
                alignments.append(a)
            } else {
                for b in UTF8.encode(c)! {
                    scalars.append(table[Int(b)])
                    alignments.append(a)
                }
            }
        }
        let orig = piece.originalRange(of: range)
        return NormalizedString(scalars: scalars, alignments: alignments, originalStart: orig.lowerBound, originalEnd: orig.upperBound)
    }

    /// GPT-2's pattern `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    /// as a scanner with the same matches (Oniguruma semantics: first
    /// alternative that matches, each greedy; `\s` is White_Space).
    ///
    /// ```swift
    /// ByteLevel.gpt2Split(Array("I'm  ok".unicodeScalars))   // [0..<1, 1..<3, 3..<4, 4..<7]
    /// ```
    public static func gpt2Split(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let n = s.count
        var i = 0
        while i < n {
            let c = s[i]
            if c == "'", i + 1 < n, let len = contraction(s, i + 1) {
                out.append(i..<(i + 1 + len))
                i += 1 + len
                continue
            }
            var j = i
            if c == " ", i + 1 < n, !CharClass.isSpace(s[i + 1]) { j = i + 1 }
            let k = CharClass.of(s[j])
            if k != .space {
                var e = j + 1
                while e < n, CharClass.of(s[e]) == k { e += 1 }
                out.append(i..<e)
                i = e
                continue
            }
            // Whitespace: `\s+(?!\S)` leaves the last space to the next word
            // when one follows; a single space before a word is `\s+`.
            var e = i + 1
            while e < n, CharClass.isSpace(s[e]) { e += 1 }
            if e < n && e - i > 1 { e -= 1 }
            out.append(i..<e)
            i = e
        }
        return out
    }

    /// Length of `s|t|re|ve|m|ll|d` at `i`, if one is there.
    static func contraction(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        switch s[i] {
        case "s", "t", "m", "d": return 1
        case "r", "v": return i + 1 < s.count && s[i + 1] == "e" ? 2 : nil
        case "l": return i + 1 < s.count && s[i + 1] == "l" ? 2 : nil
        default: return nil
        }
    }
}

/// The classes GPT-2's pattern tells apart: letters (L*), numbers (N*),
/// whitespace (White_Space) and everything else.
enum CharClass {
    case letter, number, space, other

    static func of(_ c: Unicode.Scalar) -> CharClass {
        let v = c.value
        if v < 0x80 {
            if (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) { return .letter }
            if v >= 0x30 && v <= 0x39 { return .number }
            if v == 0x20 || (v >= 0x09 && v <= 0x0D) { return .space }
            return .other
        }
        let p = c.properties
        if p.isWhitespace { return .space }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 ? (c.value == 0x20 || (c.value >= 0x09 && c.value <= 0x0D)) : c.isWhiteSpace
    }
}

/// HF's `ByteLevel` decoder: token scalars back to bytes, then UTF-8 with
/// invalid sequences as U+FFFD. A token with a scalar outside the table
/// (an added token) is taken as its own UTF-8.
///
/// ```swift
/// ByteLevelDecoder().decode(["Hi", "Ġthere"])   // "Hi there"
/// ```
public struct ByteLevelDecoder: TokenDecoder {
    /// The file's settings; they do not change decoding and are kept so the
    /// decoder is written back as read.
    public let addPrefixSpace: Bool
    public let trimOffsets: Bool
    public let useRegex: Bool
    public init(addPrefixSpace: Bool = true, trimOffsets: Bool = true, useRegex: Bool = true) {
        self.addPrefixSpace = addPrefixSpace
        self.trimOffsets = trimOffsets
        self.useRegex = useRegex
    }
    public func decodeChain(_ tokens: [String]) -> [String] {
        var bytes: [UInt8] = []
        for t in tokens {
            let start = bytes.count
            var ok = true
            for s in t.unicodeScalars {
                guard let b = ByteLevelTables.byte(of: s) else { ok = false; break }
                bytes.append(b)
            }
            if !ok {
                bytes.removeSubrange(start...)
                bytes += Array(t.utf8)
            }
        }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}

/// HF's `ByteLevel` post-processor: with `trimOffsets`, token offsets leave
/// out the spaces the tokens start or end with; no special tokens.
///
/// ```swift
/// let p = ByteLevelProcessing(trimOffsets: true)
/// ```
public struct ByteLevelProcessing: PostProcessor {
    /// The file's settings.
    public let trimOffsets: Bool
    public let addPrefixSpace: Bool
    /// Kept so the processor is written back as read; it plays no part here.
    public let useRegex: Bool
    public init(trimOffsets: Bool = true, addPrefixSpace: Bool = true, useRegex: Bool = true) {
        self.trimOffsets = trimOffsets
        self.addPrefixSpace = addPrefixSpace
        self.useRegex = useRegex
    }
    public func addedTokens(isPair: Bool) -> Int { 0 }
    public func process(_ a: Encoding, _ b: Encoding?, addSpecialTokens: Bool) -> Encoding {
        processByEncodings(a, b, addSpecialTokens: addSpecialTokens)
    }
    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        guard trimOffsets else { return encodings }
        return encodings.map { var e = $0; trimSpaceOffsets(&e, addPrefixSpace: addPrefixSpace); return e }
    }
}

/// HF's `process_offsets`: a token's leading and trailing "Ġ" or
/// whitespace scalars are taken out of its offsets, except the one space
/// `addPrefixSpace` put before the first token.
func trimSpaceOffsets(_ e: inout Encoding, addPrefixSpace: Bool) {
    let g = ByteLevelTables.byteToScalar[0x20]
    func isSpace(_ c: Unicode.Scalar) -> Bool { c == g || c.isWhiteSpace }
    for i in e.tokens.indices {
        let scalars = e.tokens[i].unicodeScalars
        var leading = 0
        for c in scalars { if isSpace(c) { leading += 1 } else { break } }
        var trailing = 0
        for c in scalars.reversed() { if isSpace(c) { trailing += 1 } else { break } }
        if leading == 0 && trailing == 0 { continue }
        var lo = e.offsets[i].lowerBound, hi = e.offsets[i].upperBound
        if leading > 0 {
            let isFirst = i == 0 || lo == 0
            if isFirst && addPrefixSpace && leading == 1 { leading = 0 }
            lo = min(lo + leading, hi)
        }
        if trailing > 0 && hi >= trailing { hi = max(hi - trailing, lo) }
        e.offsets[i] = lo..<hi
    }
}
