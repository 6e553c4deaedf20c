// `ember convert IN OUT`: a state dict from one format into the other.

import ArgumentParser
import EmberCheckpoint
import EmberNN
import Foundation

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a state dict between PyTorch's .pth and .safetensors (the output's extension picks the format).",
        discussion: """
            Examples:
              ember convert model.pth.tar model.safetensors --key state_dict --strip-prefix module.
              ember convert model.safetensors model.pth
            """
    )

    @Argument(help: "The checkpoint to read (.safetensors, or a PyTorch zip or legacy file).")
    var input: String

    @Argument(help: "The file to write, atomically: .safetensors, or anything else for PyTorch's zip format.")
    var output: String

    @Option(help: "Take the state dict from this key of a training checkpoint, e.g. state_dict.")
    var key: String?

    @Option(name: .customLong("strip-prefix"), help: "Remove this prefix from every key that has it, e.g. module.")
    var stripPrefix: String?

    func run() throws {
        var stateDict = try StateDict(contentsOf: URL(fileURLWithPath: input), key: key)
        if let stripPrefix { stateDict = try stateDict.strippingPrefix(stripPrefix) }
        let url = URL(fileURLWithPath: output)
        // Hugging Face's loaders expect this metadata in PyTorch-derived safetensors files.
        try stateDict.save(to: url, metadata: url.pathExtension == "safetensors" ? ["format": "pt"] : nil)
        let bytes = stateDict.reduce(0) { $0 + $1.tensor.count * $1.tensor.dtype.itemSize }
        print("wrote \(stateDict.count) tensors (\(bytes) bytes of data) to \(output)")
    }
}
