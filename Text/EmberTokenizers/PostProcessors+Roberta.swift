// RoBERTa's post-processor and the Sequence of post-processors (byte-level
// offset trimming followed by a template, as in Llama 3's files).

/// HF's `RobertaProcessing`: `<s> A </s>` and `<s> A </s> </s> B </s>`, all
/// type ids 0; with `trimOffsets`, offsets leave out the spaces tokens
/// start or end with (as the ByteLevel post-processor).
///
/// ```swift
/// let p = RobertaProcessing(sep: ("</s>", 2), cls: ("<s>", 0))
/// p.addedTokens(isPair: true)   // 4
/// ```
public struct RobertaProcessing: PostProcessor {
    /// The separator and class tokens with their ids, and the offset settings.
    public let sep: (token: String, id: Int)
    public let cls: (token: String, id: Int)
    public let trimOffsets: Bool
    public let addPrefixSpace: Bool
    public init(sep: (String, Int) = ("</s>", 2), cls: (String, Int) = ("<s>", 0), trimOffsets: Bool = true,
                addPrefixSpace: Bool = true) {
        self.sep = sep
        self.cls = cls
        self.trimOffsets = trimOffsets
        self.addPrefixSpace = addPrefixSpace
    }

    public func addedTokens(isPair: Bool) -> Int { isPair ? 4 : 2 }

    public func process(_ a: Encoding, _ b: Encoding?, addSpecialTokens: Bool) -> Encoding {
        var list = b.map { [a, $0] } ?? [a]
        for i in list.indices {
            if trimOffsets { trimSpaceOffsets(&list[i], addPrefixSpace: addPrefixSpace) }
            list[i].typeIds = Array(repeating: 0, count: list[i].count)
        }
        var e = Encoding()
        for (i, s) in list.enumerated() {
            if addSpecialTokens {
                e.append(specialEncoding(ids: [i == 0 ? cls.id : sep.id], tokens: [i == 0 ? cls.token : sep.token], typeId: 0))
            }
            e.append(s)
            if addSpecialTokens { e.append(specialEncoding(ids: [sep.id], tokens: [sep.token], typeId: 0)) }
        }
        return e
    }
}

/// Several post-processors chained (HF `Sequence`): each gets the
/// sequences the previous one returned.
///
/// ```swift
/// let p = SequenceProcessor([ByteLevelProcessing(trimOffsets: false), template])
/// ```
public struct SequenceProcessor: PostProcessor {
    /// The steps, in order.
    public let processors: [any PostProcessor]
    public init(_ processors: [any PostProcessor]) { self.processors = processors }
    public func addedTokens(isPair: Bool) -> Int { processors.reduce(0) { $0 + $1.addedTokens(isPair: isPair) } }
    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        processors.reduce(encodings) { $1.processEncodings($0, addSpecialTokens: addSpecialTokens) }
    }
    public func process(_ a: Encoding, _ b: Encoding?, addSpecialTokens: Bool) -> Encoding {
        processByEncodings(a, b, addSpecialTokens: addSpecialTokens)
    }
}
