// The normalizers a tokenizer.json can name besides BertNormalizer. Each
// rewrites a NormalizedString in place so offsets keep pointing into the
// original text.

import Foundation

/// A step of text normalization (HF's `normalizer` section).
///
/// ```swift
/// var s = NormalizedString("Ça VA")
/// SequenceNormalizer([UnicodeNormalizer.nfd, StripAccentsNormalizer(), Lowercase()]).normalize(&s)
/// s.text   // "ca va"
/// ```
public protocol Normalizer: Sendable {
    /// Rewrites `text`, keeping its alignments to the original.
    func normalize(_ text: inout NormalizedString)
}

extension Normalizer {
    /// The normalized form of a plain string.
    ///
    /// ```swift
    /// Lowercase().normalize("ABC")   // "abc"
    /// ```
    public func normalize(_ string: String) -> String {
        var s = NormalizedString(string)
        normalize(&s)
        return s.text
    }
}

/// Several normalizers applied in order (HF `Sequence`).
///
/// ```swift
/// let n = SequenceNormalizer([UnicodeNormalizer.nfkc, Lowercase()])
/// n.normalize("ＡＢ")   // "ab"
/// ```
public struct SequenceNormalizer: Normalizer {
    /// The steps, in order.
    public let normalizers: [any Normalizer]
    public init(_ normalizers: [any Normalizer]) { self.normalizers = normalizers }
    public func normalize(_ text: inout NormalizedString) {
        for n in normalizers { n.normalize(&text) }
    }
}

/// Full Unicode lowercasing, scalar by scalar (HF `Lowercase`, Rust's
/// `char::to_lowercase`: no final-sigma rule, "İ" becomes "i̇").
///
/// ```swift
/// Lowercase().normalize("ΟΔΟΣ")   // "οδοσ"
/// ```
public struct Lowercase: Normalizer {
    public init() {}
    public func normalize(_ text: inout NormalizedString) {
        text.flatMap { c in
            if c.isASCII {
                return [c.value >= 65 && c.value <= 90 ? Unicode.Scalar(c.value + 32)! : c]
            }
            return Array(c.properties.lowercaseMapping.unicodeScalars)
        }
    }
}

/// HF's `StripAccents` normalizer: removes every combining mark (Mn, Mc and
/// Me, `is_combining_mark`), so Devanagari vowel signs go too. Apply after
/// NFD; it does not decompose. (BertNormalizer strips Mn only.)
///
/// ```swift
/// SequenceNormalizer([UnicodeNormalizer.nfd, StripAccentsNormalizer()]).normalize("naïve")   // "naive"
/// ```
public struct StripAccentsNormalizer: Normalizer {
    public init() {}
    public func normalize(_ text: inout NormalizedString) {
        text.filter { c in
            switch c.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return false
            default: return true
            }
        }
    }
}

/// The four Unicode normalization forms.
public enum UnicodeForm: String, Sendable {
    case nfc = "NFC", nfd = "NFD", nfkc = "NFKC", nfkd = "NFKD"
}

/// Unicode normalization (HF `NFC`, `NFD`, `NFKC`, `NFKD`).
///
/// ```swift
/// UnicodeNormalizer(.nfd).normalize("é").unicodeScalars.count   // 2
/// ```
public struct UnicodeNormalizer: Normalizer {
    /// Which normal form.
    public let form: UnicodeForm
    public init(_ form: UnicodeForm) { self.form = form }

    public func normalize(_ text: inout NormalizedString) {
        // Below these code points every scalar is its own normal form, which
        // skips Foundation for plain ASCII/Latin-1 text.
        let identityBelow: UInt32 = switch form {
        case .nfd: 0xC0
        case .nfkd, .nfkc: 0xA0
        case .nfc: 0x300
        }
        if text.scalars.allSatisfy({ $0.value < identityBelow }) { return }
        if form == .nfd || form == .nfkd {
            decompose(&text, identityBelow: identityBelow)
            return
        }
        // Composition never crosses a grapheme cluster in practice, so each
        // cluster is normalized alone and its scalars are paired up in order:
        // extra output scalars are inserted after the last paired one, missing
        // ones are deleted after it (HF's alignment crate does the same for
        // decomposition and composition).
        var dest: [(Unicode.Scalar, Int)] = []
        dest.reserveCapacity(text.scalars.count)
        var s = String.UnicodeScalarView()
        s.append(contentsOf: text.scalars)
        for ch in String(s) {
            let input = ch.unicodeScalars
            if input.count == 1, input.first!.value < identityBelow {
                dest.append((input.first!, 0))
                continue
            }
            // A leading space shields the cluster: Foundation drops a leading
            // U+FEFF as a byte order mark, and nothing composes with a space.
            let str = " " + String(ch)
            let shielded: String = switch form {
            case .nfc: str.precomposedStringWithCanonicalMapping
            case .nfd: str.decomposedStringWithCanonicalMapping
            case .nfkc: str.precomposedStringWithCompatibilityMapping
            case .nfkd: str.decomposedStringWithCompatibilityMapping
            }
            let outScalars = Array(shielded.unicodeScalars.dropFirst())
            let m = input.count, k = outScalars.count
            for (i, c) in outScalars.enumerated() {
                if i >= m { dest.append((c, 1)) }
                else if i == k - 1 && k < m { dest.append((c, -(m - k))) }
                else { dest.append((c, 0)) }
            }
        }
        text.transform(dest)
    }

    /// NFD/NFKD as HF's alignment crate does it: each scalar decomposes on
    /// its own (the first output replaces it, the rest are inserted after
    /// it), then each run of non-starters is stably sorted by combining
    /// class, every scalar carrying its change along.
    private func decompose(_ text: inout NormalizedString, identityBelow: UInt32) {
        var dest: [(Unicode.Scalar, Int)] = []
        dest.reserveCapacity(text.scalars.count + 8)
        for c in text.scalars {
            if c.value < identityBelow {
                dest.append((c, 0))
                continue
            }
            // The leading space shields the scalar (see `normalize`).
            let str = " " + String(Character(c))
            let out = form == .nfd ? str.decomposedStringWithCanonicalMapping : str.decomposedStringWithCompatibilityMapping
            for (i, d) in out.unicodeScalars.dropFirst().enumerated() { dest.append((d, i == 0 ? 0 : 1)) }
        }
        var i = 0
        while i < dest.count {
            guard dest[i].0.properties.canonicalCombiningClass.rawValue != 0 else { i += 1; continue }
            var j = i
            while j < dest.count, dest[j].0.properties.canonicalCombiningClass.rawValue != 0 { j += 1 }
            if j - i > 1 {
                let run = dest[i..<j].enumerated().sorted {
                    let a = $0.element.0.properties.canonicalCombiningClass.rawValue
                    let b = $1.element.0.properties.canonicalCombiningClass.rawValue
                    return a != b ? a < b : $0.offset < $1.offset
                }
                dest.replaceSubrange(i..<j, with: run.map(\.element))
            }
            i = j
        }
        text.transform(dest)
    }
}

extension UnicodeNormalizer {
    /// HF `NFD`: ``UnicodeNormalizer.nfd.normalize("é")`` has 2 scalars.
    public static let nfd = UnicodeNormalizer(.nfd)
    /// HF `NFC`: ``UnicodeNormalizer.nfc.normalize("e\u{301}")`` is "é".
    public static let nfc = UnicodeNormalizer(.nfc)
    /// HF `NFKD`: ``UnicodeNormalizer.nfkd.normalize("ﬁ")`` is "fi".
    public static let nfkd = UnicodeNormalizer(.nfkd)
    /// HF `NFKC`: ``UnicodeNormalizer.nfkc.normalize("１")`` is "1".
    public static let nfkc = UnicodeNormalizer(.nfkc)
}
