// What every vision model shares: a convolutional trunk whose last feature
// map class activation maps read, a head that turns it into logits, and a
// final linear layer that transfer learning replaces.

import EmberNN

/// A convolutional image classifier split as torchvision models are:
/// `featureMap` (the trunk) and `head` (pooling, flattening, classifier).
///
/// ```swift
/// let model = DenseNet.densenet121()
/// let maps = model.featureMap(images)     // [N, 1024, 7, 7] for 224×224 input
/// let logits = model.head(maps)           // [N, 1000]
/// model.replaceClassifier(numClasses: 14) // for fine-tuning
/// ```
public protocol ImageClassifier: Module {
    /// The last convolutional feature map, after its activation.
    func featureMap(_ input: Tensor) -> Tensor
    /// Logits from a feature map.
    func head(_ featureMap: Tensor) -> Tensor
    /// The last linear layer, whose weights weigh the feature channels (CAM).
    var finalLinear: Linear { get }
    /// Swaps the last linear layer for a freshly initialized one with
    /// `numClasses` outputs, keeping its input width and state-dict key.
    func replaceClassifier(numClasses: Int)
}

extension ImageClassifier {
    /// Global average pooling, as every model here pools before its classifier.
    func pooled(_ featureMap: Tensor) -> Tensor {
        featureMap.adaptiveAvgPool2d((1, 1)).flatten(startDim: 1)
    }
}
