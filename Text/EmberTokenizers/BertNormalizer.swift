// BERT's text cleanup, exactly as HF `tokenizers` (normalizers/bert.rs) does
// it, including which code points count as control, whitespace and CJK.

/// HF's `BertNormalizer`: (1) `cleanText` deletes NUL, U+FFFD and every
/// Cc/Cf/Co/Cs scalar except \t \n \r, and maps White_Space to " ";
/// (2) `handleChineseChars` puts spaces around CJK ideographs; (3) accents
/// are stripped (NFD, then drop Mn) when `stripAccents ?? lowercase`;
/// (4) `lowercase`.
///
/// ```swift
/// BertNormalizer().normalize("Héllo 東京")   // "hello  東  京 "
/// ```
public struct BertNormalizer: Normalizer {
    /// Delete controls and map whitespace to " ".
    public var cleanText: Bool
    /// Surround CJK ideographs with spaces.
    public var handleChineseChars: Bool
    /// nil: strip accents exactly when lowercasing (BERT uncased).
    public var stripAccents: Bool?
    /// Lowercase (and, by default, strip accents).
    public var lowercase: Bool

    /// HF's defaults: everything on, accents follow `lowercase`.
    ///
    /// ```swift
    /// let cased = BertNormalizer(lowercase: false)
    /// ```
    public init(cleanText: Bool = true, handleChineseChars: Bool = true,
                stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    public func normalize(_ text: inout NormalizedString) {
        if cleanText {
            text.filter { c in !(c.value == 0 || c.value == 0xFFFD || Self.isControl(c)) }
            text.map { Self.isWhitespace($0) ? " " : $0 }
        }
        if handleChineseChars, text.scalars.contains(where: Self.isChineseChar) {
            var dest: [(Unicode.Scalar, Int)] = []
            dest.reserveCapacity(text.scalars.count + 16)
            for c in text.scalars {
                if Self.isChineseChar(c) {
                    // The first space takes the ideograph's place; the
                    // ideograph and the second space are inserted after it,
                    // so all three share its alignment.
                    dest += [(" ", 0), (c, 1), (" ", 1)]
                } else {
                    dest.append((c, 0))
                }
            }
            text.transform(dest)
        }
        if stripAccents ?? lowercase {
            UnicodeNormalizer(.nfd).normalize(&text)
            // Nonspacing marks only (`is_mark_nonspacing`), unlike the
            // StripAccents normalizer.
            text.filter { $0.value < 0x300 || $0.properties.generalCategory != .nonspacingMark }
        }
        if lowercase {
            Lowercase().normalize(&text)
        }
    }

    /// Rust's `char::is_whitespace` (White_Space), plus \t \n \r.
    ///
    /// ```swift
    /// BertNormalizer.isWhitespace("\u{3000}")   // true
    /// ```
    public static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        c.isWhiteSpace
    }

    /// `unicode_categories::is_other` (Cc, Cf, Co, Cs; unassigned code points
    /// are kept), except \t \n \r.
    ///
    /// ```swift
    /// BertNormalizer.isControl("\u{200B}")   // true
    /// ```
    public static func isControl(_ c: Unicode.Scalar) -> Bool {
        if c == "\t" || c == "\n" || c == "\r" { return false }
        if c.value >= 0x20 && c.value < 0x7F { return false }
        switch c.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// HF's CJK blocks. They follow HF, not Google's BERT: the extension
    /// range starts at U+2B920, leaving U+2B820–U+2B91F out.
    ///
    /// ```swift
    /// BertNormalizer.isChineseChar("東")   // true
    /// ```
    public static func isChineseChar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
