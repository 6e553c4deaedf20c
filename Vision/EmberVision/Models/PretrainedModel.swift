// The pretrained models `ember classify` knows: how to build each, how its
// checkpoints name their keys, what input its weights expect, and its labels.

import EmberCheckpoint
import EmberNN
import Foundation

/// The input a model's pretrained weights expect: shorter side resized to
/// `resize` (bilinear, antialiased), center-cropped to `crop`, scaled to
/// [0, 1] and normalized with `mean` and `std`.
public struct ImagePreprocessing: Sendable, Equatable {
    public var resize: Int
    public var crop: Int
    public var mean: [Float]
    public var std: [Float]

    public init(resize: Int, crop: Int, mean: [Float], std: [Float]) {
        (self.resize, self.crop, self.mean, self.std) = (resize, crop, mean, std)
    }

    /// torchvision's ImageNet recipe: 256, 224, ImageNet mean and std.
    public static let imageNet = ImagePreprocessing(resize: 256, crop: 224, mean: [0.485, 0.456, 0.406],
                                                    std: [0.229, 0.224, 0.225])
}

/// A model with pretrained weights: its architecture, checkpoint layout,
/// preprocessing and labels.
///
/// ```swift
/// let kind = PretrainedModel.efficientnetLite0
/// let model = try kind.load(weights: kind.defaultWeights!)
/// print(kind.labels[model.eval()(batch).argmax(dim: 1).item(as: Int64.self)])
/// ```
public enum PretrainedModel: String, CaseIterable, Sendable {
    case efficientnetLite0 = "efficientnet-lite0"
    case densenet121
    case chexnet
    case resnet18
    case resnet50

    /// A freshly initialized model of this architecture, with `numClasses`
    /// outputs (default: the pretrained head's, 1000 or CheXNet's 14).
    public func build(numClasses: Int? = nil) -> any ImageClassifier {
        switch self {
        case .efficientnetLite0: EfficientNetLite.lite0(numClasses: numClasses ?? 1000)
        case .densenet121: DenseNet.densenet121(numClasses: numClasses ?? 1000)
        case .chexnet: CheXNet(numClasses: numClasses ?? 14)
        case .resnet18: ResNet.resnet18(numClasses: numClasses ?? 1000)
        case .resnet50: ResNet.resnet50(numClasses: numClasses ?? 1000)
        }
    }

    public var preprocessing: ImagePreprocessing {
        switch self {
        // TF-converted weights: inception-style (p − 127) / 128 on 0–255 pixels.
        case .efficientnetLite0:
            ImagePreprocessing(resize: 256, crop: 224, mean: [127 / 255, 127 / 255, 127 / 255],
                               std: [128 / 255, 128 / 255, 128 / 255])
        case .densenet121, .chexnet, .resnet18, .resnet50: .imageNet
        }
    }

    public var labels: [String] { self == .chexnet ? CheXNet.labels : ImageNetLabels.names }

    /// Multi-label models give each class its own sigmoid probability.
    public var isMultiLabel: Bool { self == .chexnet }

    /// Ember's cache of downloaded weights (`~/.cache/ember`, or `$EMBER_CACHE`).
    public static var cacheDirectory: URL { EmberCache.directory }

    /// Where `make demo` puts this model's weights, for the models setup fetches.
    public var defaultWeights: URL? {
        self == .efficientnetLite0 ? Self.cacheDirectory.appendingPathComponent("efficientnet-lite0.pth") : nil
    }

    /// Builds the model and loads `weights` (a .pth in either format, a
    /// training checkpoint with a `state_dict`, or safetensors), mapping the
    /// key layouts real checkpoints use: DataParallel's `module.`, old
    /// DenseNet names (`norm.1`), and files without `num_batches_tracked`.
    /// `numClasses` fits a fine-tuned head (`ember train-image`'s output).
    public func load(weights: URL, numClasses: Int? = nil) throws -> any ImageClassifier {
        let model = build(numClasses: numClasses)
        try model.loadStateDict(mapped(try Self.stateDict(at: weights), for: model))
        return model.eval()
    }

    /// The file's state dict, taken from `state_dict` when it is a training
    /// checkpoint; the file is read once either way.
    static func stateDict(at url: URL) throws -> StateDict {
        if try StateDict.isSafeTensorsFile(url) { return try StateDict(contentsOf: url) }
        let value = try TorchCheckpoint.load(url)
        if case .dict? = value["state_dict"] { return try StateDict(value["state_dict"]!, path: url.path) }
        return try StateDict(value, path: url.path)
    }

    func mapped(_ stateDict: StateDict, for model: Module) throws -> StateDict {
        var sd = stateDict
        if sd.keys.allSatisfy({ $0.hasPrefix("module.") }) { sd = try sd.strippingPrefix("module.") }
        if self == .densenet121 || self == .chexnet {
            sd = try sd.renamingKeys(matching: #"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$"#,
                                     with: "$1$2")
        }
        // Files from before PyTorch 0.4.1 have no batch counters; PyTorch
        // fills them with 0 when loading, and so does this.
        for (key, tensor) in model.stateDict() where key.hasSuffix("num_batches_tracked") && sd[key] == nil {
            sd[key] = Tensor.zeros(tensor.shape, dtype: tensor.dtype)
        }
        return sd
    }
}
