// `ember generate` run as a user runs it, on the tiny GPT-2 fixture
// directory (Tests/Fixtures/gpt2/tiny, with a WordPiece tokenizer.json):
// the ids and text transformers' generate gives, streamed or as JSON.

import EmberTestSupport
import Foundation
import Testing

private let tinyGPT2 = FixtureLoader.directory.appendingPathComponent("gpt2/tiny").path
nonisolated(unsafe) private let fixture: [String: Any] = {
    let data = try! Data(contentsOf: FixtureLoader.directory.appendingPathComponent("gpt2/reference.json"))
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
}()
nonisolated(unsafe) private let reference = fixture["cli"] as! [String: Any]

private func json(_ run: Run) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
}

@Suite struct GenerateCommandTests {
    let base = ["generate", "--model", tinyGPT2, "--prompt", reference["prompt"] as! String,
                "--max-new-tokens", String(reference["max_new_tokens"] as! Int)]

    @Test("greedy JSON output: transformers' ids and text")
    func greedyJSONMatchesTransformers() throws {
        let run = try ember(base + ["--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let out = try json(run)
        #expect(out["ids"] as? [Int] == reference["ids"] as? [Int])
        #expect(out["text"] as? String == reference["text"] as? String)
    }

    @Test("text output streams the same text the JSON holds")
    func textOutputIsTheDecodedSequence() throws {
        let run = try ember(base)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == (reference["text"] as! String) + "\n")
    }

    @Test("sampling: the same seed gives the same ids; temperature 0 is greedy")
    func seededSampling() throws {
        let sampled = base + ["--temperature", "1.2", "--top-k", "50", "--top-p", "0.95", "--repetition-penalty", "1.1",
                              "--format", "json"]
        let a = try ember(sampled + ["--seed", "7"]), b = try ember(sampled + ["--seed", "7"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        let ids = try json(a)["ids"] as? [Int]
        let again = try json(b)["ids"] as? [Int]
        #expect(ids != nil && ids == again)
        #expect(ids.map { Array($0.prefix((reference["prompt_ids"] as! [Int]).count)) } == reference["prompt_ids"] as? [Int])
        let greedy = try ember(base + ["--temperature", "0", "--seed", "3", "--format", "json"])
        #expect(try json(greedy)["ids"] as? [Int] == reference["ids"] as? [Int])
    }

    @Test("bad arguments and directories fail with a message, not a crash", arguments: [
        (["--temperature=-1"], "temperature"),
        (["--top-p", "1.5"], "top_p"),
        (["--top-k=-3"], "top_k"),
        (["--repetition-penalty", "0"], "repetition_penalty"),
        (["--max-new-tokens", "100"], "exceeds the model's 64 positions"),
        (["--max-new-tokens", String(Int.max)], "exceeds the model's 64 positions"),
    ])
    func badArguments(_ extra: [String], _ message: String) throws {
        let run = try ember(base + extra)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("a byte-level BPE tokenizer.json works unchanged: non-ASCII text, streamed and as JSON")
    func byteLevelBPEDirectory() throws {
        let bpe = fixture["cli_bpe"] as! [String: Any]
        let arguments = ["generate", "--model", FixtureLoader.directory.appendingPathComponent("gpt2/tiny_bpe").path,
                         "--prompt", bpe["prompt"] as! String, "--max-new-tokens", String(bpe["max_new_tokens"] as! Int)]
        let run = try ember(arguments + ["--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let out = try json(run)
        #expect(out["ids"] as? [Int] == bpe["ids"] as? [Int])
        #expect(out["text"] as? String == bpe["text"] as? String)
        let streamed = try ember(arguments)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stdout == (bpe["text"] as! String) + "\n")
    }

    @Test func missingModelDirectoryIsReported() throws {
        let run = try ember(["generate", "--model", "/nonexistent/gpt2", "--prompt", "hi", "--max-new-tokens", "2"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("/nonexistent/gpt2: not found"), "\(run.stderr)")
    }
}
