// GPT-2's original files, vocab.json and merges.txt, read into the same
// pipeline transformers' GPT2TokenizerFast builds from them.

import Foundation

extension Tokenizer {
    /// A GPT-2 tokenizer from `vocab.json` and `merges.txt`, as HF's
    /// `GPT2TokenizerFast` builds it: byte-level BPE without unknown token,
    /// ByteLevel pre-tokenizer (`addPrefixSpace` false by default) and
    /// decoder, and `<|endoftext|>` as a special added token when the
    /// vocabulary has it.
    ///
    /// ```swift
    /// let tok = try Tokenizer.gpt2(vocab: dir.appendingPathComponent("vocab.json"),
    ///                              merges: dir.appendingPathComponent("merges.txt"))
    /// try tok.encode("Hello world").tokens   // ["Hello", "Ġworld"]
    /// ```
    public static func gpt2(vocab vocabURL: URL, merges mergesURL: URL, addPrefixSpace: Bool = false)
        throws(TokenizerError) -> Tokenizer {
        let data: Data
        do { data = try Data(contentsOf: vocabURL) } catch {
            throw .unreadableFile(path: vocabURL.path, reason: error.localizedDescription)
        }
        let vocab = try loadVocab(try JSONValue.parse(data, file: vocabURL.path))
        let merges = try readMerges(mergesURL)
        let model = try BPE(byKey: vocab, merges: merges, unkToken: nil, continuingSubwordPrefix: "", endOfWordSuffix: "",
                            fuseUnk: false, byteFallback: false, ignoreMerges: false, source: mergesURL.path)
        var added: [AddedToken] = []
        if let id = model.tokenToId("<|endoftext|>") { added.append(AddedToken(id: id, content: "<|endoftext|>", special: true)) }
        return Tokenizer(
            model: model, preTokenizer: ByteLevel(addPrefixSpace: addPrefixSpace, trimOffsets: true, useRegex: true),
            postProcessor: TemplateProcessing(single: [.sequence(first: true, typeId: 0)],
                                              pair: [.sequence(first: true, typeId: 0), .sequence(first: false, typeId: 1)],
                                              specialTokens: [:]),
            decoder: ByteLevelDecoder(), addedTokens: added)
    }

    /// The merges of a `merges.txt`: one "left right" pair a line, ranked by
    /// order; `#version` lines are skipped, as HF does.
    ///
    /// ```swift
    /// let merges = try Tokenizer.readMerges(URL(fileURLWithPath: "merges.txt"))   // [("Ġ", "t"), ...]
    /// ```
    public static func readMerges(_ url: URL) throws(TokenizerError) -> [(String, String)] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .malformedFile(path: url.path, reason: "not UTF-8 text") }
        var merges: [(String, String)] = []
        // Scalars, not Characters: "\r\n" or a space before a combining mark is one Character.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (i, raw) in lines.enumerated() {
            // Rust's `lines()` also drops a "\r" before the "\n".
            let line = raw.last == "\r" ? raw.dropLast() : raw
            if line.starts(with: "#version".unicodeScalars) { continue }
            guard let pair = splitMerge(line) else {
                throw .invalidField(path: url.path, field: "line \(i + 1)", expected: "two tokens separated by one space")
            }
            merges.append(pair)
        }
        return merges
    }

    /// "left right" split on its one space (scalar-wise), nil unless there are exactly two parts.
    static func splitMerge<S: Collection<Unicode.Scalar>>(_ line: S) -> (String, String)? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        func string(_ p: S.SubSequence) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: p)
            return String(v)
        }
        return (string(parts[0]), string(parts[1]))
    }
}
