// `ember tokenize`, `embed`, `finetune` and `predict`, run as a user runs
// them, on committed fixtures: HF's ids for the tokenizer corpus and the
// tiny BERT directory.

import EmberCore
import EmberTestSupport
import EmberText
import Foundation
import Testing

private let tinyBert = FixtureLoader.directory.appendingPathComponent("bert/tiny-bert")

private func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
}

@Suite struct TextCommandTests {
    @Test func tokenizeJSONEqualsHuggingFaceIds() throws {
        let reference = FixtureLoader.json("tokenizers/small_bert_cases.json")
        let cases = (reference["cases"] as! [[String: Any]]).filter { $0["pair"] is NSNull }
        let texts = cases.map { $0["text"] as! String }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: texts), as: UTF8.self)
        let run = try ember(["tokenize", "--tokenizer", FixtureLoader.directory.appendingPathComponent("tokenizers/small_bert.json").path,
                             "--input-format", "json", "--format", "json"], stdin: input)
        #expect(run.status == 0, "\(run.stderr)")
        let ids = try #require(try jsonObject(run.stdout)["ids"] as? [[Int]])
        #expect(ids.count == texts.count && texts.count > 20)
        #expect(ids == cases.map { $0["ids"] as! [Int] })
    }

    @Test func tokenizeLinesAndBadInput() throws {
        let tokenizer = FixtureLoader.directory.appendingPathComponent("tokenizers/small_bert.json").path
        let run = try ember(["tokenize", "--tokenizer", tokenizer, "--format", "json"], stdin: "a\r\nb\n")
        #expect(run.status == 0)
        #expect(try jsonObject(run.stdout)["ids"] as? [[Int]] == [[2, 6, 3], [2, 202, 3]])
        let bad = try ember(["tokenize", "--tokenizer", tokenizer, "--input-format", "json"], stdin: "[1, \"x\"]")
        #expect(bad.status != 0 && bad.stderr.contains("element 0"))
        let missing = try ember(["tokenize", "--tokenizer", "/nonexistent/tokenizer.json"], stdin: "a\n")
        #expect(missing.status != 0 && missing.stderr.contains("/nonexistent/tokenizer.json"))
    }

    @Test func embedMatchesTheLibrary() throws {
        let sentences = ["A man is eating food.", "the girl rides a horse"]
        let run = try ember(["embed", "--model", tinyBert.path, "--format", "json"], stdin: sentences.joined(separator: "\n"))
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(try jsonObject(run.stdout)["embeddings"] as? [[Double]])
        let expected: [Float] = try SentenceEncoder(directory: tinyBert).encode(sentences).scalars()
        #expect(rows.count == 2 && rows[0].count == 32)
        #expect(zip(rows.flatMap { $0 }, expected).allSatisfy { abs($0 - Double($1)) < 1e-6 })
        // Unit length: the directory's modules.json lists Normalize.
        #expect(abs(rows[0].map { $0 * $0 }.reduce(0, +) - 1) < 1e-5)
    }

    @Test func finetuneThenPredict() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func lines(_ count: Int, offset: Int) -> String {
            (0..<count).map { i in
                let food = (i + offset) % 2 == 0
                let text = food ? "a man is eating food number \(i)" : "the girl rides a horse number \(i)"
                return String(decoding: try! JSONSerialization.data(withJSONObject: ["text": text, "label": food ? "food" : "horse"]),
                              as: UTF8.self)
            }.joined(separator: "\n") + "\n"
        }
        let train = dir.appendingPathComponent("train.jsonl"), valid = dir.appendingPathComponent("valid.csv")
        try lines(32, offset: 0).write(to: train, atomically: true, encoding: .utf8)
        try ("label,text\nfood,a cook is eating food\nhorse,\"my friend, the rider, sees a horse\"\n")
            .write(to: valid, atomically: true, encoding: .utf8)
        let output = dir.appendingPathComponent("run")
        let run = try ember(["finetune", "--model", tinyBert.path, "--train", train.path, "--valid", valid.path,
                             "--output", output.path, "--epochs", "3", "--batch-size", "8", "--lr", "1e-3",
                             "--max-length", "16"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("epoch 3: train loss"))
        #expect(run.stdout.contains("valid accuracy"))
        let predict = try ember(["predict", "--model", output.path, "--format", "json"],
                                stdin: "a man is eating food\nthe girl rides a horse\n")
        #expect(predict.status == 0, "\(predict.stderr)")
        let results = try predict.stdout.split(separator: "\n").map { try jsonObject(String($0)) }
        #expect(results.map { $0["label"] as? String } == ["food", "horse"])
        let probabilities = try #require(results.first?["probabilities"] as? [String: Double])
        #expect(Set(probabilities.keys) == ["food", "horse"] && abs(probabilities.values.reduce(0, +) - 1) < 1e-5)
        // Running it again finds the finished run and trains nothing more.
        let again = try ember(["finetune", "--model", tinyBert.path, "--train", train.path, "--valid", valid.path,
                               "--output", output.path, "--epochs", "3", "--batch-size", "8"])
        #expect(again.status == 0 && again.stdout.contains("already trained 3 epochs"))
    }

    @Test func finetuneReportsBadData() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = dir.appendingPathComponent("train.csv")
        try "sentence,label\nhello,a\n".write(to: train, atomically: true, encoding: .utf8)
        let run = try ember(["finetune", "--model", tinyBert.path, "--train", train.path, "--valid", train.path,
                             "--output", dir.appendingPathComponent("out").path])
        #expect(run.status != 0)
        #expect(run.stderr.contains(train.path) && run.stderr.contains("no column \"text\""), "\(run.stderr)")
        let jsonl = dir.appendingPathComponent("train.jsonl")
        try "{\"text\": \"x\", \"label\": \"a\"}\n{\"text\": 5}\n".write(to: jsonl, atomically: true, encoding: .utf8)
        let bad = try ember(["finetune", "--model", tinyBert.path, "--train", jsonl.path, "--valid", jsonl.path,
                             "--output", dir.appendingPathComponent("out").path])
        #expect(bad.status != 0 && bad.stderr.contains("\(jsonl.path):2"), "\(bad.stderr)")
    }
}
