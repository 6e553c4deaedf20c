// Text under normalization, with every normalized scalar aligned to the range
// of original scalars it came from. This is how HF `tokenizers` reports token
// offsets in the ORIGINAL string after lowercasing, accent stripping, CJK
// spacing and deletions have changed the text.

/// A string being normalized: its current Unicode scalars, each with the range
/// of scalars of the original input it stands for.
///
/// Offsets count Unicode scalars (code points), as HF's Python API reports them.
///
/// ```swift
/// var s = NormalizedString("Héllo")
/// Lowercase().normalize(&s)
/// s.text            // "héllo"
/// s.alignments[0]   // 0..<1
/// ```
public struct NormalizedString: Sendable, Equatable {
    /// The current (normalized) scalars.
    public internal(set) var scalars: [Unicode.Scalar]
    /// For each scalar of `scalars`, the original scalars it came from.
    public internal(set) var alignments: [Range<Int>]
    /// Where the original text this piece covers ends; an empty piece's
    /// offsets are this position's (HF converts an empty range to itself).
    var originalEnd: Int
    var originalStart: Int

    /// A string that has not been normalized yet: each scalar aligned to itself.
    ///
    /// ```swift
    /// let s = NormalizedString("abc")   // s.alignments == [0..<1, 1..<2, 2..<3]
    /// ```
    public init(_ text: String) {
        self.init(Array(text.unicodeScalars), offset: 0)
    }

    /// A piece of original text that starts at scalar `offset` of the input.
    init(_ scalars: [Unicode.Scalar], offset: Int) {
        self.scalars = scalars
        self.alignments = scalars.indices.map { (offset + $0)..<(offset + $0 + 1) }
        self.originalStart = offset
        self.originalEnd = offset + scalars.count
    }

    init(scalars: [Unicode.Scalar], alignments: [Range<Int>], originalStart: Int, originalEnd: Int) {
        self.scalars = scalars
        self.alignments = alignments
        self.originalStart = originalStart
        self.originalEnd = originalEnd
    }

    /// The normalized text.
    ///
    /// ```swift
    /// NormalizedString("a b").text   // "a b"
    /// ```
    public var text: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }

    /// Whether no scalars are left.
    public var isEmpty: Bool { scalars.isEmpty }

    /// The original range covered by normalized scalars `range`: from the first
    /// one's start to the last one's end, as HF's `expand_alignments`.
    func originalRange(of range: Range<Int>) -> Range<Int> {
        if range.isEmpty {
            // HF returns the empty normalized range itself; in original
            // coordinates that is where this piece starts (or its end).
            let at = range.lowerBound < alignments.count ? alignments[range.lowerBound].lowerBound : originalEnd
            return at..<at
        }
        return alignments[range.lowerBound].lowerBound..<alignments[range.upperBound - 1].upperBound
    }

    /// Replaces the scalars with `dest`, HF's `transform`: each new scalar
    /// carries a change, 0 = replaces the next old scalar, +1 = inserted after
    /// the previous one (and shares its alignment), -n = replaces the next old
    /// scalar and deletes the n after it. `initialOffset` old scalars are
    /// deleted first.
    mutating func transform(_ dest: [(Unicode.Scalar, Int)], initialOffset: Int = 0) {
        var newScalars: [Unicode.Scalar] = []
        var newAlignments: [Range<Int>] = []
        newScalars.reserveCapacity(dest.count)
        newAlignments.reserveCapacity(dest.count)
        var offset = initialOffset
        for (c, change) in dest {
            let align: Range<Int>
            if change > 0 {
                // Inserted: HF uses the alignment of the byte just before, i.e.
                // of the previous old scalar, or 0..0 at the very start.
                align = offset < 1 ? 0..<0 : alignments[min(offset, alignments.count) - 1]
            } else {
                // A list that consumes more scalars than there are (a quirk of
                // some charsmaps) keeps the last alignment instead of trapping.
                align = offset < alignments.count ? alignments[offset] : (alignments.last ?? originalEnd..<originalEnd)
                offset += 1 - change
            }
            newScalars.append(c)
            newAlignments.append(align)
        }
        scalars = newScalars
        alignments = newAlignments
    }

    /// Keeps the scalars for which `keep` holds. A deleted scalar is folded
    /// into the kept one before it (HF's `filter`), so offsets of the kept
    /// scalars don't change.
    mutating func filter(_ keep: (Unicode.Scalar) -> Bool) {
        if scalars.allSatisfy(keep) { return }
        var dest: [(Unicode.Scalar, Int)] = []
        var removed = 0
        var removedStart = 0
        var last: Unicode.Scalar?
        for c in scalars {
            if keep(c) {
                if let l = last { dest.append((l, -removed)) } else { removedStart = removed }
                last = c
                removed = 0
            } else {
                removed += 1
            }
        }
        if let l = last { dest.append((l, -removed)) }
        if dest.isEmpty {
            scalars = []
            alignments = []
            return
        }
        transform(dest, initialOffset: removedStart)
    }

    /// Maps each scalar to one scalar; alignments are unchanged.
    mutating func map(_ f: (Unicode.Scalar) -> Unicode.Scalar) {
        for i in scalars.indices { scalars[i] = f(scalars[i]) }
    }

    /// Replaces each scalar by a sequence of scalars (a case mapping, say):
    /// the first replaces it, the others are inserted after it.
    mutating func flatMap(_ f: (Unicode.Scalar) -> [Unicode.Scalar]) {
        var dest: [(Unicode.Scalar, Int)] = []
        dest.reserveCapacity(scalars.count)
        var same = true
        for c in scalars {
            let out = f(c)
            if out.count != 1 || out[0] != c { same = false }
            for (i, o) in out.enumerated() { dest.append((o, i > 0 ? 1 : 0)) }
            if out.isEmpty {
                // Deleting needs the filter's bookkeeping; callers never
                // return an empty mapping except through `filter`.
                preconditionFailure("flatMap mapping must not be empty")
            }
        }
        if !same { transform(dest) }
    }

    /// The piece covering normalized scalars `range`.
    func slice(_ range: Range<Int>) -> NormalizedString {
        let orig = originalRange(of: range)
        return NormalizedString(scalars: Array(scalars[range]), alignments: Array(alignments[range]),
                                originalStart: orig.lowerBound, originalEnd: orig.upperBound)
    }

    /// Splits on scalars matching `isDelimiter`: removed (`isolate` false) or
    /// kept as pieces of their own (`isolate` true). Empty pieces are dropped.
    func split(isolate: Bool, _ isDelimiter: (Unicode.Scalar) -> Bool) -> [NormalizedString] {
        var pieces: [NormalizedString] = []
        var start = 0
        for (i, c) in scalars.enumerated() where isDelimiter(c) {
            if start < i { pieces.append(slice(start..<i)) }
            if isolate { pieces.append(slice(i..<(i + 1))) }
            start = i + 1
        }
        if start < scalars.count { pieces.append(slice(start..<scalars.count)) }
        return pieces
    }
}
