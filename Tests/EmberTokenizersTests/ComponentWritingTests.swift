// Components read from a tokenizer.json are written back (through a
// TrainedTokenizer) as the same JSON, so trained tokenizers can use them.

import EmberTokenizers
import Foundation
import Testing

@Suite struct ComponentWriting {
    static let files = ["bpe_bytelevel", "bpe_roberta", "bpe_suffix", "bpe_bytefallback", "unigram", "wordlevel"]
    static let sections = ["normalizer", "pre_tokenizer", "post_processor", "decoder"]

    /// The four pipeline sections of a tokenizer.json, parsed.
    static func pipeline(_ data: Data) throws -> [String: NSObject] {
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var out: [String: NSObject] = [:]
        for s in sections { out[s] = (root[s] as? NSObject) ?? NSNull() }
        return out
    }

    static func roundTrip(_ data: Data, _ name: String) throws {
        let tok = try Tokenizer(json: data, source: name)
        let trained = TrainedTokenizer(model: .wordPiece(WordPieceModelData(vocab: ["[UNK]"])), normalizer: tok.normalizer,
                                       preTokenizer: tok.preTokenizer, postProcessor: tok.postProcessor, decoder: tok.decoder)
        let written = try pipeline(try trained.jsonData())
        let original = try pipeline(data)
        for s in sections { #expect(written[s] == original[s], "\(name) \(s)") }
    }

    @Test(arguments: files)
    func fixture(_ name: String) throws {
        try Self.roundTrip(try Data(contentsOf: TokFixtures.url("\(name).json")), name)
    }

    @Test func pipelineVariants() throws {
        #expect(PipelineParity.variants.count >= 17)
        for v in PipelineParity.variants { try Self.roundTrip(v.json, v.name) }
    }
}
