// Ember-trained BPE and Unigram tokenizers, saved and loaded back by Ember's
// own loader, encode held-out text with the ids HF's tokenizer (trained on
// the same corpus) gives. BPE must match every line; Unigram's scores differ
// from HF's in the last bits, so on exact ties between two segmentations
// (long runs of one symbol) it may pick the other one: at most 1 line in 132.

import EmberTokenizers
import Foundation
import Testing

@Suite struct TrainerLoadBackTests {
    func heldoutMatches(_ trained: TrainedTokenizer, _ config: String) throws -> (same: Int, total: Int) {
        let tokenizer = try trained.tokenizer()
        let expected = (TrainFixtures.encodings[config] as? [String: Any])?["heldout_ids"] as? [[Int]] ?? []
        #expect(expected.count == TrainFixtures.heldout.count && expected.count == 132)
        var same = 0
        for (line, ids) in zip(TrainFixtures.heldout, expected) where try tokenizer.encode(line).ids == ids { same += 1 }
        return (same, expected.count)
    }

    @Test func bpeTokenizersLoadBackAndEncodeLikeHF() throws {
        for (trained, config) in [(try TrainFixtures.bpeWhitespace(), "bpe_whitespace"),
                                  (try TrainFixtures.bpeSuffixLimited(), "bpe_suffix_limited"),
                                  (try TrainFixtures.bpeByteLevel(), "bpe_bytelevel")] {
            let (same, total) = try heldoutMatches(trained, config)
            #expect(same == total, "\(config): \(same) of \(total) held-out lines")
        }
    }

    @Test func unigramLoadsBackAndEncodesLikeHF() throws {
        let (same, total) = try heldoutMatches(try TrainFixtures.unigramWhitespace(), "unigram_whitespace")
        #expect(same >= total - 1, "\(same) of \(total) held-out lines")
    }
}
