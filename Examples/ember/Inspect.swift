// `ember inspect FILE`: what a checkpoint holds, without loading its data.

import ArgumentParser
import EmberCheckpoint
import Foundation

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a checkpoint's tensors (name, dtype, shape, size), its metadata, and the nested keys of a .pth file."
    )

    @Argument(help: "A .safetensors file or a PyTorch checkpoint (.pth, .pt, .bin, .pth.tar; zip or legacy).")
    var file: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let summary = try CheckpointSummary(contentsOf: URL(fileURLWithPath: file))
        switch format {
        case .text:
            print(summary.text())
        case .json:
            let data = try JSONSerialization.data(withJSONObject: summary.jsonObject(),
                                                  options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
