// Trains a small CNN on scikit-learn's 8×8 digits (1,797 images) with a seeded
// 80/20 split and reports validation accuracy. `make digits` fetches the data
// (from the scikit-learn wheel on PyPI) into ~/.cache/ember and runs this.
// The same recipe in PyTorch: Benchmarks/digits_torch.py.
//
// Usage: train-digits [path/to/digits.csv] [--epochs N]

import EmberCore
import EmberData
import EmberNN
import EmberOptim
import Foundation

/// Why the digits file could not be read.
enum DigitsError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case badRow(path: String, line: Int, fields: Int)
    case badValue(path: String, line: Int, field: Int, text: String)

    var description: String {
        switch self {
        case .unreadable(let p): "\(p): cannot read the digits CSV (run `make digits` to fetch it)"
        case .badRow(let p, let l, let f): "\(p):\(l): expected 65 comma-separated fields (64 pixels and a label), found \(f)"
        case .badValue(let p, let l, let f, let t): "\(p):\(l): field \(f) is not a number in 0...16: \"\(t)\""
        }
    }
}

/// Pixels scaled to [0, 1] as [N, 1, 8, 8] and labels as [N].
func loadDigits(_ path: String) throws -> (Tensor, Tensor) {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw DigitsError.unreadable(path: path) }
    var pixels: [Float] = [], labels: [Int64] = []
    for (i, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 65 else { throw DigitsError.badRow(path: path, line: i + 1, fields: fields.count) }
        for (f, field) in fields.enumerated() {
            guard let v = Int(field.trimmingCharacters(in: .whitespaces)), (0...16).contains(v), f < 64 || v <= 9 else {
                throw DigitsError.badValue(path: path, line: i + 1, field: f + 1, text: String(field))
            }
            if f < 64 { pixels.append(Float(v) / 16) } else { labels.append(Int64(v)) }
        }
    }
    return (Tensor(pixels, shape: [labels.count, 1, 8, 8]), Tensor(labels))
}

final class DigitsCNN: Module {
    let features = Sequential(
        Conv2d(inChannels: 1, outChannels: 16, kernelSize: (3, 3), padding: .explicit(1, 1)), ReLU(),
        Conv2d(inChannels: 16, outChannels: 32, kernelSize: (3, 3), padding: .explicit(1, 1)), ReLU(),
        MaxPool2d(kernelSize: (2, 2)))
    let classifier = Sequential(Flatten(), Linear(inFeatures: 32 * 4 * 4, outFeatures: 64), ReLU(), Dropout(p: 0.2),
                                Linear(inFeatures: 64, outFeatures: 10))
    override init() {
        super.init()
        registerModule("features", features)
        registerModule("classifier", classifier)
    }
    override func forward(_ x: Tensor) -> Tensor { classifier(features(x)) }
}

func accuracy(_ model: Module, _ x: Tensor, _ y: Tensor) -> Double {
    model.eval()
    defer { model.train() }
    let predicted = GradMode.noGrad { model(x).argmax(dim: 1) }
    return predicted.eq(y).to(.float64).mean().item()
}

func run() throws {
    var args = Array(CommandLine.arguments.dropFirst())
    var epochs = 30
    if let i = args.firstIndex(of: "--epochs") {
        guard i + 1 < args.count, let n = Int(args[i + 1]), n > 0 else {
            throw DigitsError.badValue(path: "--epochs", line: 0, field: 0, text: i + 1 < args.count ? args[i + 1] : "")
        }
        epochs = n
        args.removeSubrange(i...(i + 1))
    }
    let path = args.first ?? FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/ember/digits.csv"
    let (images, labels) = try loadDigits(path)
    manualSeed(0)
    let split = randomSplit(TensorDataset(images, labels), lengths: [1437, images.shape[0] - 1437], generator: Generator(seed: 42))
    let train = TensorDataset(split[0].base.batch(split[0].indices))
    let validation = split[1].base.batch(split[1].indices)
    let model = DigitsCNN()
    let optimizer = Adam(model.parameters(), lr: 2e-3)
    let scheduler = CosineAnnealingLR(optimizer, tMax: epochs)
    let start = Date()
    for epoch in 1...epochs {
        let loader = DataLoader(train, batchSize: 64, shuffle: true, generator: Generator(seed: UInt64(epoch)))
        // One line per epoch: redrawn in place on a terminal, printed once when piped.
        let bar = ProgressBar(total: loader.count, description: "epoch \(epoch)/\(epochs)", unit: "img")
        for batch in loader {
            let loss = Functional.crossEntropy(model(batch[0]), batch[1])
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            bar.update(items: batch[0].shape[0], loss: loss.item())
        }
        scheduler.step()
        bar.update(0, metrics: ["val acc": accuracy(model, validation[0], validation[1])])
        bar.finish()
    }
    let acc = accuracy(model, validation[0], validation[1])
    print("final validation accuracy: \(String(format: "%.2f", acc * 100))% (\(validation[0].shape[0]) images), \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("train-digits: \(error)\n".utf8))
    exit(1)
}
