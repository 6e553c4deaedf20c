// Pattern matching on normalized text, and the edits HF's Split, Replace,
// Prepend and Strip make with it. Matches are ranges of scalars; every
// range of the text is either a match or not, in order, as HF's `Pattern`.

import Foundation

/// How a split treats the matched delimiters (HF `SplitDelimiterBehavior`).
///
/// ```swift
/// SplitBehavior(rawValue: "MergedWithPrevious")   // .mergedWithPrevious
/// ```
public enum SplitBehavior: String, Sendable {
    case removed = "Removed", isolated = "Isolated", mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext", contiguous = "Contiguous"
}

/// What Split and Replace look for: a literal string or a regular expression.
///
/// ```swift
/// let p = try TextPattern.regex("\\s+")
/// ```
public enum TextPattern: Sendable {
    case string(String)
    case regex(RegexBox)

    /// A compiled regular expression (ICU syntax, which agrees with
    /// Oniguruma's on the patterns tokenizers use).
    public static func regex(_ pattern: String) throws(TokenizerError) -> TextPattern {
        do { return .regex(RegexBox(try NSRegularExpression(pattern: pattern))) } catch {
            throw .invalidField(path: "pattern", field: "Regex", expected: "a valid regular expression (\(pattern))")
        }
    }

    /// The text cut into matches and non-matches, covering all of it.
    func matches(in s: [Unicode.Scalar]) -> [(range: Range<Int>, isMatch: Bool)] {
        if s.isEmpty { return [(0..<0, false)] }
        var found: [Range<Int>] = []
        switch self {
        case .string(let p):
            let needle = Array(p.unicodeScalars)
            if needle.isEmpty { return [(0..<s.count, false)] }
            var i = 0
            while i + needle.count <= s.count {
                if s[i] == needle[0] && s[i..<(i + needle.count)].elementsEqual(needle) {
                    found.append(i..<(i + needle.count))
                    i += needle.count
                } else {
                    i += 1
                }
            }
        case .regex(let box):
            var v = String.UnicodeScalarView()
            v.append(contentsOf: s)
            let text = String(v)
            // UTF-16 offset → scalar index.
            var scalarAt = [Int](repeating: 0, count: text.utf16.count + 1)
            var u = 0
            for (k, c) in s.enumerated() {
                let w = c.value > 0xFFFF ? 2 : 1
                for x in 0..<w { scalarAt[u + x] = k }
                u += w
            }
            scalarAt[u] = s.count
            for m in box.regex.matches(in: text, range: NSRange(location: 0, length: u)) {
                found.append(scalarAt[m.range.location]..<scalarAt[m.range.location + m.range.length])
            }
        }
        return Self.cover(found, count: s.count)
    }

    /// Matches interleaved with the non-matching ranges between them.
    static func cover(_ found: [Range<Int>], count: Int) -> [(range: Range<Int>, isMatch: Bool)] {
        var out: [(range: Range<Int>, isMatch: Bool)] = []
        var prev = 0
        for r in found {
            if prev != r.lowerBound { out.append((prev..<r.lowerBound, false)) }
            out.append((r, true))
            prev = r.upperBound
        }
        if prev != count { out.append((prev..<count, false)) }
        return out
    }
}

/// An `NSRegularExpression`, which is immutable and safe to share.
///
/// ```swift
/// if case .regex(let box) = try TextPattern.regex("\\d+") { _ = box }
/// ```
public final class RegexBox: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}

extension NormalizedString {
    /// Each scalar for which `isMatch` holds is a match of its own.
    func matches(where isMatch: (Unicode.Scalar) -> Bool) -> [(range: Range<Int>, isMatch: Bool)] {
        if scalars.isEmpty { return [(0..<0, false)] }
        var found: [Range<Int>] = []
        for (i, c) in scalars.enumerated() where isMatch(c) { found.append(i..<(i + 1)) }
        return TextPattern.cover(found, count: scalars.count)
    }

    /// HF's `NormalizedString::split`: the pieces `behavior` makes of the
    /// matches; empty pieces are dropped (as `PreTokenizedString::split`).
    func split(_ matches: [(range: Range<Int>, isMatch: Bool)], behavior: SplitBehavior, invert: Bool = false)
        -> [NormalizedString] {
        let list = invert ? matches.map { ($0.range, !$0.isMatch) } : matches
        var ranges: [(range: Range<Int>, keep: Bool)] = []
        switch behavior {
        case .isolated: ranges = list.map { ($0.0, true) }
        case .removed: ranges = list.map { ($0.0, !$0.1) }
        case .contiguous:
            var previous = false
            for (r, m) in list {
                if m == previous, let last = ranges.last {
                    ranges[ranges.count - 1].range = last.range.lowerBound..<r.upperBound
                } else {
                    ranges.append((r, true))
                }
                previous = m
            }
        case .mergedWithPrevious:
            var previous = false
            for (r, m) in list {
                if m && !previous, let last = ranges.last {
                    ranges[ranges.count - 1].range = last.range.lowerBound..<r.upperBound
                } else {
                    ranges.append((r, true))
                }
                previous = m
            }
        case .mergedWithNext:
            var previous = false
            for (r, m) in list.reversed() {
                if m && !previous, let last = ranges.last {
                    ranges[ranges.count - 1].range = r.lowerBound..<last.range.upperBound
                } else {
                    ranges.append((r, true))
                }
                previous = m
            }
            ranges.reverse()
        }
        return ranges.compactMap { $0.keep && !$0.range.isEmpty ? slice($0.range) : nil }
    }

    /// HF's `prepend`: the new scalars take the first scalar's alignment;
    /// nothing is added to an empty string.
    mutating func prepend(_ s: [Unicode.Scalar]) {
        guard let a = alignments.first else { return }
        scalars.insert(contentsOf: s, at: 0)
        alignments.insert(contentsOf: repeatElement(a, count: s.count), at: 0)
    }

    /// HF's `replace`: each match becomes `content`, whose scalars all take
    /// the alignment of the match's last scalar.
    mutating func replace(_ matches: [(range: Range<Int>, isMatch: Bool)], with content: [Unicode.Scalar]) {
        guard matches.contains(where: { $0.isMatch }) else { return }
        var newScalars: [Unicode.Scalar] = [], newAlignments: [Range<Int>] = []
        newScalars.reserveCapacity(scalars.count)
        newAlignments.reserveCapacity(scalars.count)
        for (r, m) in matches {
            if !m {
                newScalars += scalars[r]
                newAlignments += alignments[r]
            } else if !content.isEmpty {
                let a = r.isEmpty ? (r.lowerBound > 0 ? alignments[r.lowerBound - 1] : 0..<0) : alignments[r.upperBound - 1]
                newScalars += content
                newAlignments += repeatElement(a, count: content.count)
            }
        }
        scalars = newScalars
        alignments = newAlignments
    }

    /// HF's `lstrip`/`rstrip`: leading and trailing whitespace removed.
    mutating func strip(left: Bool, right: Bool) {
        var lo = 0, hi = scalars.count
        if left { while lo < hi, scalars[lo].properties.isWhitespace { lo += 1 } }
        if right { while hi > lo, scalars[hi - 1].properties.isWhitespace { hi -= 1 } }
        if lo == 0 && hi == scalars.count { return }
        scalars = Array(scalars[lo..<hi])
        alignments = Array(alignments[lo..<hi])
    }
}

extension Unicode.Scalar {
    /// Unicode White_Space (Rust's `char::is_whitespace`), without the
    /// property lookup for the scalars that are never white space.
    var isWhiteSpace: Bool {
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        if value < 0x1680 { return value == 0x85 || value == 0xA0 }
        return properties.isWhitespace
    }
}
