// The result of encoding, and the truncation and padding that reshape it.

/// What `Tokenizer.encode` returns, field for field HF's `Encoding`.
/// Offsets are ranges of Unicode scalars (code points) of the input string,
/// as HF's Python API reports them; special tokens have `0..<0`.
///
/// ```swift
/// let e = try tokenizer.encode("Hello!")
/// e.ids               // [101, 7592, 999, 102]
/// e.tokens            // ["[CLS]", "hello", "!", "[SEP]"]
/// e.offsets           // [0..<0, 0..<5, 5..<6, 0..<0]
/// ```
public struct Encoding: Sendable, Equatable {
    /// Token ids.
    public var ids: [Int] = []
    /// Segment (token type) ids: 0 for the first sequence, 1 for the pair.
    public var typeIds: [Int] = []
    /// Token strings, as HF gives them (an lstrip added token keeps its spaces).
    public var tokens: [String] = []
    /// Unicode-scalar ranges in the input string (of its own sequence for pairs).
    public var offsets: [Range<Int>] = []
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [Int] = []
    /// 1 for tokens the post-processor or padding added.
    public var specialTokensMask: [Int] = []

    /// An empty encoding, to append to.
    ///
    /// ```swift
    /// var e = Encoding()
    /// e.append(Encoding(tokens: [Token(id: 1, value: "a", offsets: 0..<1)], typeId: 0))
    /// ```
    public init() {}

    /// The encoding of model tokens (not special: their masks are 1 and 0).
    public init(tokens: [Token], typeId: Int) {
        ids = tokens.map(\.id)
        self.tokens = tokens.map(\.value)
        offsets = tokens.map(\.offsets)
        typeIds = Array(repeating: typeId, count: tokens.count)
        attentionMask = Array(repeating: 1, count: tokens.count)
        specialTokensMask = Array(repeating: 0, count: tokens.count)
    }

    /// The number of tokens.
    public var count: Int { ids.count }

    /// Appends another encoding's tokens.
    ///
    /// ```swift
    /// var a = try tokenizer.encode("a", addSpecialTokens: false)
    /// a.append(try tokenizer.encode("b", addSpecialTokens: false))
    /// ```
    public mutating func append(_ other: Encoding) {
        ids += other.ids
        typeIds += other.typeIds
        tokens += other.tokens
        offsets += other.offsets
        attentionMask += other.attentionMask
        specialTokensMask += other.specialTokensMask
    }

    /// Keeps at most `maxLength` tokens, dropping from the end (`.right`) or
    /// the start (`.left`). HF keeps the dropped tokens as `overflowing`;
    /// this slice does not.
    ///
    /// ```swift
    /// e.truncate(to: 128)
    /// ```
    public mutating func truncate(to maxLength: Int, direction: Direction = .right) {
        guard count > maxLength else { return }
        let r = direction == .right ? 0..<maxLength : (count - maxLength)..<count
        ids = Array(ids[r]); typeIds = Array(typeIds[r]); tokens = Array(tokens[r])
        offsets = Array(offsets[r]); attentionMask = Array(attentionMask[r])
        specialTokensMask = Array(specialTokensMask[r])
    }

    /// Pads to `length` tokens with `padding`'s pad token (attention 0,
    /// special 1, offsets 0..<0). Longer encodings are left alone.
    ///
    /// ```swift
    /// e.pad(to: 16, with: Padding())
    /// ```
    public mutating func pad(to length: Int, with padding: Padding) {
        let n = length - count
        guard n > 0 else { return }
        func padded<T>(_ a: [T], _ v: T) -> [T] {
            padding.direction == .right ? a + Array(repeating: v, count: n) : Array(repeating: v, count: n) + a
        }
        ids = padded(ids, padding.padId)
        typeIds = padded(typeIds, padding.padTypeId)
        tokens = padded(tokens, padding.padToken)
        offsets = padded(offsets, 0..<0)
        attentionMask = padded(attentionMask, 0)
        specialTokensMask = padded(specialTokensMask, 1)
    }
}

/// Which end truncation and padding work on.
public enum Direction: String, Sendable { case left = "Left", right = "Right" }

/// HF's `truncation` section.
///
/// ```swift
/// tokenizer.truncation = Truncation(maxLength: 256)
/// ```
public struct Truncation: Sendable, Equatable {
    /// How a pair is cut.
    public enum Strategy: String, Sendable { case longestFirst = "LongestFirst", onlyFirst = "OnlyFirst", onlySecond = "OnlySecond" }
    /// Total length, special tokens included.
    public var maxLength: Int
    /// How a pair is cut.
    public var strategy: Strategy
    public var direction: Direction
    /// Kept for round trips; overflowing windows are not produced yet.
    public var stride: Int
    /// HF's defaults: 512, LongestFirst, from the right.
    ///
    /// ```swift
    /// let t = Truncation(maxLength: 128, strategy: .onlySecond)
    /// ```
    public init(maxLength: Int = 512, strategy: Strategy = .longestFirst, direction: Direction = .right, stride: Int = 0) {
        self.maxLength = maxLength
        self.strategy = strategy
        self.direction = direction
        self.stride = stride
    }

    /// HF's `truncate_encodings`: a single sequence loses its tail; a pair
    /// is cut as `strategy` says (LongestFirst: the longer one first, then
    /// both to half each).
    func apply(_ a: inout Encoding, _ b: inout Encoding?, maxLength: Int) throws(TokenizerError) {
        if maxLength == 0 {
            // HF empties both sequences whatever the strategy.
            a.truncate(to: 0, direction: direction)
            b?.truncate(to: 0, direction: direction)
            return
        }
        let total = a.count + (b?.count ?? 0)
        guard total > maxLength else { return }
        let toRemove = total - maxLength
        switch strategy {
        case .longestFirst:
            guard var second = b else {
                a.truncate(to: a.count - toRemove, direction: direction)
                return
            }
            var n1 = a.count, n2 = second.count
            let swap = n1 > n2
            if swap { (n1, n2) = (n2, n1) }
            n2 = n1 > maxLength ? n1 : max(n1, maxLength - n1)
            if n1 + n2 > maxLength {
                n1 = maxLength / 2
                n2 = n1 + maxLength % 2
            }
            if swap { (n1, n2) = (n2, n1) }
            a.truncate(to: n1, direction: direction)
            second.truncate(to: n2, direction: direction)
            b = second
        case .onlyFirst, .onlySecond:
            if strategy == .onlyFirst {
                guard a.count > toRemove else { throw .truncationImpossible("the first sequence is too short") }
                a.truncate(to: a.count - toRemove, direction: direction)
            } else {
                guard var second = b else { throw .truncationImpossible("OnlySecond needs a pair") }
                guard second.count > toRemove else { throw .truncationImpossible("the second sequence is too short") }
                second.truncate(to: second.count - toRemove, direction: direction)
                b = second
            }
        }
    }
}

/// HF's `padding` section.
///
/// ```swift
/// tokenizer.padding = Padding(strategy: .batchLongest, padToMultipleOf: 8)
/// ```
public struct Padding: Sendable, Equatable {
    /// Pad to the batch's longest or to a fixed length.
    public enum Strategy: Sendable, Equatable { case batchLongest, fixed(Int) }
    public var strategy: Strategy
    public var direction: Direction
    /// Round the padded length up to a multiple of this.
    public var padToMultipleOf: Int?
    /// Id, type id and token of the padding.
    public var padId: Int
    public var padTypeId: Int
    public var padToken: String
    /// HF's defaults: batch longest, right, "[PAD]" = 0.
    ///
    /// ```swift
    /// let p = Padding(strategy: .fixed(128))
    /// ```
    public init(strategy: Strategy = .batchLongest, direction: Direction = .right, padToMultipleOf: Int? = nil,
                padId: Int = 0, padTypeId: Int = 0, padToken: String = "[PAD]") {
        self.strategy = strategy
        self.direction = direction
        self.padToMultipleOf = padToMultipleOf
        self.padId = padId
        self.padTypeId = padTypeId
        self.padToken = padToken
    }

    /// HF's `pad_encodings`: to the fixed length or the batch's longest,
    /// rounded up to a multiple of `padToMultipleOf`.
    func apply(_ encodings: inout [Encoding]) {
        var length: Int = switch strategy {
        case .fixed(let n): n
        case .batchLongest: encodings.map(\.count).max() ?? 0
        }
        if let m = padToMultipleOf, m > 0, length % m != 0 { length += m - length % m }
        for i in encodings.indices { encodings[i].pad(to: length, with: self) }
    }
}
