// fortunes-data: the fine-tuning demo's data set. Fortunes from Debian's
// `fortunes` package, labelled by the file (category) they come from, split
// 80/20 by a hash of their whitespace-normalised text so the split never
// depends on file order: SHA-1 of the UTF-8 text, as a big-endian integer,
// modulo 5; remainder 0 validates. Writes train.jsonl and valid.jsonl
// ({"text", "label"} per line) for `ember finetune` and
// Benchmarks/fortunes_torch.py.

import ArgumentParser
import Crypto
import Foundation

@main
struct FortunesData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fortunes-data",
        abstract: "Write the fortunes classification data set (train.jsonl, valid.jsonl)."
    )

    static let categories = ["computers", "politics", "science", "work", "art", "law", "food", "education"]

    @Option(help: "Where the fortunes package keeps its files.")
    var fortunes = "/usr/share/games/fortunes"
    @Option(help: "The folder to write train.jsonl and valid.jsonl into.")
    var output: String

    func run() throws {
        var train: [String] = [], valid: [String] = []
        for category in Self.categories {
            let url = URL(fileURLWithPath: fortunes).appendingPathComponent(category)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ValidationError("\(url.path): not readable; install Debian's fortunes package (apt-get install fortunes)")
            }
            // A few fortunes aren't valid UTF-8; decoding repairs them the way Python's errors="replace" does.
            let text = String(decoding: data, as: UTF8.self)
            for entry in Self.entries(text) {
                let line = try JSONSerialization.data(withJSONObject: ["text": entry, "label": category],
                                                      options: [.sortedKeys, .withoutEscapingSlashes])
                if Self.isValidation(entry) { valid.append(String(decoding: line, as: UTF8.self)) }
                else { train.append(String(decoding: line, as: UTF8.self)) }
            }
        }
        let folder = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, lines) in [("train.jsonl", train), ("valid.jsonl", valid)] {
            try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        print("\(train.count) training and \(valid.count) validation fortunes in \(folder.path)")
    }

    /// Entries between lines holding only "%", whitespace-normalised, empty ones dropped.
    static func entries(_ text: String) -> [String] {
        var entries: [String] = [], current: [Substring] = []
        func flush() {
            let normalised = current.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !normalised.isEmpty { entries.append(normalised) }
            current = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "%" { flush() } else { current.append(line) }
        }
        flush()
        return entries
    }

    static func isValidation(_ text: String) -> Bool {
        Insecure.SHA1.hash(data: Data(text.utf8)).reduce(0) { ($0 * 256 + Int($1)) % 5 } == 0
    }
}
