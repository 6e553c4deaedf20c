// The tokenizer issue's cases: single-thread encode throughput (MB/s of
// UTF-8 input) with MiniLM's WordPiece tokenizer.json and with a byte-level
// BPE, and the time to load MiniLM's tokenizer.json. Names and inputs match
// Benchmarks/compare_torch.py, which runs HF `tokenizers` (Rust).

import EmberTokenizers
import Foundation

/// The benchmark text: /usr/share/common-licenses (files in name order,
/// joined by blank lines) three times over, cut into paragraphs. About 1 MB.
func tokenizerBenchParagraphs() -> [String]? {
    let dir = "/usr/share/common-licenses"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return nil }
    var parts: [String] = []
    for name in names.sorted() {
        guard let data = FileManager.default.contents(atPath: "\(dir)/\(name)") else { continue }
        parts.append(String(decoding: data, as: UTF8.self))
    }
    let text = Array(repeating: parts.joined(separator: "\n\n"), count: 3).joined(separator: "\n\n")
    return text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
}

func runTokenizerCases() {
    let cases = ["tokenize minilm 1 thread", "tokenize bytelevel bpe 1 thread", "load minilm tokenizer.json"]
    if let filter = options.filter, !cases.contains(where: { $0.contains(filter) }) { return }
    let minilm = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/ember/all-MiniLM-L6-v2/tokenizer.json")
    let bpe = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/tokenizers/bpe_bytelevel.json")
    guard let paragraphs = tokenizerBenchParagraphs() else {
        print("tokenizer cases skipped: /usr/share/common-licenses is missing")
        return
    }
    let megabytes = Double(paragraphs.reduce(0) { $0 + $1.utf8.count }) / 1e6

    // One thread: encode in a loop (encodeBatch would spread over cores).
    func throughput(_ name: String, _ url: URL) {
        guard var tok = try? Tokenizer(contentsOf: url) else {
            print("\(name) skipped: cannot load \(url.path)")
            return
        }
        tok.padding = nil
        tok.truncation = nil
        bench(name, rate: (megabytes, "MB/s")) {
            for p in paragraphs { _ = try! tok.encode(p) }
        }
    }
    if FileManager.default.fileExists(atPath: minilm.path) {
        throughput("tokenize minilm 1 thread", minilm)
        bench("load minilm tokenizer.json") { _ = try! Tokenizer(contentsOf: minilm) }
    } else {
        print("minilm cases skipped: \(minilm.path) is missing")
    }
    throughput("tokenize bytelevel bpe 1 thread", bpe)
}
