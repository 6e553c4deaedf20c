// `ember classify`: images (or folders of them) through a pretrained
// classifier, as PyTorch would classify them: the model's own
// preprocessing, softmax (or CheXNet's per-class sigmoid), best first.

import ArgumentParser
import EmberCore
import EmberData
import EmberNN
import EmberVision
import Foundation

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify images with a pretrained model.",
        discussion: """
            Each model brings its preprocessing and labels; the default, EfficientNet-Lite0, uses the ImageNet \
            weights `make demo` caches. A file that cannot be read is reported and the others are still \
            classified; the exit status is then 1.
            """
    )

    @Option(help: "efficientnet-lite0, densenet121, chexnet, resnet18 or resnet50.")
    var model: String = PretrainedModel.efficientnetLite0.rawValue

    @Option(help: "Weights: a .pth (zip or legacy, plain or a training checkpoint) or .safetensors.")
    var weights: String?

    @Option(help: "Class names, one per line, replacing the model's own; the weights' head must have as many outputs.")
    var labels: String?

    @Option(help: "How many classes to show per image (multi-label models list all of them in JSON).")
    var top: Int = 5

    @Option(help: "Resize the shorter side to N pixels (default: the model's).")
    var resize: Int?

    @Option(help: "Center-crop to N×N pixels (default: the model's).")
    var crop: Int?

    @Flag(help: "Average over ten crops (corners, center, and their mirror images), as CheXNet evaluates.")
    var tencrop = false

    @Option(name: .customLong("batch-size"), help: "Images per forward pass.")
    var batchSize: Int = 8

    @Option(help: "Write a class activation map overlay (PNG) of each image's top class into this folder.")
    var cam: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Argument(help: "Image files, or folders searched for .jpg, .jpeg and .png files.")
    var images: [String]

    func validate() throws {
        guard PretrainedModel(rawValue: model) != nil else {
            throw ValidationError("unknown model \(model); choose one of \(PretrainedModel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard top > 0 else { throw ValidationError("--top must be positive, got \(top)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
        for (name, value) in [("--resize", resize), ("--crop", crop)] where value.map({ $0 <= 0 || $0 > 4096 }) == true {
            throw ValidationError("\(name) must be between 1 and 4096, got \(value!)")
        }
    }

    func run() throws {
        let kind = PretrainedModel(rawValue: model)!
        guard let weightsURL = weights.map({ URL(fileURLWithPath: $0) }) ?? kind.defaultWeights else {
            throw ValidationError("\(kind.rawValue) has no cached weights; pass --weights FILE")
        }
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw ValidationError("weights not found at \(weightsURL.path)\(weights == nil ? " (run `make demo` to fetch them)" : "")")
        }
        let customLabels = try labels.map(readLabels)
        // A labels file sizes the head, as for a model `ember train-image` fine-tuned.
        let network = try kind.load(weights: weightsURL, numClasses: customLabels?.count)
        let names = customLabels ?? kind.labels
        var preprocessing = kind.preprocessing
        if let resize { preprocessing.resize = resize }
        if let crop { preprocessing.crop = crop }
        if let cam { try FileManager.default.createDirectory(atPath: cam, withIntermediateDirectories: true) }

        let files = try imageFiles(images)
        let classifier = BatchClassifier(model: network, preprocessing: preprocessing, tenCrop: tencrop,
                                         multiLabel: kind.isMultiLabel, labels: names)
        let progress = files.count > 1 && format == .text ? ProgressBar(total: files.count, description: "classify", unit: "img") : nil
        var failures = 0
        var results: [[String: Any]] = []
        for start in stride(from: 0, to: files.count, by: batchSize) {
            let batch = Array(files[start..<min(start + batchSize, files.count)])
            for outcome in classifier.classify(batch, top: kind.isMultiLabel && format == .json ? names.count : top,
                                               camDirectory: cam.map { URL(fileURLWithPath: $0) }) {
                progress?.update()
                switch outcome.result {
                case .success(let predictions):
                    results.append(["file": outcome.file, "predictions": predictions.map {
                        ["index": $0.index, "label": $0.label, "probability": Double($0.probability)] as [String: Any]
                    }])
                    if format == .text {
                        progress?.log(outcome.file + "\n" + predictions.map {
                            String(format: "  %.4f  %@ (%d)", $0.probability, $0.label, $0.index)
                        }.joined(separator: "\n"))
                        if progress == nil {
                            print(outcome.file)
                            for p in predictions { print(String(format: "  %.4f  %@ (%d)", p.probability, p.label, p.index)) }
                        }
                    }
                case .failure(let error):
                    failures += 1
                    results.append(["file": outcome.file, "error": "\(error)"])
                    if format == .text {
                        FileHandle.standardError.write(Data("\(outcome.file): error: \(error)\n".utf8))
                    }
                }
            }
        }
        progress?.finish()
        if format == .json {
            for object in results {
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func readLabels(_ path: String) throws -> [String] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ValidationError("cannot read labels from \(path): \(error.localizedDescription)")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    /// Files as given, and the images inside folders (sorted, recursive).
    private func imageFiles(_ arguments: [String]) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                let found = ImageFolder.imageFiles(under: URL(fileURLWithPath: argument)).map(\.path)
                if found.isEmpty { throw ValidationError("\(argument): no .jpg, .jpeg or .png files") }
                files += found
            } else {
                files.append(argument)
            }
        }
        return files
    }
}
