// `ember train-image`: fine-tune a pretrained backbone on your own images,
// CheXNet-style: a fresh linear head, BCE with logits, Adam, and
// ReduceLROnPlateau on the validation loss; each class's AUROC every epoch.
// `OUTPUT/last.pth` is a full training checkpoint, written atomically after
// every epoch, so an interrupted run continues where it stopped.

import ArgumentParser
import EmberCheckpoint
import EmberCore
import EmberData
import EmberNN
import EmberOptim
import EmberVision
import Foundation

struct TrainImage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-image",
        abstract: "Fine-tune an image classifier on a folder of class folders or a ChestX-ray14-style CSV.",
        discussion: """
            Examples:
              ember train-image --folder photos --model resnet18 --weights resnet18.pth --output run
              ember train-image --labels Data_Entry_2017.csv --images images --train-list train.txt \\
                  --valid-list val.txt --model chexnet --weights model.pth.tar --output chexnet-run
            """
    )

    @Option(help: "A folder of class folders (ImageFolder); 20% of it validates unless --valid-folder is given.")
    var folder: String?
    @Option(name: .customLong("valid-folder"), help: "A folder of class folders to validate on.")
    var validFolder: String?
    @Option(help: "A ChestX-ray14-style label CSV (\"Image Index\", \"Finding Labels\").")
    var labels: String?
    @Option(help: "The folder holding the CSV's images.")
    var images: String?
    @Option(name: .customLong("train-list"), help: "Images to train on, one per line (with --labels).")
    var trainList: String?
    @Option(name: .customLong("valid-list"), help: "Images to validate on, one per line (with --labels).")
    var validList: String?

    @Option(help: "The backbone: efficientnet-lite0, densenet121, chexnet, resnet18 or resnet50.")
    var model: String = PretrainedModel.densenet121.rawValue
    @Option(help: "Pretrained weights for the backbone (its head is replaced); none trains from scratch.")
    var weights: String?
    @Option(help: "The run's folder: last.pth (resumable checkpoint), best.safetensors, labels.txt.")
    var output: String

    @Option var epochs: Int = 5
    @Option(name: .customLong("batch-size")) var batchSize: Int = 16
    @Option var lr: Double = 1e-4
    @Option(help: "Shorter side before cropping.") var resize: Int?
    @Option(help: "Crop size fed to the network.") var crop: Int?
    @Option(help: "Loader threads.") var workers: Int = 2
    @Option var seed: UInt64 = 0

    func validate() throws {
        guard PretrainedModel(rawValue: model) != nil else { throw ValidationError("unknown model \(model)") }
        guard (folder == nil) != (labels == nil) else { throw ValidationError("give either --folder or --labels") }
        if labels != nil && images == nil { throw ValidationError("--labels needs --images") }
        guard epochs > 0, batchSize > 0, lr > 0, workers >= 0 else {
            throw ValidationError("--epochs, --batch-size and --lr must be positive, --workers non-negative")
        }
    }

    func run() throws {
        manualSeed(seed)
        let kind = PretrainedModel(rawValue: model)!
        var preprocessing = kind.preprocessing
        if let resize { preprocessing.resize = resize }
        if let crop { preprocessing.crop = crop }
        let (train, valid, classNames, multiLabel) = try datasets(preprocessing)
        let network = try backbone(kind, classes: classNames.count)

        let outputURL = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: outputURL, withIntermediateDirectories: true)
        try (classNames.joined(separator: "\n") + "\n").write(to: outputURL.appendingPathComponent("labels.txt"),
                                                             atomically: true, encoding: .utf8)
        let loaderGenerator = Generator(seed: seed &+ 1)
        let trainLoader = DataLoader(train, batchSize: batchSize, shuffle: true, numWorkers: workers,
                                     generator: loaderGenerator)
        let validLoader = DataLoader(valid, batchSize: batchSize, numWorkers: workers, generator: Generator(seed: seed))
        let optimizer = Adam(network.parameters(), lr: lr)
        let plateau = ReduceLROnPlateau(optimizer, mode: .min, factor: 0.1, patience: 1)

        var firstEpoch = 1, best = Double.infinity
        let last = outputURL.appendingPathComponent("last.pth")
        if FileManager.default.fileExists(atPath: last.path) {
            let checkpoint = try TrainingCheckpoint(contentsOf: last)
            try checkpoint.restore(model: network, optimizer: optimizer, scheduler: plateau,
                                   generators: ["loader": loaderGenerator])
            firstEpoch = checkpoint.epoch + 1
            best = checkpoint.metrics["best_valid_loss"] ?? .infinity
            print("resuming after epoch \(checkpoint.epoch) from \(last.path)")
        }
        guard firstEpoch <= epochs else {
            print("already trained \(epochs) epochs (\(last.path))")
            return
        }

        for epoch in firstEpoch...epochs {
            network.train()
            let bar = ProgressBar(total: trainLoader.count, description: "epoch \(epoch)/\(epochs)", unit: "batch")
            try trainLoader.forEachBatch { batch in
                optimizer.zeroGrad()
                let loss = Functional.binaryCrossEntropyWithLogits(network(batch[0]), batch[1])
                loss.backward()
                optimizer.step()
                bar.update(loss: loss.item())
            }
            bar.finish()

            let (validLoss, perClass, accuracy) = try evaluate(network, validLoader, multiLabel: multiLabel)
            plateau.step(validLoss)
            var line = String(format: "epoch %d: valid loss %.4f", epoch, validLoss)
            if let accuracy { line += String(format: ", accuracy %.4f", accuracy) }
            let defined = perClass.compactMap { $0 }
            if !defined.isEmpty { line += String(format: ", mean AUROC %.4f", defined.reduce(0, +) / Double(defined.count)) }
            print(line)
            for (name, value) in zip(classNames, perClass) {
                print("  \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) AUROC \(value.map { String(format: "%.4f", $0) } ?? "n/a (one class only)")")
            }
            if validLoss < best {
                best = validLoss
                try network.stateDict().save(to: outputURL.appendingPathComponent("best.safetensors"))
            }
            try TrainingCheckpoint(epoch: epoch, model: network, optimizer: optimizer, scheduler: plateau,
                                   generators: ["loader": loaderGenerator],
                                   metrics: ["valid_loss": validLoss, "best_valid_loss": best]).save(to: last)
        }
    }

    /// Validation loss, each class's AUROC, and accuracy for single-label data.
    private func evaluate(_ network: any ImageClassifier, _ loader: DataLoader<AnyImageDataset>,
                          multiLabel: Bool) throws -> (Double, [Double?], Double?) {
        network.eval()
        var scores: [Tensor] = [], targets: [Tensor] = []
        var total = 0.0, count = 0
        try loader.forEachBatch { batch in
            let logits = GradMode.noGrad { network(batch[0]) }
            total += Functional.binaryCrossEntropyWithLogits(logits, batch[1]).item() * Double(batch[0].shape[0])
            count += batch[0].shape[0]
            scores.append(logits.sigmoid())
            targets.append(batch[1])
        }
        let s = Tensor.cat(scores, dim: 0), t = Tensor.cat(targets, dim: 0)
        let accuracy = multiLabel ? nil : s.argmax(dim: 1).eq(t.argmax(dim: 1)).to(.float64).mean().item()
        return (total / Double(max(count, 1)), classAUROC(scores: s, labels: t), accuracy)
    }

    /// The backbone with pretrained weights (if any) and a fresh head of `classes` outputs.
    private func backbone(_ kind: PretrainedModel, classes: Int) throws -> any ImageClassifier {
        var network = try weights.map { try kind.load(weights: URL(fileURLWithPath: $0)) } ?? kind.build()
        // CheXNet's head ends in a sigmoid; training wants logits, so its DenseNet is fine-tuned directly.
        if let chexnet = network as? CheXNet { network = chexnet.densenet121 }
        network.replaceClassifier(numClasses: classes)
        return network
    }

    private func datasets(_ p: ImagePreprocessing) throws
        -> (AnyImageDataset, AnyImageDataset, [String], Bool) {
        let loader: ImageLoader = { try readImage(at: $0, mode: .rgb) }
        let augment = Compose([RandomResizedCrop(p.crop), RandomHorizontalFlip()])
        let trainTransform: @Sendable (Tensor) -> Tensor = { image in
            let g = WorkerInfo.current?.generator ?? .default
            return p.normalized(augment(p.resized(image), generator: g))
        }
        let validTransform: @Sendable (Tensor) -> Tensor = { p($0) }
        if let folder {
            let train = try ImageFolder(root: URL(fileURLWithPath: folder), loader: loader, transform: trainTransform)
            let classes = train.classes
            if let validFolder {
                let valid = try ImageFolder(root: URL(fileURLWithPath: validFolder), loader: loader, transform: validTransform)
                guard valid.classes == classes else {
                    throw ValidationError("--valid-folder has classes \(valid.classes), --folder has \(classes)")
                }
                return (AnyImageDataset(train, oneHot: classes.count), AnyImageDataset(valid, oneHot: classes.count), classes, false)
            }
            // A seeded 80/20 split of one folder; validation images skip augmentation.
            let order = Tensor.randperm(train.count, generator: Generator(seed: seed)).scalars(as: Int64.self).map { Int($0) }
            let cut = max(1, train.count / 5)
            let valid = try ImageFolder(root: URL(fileURLWithPath: folder), loader: loader, transform: validTransform)
            return (AnyImageDataset(Subset(train, indices: Array(order[cut...])), oneHot: classes.count),
                    AnyImageDataset(Subset(valid, indices: Array(order[..<cut])), oneHot: classes.count), classes, false)
        }
        let csv = URL(fileURLWithPath: labels!), imageFolder = URL(fileURLWithPath: images!)
        let train = try ChestXray14(labels: csv, images: imageFolder, list: trainList.map { URL(fileURLWithPath: $0) },
                                    loader: loader, transform: trainTransform)
        let valid = try ChestXray14(labels: csv, images: imageFolder, list: validList.map { URL(fileURLWithPath: $0) },
                                    loader: loader, transform: validTransform)
        return (AnyImageDataset(train, oneHot: nil), AnyImageDataset(valid, oneHot: nil), ChestXray14.findings, true)
    }
}

/// Either dataset kind, with class indices turned into one-hot float targets for BCE.
struct AnyImageDataset: Dataset, Sendable {
    let count: Int
    let load: @Sendable (Int) throws -> [Tensor]

    init<D: Dataset & Sendable>(_ base: D, oneHot classes: Int?) {
        count = base.count
        load = { index in
            let example = try base.example(at: index)
            guard let classes else { return example }
            var target = [Float](repeating: 0, count: classes)
            target[Int(example[1].item())] = 1
            return [example[0], Tensor(target)]
        }
    }

    func example(at index: Int) throws -> [Tensor] { try load(index) }
}
