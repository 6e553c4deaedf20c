// The normalizers a tokenizer.json can name besides BertNormalizer. Each
// rewrites a NormalizedString in place so offsets keep pointing into the
// original text.

import CUnicodeNormalization
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
        // In place while every scalar maps to one scalar (all text but a
        // few letters such as "İ"); those need the insertions of flatMap.
        var i = 0
        let n = text.scalars.count
        while i < n {
            let c = text.scalars[i]
            if c.value < 0x80 {
                if c.value >= 65 && c.value <= 90 { text.scalars[i] = Unicode.Scalar(c.value + 32)! }
            } else {
                let m = c.properties.lowercaseMapping.unicodeScalars
                guard m.count == 1 else { break }
                text.scalars[i] = m.first!
            }
            i += 1
        }
        if i == n { return }
        // Lowercasing is idempotent, so the scalars already done are left as they are.
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
        // Composition starts from the full decomposition, so every scalar
        // that decomposes at all goes through it.
        var dest = decompose(text.scalars, identityBelow: form == .nfd || form == .nfc ? 0xC0 : 0xA0)
        if form == .nfc || form == .nfkc { dest = Self.recompose(dest) }
        text.transform(dest)
    }

    /// HF's alignment crate's recomposition, step for step: a starter
    /// absorbs each following mark it composes with (not blocked by an
    /// earlier mark of the same or higher class), its change dropping by
    /// one per absorbed scalar; marks that stay wait in a buffer and come
    /// out after it.
    static func recompose(_ input: [(Unicode.Scalar, Int)]) -> [(Unicode.Scalar, Int)] {
        var out: [(Unicode.Scalar, Int)] = []
        out.reserveCapacity(input.count)
        var buffer: [(Unicode.Scalar, Int)] = []
        var composee: (Unicode.Scalar, Int)?
        var lastClass: UInt8?
        for (ch, change) in input {
            let cls = Self.combiningClass(ch)
            guard let k = composee else {
                if cls != 0 { out.append((ch, change)) } else { composee = (ch, change) }
                continue
            }
            if let l = lastClass, l >= cls {
                if cls == 0 {
                    out.append(k)
                    out += buffer
                    buffer.removeAll()
                    composee = (ch, change)
                    lastClass = nil
                } else {
                    buffer.append((ch, change))
                    lastClass = cls
                }
                continue
            }
            if let r = compose(k.0, ch) {
                composee = (r, k.1 + change - 1)
            } else if lastClass == nil && cls == 0 {
                out.append(k)
                composee = (ch, change)
            } else {
                buffer.append((ch, change))
                lastClass = cls
            }
        }
        if let k = composee { out.append(k) }
        return out + buffer
    }

    /// The primary composite of two scalars, if there is one (ICU's
    /// composePair, Hangul included).
    static func compose(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Unicode.Scalar? {
        // Nothing composes with an ASCII second scalar.
        if b.value < 0x300 { return nil }
        let composite = ember_unicode_compose_pair(a.value, b.value)
        return composite < 0 ? nil : Unicode.Scalar(UInt32(composite))
    }

    static func combiningClass(_ c: Unicode.Scalar) -> UInt8 {
        c.value < 0x300 ? 0 : ember_unicode_combining_class(c.value)
    }

    /// NFD/NFKD as HF's alignment crate does it: each scalar decomposes on
    /// its own (the first output replaces it, the rest are inserted after
    /// it), then each run of non-starters is stably sorted by combining
    /// class, every scalar carrying its change along.
    private func decompose(_ scalars: [Unicode.Scalar], identityBelow: UInt32) -> [(Unicode.Scalar, Int)] {
        var dest: [(Unicode.Scalar, Int)] = []
        dest.reserveCapacity(scalars.count + 8)
        let compatibility: Int32 = form == .nfkd || form == .nfkc ? 1 : 0
        var buffer = [UInt32](repeating: 0, count: 32)
        for c in scalars {
            if c.value < identityBelow {
                dest.append((c, 0))
                continue
            }
            let count = Int(ember_unicode_decomposition(c.value, compatibility, &buffer, Int32(buffer.count)))
            guard count > 0 else {
                dest.append((c, 0))
                continue
            }
            for i in 0..<count { dest.append((Unicode.Scalar(buffer[i])!, i == 0 ? 0 : 1)) }
        }
        var i = 0
        while i < dest.count {
            guard Self.combiningClass(dest[i].0) != 0 else { i += 1; continue }
            var j = i
            while j < dest.count, Self.combiningClass(dest[j].0) != 0 { j += 1 }
            if j - i > 1 {
                let run = dest[i..<j].enumerated().sorted {
                    let a = Self.combiningClass($0.element.0)
                    let b = Self.combiningClass($1.element.0)
                    return a != b ? a < b : $0.offset < $1.offset
                }
                dest.replaceSubrange(i..<j, with: run.map(\.element))
            }
            i = j
        }
        return dest
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

// Normalizers that edit the text itself rather than its characters:
// Strip, Replace and Prepend (used by SentencePiece-style tokenizers).

/// HF's `Strip`: removes leading and/or trailing whitespace.
///
/// ```swift
/// Strip().normalize("  hi \n")   // "hi"
/// ```
public struct Strip: Normalizer {
    /// Which ends are stripped.
    public let left: Bool
    public let right: Bool
    public init(left: Bool = true, right: Bool = true) {
        self.left = left
        self.right = right
    }
    public func normalize(_ text: inout NormalizedString) { text.strip(left: left, right: right) }
}

/// HF's `Replace`: every match of a string or regex becomes `content`.
///
/// ```swift
/// Replace(pattern: .string(" "), content: "▁").normalize("a b")   // "a▁b"
/// ```
public struct Replace: Normalizer {
    /// What is replaced, and by what.
    public let pattern: TextPattern
    public let content: String
    public init(pattern: TextPattern, content: String) {
        self.pattern = pattern
        self.content = content
    }
    public func normalize(_ text: inout NormalizedString) {
        text.replace(pattern.matches(in: text.scalars), with: Array(content.unicodeScalars))
    }
}

/// HF's `Prepend`: puts `prefix` in front of non-empty text.
///
/// ```swift
/// Prepend("▁").normalize("hi")   // "▁hi"
/// ```
public struct Prepend: Normalizer {
    /// The text put in front.
    public let prefix: String
    public init(_ prefix: String) { self.prefix = prefix }
    public func normalize(_ text: inout NormalizedString) { text.prepend(Array(prefix.unicodeScalars)) }
}

/// HF's `ByteLevel` normalizer: every UTF-8 byte becomes its byte-level
/// scalar (as the ByteLevel pre-tokenizer does after splitting).
///
/// ```swift
/// ByteLevelNormalizer().normalize("é ")   // "Ã©Ġ"
/// ```
public struct ByteLevelNormalizer: Normalizer {
    public init() {}
    public func normalize(_ text: inout NormalizedString) {
        if text.isEmpty { return }
        text = ByteLevel.bytes(of: text, 0..<text.scalars.count)
    }
}
